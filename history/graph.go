package history

import (
	"bytes"
	"container/heap"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
)

// Which commits a history audit covers, and in what order: every ref, the
// stash and a detached HEAD, less what --since or --branch leave out,
// parents before children.

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

// tips returns the objects the audit starts from, peeled: every ref,
// HEAD (this worktree's and every linked worktree's), and every object a
// reflog records (the stash's older entries, commits amended away); or
// the one ref of opt.Branch. What a ref names that is no commit (a tag
// of a blob or a tree) is kept in a.refObjects, to be scanned on its
// own; the annotated tags on the way, in a.refTags. What a reflog names
// and the repository no longer holds is counted in the result's notes:
// reflogs outlive nothing git prunes, so that is rare.
func (a *audit) tips() ([]plumbing.Hash, error) {
	if a.opt.Branch != "" {
		ref, err := a.findRef(a.opt.Branch)
		if err != nil {
			return nil, err
		}
		h, err := a.tip(ref.Name().String(), ref.Hash())
		return []plumbing.Hash{h}, err
	}
	var tips []plumbing.Hash
	add := func(name string, h plumbing.Hash) error {
		t, err := a.tip(name, h)
		tips = append(tips, t)
		return err
	}
	refs, err := a.repo.References()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	err = refs.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference && !notARef(r.Name().String()) {
			return add(r.Name().String(), r.Hash())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	if head, err := a.repo.Head(); err == nil {
		if err := add("HEAD", head.Hash()); err != nil {
			return nil, err
		}
	}
	heads, err := a.worktreeHeads()
	if err != nil {
		return nil, err
	}
	for name, h := range heads {
		if err := add(name, h); err != nil {
			return nil, err
		}
	}
	logged, err := a.reflogTips()
	if err != nil {
		return nil, err
	}
	for _, r := range logged {
		if err := add(r.ref, r.hash); err != nil {
			return nil, err
		}
	}
	return tips, nil
}

// notARef reports whether go-git lists as a ref a file git passes over: a
// dot file (a .DS_Store in refs/heads) or a lock (NAME.lock).
func notARef(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return true
		}
	}
	return false
}

// namedObject is an object and the ref that names it; for a blob or a
// tree a ref names, its number, whether it is a tree, and (for a blob)
// the number of the file name it is scanned under: the ref's last part.
type namedObject struct {
	ref  string
	hash plumbing.Hash
	id   uint32
	tree bool
	name uint32
}

// tip peels what ref names and, when that is a blob or a tree, keeps it
// to be scanned on its own.
func (a *audit) tip(ref string, h plumbing.Hash) (plumbing.Hash, error) {
	h, tags := a.peelTags(h)
	for _, t := range tags {
		a.refTags[t] = true
	}
	if _, ok := a.commits[h]; ok || !a.objects.has(h) || a.refNamed[h] {
		return h, nil
	}
	typ, err := a.checkHash(h)
	if err != nil {
		return h, objectsError(err)
	}
	if typ == plumbing.BlobObject || typ == plumbing.TreeObject {
		a.refNamed[h] = true
		a.refObjects = append(a.refObjects, namedObject{ref: ref, hash: h})
	}
	return h, nil
}

// worktreeHeads returns the HEAD of every linked worktree that names a
// commit itself (detached): a branch a HEAD names is a ref already.
func (a *audit) worktreeHeads() (map[string]plumbing.Hash, error) {
	fs := a.st.Filesystem()
	infos, err := fs.ReadDir("worktrees")
	if err != nil {
		return nil, nil // no linked worktree
	}
	out := map[string]plumbing.Hash{}
	for _, info := range infos {
		head := path.Join("worktrees", info.Name(), "HEAD")
		f, err := fs.Open(head)
		if err != nil {
			continue // a worktree being removed
		}
		data, err := io.ReadAll(io.LimitReader(f, 256))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", head, err)
		}
		if h, ok := parseHash(bytes.TrimSpace(data)); ok {
			out[head] = h
		}
	}
	return out, nil
}

// reflogTips returns what every reflog records, of this worktree and of
// linked ones, that the repository still holds.
func (a *audit) reflogTips() ([]namedObject, error) {
	fs := a.st.Filesystem()
	names, err := gitrepo.Reflogs(fs)
	if err != nil {
		return nil, err
	}
	var out []namedObject
	gone, bad := 0, 0
	for _, name := range names {
		objs, n, err := gitrepo.Reflog(fs, name)
		if err != nil {
			return nil, err
		}
		bad += n
		for _, h := range objs {
			if !a.objects.has(h) {
				gone++
				continue
			}
			out = append(out, namedObject{ref: name, hash: h})
		}
	}
	if gone > 0 {
		a.res.Notes = append(a.res.Notes, fmt.Sprintf("reflog entries name %s the repository no longer holds; they were not audited ('git reflog expire --expire-unreachable=now --all' drops such entries)", plural(gone, "object")))
	}
	if bad > 0 {
		a.res.Notes = append(a.res.Notes, fmt.Sprintf("%s of the reflogs could not be read as reflog entries; what they name was not audited", plural(bad, "line")))
	}
	return out, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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

// peel follows annotated tags to the object they name.
func (a *audit) peel(h plumbing.Hash) plumbing.Hash {
	h, _ = a.peelTags(h)
	return h
}

// peelTags follows annotated tags, however deeply nested, to the object
// they name, and returns the tags on the way. A tag is read only when its
// content matches its hash, so tags cannot form a cycle; the bound is for
// damage all the same.
func (a *audit) peelTags(h plumbing.Hash) (plumbing.Hash, []plumbing.Hash) {
	var tags []plumbing.Hash
	for range len(a.tags) + 1 {
		target, ok := a.tags[h]
		if !ok {
			break
		}
		tags = append(tags, h)
		h = target
	}
	return h, tags
}

// selection returns the commits the audit covers, and those the range
// leaves out as there before it (nil for a full audit): with a range
// "REV", every ref's commits less those reachable from REV; with
// "REV1..REV2", REV2's less REV1's; with pushes, what they send less what
// the remote holds.
func (a *audit) selection() (selected, before map[plumbing.Hash]bool, err error) {
	if len(a.opt.Pushes) > 0 {
		return a.pushed()
	}
	if a.opt.Range == "" {
		tips, err := a.tips()
		if err != nil {
			return nil, nil, err
		}
		selected, err := a.reach(tips, nil)
		return selected, nil, err
	}
	var tips []plumbing.Hash
	from, to, ranged := strings.Cut(a.opt.Range, "..")
	switch {
	case ranged && to == "", !ranged && a.hasWorkTreeHead():
		to = "HEAD" // a pull request's audit: what HEAD adds to the base
		fallthrough
	case ranged:
		h, err := a.resolve(to)
		if err != nil {
			return nil, nil, err
		}
		tips = []plumbing.Hash{h}
	default: // a bare repository: every ref
		if tips, err = a.tips(); err != nil {
			return nil, nil, err
		}
	}
	h, err := a.resolve(from)
	if err != nil {
		return nil, nil, err
	}
	if before, err = a.reach([]plumbing.Hash{h}, nil); err != nil {
		return nil, nil, err
	}
	selected, err = a.reach(tips, before)
	return selected, before, err
}

// isRemote reports whether name is one of the repository's remotes.
func (a *audit) isRemote(name string) bool {
	_, err := a.repo.Remote(name)
	return err == nil
}

// hasWorkTreeHead reports whether the repository has a work tree whose
// HEAD names a commit: then --since REV audits REV..HEAD.
func (a *audit) hasWorkTreeHead() bool {
	if _, err := a.repo.Worktree(); err != nil {
		return false
	}
	_, err := a.repo.ResolveRevision(plumbing.Revision("HEAD"))
	return err == nil
}

// boundary returns the commits the audit stops at: the parents of
// selected commits that the range leaves out as there before it (a pull
// request's merge base, what the remote already holds). Their trees tell
// what was there before. A shallow commit's parents count when the clone
// holds them (a base fetched on its own, as CI checkouts do).
func (a *audit) boundary(selected, before map[plumbing.Hash]bool) []plumbing.Hash {
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	for h := range selected {
		for _, p := range a.commits[h].parents {
			if before[p] && !seen[p] && a.commits[p] != nil {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i][:], out[j][:]) < 0 })
	return out
}

func (a *audit) resolve(rev string) (plumbing.Hash, error) {
	h, err := a.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		if remote, branch, ok := strings.Cut(rev, "/"); ok && a.isRemote(remote) {
			return plumbing.ZeroHash, fmt.Errorf("%s is not in this clone: fetch it first (git fetch %s %s:refs/remotes/%s; in GitHub Actions, actions/checkout with fetch-depth: 0)", rev, remote, branch, rev)
		}
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	return a.peel(*h), nil
}

// reach returns the commits reachable from tips, not entering exclude,
// and records missing commits that are not at a shallow boundary. A
// commit the repository holds as another kind of object is damage: an
// error.
func (a *audit) reach(tips []plumbing.Hash, exclude map[plumbing.Hash]bool) (map[plumbing.Hash]bool, error) {
	seen := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	parents := map[plumbing.Hash]bool{}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || exclude[h] {
			continue
		}
		c, ok := a.commits[h]
		if !ok {
			switch {
			case !a.objects.has(h):
				a.noteMissing(h, "commit", "") // not a ref to a tree or a blob either
			case parents[h]:
				// A parent the repository holds as something else.
				return nil, objectsError(fmt.Errorf("%w: commit %s is stored as another kind of object", gitdb.ErrCorrupt, h))
			default:
				// A ref to a tree or a blob is rare, and so is one to a
				// commit whose type was damaged into a blob's, which
				// the first pass (that reads no blob) cannot tell: the
				// object is read and checked against its hash.
				if _, err := a.checkHash(h); err != nil {
					return nil, objectsError(err)
				}
			}
			continue
		}
		seen[h] = true
		if a.shallow[h] {
			continue // its parents were never fetched
		}
		for _, p := range c.parents {
			parents[p] = true
		}
		stack = append(stack, c.parents...)
	}
	return seen, nil
}

// checkHash reads object h, checks its content against its hash, and
// returns its type.
func (a *audit) checkHash(h plumbing.Hash) (plumbing.ObjectType, error) {
	obj, err := a.st.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return 0, fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return 0, fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	if plumbing.ComputeHash(obj.Type(), data) != h {
		return 0, fmt.Errorf("%w: %s %s does not match its hash", gitdb.ErrCorrupt, obj.Type(), h)
	}
	return obj.Type(), nil
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

// commitQueue is a heap of commits by committer time, then hash: oldest
// first, or, with newest set, newest first.
type commitQueue struct {
	a      *audit
	items  []plumbing.Hash
	newest bool
}

func (q *commitQueue) Len() int { return len(q.items) }
func (q *commitQueue) Less(i, j int) bool {
	ci, cj := q.a.commits[q.items[i]], q.a.commits[q.items[j]]
	if ci.commit != cj.commit {
		return (ci.commit < cj.commit) != q.newest
	}
	return bytes.Compare(q.items[i][:], q.items[j][:]) < 0 // as their hex spellings compare
}
func (q *commitQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitQueue) Push(x any)    { q.items = append(q.items, x.(plumbing.Hash)) }
func (q *commitQueue) Pop() any {
	h := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return h
}
