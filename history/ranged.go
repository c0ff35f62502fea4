package history

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/source"
)

// The audit of a range (--since, a push) read from what the range needs
// alone: its commits, found by walking back from its tips and its bases
// together, newest first, until nothing left to walk can still be in it
// (as git's rev-list does); the files its commits' trees hold that the
// trees at its boundary do not hold at the same path, found by walking
// both trees side by side and passing over every subtree the boundary
// holds unchanged; and those files' blobs. gitdb.Reader finds each object
// through the packs' mapped indexes, so a push of three commits reads a
// few dozen objects in a repository of any size.
//
// Its findings are the whole audit's: a file the boundary holds unchanged
// holds only secrets that came in before, so it cannot add one; and when
// the range's new files hold a secret, the boundary's file at the same
// path tells whether it came in before, and only a secret that file does
// not account for has the boundary's whole trees scanned (rare: a range
// that adds no key costs no more). Where the range needs what the range audit does not
// do (a shallow clone, a missing or damaged object, annotated tags, a
// range too long to be worth it), it says so with errWholeAudit, and the
// whole audit runs instead and reports as it always has.

// errWholeAudit says that the range is left to the whole audit.
var errWholeAudit = errors.New("the range is audited with the whole history")

// The range audit reads at most a tenth of the objects the packs hold
// (and never fewer than minRangeObjects): reading object by object,
// through delta chains and on one core, costs about eight times what
// the whole audit spends an object, so a range that needs more is
// audited whole. (On saleor's 564,119 objects: 18,000 objects read for
// --since HEAD~1000 cost 2.4 CPU-s against the whole audit's 4.9, and a
// range of 11,516 commits 16 against 9.)
// A range of commits is handed on as soon as its commits are known if it
// would need more than that at objectsPerCommit (saleor's ranges read 18
// to 20 objects a commit), so that little is spent before the whole
// audit takes over.
const (
	rangeShare       = 10
	minRangeObjects  = 20000
	objectsPerCommit = 16
	// rangeBaseCache is the Reader's cache of delta bases: a range reads
	// a file's versions oldest first, each built on the last one's chain.
	rangeBaseCache = 32 << 20
)

// rangeAudit is one audit of a range through gitdb.Reader.
type rangeAudit struct {
	a     *audit
	r     *gitdb.Reader
	read  int // objects read
	limit int // objects it may read before it hands the range on
	trees map[plumbing.Hash][]treeEntry
	// bases holds the boundary's trees at each directory, of each
	// boundary commit whose tree has the directory.
	bases map[string][]baseTree
	// changed holds, by tree and directory, the files under it that no
	// boundary tree holds at the same path, with their findings.
	changed map[treeAt][]treeItem
	scans   map[blobKind]scanned
	skipped map[plumbing.Hash]bool
	scanned int
}

// baseTree is a tree at the range's boundary, its entries by name.
type baseTree struct {
	hash    plumbing.Hash
	entries map[string]treeEntry
}

type treeAt struct {
	tree plumbing.Hash
	dir  string
}

type blobKind struct {
	blob   plumbing.Hash
	kind   detect.FileKind
	format archive.Format // what archive the name says the blob is
}

// scanned is what a scan of a blob found, or why it was not scanned.
type scanned struct {
	findings []detect.Finding
	why      string
}

// rangeApplies reports whether the range audit may take opt.
func rangeApplies(opt Options) bool {
	return opt.Branch == "" && (len(opt.Pushes) > 0 || opt.Range != "")
}

// runRange audits a range through gitdb.Reader, or returns errWholeAudit.
func (a *audit) runRange(ctx context.Context) (*Result, error) {
	if shallow, err := a.st.Shallow(); err != nil || len(shallow) > 0 {
		return nil, errWholeAudit
	}
	dirs, err := gitrepo.FindDirs(a.st.Filesystem().Root())
	if err != nil {
		return nil, errWholeAudit
	}
	r, err := gitdb.OpenReader(dirs.CommonDir)
	if err != nil {
		return nil, errWholeAudit
	}
	defer r.Close()
	r.KeepBases(rangeBaseCache)
	packed, err := r.Packed()
	if err != nil {
		return nil, errWholeAudit
	}
	g := &rangeAudit{a: a, r: r, limit: max(packed/rangeShare, minRangeObjects), trees: map[plumbing.Hash][]treeEntry{}, bases: map[string][]baseTree{},
		changed: map[treeAt][]treeItem{}, scans: map[blobKind]scanned{}, skipped: map[plumbing.Hash]bool{}}
	selected, before, err := g.selection()
	if err != nil {
		return nil, err
	}
	if len(selected)*objectsPerCommit > g.limit {
		return nil, errWholeAudit
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ordered := a.order(selected)
	a.res.Commits = len(ordered)
	boundary := a.boundary(selected, before)
	if err := g.attribute(ordered, boundary); err != nil {
		return nil, err
	}
	a.res.Objects = int64(g.read)
	return &a.res, nil
}

// selection returns the commits the range holds and those it leaves out
// as there before it that the walk met, as audit.selection does.
func (g *rangeAudit) selection() (selected, before map[plumbing.Hash]bool, err error) {
	a := g.a
	if len(a.opt.Pushes) > 0 {
		selected, before = map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
		for _, p := range a.opt.Pushes {
			tips, bases, err := g.push(p)
			if err != nil {
				return nil, nil, err
			}
			sent, there, err := g.walk(tips, bases)
			if err != nil {
				return nil, nil, err
			}
			for h := range sent {
				selected[h] = true
			}
			for h := range there {
				before[h] = true
			}
		}
		return selected, before, nil
	}
	from, to, ranged := strings.Cut(a.opt.Range, "..")
	switch {
	case ranged && to == "":
		to = "HEAD"
	case !ranged && g.hasWorkTreeHead():
		to = "HEAD" // a pull request's audit: what HEAD adds to the base
	case !ranged:
		return nil, nil, errWholeAudit // every ref of a bare repository
	}
	tip, err := g.commit(to)
	if err != nil {
		return nil, nil, err
	}
	base, err := g.commit(from)
	if err != nil {
		return nil, nil, err
	}
	return g.walk([]plumbing.Hash{tip}, []plumbing.Hash{base})
}

// hasWorkTreeHead is audit.hasWorkTreeHead read through the Reader.
func (g *rangeAudit) hasWorkTreeHead() bool {
	if _, err := g.a.repo.Worktree(); err != nil {
		return false
	}
	head, err := g.a.repo.Head()
	if err != nil {
		return false
	}
	_, err = g.load(head.Hash())
	return err == nil
}

// commit resolves a revision to a commit the range audit can read. A
// hash, a ref's name (looked up as git does) and the ~N and ^N steps after
// one are read here; any other spelling goes to go-git, as the whole
// audit's, which reads the pack indexes whole to resolve it.
func (g *rangeAudit) commit(rev string) (plumbing.Hash, error) {
	name, steps, ok := ancestry(rev)
	h, found := plumbing.ZeroHash, false
	if ok {
		h, found = g.ref(name)
	}
	if !found {
		var err error
		if h, err = g.a.resolve(rev); err != nil {
			return h, err // the whole audit would fail the same way
		}
		steps = nil
	}
	c, err := g.load(h)
	if err != nil {
		return h, err
	}
	for _, s := range steps {
		for range s.times {
			if s.parent > len(c.parents) {
				// Past the first commit: go-git's words for it.
				if _, err := g.a.resolve(rev); err != nil {
					return h, err
				}
				return h, errWholeAudit
			}
			h = c.parents[s.parent-1]
			if c, err = g.load(h); err != nil {
				return h, err
			}
		}
	}
	return h, nil
}

// step is one ~N (the first parent, N times) or ^N (the Nth parent,
// once; ^0 the commit itself) after a revision's name.
type step struct {
	parent, times int
}

// ancestry splits "NAME~3^2" into its name and steps; ok is false for a
// spelling it does not read.
func ancestry(rev string) (name string, steps []step, ok bool) {
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		return rev, nil, rev != "" && !strings.ContainsAny(rev, "@:{}")
	}
	name, rest := rev[:i], rev[i:]
	for rest != "" {
		op := rest[0]
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n := 1
		if j > 1 {
			v, err := strconv.Atoi(rest[1:j])
			if err != nil || v > 1<<20 {
				return "", nil, false
			}
			n = v
		}
		switch {
		case op == '~':
			steps = append(steps, step{parent: 1, times: n})
		case op == '^' && n == 0:
			// the commit itself
		case op == '^':
			steps = append(steps, step{parent: n, times: 1})
		default:
			return "", nil, false
		}
		rest = rest[j:]
	}
	return name, steps, name != "" && !strings.ContainsAny(name, "@:{}")
}

// ref looks a name up as git does: a full hash, HEAD, then refs/NAME,
// refs/tags/NAME, refs/heads/NAME, refs/remotes/NAME and
// refs/remotes/NAME/HEAD.
func (g *rangeAudit) ref(name string) (plumbing.Hash, bool) {
	if h, ok := parseHash([]byte(name)); ok {
		return h, true
	}
	if name == "HEAD" {
		head, err := g.a.repo.Head()
		return head.Hash(), err == nil
	}
	for _, rule := range plumbing.RefRevParseRules {
		r, err := g.a.repo.Reference(plumbing.ReferenceName(fmt.Sprintf(rule, name)), true)
		if err == nil {
			return r.Hash(), true
		}
	}
	return plumbing.ZeroHash, false
}

// push returns where a push's commits start and what the remote holds
// already, as audit.pushed and remoteHas read them.
func (g *rangeAudit) push(p Push) (tips, bases []plumbing.Hash, err error) {
	a := g.a
	local, ok := parseHash([]byte(p.Local))
	if !ok {
		if local, err = a.resolve(p.Local); err != nil {
			return nil, nil, err
		}
	}
	if _, err := g.load(local); err != nil {
		return nil, nil, err
	}
	if h, ok := parseHash([]byte(p.Remote)); ok {
		if _, err := g.load(h); err == nil {
			return []plumbing.Hash{local}, []plumbing.Hash{h}, nil
		}
	} else if p.Remote != "" {
		if h, err := a.resolve(p.Remote); err == nil {
			if _, err := g.load(h); err == nil {
				return []plumbing.Hash{local}, []plumbing.Hash{h}, nil
			}
		}
	}
	if !p.AllRemotes && (p.RemoteName == "" || !a.isRemote(p.RemoteName)) {
		return []plumbing.Hash{local}, nil, nil
	}
	tracking, err := a.trackingTips(p)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range tracking {
		if _, err := g.load(h); err != nil {
			return nil, nil, err
		}
	}
	return []plumbing.Hash{local}, tracking, nil
}

// load reads commit h into a.commits, with its message's findings, the
// first time. What is not a commit the Reader reads whole and as its hash
// says (a tag, a missing or damaged object) is left to the whole audit.
func (g *rangeAudit) load(h plumbing.Hash) (*commitInfo, error) {
	a := g.a
	if c, ok := a.commits[h]; ok {
		return c, nil
	}
	t, data, err := g.object(h)
	if err != nil || t != plumbing.CommitObject {
		return nil, errWholeAudit
	}
	c, msg, err := parseCommit(data)
	if err != nil {
		return nil, errWholeAudit
	}
	c.author, c.email = a.intern(c.author), a.intern(c.email)
	a.commits[h] = c
	if found := a.scanMessage(CommitMessagePath, msg); len(found) > 0 {
		a.messages[h] = found
	}
	return c, nil
}

// object reads an object and checks it against its hash.
func (g *rangeAudit) object(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	if g.read++; g.read > g.limit {
		return 0, nil, errWholeAudit
	}
	t, data, err := g.r.Read(h)
	if err != nil {
		return 0, nil, err
	}
	g.a.res.Bytes += int64(len(data))
	if plumbing.ComputeHash(t, data) != h {
		return 0, nil, errWholeAudit
	}
	return t, data, nil
}

// The walk's marks: reached from the range's tips, from its bases.
const (
	fromTip = 1 << iota
	fromBase
)

// skewSlack is how far a commit's date may run ahead of its parent's
// (clocks set wrong) without the walk stopping too early: a day.
const skewSlack = 24 * 60 * 60

// walk returns the commits reachable from tips and not from bases, and
// the commits it met that bases reach. It reads commits newest first and
// stops once every commit left to read is reachable from bases and older,
// by more than skewSlack, than every commit found in the range: nothing
// left can lead back into it.
func (g *rangeAudit) walk(tips, bases []plumbing.Hash) (selected, before map[plumbing.Hash]bool, err error) {
	marks := map[plumbing.Hash]uint8{}
	q := &commitQueue{a: g.a, newest: true}
	mark := func(h plumbing.Hash, m uint8) error {
		if marks[h]&m == m {
			return nil
		}
		if _, err := g.load(h); err != nil {
			return err
		}
		marks[h] |= m
		heap.Push(q, h)
		return nil
	}
	for _, h := range bases {
		if err := mark(h, fromBase); err != nil {
			return nil, nil, err
		}
	}
	for _, h := range tips {
		if err := mark(h, fromTip); err != nil {
			return nil, nil, err
		}
	}
	oldest := int64(1<<63 - 1) // the oldest commit in the range so far
	for q.Len() > 0 && !g.done(q, marks, oldest) {
		h := heap.Pop(q).(plumbing.Hash)
		m, c := marks[h], g.a.commits[h]
		if m == fromTip {
			oldest = min(oldest, c.commit)
		}
		// A commit the bases reach passes that on alone: what lies
		// behind it is the bases' too.
		pass := uint8(fromTip)
		if m&fromBase != 0 {
			pass = fromBase
		}
		for _, p := range c.parents {
			if err := mark(p, pass); err != nil {
				return nil, nil, err
			}
		}
	}
	selected, before = map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
	for h, m := range marks {
		if m&fromBase != 0 {
			before[h] = true
		} else {
			selected[h] = true
		}
	}
	return selected, before, nil
}

// done reports whether the walk may stop: every commit queued is the
// bases', and the newest of them is older than the range by the slack.
func (g *rangeAudit) done(q *commitQueue, marks map[plumbing.Hash]uint8, oldest int64) bool {
	for _, h := range q.items {
		if marks[h]&fromBase == 0 {
			return false
		}
	}
	return g.a.commits[q.items[0]].commit < oldest-skewSlack
}

// attribute tallies the range's secrets as audit.attribute does, from
// the files the range changed.
func (g *rangeAudit) attribute(ordered, boundary []plumbing.Hash) error {
	a := g.a
	g.bases[""] = []baseTree{} // none: a range from the first commit
	for _, h := range boundary {
		root := a.commits[h].tree
		entries, err := g.tree(root)
		if err != nil {
			return err
		}
		g.bases[""] = append(g.bases[""], baseTree{root, byName(entries)})
	}
	items := func(tree plumbing.Hash) ([]treeItem, error) { return g.changedUnder(tree, "") }
	before, err := g.heldBefore(ordered, boundary, items)
	if err != nil {
		return err
	}
	t := newTallies(before)
	if err := a.tallyCommits(t, ordered, items); err != nil {
		return err
	}
	inHead, err := g.headPlaces(t.paths(), ordered, boundary)
	if err != nil {
		return err
	}
	a.res.Findings = a.tallied(t, inHead)
	a.res.Blobs = g.scanned
	return nil
}

// heldBefore returns the fingerprints of the secrets the range's files
// and messages hold that the boundary's trees held already. The
// boundary's files at the paths where the range holds secrets are read
// first: a file edited beside the key it held is the common case. Only a
// secret they do not account for (one the range brings, or moved from
// another file) has the boundary's trees scanned whole.
func (g *rangeAudit) heldBefore(ordered, boundary []plumbing.Hash, items func(plumbing.Hash) ([]treeItem, error)) (map[string]bool, error) {
	a := g.a
	need, paths := map[string]bool{}, map[string]bool{}
	for _, h := range ordered {
		its, err := items(a.commits[h].tree)
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			if a.excluded(it.path) {
				continue
			}
			paths[it.path] = true
			for _, f := range it.findings {
				need[f.Fingerprint] = true
			}
		}
		if !a.excluded(CommitMessagePath) {
			for _, f := range a.messages[h] {
				need[f.Fingerprint] = true
			}
		}
	}
	before := map[string]bool{}
	if len(need) == 0 || len(boundary) == 0 {
		return before, nil
	}
	for _, h := range boundary {
		for _, p := range slices.Sorted(maps.Keys(paths)) {
			p, _, _ := strings.Cut(p, memberMark) // an archive's member: the archive
			blob, ok := g.fileIn(a.commits[h].tree, p)
			if !ok {
				continue
			}
			sc, err := g.look(blob, p)
			if err != nil {
				return nil, err
			}
			g.noteHeld(sc.findings, p, before)
		}
	}
	for fp := range need {
		if !before[fp] {
			for _, h := range boundary {
				if err := g.findingsIn(a.commits[h].tree, "", before); err != nil {
					return nil, err
				}
			}
			break
		}
	}
	return before, nil
}

// tree reads and parses a tree, once.
func (g *rangeAudit) tree(h plumbing.Hash) ([]treeEntry, error) {
	if t, ok := g.trees[h]; ok {
		return t, nil
	}
	typ, data, err := g.object(h)
	if err != nil || typ != plumbing.TreeObject {
		return nil, errWholeAudit
	}
	var entries []treeEntry
	if err := eachTreeEntry(data, func(e treeEntry) {
		e.name = bytes.Clone(e.name)
		entries = append(entries, e)
	}); err != nil {
		return nil, errWholeAudit // the whole audit names a malformed tree
	}
	g.trees[h] = entries
	return entries, nil
}

func byName(entries []treeEntry) map[string]treeEntry {
	m := make(map[string]treeEntry, len(entries))
	for _, e := range entries {
		m[string(e.name)] = e
	}
	return m
}

// isFile reports whether a tree entry is a file the audit scans: not a
// directory, a link or a submodule.
func isFile(mode uint32) bool {
	return mode != modeTree && mode != modeSymlink && mode != modeGitlink
}

// basesAt returns the boundary's trees at dir, reading them the first
// time.
func (g *rangeAudit) basesAt(dir string) ([]baseTree, error) {
	if b, ok := g.bases[dir]; ok {
		return b, nil
	}
	parent := path.Dir(dir)
	if parent == "." {
		parent = ""
	}
	parents, err := g.basesAt(parent)
	if err != nil {
		return nil, err
	}
	var out []baseTree
	for _, p := range parents {
		if e, ok := p.entries[path.Base(dir)]; ok && e.mode == modeTree {
			entries, err := g.tree(e.hash)
			if err != nil {
				return nil, err
			}
			out = append(out, baseTree{e.hash, byName(entries)})
		}
	}
	g.bases[dir] = out
	return out, nil
}

// changedUnder returns the files under tree, at dir, that no boundary
// tree holds at the same path, with what a scan finds in each (those with
// no finding left out), by path from the root.
func (g *rangeAudit) changedUnder(tree plumbing.Hash, dir string) ([]treeItem, error) {
	key := treeAt{tree, dir}
	if its, ok := g.changed[key]; ok {
		return its, nil
	}
	bases, err := g.basesAt(dir)
	if err != nil {
		return nil, err
	}
	var out []treeItem
	if !slices.ContainsFunc(bases, func(b baseTree) bool { return b.hash == tree }) {
		entries, err := g.tree(tree)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			p := path.Join(dir, string(e.name))
			switch {
			case e.mode == modeTree && !unchanged(bases, e):
				sub, err := g.changedUnder(e.hash, p)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			case isFile(e.mode) && !unchanged(bases, e):
				fs, err := g.scan(e.hash, p)
				if err != nil {
					return nil, err
				}
				if len(fs) > 0 {
					out = append(out, memberItems(p, fs)...)
				}
			}
		}
	}
	g.changed[key] = out
	return out, nil
}

// unchanged reports whether a boundary tree holds the entry e as it is:
// the same directory, or a file with the same content. Nothing under it
// then needs a look.
func unchanged(bases []baseTree, e treeEntry) bool {
	for _, b := range bases {
		if x, ok := b.entries[string(e.name)]; ok && x.hash == e.hash && (x.mode == modeTree) == (e.mode == modeTree) && isFile(x.mode) == isFile(e.mode) {
			return true
		}
	}
	return false
}

// scan returns what the detector finds in a blob under the name p, as the
// whole audit's blob pass scans it; a blob not scanned is listed once in
// the result's Skipped.
func (g *rangeAudit) scan(blob plumbing.Hash, p string) ([]detect.Finding, error) {
	sc, err := g.look(blob, p)
	if err != nil {
		return nil, err
	}
	if sc.why != "" && !g.skipped[blob] {
		g.skipped[blob] = true
		g.a.res.Skipped = append(g.a.res.Skipped, source.Skip{Path: p, Reason: sc.why + " (blob " + blob.String()[:12] + ")"})
	}
	return sc.findings, nil
}

// look is scan for a blob the range does not add: one at its boundary,
// or in a HEAD outside it. What it does not scan is not the range's to
// list.
func (g *rangeAudit) look(blob plumbing.Hash, p string) (scanned, error) {
	key := blobKind{blob, detect.KindOf(path.Base(p)), archive.FormatOf(p)}
	if sc, ok := g.scans[key]; ok {
		return sc, nil
	}
	sc := scanned{why: "binary, by its file name"}
	if !binaryName(path.Base(p)) {
		var err error
		if sc.findings, sc.why, err = g.scanBlob(blob, p); err != nil {
			return sc, err
		}
	}
	g.scans[key] = sc
	return sc, nil
}

// scanBlob reads a blob and scans it under the name p, or says why not.
func (g *rangeAudit) scanBlob(blob plumbing.Hash, p string) ([]detect.Finding, string, error) {
	a := g.a
	if g.read++; g.read > g.limit {
		return nil, "", errWholeAudit
	}
	t, size, data, err := g.r.ReadLimit(blob, a.opt.MaxFileSize)
	if err != nil || t != plumbing.BlobObject {
		return nil, "", errWholeAudit
	}
	if data == nil && size > a.opt.MaxFileSize {
		return nil, source.TooLarge(size, a.opt.MaxFileSize), nil
	}
	a.res.Bytes += int64(len(data))
	if f := archive.FormatOf(p); f != archive.None && archive.Looks(f, data) {
		fs, scanned, refused := archiveFindings(data, f, a.opt.Detector, a.opt)
		g.scanned += scanned
		return fs, refused, nil
	}
	text, ok := source.AsText(data)
	if !ok {
		return nil, "binary", nil
	}
	if !a.opt.Detector.MayHoldKey(text) {
		return nil, "", nil
	}
	g.scanned++
	// A blob has no Added lines to read, so scan cannot fail.
	// Under its file name alone, as the whole audit scans a blob.
	fs, _ := source.Fragment{Path: path.Base(p), Content: text}.Scan(a.opt.Detector, a.opt.Policy)
	return fs, "", nil
}

// findingsIn adds the fingerprints of every secret in tree (at dir) to
// out, outside the paths the policy excludes: what the range's start held.
func (g *rangeAudit) findingsIn(tree plumbing.Hash, dir string, out map[string]bool) error {
	entries, err := g.tree(tree)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := path.Join(dir, string(e.name))
		switch {
		case e.mode == modeTree:
			if err := g.findingsIn(e.hash, p, out); err != nil {
				return err
			}
		case isFile(e.mode) && !g.a.excluded(p):
			sc, err := g.look(e.hash, p)
			if err != nil {
				return err
			}
			g.noteHeld(sc.findings, p, out)
		}
	}
	return nil
}

// noteHeld adds to held the fingerprints of the findings in the file at
// p, leaving out an archive's members the policy excludes, as the whole
// audit's attribution does.
func (g *rangeAudit) noteHeld(fs []detect.Finding, p string, held map[string]bool) {
	for _, f := range fs {
		at := p
		if strings.HasPrefix(f.Path, memberMark) {
			at = p + f.Path
		}
		if !g.a.excluded(at) {
			held[f.Fingerprint] = true
		}
	}
}

// headPlaces returns where HEAD's tree holds each secret, as
// audit.headPlaces does: from the range's own files where HEAD is in the
// range, nowhere where HEAD is its boundary (which holds only secrets
// that came in before), and otherwise from HEAD's files at paths.
func (g *rangeAudit) headPlaces(paths []string, ordered, boundary []plumbing.Hash) (map[string][]detect.Location, error) {
	a := g.a
	out := map[string][]detect.Location{}
	ref, err := a.repo.Head()
	if err != nil {
		return out, nil // an empty repository, or an unborn branch
	}
	h := ref.Hash()
	if slices.Contains(boundary, h) {
		return out, nil
	}
	c, err := g.load(h)
	if err != nil {
		return nil, errWholeAudit // the whole audit knows HEAD's commit, or says why not
	}
	if slices.Contains(ordered, h) {
		its, err := g.changedUnder(c.tree, "")
		if err != nil {
			return nil, err
		}
		for _, it := range its {
			if !a.excluded(it.path) {
				notePlaces(out, it.path, it.findings)
			}
		}
		return out, nil
	}
	for _, p := range paths {
		if a.excluded(p) {
			continue
		}
		if blob, ok := g.fileIn(c.tree, p); ok {
			// What cannot be read holds none here: HEAD's place is a
			// courtesy to the reports, and the audit itself is done.
			sc, _ := g.look(blob, p)
			notePlaces(out, p, sc.findings)
		}
	}
	if g.read > g.limit {
		// The reads above ran out: what they did not read is not
		// known to be gone from HEAD.
		return nil, errWholeAudit
	}
	return out, nil
}

// fileIn finds the blob at path p in a tree.
func (g *rangeAudit) fileIn(tree plumbing.Hash, p string) (plumbing.Hash, bool) {
	dir, name := path.Split(p)
	for _, part := range splitDirs(dir) {
		entries, err := g.tree(tree)
		if err != nil {
			return plumbing.ZeroHash, false
		}
		e, ok := byName(entries)[part]
		if !ok || e.mode != modeTree {
			return plumbing.ZeroHash, false
		}
		tree = e.hash
	}
	entries, err := g.tree(tree)
	if err != nil {
		return plumbing.ZeroHash, false
	}
	e, ok := byName(entries)[name]
	return e.hash, ok && isFile(e.mode)
}

func splitDirs(dir string) []string {
	var out []string
	for _, part := range strings.Split(dir, "/") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}
