package main

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/history"
)

// pushes says what a --pre-push audit of the repository at dir covers.
// git's own lines come first: pre-commit's variables may be inherited from
// a shell that ran it.
func pushes(cfg scanConfig, e env, dir string) ([]history.Push, error) {
	if cfg.remote != "" {
		if e.stdin == nil {
			return nil, nil
		}
		return history.ReadPushLines(e.stdin, cfg.remote)
	}
	if p, ok := history.PushesFromPreCommit(e.getenv); ok {
		return p, nil
	}
	// Run by hand: what 'git push' of HEAD would send. A branch with no
	// commit yet sends nothing (git refuses the push before its hook
	// runs), so there is nothing to audit.
	if unbornHead(dir) {
		fmt.Fprintln(e.stderr, "djguard: nothing to push: HEAD has no commit yet, so no commit is audited")
		return nil, nil
	}
	return []history.Push{{Local: "HEAD", AllRemotes: true}}, nil
}

// unbornHead reports whether the repository at dir is on a branch with no
// commit yet. Any other failure is left for the audit to report.
func unbornHead(dir string) bool {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return false
	}
	_, err = repo.Head()
	return errors.Is(err, plumbing.ErrReferenceNotFound)
}
