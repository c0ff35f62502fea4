package testenv

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// GitRepo builds a repository with go-git, one commit at a time, with
// fixed authors and times, for tests that need no git binary.
type GitRepo struct {
	T        testing.TB
	Dir      string
	Repo     *git.Repository
	Worktree *git.Worktree
	n        int
}

// NewGitRepo makes an empty repository in a temporary directory.
func NewGitRepo(t testing.TB) *GitRepo {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &GitRepo{T: t, Dir: dir, Repo: repo, Worktree: wt}
}

// Commit writes files (an empty content deletes the file) and commits
// them on the current branch, an hour after the commit before.
func (g *GitRepo) Commit(msg string, files map[string]string) plumbing.Hash {
	g.T.Helper()
	for name, content := range files {
		p := filepath.Join(g.Dir, filepath.FromSlash(name))
		if content == "" {
			if _, err := g.Worktree.Remove(name); err != nil {
				g.T.Fatal(err)
			}
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			g.T.Fatal(err)
		}
		if _, err := g.Worktree.Add(name); err != nil {
			g.T.Fatal(err)
		}
	}
	g.n++
	when := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.n) * time.Hour)
	sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: when}
	h, err := g.Worktree.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		g.T.Fatal(err)
	}
	return h
}

// Checkout switches to branch, creating it at HEAD when create is set.
func (g *GitRepo) Checkout(branch string, create bool) {
	g.T.Helper()
	if err := g.Worktree.Checkout(&git.CheckoutOptions{Branch: plumbing.NewBranchReferenceName(branch), Create: create}); err != nil {
		g.T.Fatal(err)
	}
}
