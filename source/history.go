package source

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/policy"
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
	// Policy says which files not to scan and which findings to keep;
	// nil honours the inline marker only.
	Policy *policy.Policy
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
	opt.MaxFileSize = maxSize(opt.MaxFileSize)
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
	root string // where paths in the history are taken from, for the policy's Exclude
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
	// excludes remembers the policy's answer per path.
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
