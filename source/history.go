package source

import (
	"bufio"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
)

// HistoryOptions says which part of a repository's history to audit.
type HistoryOptions struct {
	// Repo is a path inside the repository: its work tree, a linked
	// worktree, its .git directory or a bare repository.
	Repo string
	// Range limits the audit: "REV" audits the commits not reachable from
	// REV (for a pull request, the base branch), "REV1..REV2" those
	// reachable from REV2 and not from REV1. "" audits everything.
	Range string
	// Branch limits the audit to one ref ("main", "origin/main", a tag, or
	// a full ref name). "" means every ref.
	Branch string
	// MaxFileSize: larger blobs are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Workers bounds the goroutines reading objects; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is told how many objects have been read, of how
	// many, and how many bytes they held.
	Progress func(done, total, bytes int64)
	// Detector finds the keys; nil means Django's own names only.
	Detector *detect.Detector
	// Exclude, when set, says which files (by absolute path) not to scan.
	Exclude func(path string) bool
}

// MissingObject is an object the history refers to and the repository
// does not hold: a partial clone, or damage.
type MissingObject struct {
	Hash string
	Kind string // "commit", "tree" or "blob"
	Path string // where it was referred to from, when known
}

// HistoryResult is what a history audit found.
type HistoryResult struct {
	// Findings holds each distinct secret once, located in the commit that
	// introduced it; Origin is set on each.
	Findings []detect.Finding
	Commits  int   // commits audited
	Blobs    int   // distinct blobs scanned
	Objects  int64 // objects read
	Bytes    int64 // bytes of object content read
	// Shallow lists the commits where a shallow clone's history is cut:
	// their parents were not fetched, so nothing before them was audited.
	Shallow []string
	// Missing lists objects referred to but absent.
	Missing []MissingObject
	// Skipped lists blobs not scanned (binary, too large), by a path they
	// were seen under.
	Skipped []Skip
}

// ErrNotRepository is returned for a path that is in no git repository.
var ErrNotRepository = errors.New("not a git repository")

// ScanHistory audits every commit reachable from the repository's refs
// (branches, remote-tracking branches, tags, the stash and a detached
// HEAD), scanning each distinct blob once, and reports each distinct
// secret once with where it came in and whether it is still there.
func ScanHistory(ctx context.Context, opt HistoryOptions) (*HistoryResult, error) {
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	repo, err := openRepo(opt.Repo)
	if err != nil {
		return nil, err
	}
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return nil, fmt.Errorf("open the repository at %s: unsupported storage", opt.Repo)
	}
	root := opt.Repo
	if wt, err := repo.Worktree(); err == nil {
		root = wt.Filesystem.Root()
	}
	a := &audit{
		root:    root,
		repo:    repo,
		st:      st,
		opt:     opt,
		commits: map[plumbing.Hash]*commitInfo{},
		tags:    map[plumbing.Hash]plumbing.Hash{},
		trees:   map[plumbing.Hash][]byte{},
		blobs:   map[plumbing.Hash]blobInfo{},
		memo:    map[plumbing.Hash][]treeItem{},
		detects: map[detectKey][]detect.Finding{},
		missing: map[plumbing.Hash]bool{},
		skipped: map[plumbing.Hash]bool{},
	}
	return a.run(ctx)
}

// blobInfo is what the audit keeps of a blob while reading objects.
type blobInfo struct {
	content []byte // kept only for blobs that may hold a key
	skip    string // why it is not scanned: "binary", too large
}

// treeItem is a blob under a tree that holds findings, with its path
// relative to that tree.
type treeItem struct {
	path     string
	findings []detect.Finding
}

type detectKey struct {
	blob plumbing.Hash
	kind detect.FileKind
}

type audit struct {
	root string // where paths in the history are taken from, for Exclude
	repo *git.Repository
	st   *filesystem.Storage
	opt  HistoryOptions
	res  HistoryResult

	mu      sync.Mutex
	commits map[plumbing.Hash]*commitInfo
	tags    map[plumbing.Hash]plumbing.Hash
	trees   map[plumbing.Hash][]byte
	blobs   map[plumbing.Hash]blobInfo

	// index holds every blob after the walk: -1 for a blob with nothing to
	// scan, else its position in kept.
	index   *hashTable
	kept    []plumbing.Hash
	memo    map[plumbing.Hash][]treeItem
	detects map[detectKey][]detect.Finding
	missing map[plumbing.Hash]bool
	skipped map[plumbing.Hash]bool
	shallow map[plumbing.Hash]bool
	// excludes remembers Exclude's answer per path.
	excludes map[string]bool
}

var emptyItems = []treeItem{}

func (a *audit) run(ctx context.Context) (*HistoryResult, error) {
	stats, err := gitdb.Walk(ctx, a.st, gitdb.Options{Workers: a.opt.Workers, MaxBlobSize: a.opt.MaxFileSize, Progress: a.opt.Progress}, a.visit)
	if err != nil {
		if errors.Is(err, gitdb.ErrCorrupt) {
			return nil, fmt.Errorf("read the repository's objects: %w (run git fsck to see the damage)", err)
		}
		return nil, fmt.Errorf("read the repository's objects: %w", err)
	}
	a.res.Objects, a.res.Bytes = stats.Objects, stats.Bytes
	a.indexBlobs()
	if err := a.readShallow(); err != nil {
		return nil, err
	}
	tips, exclude, err := a.selection()
	if err != nil {
		return nil, err
	}
	ordered := a.order(a.reach(tips, exclude))
	a.res.Commits = len(ordered)
	a.attribute(ordered)
	return &a.res, nil
}

// visit records one object; it runs on several goroutines.
func (a *audit) visit(o *gitdb.Object) error {
	switch o.Type {
	case plumbing.CommitObject:
		c, err := parseCommit(o.Data)
		if err != nil {
			return fmt.Errorf("%w: commit %s: %v", gitdb.ErrCorrupt, o.Hash, err)
		}
		a.mu.Lock()
		a.commits[o.Hash] = c
		a.mu.Unlock()
	case plumbing.TagObject:
		if target, ok := parseTagTarget(o.Data); ok {
			a.mu.Lock()
			a.tags[o.Hash] = target
			a.mu.Unlock()
		}
	case plumbing.TreeObject:
		a.mu.Lock()
		a.trees[o.Hash] = o.Data
		a.mu.Unlock()
	case plumbing.BlobObject:
		var b blobInfo
		switch {
		case o.Data == nil:
			b.skip = tooLarge(o.Size, a.opt.MaxFileSize)
		case isBinary(o.Data):
			b.skip = "binary"
		case a.mayHoldKey(o):
			b.content = o.Data
		}
		a.mu.Lock()
		a.blobs[o.Hash] = b
		a.mu.Unlock()
	}
	return nil
}

// mayHoldKey is the cheap first look at a blob. A delta of a blob that
// held no candidate can only gain one where the delta changed something,
// so only the changed parts, with a margin wider than any candidate, are
// looked at: most versions of most files cost next to nothing.
func (a *audit) mayHoldKey(o *gitdb.Object) bool {
	if o.Base.IsZero() {
		return a.opt.Detector.MayHoldKey(o.Data)
	}
	a.mu.Lock()
	base, ok := a.blobs[o.Base]
	a.mu.Unlock()
	if !ok || base.content != nil || base.skip != "" {
		return a.opt.Detector.MayHoldKey(o.Data)
	}
	const margin = 64 // more than a key run (50) or an anchor (6) reaches
	end := -1
	for _, r := range o.Changed {
		lo, hi := max(r.Start-margin, end, 0), min(r.End+margin, len(o.Data))
		if lo < hi && a.opt.Detector.MayHoldKey(o.Data[lo:hi]) {
			return true
		}
		end = max(end, hi)
	}
	return false
}

// indexBlobs builds the table the tree walk looks blobs up in.
func (a *audit) indexBlobs() {
	a.index = newHashTable(len(a.blobs))
	for h, b := range a.blobs {
		v := int32(-1)
		if b.content != nil || b.skip != "" {
			v = int32(len(a.kept))
			a.kept = append(a.kept, h)
		}
		a.index.put(h, v)
	}
}

// readShallow loads the commits at which a shallow clone is cut.
func (a *audit) readShallow() error {
	hs, err := a.st.Shallow()
	if err != nil {
		return fmt.Errorf("read the shallow file: %w", err)
	}
	a.shallow = map[plumbing.Hash]bool{}
	for _, h := range hs {
		a.shallow[h] = true
		a.res.Shallow = append(a.res.Shallow, h.String())
	}
	sort.Strings(a.res.Shallow)
	return nil
}

// tips returns the commits the audit starts from: every ref, the stash
// and its older entries, and HEAD; or the one ref of opt.Branch.
func (a *audit) tips() ([]plumbing.Hash, error) {
	if a.opt.Branch != "" {
		ref, err := a.findRef(a.opt.Branch)
		if err != nil {
			return nil, err
		}
		return []plumbing.Hash{a.peel(ref.Hash())}, nil
	}
	var tips []plumbing.Hash
	refs, err := a.repo.References()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	err = refs.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference {
			tips = append(tips, a.peel(r.Hash()))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	if head, err := a.repo.Head(); err == nil {
		tips = append(tips, a.peel(head.Hash()))
	}
	return append(tips, a.stashEntries()...), nil
}

// findRef resolves a branch, remote-tracking branch or tag name.
func (a *audit) findRef(name string) (*plumbing.Reference, error) {
	for _, full := range []string{name, "refs/heads/" + name, "refs/remotes/" + name, "refs/tags/" + name} {
		if r, err := a.repo.Reference(plumbing.ReferenceName(full), true); err == nil {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no branch, remote-tracking branch or tag named %q", name)
}

// stashEntries reads the stash's reflog: every stash entry, not only the
// newest that refs/stash points at.
func (a *audit) stashEntries() []plumbing.Hash {
	f, err := a.st.Filesystem().Open("logs/refs/stash")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []plumbing.Hash
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 {
			if h, ok := parseHash([]byte(fields[1])); ok {
				out = append(out, h)
			}
		}
	}
	return out
}

// peel follows annotated tags to the object they name.
func (a *audit) peel(h plumbing.Hash) plumbing.Hash {
	for i := 0; i < 16; i++ {
		target, ok := a.tags[h]
		if !ok {
			return h
		}
		h = target
	}
	return h
}

// selection returns the commits the audit starts from and those it
// leaves out: with a range "REV", every ref's commits less those reachable
// from REV; with "REV1..REV2", REV2's less REV1's.
func (a *audit) selection() (tips []plumbing.Hash, exclude map[plumbing.Hash]bool, err error) {
	if a.opt.Range == "" {
		tips, err = a.tips()
		return tips, nil, err
	}
	from := a.opt.Range
	if lo, hi, ok := strings.Cut(a.opt.Range, ".."); ok {
		if hi == "" {
			hi = "HEAD"
		}
		h, err := a.resolve(hi)
		if err != nil {
			return nil, nil, err
		}
		from, tips = lo, []plumbing.Hash{h}
	} else if tips, err = a.tips(); err != nil {
		return nil, nil, err
	}
	h, err := a.resolve(from)
	if err != nil {
		return nil, nil, err
	}
	return tips, a.reach([]plumbing.Hash{h}, nil), nil
}

func (a *audit) resolve(rev string) (plumbing.Hash, error) {
	h, err := a.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	return a.peel(*h), nil
}

// reach returns the commits reachable from tips, not entering exclude,
// and records missing commits that are not at a shallow boundary.
func (a *audit) reach(tips []plumbing.Hash, exclude map[plumbing.Hash]bool) map[plumbing.Hash]bool {
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || exclude[h] {
			continue
		}
		c, ok := a.commits[h]
		if !ok {
			if _, isTree := a.trees[h]; !isTree {
				if _, isBlob := a.blobs[h]; !isBlob {
					a.noteMissing(h, "commit", "")
				}
			}
			continue
		}
		seen[h] = true
		if a.shallow[h] {
			continue // its parents were never fetched
		}
		stack = append(stack, c.parents...)
	}
	return seen
}

// order sorts commits into history order: parents before children, and
// among commits free to go next, the one committed first.
func (a *audit) order(selected map[plumbing.Hash]bool) []plumbing.Hash {
	pending := make(map[plumbing.Hash]int, len(selected))
	children := make(map[plumbing.Hash][]plumbing.Hash, len(selected))
	q := &commitQueue{a: a}
	for h := range selected {
		n := 0
		for _, p := range a.commits[h].parents {
			if selected[p] {
				n++
				children[p] = append(children[p], h)
			}
		}
		pending[h] = n
		if n == 0 {
			q.items = append(q.items, h)
		}
	}
	heap.Init(q)
	out := make([]plumbing.Hash, 0, len(selected))
	for q.Len() > 0 {
		h := heap.Pop(q).(plumbing.Hash)
		out = append(out, h)
		a.commits[h].order = len(out)
		for _, c := range children[h] {
			if pending[c]--; pending[c] == 0 {
				heap.Push(q, c)
			}
		}
	}
	return out
}

// commitQueue is a heap of commits by committer time, then hash.
type commitQueue struct {
	a     *audit
	items []plumbing.Hash
}

func (q *commitQueue) Len() int { return len(q.items) }
func (q *commitQueue) Less(i, j int) bool {
	ci, cj := q.a.commits[q.items[i]], q.a.commits[q.items[j]]
	if ci.commit != cj.commit {
		return ci.commit < cj.commit
	}
	return q.items[i].String() < q.items[j].String()
}
func (q *commitQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitQueue) Push(x any)    { q.items = append(q.items, x.(plumbing.Hash)) }
func (q *commitQueue) Pop() any {
	h := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return h
}

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

// excluded applies HistoryOptions.Exclude to a path in the history, once
// per path.
func (a *audit) excluded(p string) bool {
	if a.opt.Exclude == nil {
		return false
	}
	if a.excludes == nil {
		a.excludes = map[string]bool{}
	}
	ex, ok := a.excludes[p]
	if !ok {
		ex = a.opt.Exclude(filepath.Join(a.root, filepath.FromSlash(p)))
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
		fs = a.opt.Detector.Detect(name, b.content)
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
