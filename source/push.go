package source

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Push is one ref a push updates, as git's pre-push hook is told of it.
// The commits it sends are those reachable from Local and not from
// Remote. Where the clone does not hold Remote — a new ref, or a ref
// someone else moved since the last fetch — they are those on no
// remote-tracking branch of RemoteName: what the remote is known to have.
type Push struct {
	Local  string // the commit or tag pushed
	Remote string // what the remote ref holds now; "" for a new ref
	// RemoteName is the remote pushed to, when it is one of the clone's
	// remotes; "" (a push to a URL) means nothing is known to be there.
	RemoteName string
	// AllRemotes takes what every remote's remote-tracking branches hold
	// as there already: where the remote is not known (a manual run).
	AllRemotes bool
}

// pushed returns the commits the pushes send.
func (a *audit) pushed() (map[plumbing.Hash]bool, error) {
	selected := map[plumbing.Hash]bool{}
	for _, p := range a.opt.Pushes {
		local, err := a.resolve(p.Local)
		if err != nil {
			return nil, err
		}
		if _, ok := a.commits[local]; !ok {
			continue // a tag of a tree or a blob sends no commit
		}
		there, err := a.remoteHas(p)
		if err != nil {
			return nil, err
		}
		for h := range a.reach([]plumbing.Hash{local}, there) {
			selected[h] = true
		}
	}
	return selected, nil
}

// remoteHas returns the commits the remote holds already, as far as the
// clone knows: those reachable from the ref's old value, or else from the
// remote's remote-tracking branches.
func (a *audit) remoteHas(p Push) (map[plumbing.Hash]bool, error) {
	if p.Remote != "" {
		if h, err := a.repo.ResolveRevision(plumbing.Revision(p.Remote)); err == nil {
			if _, ok := a.commits[a.peel(*h)]; ok {
				return a.reach([]plumbing.Hash{a.peel(*h)}, nil), nil
			}
		}
	}
	prefix := "refs/remotes/"
	switch {
	case p.AllRemotes:
	case p.RemoteName != "" && a.isRemote(p.RemoteName):
		prefix += p.RemoteName + "/"
	default:
		return nil, nil
	}
	refs, err := a.repo.References()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var tips []plumbing.Hash
	err = refs.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference && strings.HasPrefix(r.Name().String(), prefix) {
			tips = append(tips, a.peel(r.Hash()))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	return a.reach(tips, nil), nil
}
