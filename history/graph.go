package history

import (
	"bufio"
	"bytes"
	"container/heap"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/gitdb"
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
				if err := a.checkHash(h); err != nil {
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

// checkHash reads object h and checks its content against its hash.
func (a *audit) checkHash(h plumbing.Hash) error {
	obj, err := a.st.EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	r, err := obj.Reader()
	if err != nil {
		return fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%w: object %s: %v", gitdb.ErrCorrupt, h, err)
	}
	if plumbing.ComputeHash(obj.Type(), data) != h {
		return fmt.Errorf("%w: %s %s does not match its hash", gitdb.ErrCorrupt, obj.Type(), h)
	}
	return nil
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
	return bytes.Compare(q.items[i][:], q.items[j][:]) < 0 // as their hex spellings compare
}
func (q *commitQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitQueue) Push(x any)    { q.items = append(q.items, x.(plumbing.Hash)) }
func (q *commitQueue) Pop() any {
	h := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return h
}
