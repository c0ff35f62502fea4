// Package history is djguard's history audit: it reads every commit of
// every ref (or a range, one branch, or what a push sends) straight from
// git's object database (package gitdb), scans each distinct blob once
// under the paths it appears at, and attributes every finding to the
// commit that introduced it. Nothing here prints: Scan returns a Result
// with what it found and what it could not read.
package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/policy"
	"github.com/djguard/djguard/source"
)

// Options says which part of a repository's history to audit.
type Options struct {
	// Repo is a path inside the repository: its work tree, a linked
	// worktree, its .git directory or a bare repository.
	Repo string
	// Range limits the audit: "REV1..REV2" audits the commits reachable
	// from REV2 and not from REV1 ("REV1.." means REV1..HEAD); "REV" is
	// REV..HEAD where a work tree's HEAD names a commit (a pull request:
	// the commits it adds to its base), else every ref's commits not
	// reachable from REV. A secret the trees at the range's start already
	// hold is not reported: it came in before. "" audits everything.
	Range string
	// Branch limits the audit to one ref ("main", "origin/main", a tag, or
	// a full ref name). "" means every ref.
	Branch string
	// Pushes, when set, limits the audit to the commits a push sends: a
	// pre-push hook's. Range and Branch must then be empty.
	Pushes []Push
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

// Result is what a history audit found.
type Result struct {
	// Findings holds each distinct secret once, located in the commit that
	// introduced it; Origin is set on each.
	Findings []detect.Finding
	Commits  int // commits audited
	// Blobs counts the blobs read by the whole detector, once for each
	// kind of file name they have; the others, found quiet (see
	// detect.Quiet) by a cheaper look, hold nothing it would find.
	Blobs   int
	Objects int64 // objects read
	Bytes   int64 // bytes of object content read
	// Shallow lists the commits where a shallow clone's history is cut:
	// their parents were not fetched, so nothing before them was audited.
	Shallow []string
	// Missing lists objects referred to but absent.
	Missing []MissingObject
	// Partial says the repository is a partial clone (a promisor remote
	// serves the objects it lacks), where missing trees and blobs are
	// expected; elsewhere a missing object is damage.
	Partial bool
	// Skipped lists blobs not scanned (binary, too large), by a path they
	// were seen under.
	Skipped []source.Skip
	// Notes says, in sentences, what else the audit was asked to see and
	// could not (reflog entries that name objects no longer held): a
	// report prints them as warnings.
	Notes []string
}

// Where a finding stands that no file of a commit holds: the message of a
// commit or an annotated tag. A ref that names a blob (git tag NAME BLOB)
// gives the ref's name as the blob's path, and one that names a tree
// gives "REF:" before each path in it.
const (
	CommitMessagePath = "(commit-message)"
	TagMessagePath    = "(tag-message)"
)

// Scan audits every commit reachable from the repository's refs
// (branches, remote-tracking branches, tags, the stash and a detached
// HEAD), scanning each distinct blob once, and reports each distinct
// secret once with where it came in and whether it is still there.
func Scan(ctx context.Context, opt Options) (*Result, error) {
	newAudit, err := prepare(opt)
	if err != nil {
		return nil, err
	}
	if rangeApplies(opt) {
		res, err := newAudit().scanRange(ctx)
		if !errors.Is(err, errWholeAudit) {
			return res, err
		}
	}
	return newAudit().scanWhole(ctx)
}

// prepare opens the repository opt names and returns what makes an audit
// of it.
func prepare(opt Options) (func() *audit, error) {
	opt.MaxFileSize = source.MaxSize(opt.MaxFileSize)
	repo, err := gitrepo.Open(opt.Repo)
	if err != nil {
		return nil, err
	}
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return nil, fmt.Errorf("open the repository at %s: unsupported storage", opt.Repo)
	}
	if err := gitrepo.CheckRefs(st.Filesystem()); err != nil {
		return nil, fmt.Errorf("read the refs of the repository at %s: %w", opt.Repo, err)
	}
	root := opt.Repo
	if wt, err := repo.Worktree(); err == nil {
		root = wt.Filesystem.Root()
	}
	return func() *audit { return newAudit(root, repo, st, opt) }, nil
}

// scanRange is the audit of a range through gitdb.Reader, or
// errWholeAudit.
func (a *audit) scanRange(ctx context.Context) (*Result, error) {
	res, err := a.runRange(ctx)
	if err == nil {
		res.Partial = isPartialClone(a.repo, a.st)
	}
	return res, err
}

// scanWhole is the audit that reads the whole object database.
func (a *audit) scanWhole(ctx context.Context) (*Result, error) {
	var err error
	a.db, err = gitdb.Open(a.st)
	if err != nil {
		return nil, objectsError(err)
	}
	defer a.db.Close()
	a.objects = newObjectStore(a.db)
	res, err := a.run(ctx)
	if err == nil {
		res.Partial = isPartialClone(a.repo, a.st)
	}
	return res, err
}

func newAudit(root string, repo *git.Repository, st *filesystem.Storage, opt Options) *audit {
	return &audit{
		root:     root,
		repo:     repo,
		st:       st,
		opt:      opt,
		commits:  map[plumbing.Hash]*commitInfo{},
		tags:     map[plumbing.Hash]plumbing.Hash{},
		tagInfos: map[plumbing.Hash]*tagInfo{},
		messages: map[plumbing.Hash][]detect.Finding{},
		refTags:  map[plumbing.Hash]bool{},
		refNamed: map[plumbing.Hash]bool{},
		people:   map[string]string{},
		missing:  map[plumbing.Hash]bool{},
	}
}

// isPartialClone reports whether objects may be missing by design: git
// records a partial clone as extensions.partialClone, a remote marked
// promisor, or .promisor files beside the packs it fetched.
func isPartialClone(repo *git.Repository, st *filesystem.Storage) bool {
	if cfg, err := repo.Config(); err == nil && cfg.Raw != nil {
		if cfg.Raw.Section("extensions").Option("partialClone") != "" {
			return true
		}
		for _, sub := range cfg.Raw.Section("remote").Subsections {
			if strings.EqualFold(sub.Option("promisor"), "true") {
				return true
			}
		}
	}
	fs := st.Filesystem()
	files, _ := fs.ReadDir(fs.Join("objects", "pack"))
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".promisor") {
			return true
		}
	}
	return false
}

// treeItem is a blob under a tree that holds findings, with its path
// relative to that tree.
type treeItem struct {
	path     string
	findings []detect.Finding
}

// audit is one history audit. It reads the object database twice: first
// commits, tags and trees (blobs are left uninflated), kept in compact
// form; then, once it knows which commits it audits and under which names
// their blobs appear, those blobs, each scanned and dropped at once.
// Memory grows with the number of objects, not with their size.
type audit struct {
	root string // where paths in the history are taken from, for the policy's Exclude
	repo *git.Repository
	st   *filesystem.Storage
	db   *gitdb.DB
	opt  Options
	res  Result

	objects *objectStore
	mu      sync.Mutex
	commits map[plumbing.Hash]*commitInfo
	tags    map[plumbing.Hash]plumbing.Hash
	blobs   *blobScan
	// messages holds the findings in commits' messages, tagInfos the
	// annotated tags whose messages hold findings.
	messages map[plumbing.Hash][]detect.Finding
	tagInfos map[plumbing.Hash]*tagInfo
	// refTags are the annotated tags a ref reaches; refObjects the blobs
	// and trees a ref names (refNamed, by hash).
	refTags    map[plumbing.Hash]bool
	refObjects []namedObject
	refNamed   map[plumbing.Hash]bool

	people map[string]string // authors' names and emails, each held once
	// memo holds, by tree number, 1 + the index in lists of the tree's
	// items once they are known.
	memo    []uint32
	lists   [][]treeItem
	missing map[plumbing.Hash]bool
	skipped bitset // blobs already listed in res.Skipped
	shallow map[plumbing.Hash]bool
	// excludes remembers the policy's answer per path.
	excludes map[string]bool
}

var emptyItems = []treeItem{}

func (a *audit) run(ctx context.Context) (*Result, error) {
	notBlobs := func(t plumbing.ObjectType) bool { return t != plumbing.BlobObject }
	stats, err := a.walk(ctx, gitdb.Options{Want: notBlobs, Reuse: true, TreeCopies: true}, a.visit)
	if err != nil {
		return nil, err
	}
	a.res.Objects, a.res.Bytes = stats.Objects, stats.Bytes
	if err := a.readShallow(); err != nil {
		return nil, err
	}
	selected, before, err := a.selection()
	if err != nil {
		return nil, err
	}
	ordered := a.order(selected)
	a.res.Commits = len(ordered)
	boundary := a.boundary(selected, before)
	a.blobs = a.selectBlobs(append(boundary, ordered...), a.refObjects)
	a.memo, a.skipped = make([]uint32, a.objects.size()), newBitset(a.objects.size())
	onlyBlobs := func(t plumbing.ObjectType) bool { return t == plumbing.BlobObject }
	stats, err = a.walk(ctx, gitdb.Options{Want: onlyBlobs, Need: a.blobs.needs, MaxBlobSize: a.opt.MaxFileSize, Reuse: true}, a.blobs.visit)
	if err != nil {
		return nil, err
	}
	a.res.Bytes += stats.Bytes
	if err := a.attribute(ordered, boundary); err != nil {
		return nil, err
	}
	return &a.res, nil
}

// intern returns s, held once however many commits name it; a.mu must
// be held.
func (a *audit) intern(s string) string {
	if x, ok := a.people[s]; ok {
		return x
	}
	a.people[s] = s
	return s
}

// walk reads the object database once more with these options.
func (a *audit) walk(ctx context.Context, opt gitdb.Options, visit func(*gitdb.Object) error) (gitdb.Stats, error) {
	opt.Workers, opt.Progress = a.opt.Workers, a.opt.Progress
	stats, err := a.db.Walk(ctx, opt, visit)
	if err != nil {
		return stats, objectsError(err)
	}
	return stats, nil
}

// scanMessage scans a commit's or a tag's message as text, the way a
// report's free text is read: a message is prose, whatever the files are.
func (a *audit) scanMessage(at string, msg []byte) []detect.Finding {
	if len(msg) == 0 || !a.opt.Detector.MayHoldKey(msg) {
		return nil
	}
	// A message has no Added lines to read, so scan cannot fail.
	found, _ := source.Fragment{Path: "message.txt", Content: msg}.Scan(a.opt.Detector, a.opt.Policy)
	for i := range found {
		found[i].Path = at
	}
	return found
}

func objectsError(err error) error {
	if errors.Is(err, gitdb.ErrCorrupt) {
		return fmt.Errorf("read the repository's objects: %w (run git fsck to see the damage)", err)
	}
	return fmt.Errorf("read the repository's objects: %w", err)
}

// visit records one object of the first pass; it runs on several
// goroutines.
func (a *audit) visit(o *gitdb.Object) error {
	// Commits and tags are checked against their hash (trees and blobs
	// would cost too much; a damaged tree shows as a tree not held, see
	// items): a flipped bit that turns a commit into something else must
	// be an error, not a commit that quietly is not there.
	if !o.Unread && o.Type != plumbing.TreeObject && plumbing.ComputeHash(o.Type, o.Data) != o.Hash {
		return fmt.Errorf("%w: %s %s does not match its hash", gitdb.ErrCorrupt, o.Type, o.Hash)
	}
	switch o.Type {
	case plumbing.CommitObject:
		c, msg, err := parseCommit(o.Data)
		if err != nil {
			return fmt.Errorf("%w: commit %s: %v", gitdb.ErrCorrupt, o.Hash, err)
		}
		found := a.scanMessage(CommitMessagePath, msg)
		a.mu.Lock()
		c.author, c.email = a.intern(c.author), a.intern(c.email)
		a.commits[o.Hash] = c
		if len(found) > 0 {
			a.messages[o.Hash] = found
		}
		a.mu.Unlock()
	case plumbing.TagObject:
		if target, ok := parseTagTarget(o.Data); ok {
			t, msg := parseTag(o.Data)
			t.findings = a.scanMessage(TagMessagePath, msg)
			t.summary = summaryOf(msg)
			a.mu.Lock()
			a.tags[o.Hash] = target
			if len(t.findings) > 0 {
				a.tagInfos[o.Hash] = t
			}
			a.mu.Unlock()
		}
	case plumbing.TreeObject:
		copies := o.Copies
		base, ok := a.objects.lookup(o.Base)
		if !ok {
			copies = nil
		}
		a.objects.addTree(o.ID, o.Data, base, copies)
	}
	return nil
}
