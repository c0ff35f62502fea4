package history

import (
	"bytes"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/source"
)

// secretTally gathers what is known of one secret across commits.
type secretTally struct {
	first      detect.Finding // in the introducing commit
	intro      plumbing.Hash
	count      int
	lastCommit int
	paths      map[string]bool
	// outside is set for a secret no audited commit holds: in what a ref
	// names besides commits (a tagged blob or tree, a tag's message).
	outside *detect.Origin
}

// attribute walks the ordered commits' trees and messages and tallies
// each secret, leaving out the secrets a boundary commit's tree already
// holds: those came in before the audited range. Then come what refs name
// besides commits: blobs, trees and annotated tags' messages.
func (a *audit) attribute(ordered, boundary []plumbing.Hash) error {
	before := map[string]bool{}
	for _, h := range boundary {
		fs, err := a.treeFindings(a.commits[h].tree)
		if err != nil {
			return err
		}
		for _, f := range fs {
			before[f.Fingerprint] = true
		}
	}
	t := newTallies(before)
	if err := a.tallyCommits(t, ordered, a.treeItems); err != nil {
		return err
	}
	if err := a.attributeOutside(t.note); err != nil {
		return err
	}
	audited := func(h plumbing.Hash) bool { return a.commits[h].order > 0 || slices.Contains(boundary, h) }
	inHead, err := a.headPlaces(t.paths(), audited)
	if err != nil {
		return err
	}
	a.res.Findings = a.tallied(t, inHead)
	a.res.Blobs = int(a.blobs.scanned.Load())
	return nil
}

// tallies gathers what is known of each secret across the audited
// commits, in the order they were first seen.
type tallies struct {
	before map[string]bool // fingerprints held before the range: not tallied
	by     map[string]*secretTally
	fps    []string
}

func newTallies(before map[string]bool) *tallies {
	return &tallies{before: before, by: map[string]*secretTally{}}
}

// note tallies one finding at path at in commit h, the order-th audited
// (0 for what no commit holds); nil when the range's start held it.
func (t *tallies) note(f detect.Finding, at string, h plumbing.Hash, order int) *secretTally {
	if t.before[f.Fingerprint] {
		return nil
	}
	s, ok := t.by[f.Fingerprint]
	if !ok {
		s = &secretTally{first: f, intro: h, paths: map[string]bool{}}
		s.first.Path = at
		t.by[f.Fingerprint] = s
		t.fps = append(t.fps, f.Fingerprint)
	}
	if order > 0 && s.lastCommit != order {
		s.lastCommit = order
		s.count++
	}
	s.paths[at] = true
	return s
}

// paths returns every path a tallied secret was seen at, sorted.
func (t *tallies) paths() []string {
	seen := map[string]bool{}
	for _, s := range t.by {
		for p := range s.paths {
			seen[p] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// tallyCommits tallies the findings in the ordered commits' trees, as
// items gives them, and in their messages.
func (a *audit) tallyCommits(t *tallies, ordered []plumbing.Hash, items func(tree plumbing.Hash) ([]treeItem, error)) error {
	for _, h := range ordered {
		c := a.commits[h]
		its, err := items(c.tree)
		if err != nil {
			return err
		}
		for _, it := range its {
			if a.excluded(it.path) {
				continue
			}
			for _, f := range it.findings {
				t.note(f, it.path, h, c.order)
			}
		}
		if !a.excluded(CommitMessagePath) {
			for _, f := range a.messages[h] {
				t.note(f, CommitMessagePath, h, c.order)
			}
		}
	}
	return nil
}

// tallied turns the tallies into findings, each with its origin and,
// from inHead, where HEAD holds it.
func (a *audit) tallied(t *tallies, inHead map[string][]detect.Location) []detect.Finding {
	var out []detect.Finding
	for _, fp := range t.fps {
		s := t.by[fp]
		f := s.first
		paths := slices.Sorted(maps.Keys(s.paths))
		if s.outside != nil {
			f.Origin = s.outside
			f.Origin.Paths = paths
			out = append(out, f)
			continue
		}
		c := a.commits[s.intro]
		f.Origin = &detect.Origin{
			Commit:      s.intro.String(),
			Author:      c.author,
			Email:       c.email,
			Date:        c.when.time(),
			Summary:     c.summary,
			CommitCount: s.count,
			Paths:       paths,
		}
		if at, ok := headPlace(inHead[fp], f.Path); ok {
			f.Origin.InHead, f.Origin.Head = true, &at
		}
		out = append(out, f)
	}
	source.SortFindings(out)
	return out
}

// attributeOutside tallies the secrets in what refs name besides commits,
// after every commit's: a secret a commit holds too is that commit's. Its
// origin is the object the ref names (a blob, a tree) or the tag whose
// message holds it, as Commit, counted once.
func (a *audit) attributeOutside(note func(f detect.Finding, at string, h plumbing.Hash, order int) *secretTally) error {
	outside := func(t *secretTally, o *detect.Origin) {
		if t != nil && t.outside == nil && t.count == 0 {
			o.CommitCount = 1
			t.outside = o
		}
	}
	named := slices.Clone(a.refObjects)
	sort.Slice(named, func(i, j int) bool {
		if named[i].ref != named[j].ref {
			return named[i].ref < named[j].ref
		}
		return bytes.Compare(named[i].hash[:], named[j].hash[:]) < 0
	})
	for _, o := range named {
		kind := "blob"
		var items []treeItem
		if o.tree {
			kind = "tree"
			sub, err := a.items(o.id, &pathNode{name: o.ref + ":"})
			if err != nil {
				return err
			}
			for _, it := range sub {
				// The policy's excludes hold for a tagged tree's paths too.
				if !a.excluded(it.path) {
					items = append(items, treeItem{path: o.ref + ":" + it.path, findings: it.findings})
				}
			}
		} else if a.blobs.notable(o.id) {
			items = append(items, memberItems(o.ref, a.asNamed(a.blobFindings(o.id, o.name, nil), o.name))...)
		}
		for _, it := range items {
			for _, f := range it.findings {
				outside(note(f, it.path, o.hash, 0), &detect.Origin{
					Commit:  o.hash.String(),
					Summary: fmt.Sprintf("no commit holds this %s: the ref %s names it", kind, o.ref),
				})
			}
		}
	}
	tags := make([]plumbing.Hash, 0, len(a.refTags))
	for h := range a.refTags {
		if a.tagInfos[h] != nil {
			tags = append(tags, h)
		}
	}
	// By name, then by hash: two tag objects may share a name, and the
	// origin chosen must not change from run to run.
	sort.Slice(tags, func(i, j int) bool {
		ti, tj := a.tagInfos[tags[i]], a.tagInfos[tags[j]]
		if ti.name != tj.name {
			return ti.name < tj.name
		}
		return bytes.Compare(tags[i][:], tags[j][:]) < 0
	})
	if a.excluded(TagMessagePath) {
		return nil
	}
	for _, h := range tags {
		t := a.tagInfos[h]
		for _, f := range t.findings {
			outside(note(f, TagMessagePath, h, 0), &detect.Origin{
				Commit:  h.String(),
				Author:  t.tagger,
				Email:   t.email,
				Date:    t.when.time(),
				Summary: t.summary,
			})
		}
	}
	return nil
}

// excluded asks the policy about a path in the history, once per path.
func (a *audit) excluded(p string) bool {
	if !a.opt.Policy.Excludes() {
		return false
	}
	// A member of an archive goes with the archive: excluding dist/*.whl
	// excludes what the wheels hold.
	if archive, _, ok := strings.Cut(p, memberMark); ok && a.excluded(archive) {
		return true
	}
	if a.excludes == nil {
		a.excludes = map[string]bool{}
	}
	ex, ok := a.excludes[p]
	if !ok {
		ex = source.Excluded(a.opt.Policy, a.root, p)
		a.excludes[p] = ex
	}
	return ex
}

// treeFindings returns the findings in a tree's blobs, outside the
// paths the policy excludes.
func (a *audit) treeFindings(tree plumbing.Hash) ([]detect.Finding, error) {
	items, err := a.treeItems(tree)
	if err != nil {
		return nil, err
	}
	var out []detect.Finding
	for _, it := range items {
		if !a.excluded(it.path) {
			out = append(out, it.findings...)
		}
	}
	return out, nil
}

// treeItems is items for a commit's root tree.
func (a *audit) treeItems(tree plumbing.Hash) ([]treeItem, error) {
	id, ok := a.objects.lookup(tree)
	if !ok {
		a.noteMissing(tree, "tree", "")
		return emptyItems, nil
	}
	return a.items(id, nil)
}

// items returns the blobs with findings under a tree, with paths relative
// to it. Each distinct tree is walked once. A tree the repository holds as
// another kind of object is damage: an error.
func (a *audit) items(tree uint32, at *pathNode) ([]treeItem, error) {
	if m := a.memo[tree]; m != 0 {
		return a.lists[m-1], nil
	}
	s := a.objects
	refs, ok := s.entries(tree)
	if !ok {
		if s.present(tree) {
			// Held, but not read as a tree: its type was damaged.
			return nil, objectsError(fmt.Errorf("%w: tree %s at %q is stored as another kind of object", gitdb.ErrCorrupt, s.hash(tree), at.String()))
		}
		a.noteMissing(s.hash(tree), "tree", at.String())
		return emptyItems, nil
	}
	var out []treeItem
	for _, r := range refs {
		name := r.name &^ refMask
		switch r.name & refMask {
		case refTree:
			var sub []treeItem
			if m := a.memo[r.obj]; m != 0 {
				sub = a.lists[m-1] // known already: no path to spell out
			} else {
				var err error
				if sub, err = a.items(r.obj, &pathNode{parent: at, name: s.names[name]}); err != nil {
					return nil, err
				}
			}
			for _, it := range sub {
				out = append(out, treeItem{path: s.names[name] + "/" + it.path, findings: it.findings})
			}
		case refBlob:
			if !a.blobs.notable(r.obj) {
				continue
			}
			if fs := a.asNamed(a.blobFindings(r.obj, name, at), name); len(fs) > 0 {
				out = append(out, memberItems(s.names[name], fs)...)
			}
		}
	}
	if s.malformed[tree] {
		a.noteMissing(s.hash(tree), "tree", at.String()+" (malformed)")
	}
	if out == nil {
		out = emptyItems
	}
	a.lists = append(a.lists, out)
	a.memo[tree] = uint32(len(a.lists))
	return out, nil
}

// pathNode is a directory on the way down a tree walk; its path is only
// spelled out when a message needs it.
type pathNode struct {
	parent *pathNode
	name   string
}

func (p *pathNode) String() string {
	if p == nil {
		return ""
	}
	return path.Join(p.parent.String(), p.name)
}

// blobFindings returns what the scan found in a blob under this name in
// directory dir.
func (a *audit) blobFindings(blob, name uint32, dir *pathNode) []detect.Finding {
	s := a.objects
	if !s.present(blob) {
		a.noteMissing(s.hash(blob), "blob", path.Join(dir.String(), s.names[name]))
		return nil
	}
	if why, ok := a.blobs.skipped(blob); ok {
		if !a.skipped.has(blob) {
			a.skipped.set(blob)
			at := path.Join(dir.String(), s.names[name])
			a.res.Skipped = append(a.res.Skipped, source.Skip{Path: at, Reason: why + " (blob " + s.hash(blob).String()[:12] + ")"})
		}
		// An archive refused part way holds the findings of the members
		// before; any other blob not read holds none.
	}
	return a.blobs.findings[findKey{blob, s.nameKinds[name]}]
}

func (a *audit) noteMissing(h plumbing.Hash, kind, at string) {
	if a.missing[h] {
		return
	}
	a.missing[h] = true
	a.res.Missing = append(a.res.Missing, MissingObject{Hash: h.String(), Kind: kind, Path: at})
}
