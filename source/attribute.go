package source

import (
	"path"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
)

// secretTally gathers what is known of one secret across commits.
type secretTally struct {
	first      detect.Finding // in the introducing commit
	intro      plumbing.Hash
	count      int
	lastCommit int
	paths      map[string]bool
}

// attribute walks the ordered commits' trees and tallies each secret.
func (a *audit) attribute(ordered []plumbing.Hash) {
	tallies := map[string]*secretTally{}
	var fps []string
	for _, h := range ordered {
		c := a.commits[h]
		for _, it := range a.items(c.tree, nil) {
			if a.excluded(it.path) {
				continue
			}
			for _, f := range it.findings {
				t, ok := tallies[f.Fingerprint]
				if !ok {
					t = &secretTally{first: f, intro: h, paths: map[string]bool{}}
					t.first.Path = it.path
					tallies[f.Fingerprint] = t
					fps = append(fps, f.Fingerprint)
				}
				if t.lastCommit != c.order {
					t.lastCommit = c.order
					t.count++
				}
				t.paths[it.path] = true
			}
		}
	}
	inHead := a.headFingerprints()
	for _, fp := range fps {
		t := tallies[fp]
		c := a.commits[t.intro]
		f := t.first
		paths := make([]string, 0, len(t.paths))
		for p := range t.paths {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		f.Origin = &detect.Origin{
			Commit:      t.intro.String(),
			Author:      c.author,
			Email:       c.email,
			Date:        c.when,
			Summary:     c.summary,
			CommitCount: t.count,
			Paths:       paths,
			InHead:      inHead[fp],
		}
		a.res.Findings = append(a.res.Findings, f)
	}
	sortFindings(a.res.Findings)
	a.res.Blobs = len(a.detects)
}

// excluded asks the policy about a path in the history, once per path.
func (a *audit) excluded(p string) bool {
	if !a.opt.Policy.Excludes() {
		return false
	}
	if a.excludes == nil {
		a.excludes = map[string]bool{}
	}
	ex, ok := a.excludes[p]
	if !ok {
		ex = excluded(a.opt.Policy, a.root, p)
		a.excludes[p] = ex
	}
	return ex
}

// headFingerprints returns the secrets HEAD's tree holds.
func (a *audit) headFingerprints() map[string]bool {
	out := map[string]bool{}
	head, err := a.repo.Head()
	if err != nil {
		return out // an empty repository, or an unborn branch
	}
	c, ok := a.commits[a.peel(head.Hash())]
	if !ok {
		return out
	}
	for _, it := range a.items(c.tree, nil) {
		if a.excluded(it.path) {
			continue
		}
		for _, f := range it.findings {
			out[f.Fingerprint] = true
		}
	}
	return out
}

// items returns the blobs with findings under a tree, with paths relative
// to it. Each distinct tree is read once; each distinct blob is scanned
// once for each kind of file name it appears under.
func (a *audit) items(tree plumbing.Hash, at *pathNode) []treeItem {
	if its, ok := a.memo[tree]; ok {
		return its
	}
	raw, ok := a.trees[tree]
	if !ok {
		a.noteMissing(tree, "tree", at.String())
		return emptyItems
	}
	var out []treeItem
	err := eachTreeEntry(raw, func(e treeEntry) {
		switch {
		case e.mode == modeTree:
			sub := a.items(e.hash, &pathNode{parent: at, name: e.name})
			if len(sub) > 0 {
				name := string(e.name)
				for _, it := range sub {
					out = append(out, treeItem{path: name + "/" + it.path, findings: it.findings})
				}
			}
		case e.mode == modeGitlink || e.mode == modeSymlink:
			// a submodule's commit, a link's target: not content to scan
		default:
			if fs := a.blobFindings(e.hash, e.name, at); len(fs) > 0 {
				out = append(out, treeItem{path: string(e.name), findings: fs})
			}
		}
	})
	if err != nil {
		a.noteMissing(tree, "tree", at.String()+" (malformed)")
	}
	if out == nil {
		out = emptyItems
	}
	a.memo[tree] = out
	return out
}

// pathNode is a directory on the way down a tree walk; its path is only
// spelled out when a message needs it.
type pathNode struct {
	parent *pathNode
	name   []byte
}

func (p *pathNode) String() string {
	if p == nil {
		return ""
	}
	return path.Join(p.parent.String(), string(p.name))
}

// blobFindings scans a blob as a file of this name in directory dir, once
// per kind of name. Names are made into strings only for the few blobs
// that need them.
func (a *audit) blobFindings(h plumbing.Hash, nameBytes []byte, dir *pathNode) []detect.Finding {
	v, ok := a.index.get(h)
	if !ok {
		a.noteMissing(h, "blob", path.Join(dir.String(), string(nameBytes)))
		return nil
	}
	if v < 0 {
		return nil
	}
	b := a.blobs[h]
	if b.skip != "" {
		if !a.skipped[h] {
			a.skipped[h] = true
			at := path.Join(dir.String(), string(nameBytes))
			a.res.Skipped = append(a.res.Skipped, Skip{Path: at + " (blob " + h.String()[:12] + ")", Reason: b.skip})
		}
		return nil
	}
	name := string(nameBytes)
	key := detectKey{h, detect.KindOf(name)}
	fs, ok := a.detects[key]
	if !ok {
		// A blob has no Added lines to read, so scan cannot fail.
		fs, _ = Fragment{Path: name, Content: b.content}.scan(a.opt.Detector, a.opt.Policy)
		a.detects[key] = fs
	}
	return fs
}

func (a *audit) noteMissing(h plumbing.Hash, kind, at string) {
	if a.missing[h] {
		return
	}
	a.missing[h] = true
	a.res.Missing = append(a.res.Missing, MissingObject{Hash: h.String(), Kind: kind, Path: at})
}
