package source

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// worktree is where a directory's git work tree starts, and the patterns
// of the repository's info/exclude.
type worktree struct {
	root    string   // absolute; the directory itself when it is in no repository
	exclude []string // lines of info/exclude; nil outside a repository
	index   string   // the index file; "" outside a repository
	gitDir  string   // where a split index's shared part is
}

// findWorktree finds the git work tree that holds dir, with go-git: a
// .git directory or a .git file (a linked worktree or a submodule) in dir
// or any parent. Outside a repository the directory is its own root.
func findWorktree(dir string) (worktree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return worktree{}, err
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return worktree{root: abs}, nil
	}
	if err != nil {
		return worktree{}, fmt.Errorf("open the git repository that holds %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if errors.Is(err, git.ErrIsBareRepository) {
		return worktree{root: abs}, nil
	}
	if err != nil {
		return worktree{}, fmt.Errorf("find the work tree that holds %s: %w", dir, err)
	}
	w := worktree{root: wt.Filesystem.Root()}
	if st, ok := repo.Storer.(*filesystem.Storage); ok {
		w.gitDir = st.Filesystem().Root()
		w.index = filepath.Join(w.gitDir, "index")
		if f, err := st.Filesystem().Open("info/exclude"); err == nil {
			data, err := io.ReadAll(io.LimitReader(f, 1<<20))
			f.Close()
			if err == nil {
				w.exclude = strings.Split(string(data), "\n")
			}
		}
	}
	return w, nil
}

// openRepo opens the repository that holds dir: its work tree, a linked
// worktree, its .git directory or a bare repository.
func openRepo(dir string) (*git.Repository, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// A bare repository has no .git to detect: it is one.
		repo, err = git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("open the repository at %s: %w", dir, err)
	}
	return repo, nil
}

// WorkTreeRoot returns the root of the git work tree that holds dir, or
// dir itself when it is in no work tree.
func WorkTreeRoot(dir string) string {
	wt, err := findWorktree(dir)
	if err != nil {
		return dir
	}
	return wt.root
}
