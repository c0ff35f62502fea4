package history

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
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

// pushed returns the commits the pushes send, and those the remote is
// known to hold already.
func (a *audit) pushed() (selected, there map[plumbing.Hash]bool, err error) {
	selected, there = map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
	for _, p := range a.opt.Pushes {
		local, err := a.pushedObject(p.Local)
		if err != nil {
			return nil, nil, err
		}
		// What a push sends through annotated tags is audited as a ref's
		// is: the tags' messages, and a tagged tree or blob on its own.
		if local, err = a.tip(p.Local, local); err != nil {
			return nil, nil, err
		}
		if _, ok := a.commits[local]; !ok {
			if !a.objects.has(local) {
				a.noteMissing(local, "commit", p.Local) // fails the audit
			}
			continue // a tag of a tree or a blob sends no commit
		}
		has, err := a.remoteHas(p)
		if err != nil {
			return nil, nil, err
		}
		for h := range has {
			there[h] = true
		}
		sent, err := a.reach([]plumbing.Hash{local}, has)
		if err != nil {
			return nil, nil, err
		}
		for h := range sent {
			selected[h] = true
		}
	}
	return selected, there, nil
}

// pushedObject resolves what a push sends: git's lines give hashes,
// pre-commit's variables hashes or ref names (those peeled).
func (a *audit) pushedObject(rev string) (plumbing.Hash, error) {
	if h, ok := parseHash([]byte(rev)); ok {
		return h, nil
	}
	return a.resolve(rev)
}

// remoteHas returns the commits the remote holds already, as far as the
// clone knows: those reachable from the ref's old value, or else from the
// remote's remote-tracking branches.
func (a *audit) remoteHas(p Push) (map[plumbing.Hash]bool, error) {
	if h, ok := parseHash([]byte(p.Remote)); ok {
		if _, known := a.commits[a.peel(h)]; known {
			return a.reach([]plumbing.Hash{a.peel(h)}, nil)
		}
	} else if p.Remote != "" {
		if h, err := a.resolve(p.Remote); err == nil && a.commits[h] != nil {
			return a.reach([]plumbing.Hash{h}, nil)
		}
	}
	if !p.AllRemotes && (p.RemoteName == "" || !a.isRemote(p.RemoteName)) {
		return nil, nil
	}
	tips, err := a.trackingTips(p)
	if err != nil {
		return nil, err
	}
	return a.reach(tips, nil)
}

// trackingTips returns the commits the remote-tracking branches of p's
// remote name, or of every remote. A ref of another remote whose name
// starts with this one's and a slash (origin/fork under origin) is not
// this remote's.
func (a *audit) trackingTips(p Push) ([]plumbing.Hash, error) {
	remotes, err := a.repo.Remotes()
	if err != nil {
		return nil, fmt.Errorf("list remotes: %w", err)
	}
	refs, err := a.repo.References()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var tips []plumbing.Hash
	err = refs.ForEach(func(r *plumbing.Reference) error {
		name := r.Name().String()
		if r.Type() != plumbing.HashReference || !strings.HasPrefix(name, "refs/remotes/") {
			return nil
		}
		if p.AllRemotes || ownerOf(name, remotes) == p.RemoteName {
			tips = append(tips, a.peel(r.Hash()))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	return tips, nil
}

// ownerOf returns the remote whose remote-tracking ref name is: the one
// with the longest name that the ref is under.
func ownerOf(ref string, remotes []*git.Remote) string {
	owner := ""
	for _, r := range remotes {
		n := r.Config().Name
		if strings.HasPrefix(ref, "refs/remotes/"+n+"/") && len(n) > len(owner) {
			owner = n
		}
	}
	return owner
}
