// Package gitrepo finds and opens the git repository that holds a
// directory, with go-git, as git finds it: a .git directory or file in the
// directory or a parent, a linked worktree, a bare repository, and the
// extensions go-git alone refuses (worktreeConfig for sparse checkouts;
// SHA-256 object names get an error that says so).
package gitrepo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNotRepository is returned for a path that is in no git repository.
var ErrNotRepository = errors.New("not a git repository")

// Worktree is where a directory's git work tree starts, and the patterns
// of the repository's info/exclude.
type Worktree struct {
	Root    string   // absolute; the directory itself when it is in no repository
	Exclude []string // lines of info/exclude; nil outside a repository
	Index   string   // the index file; "" outside a repository
	GitDir  string   // where a split index's shared part is
}

// FindWorktree finds the git work tree that holds dir, with go-git: a
// .git directory or a .git file (a linked worktree or a submodule) in dir
// or any parent. Outside a repository the directory is its own root.
func FindWorktree(dir string) (Worktree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Worktree{}, err
	}
	repo, err := plainOpen(abs, true)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return Worktree{Root: abs}, nil
	}
	if err != nil {
		return Worktree{}, fmt.Errorf("open the git repository that holds %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if errors.Is(err, git.ErrIsBareRepository) {
		return Worktree{Root: abs}, nil
	}
	if err != nil {
		return Worktree{}, fmt.Errorf("find the work tree that holds %s: %w", dir, err)
	}
	w := Worktree{Root: wt.Filesystem.Root()}
	if st, ok := repo.Storer.(*filesystem.Storage); ok {
		w.GitDir = st.Filesystem().Root()
		w.Index = filepath.Join(w.GitDir, "index")
		if f, err := st.Filesystem().Open("info/exclude"); err == nil {
			data, err := io.ReadAll(io.LimitReader(f, 1<<20))
			f.Close()
			if err == nil {
				w.Exclude = strings.Split(string(data), "\n")
			}
		}
	}
	return w, nil
}

// Open opens the repository that holds dir: its work tree, a linked
// worktree, its .git directory or a bare repository.
func Open(dir string) (*git.Repository, error) {
	repo, err := plainOpen(dir, true)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// A bare repository has no .git to detect: it is one.
		repo, err = plainOpen(dir, false)
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
	wt, err := FindWorktree(dir)
	if err != nil {
		return dir
	}
	return wt.Root
}

// plainOpen opens the repository at dir as git.PlainOpenWithOptions does,
// with detect looking for .git in dir and its parents, and linked
// worktrees followed to their common directory. It also opens a repository
// with extensions.worktreeConfig, which 'git sparse-checkout' turns on and
// go-git refuses: that extension only lets each worktree keep settings in
// its own config.worktree, and djguard's reads of objects, refs and the
// index depend on none of them. Any other extension go-git does not know
// is still refused.
func plainOpen(dir string, detect bool) (*git.Repository, error) {
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: detect, EnableDotGitCommonDir: true})
	if !errors.Is(err, git.ErrUnknownExtension) && !errors.Is(err, git.ErrUnsupportedExtensionRepositoryFormatVersion) {
		return repo, err
	}
	dot, wt, ferr := repoFilesystems(dir, detect)
	if ferr != nil {
		return nil, err
	}
	st := filesystem.NewStorage(dot, cache.NewObjectLRUDefault())
	repo, err = openStorage(st, wt)
	if err != nil && objectFormat(st) != "" && !strings.EqualFold(objectFormat(st), "sha1") {
		return nil, fmt.Errorf("%w (extensions.objectFormat = %s)", ErrObjectFormat, objectFormat(st))
	}
	return repo, err
}

// ErrObjectFormat is returned for a repository whose objects are named by
// another hash than SHA-1 (git init --object-format=sha256): go-git, and so
// djguard, reads SHA-1 repositories only.
var ErrObjectFormat = errors.New("djguard reads only repositories whose objects are named by SHA-1, and this one uses another hash")

// objectFormat returns the repository's extensions.objectFormat; "" when
// it sets none (SHA-1).
func objectFormat(st *filesystem.Storage) string {
	cfg, err := st.Config()
	if err != nil || cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return ""
	}
	return cfg.Raw.Section("extensions").Option("objectformat")
}

// openStorage is git.Open, letting extensions.worktreeConfig pass (see
// plainOpen). wt is nil for a bare repository.
func openStorage(st *filesystem.Storage, wt billy.Filesystem) (*git.Repository, error) {
	repo, err := git.Open(worktreeConfigStorage{st}, wt)
	if err != nil {
		return nil, err
	}
	// go-git checks extensions only when it opens a repository: from here
	// on, the storage is the plain one the rest of djguard expects.
	repo.Storer = st
	return repo, nil
}

// worktreeConfigStorage hides extensions.worktreeConfig from go-git's
// check of the repository's extensions.
type worktreeConfigStorage struct{ *filesystem.Storage }

func (s worktreeConfigStorage) Config() (*config.Config, error) {
	cfg, err := s.Storage.Config()
	if err == nil && cfg.Raw != nil && cfg.Raw.HasSection("extensions") {
		cfg.Raw.Section("extensions").RemoveOption("worktreeConfig")
	}
	return cfg, err
}

// repoFilesystems finds the git directory and the work tree (nil in a
// bare repository) of the repository at dir the way
// git.PlainOpenWithOptions does: a .git directory, or a .git file naming
// the git directory, in dir or (with detect) a parent; without detect and
// without .git, dir is a bare repository. A linked worktree's git
// directory is joined with the common directory its commondir names.
func repoFilesystems(dir string, detect bool) (dot, wt billy.Filesystem, err error) {
	path, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	if info, err := os.Stat(path); err == nil && !info.IsDir() && detect {
		path = filepath.Dir(path)
	}
	var info os.FileInfo
	for {
		info, err = os.Stat(filepath.Join(path, ".git"))
		if err == nil {
			break
		}
		if !os.IsNotExist(err) {
			return nil, nil, err
		}
		if !detect {
			return withCommonDir(path, nil)
		}
		parent := filepath.Dir(path)
		if parent == path {
			return nil, nil, git.ErrRepositoryNotExists
		}
		path = parent
	}
	gitDir := filepath.Join(path, ".git")
	if !info.IsDir() {
		data, err := os.ReadFile(gitDir)
		if err != nil {
			return nil, nil, err
		}
		line, _, _ := strings.Cut(string(data), "\n")
		target, ok := strings.CutPrefix(line, "gitdir: ")
		if !ok {
			return nil, nil, fmt.Errorf("%s has no gitdir: line", gitDir)
		}
		gitDir = strings.TrimSpace(target)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(path, gitDir)
		}
	}
	return withCommonDir(gitDir, osfs.New(path))
}

// withCommonDir returns the git directory gitDir, joined with the common
// directory its commondir file names, if any, and wt.
func withCommonDir(gitDir string, wt billy.Filesystem) (billy.Filesystem, billy.Filesystem, error) {
	dot := osfs.New(gitDir)
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if os.IsNotExist(err) {
		return dot, wt, nil
	}
	if err != nil {
		return nil, nil, err
	}
	common := strings.TrimSpace(string(data))
	if !filepath.IsAbs(common) {
		common = filepath.Join(gitDir, common)
	}
	return dotgit.NewRepositoryFilesystem(dot, osfs.New(common)), wt, nil
}

// OpenForReads opens the repository that holds dir for many object reads:
// pack files stay open between reads (go-git otherwise reopens one for
// every object). The returned function closes them.
func OpenForReads(dir string) (*git.Repository, func(), error) {
	repo, err := Open(dir)
	if err != nil {
		return nil, nil, err
	}
	st, ok := repo.Storer.(*filesystem.Storage)
	wt, wtErr := repo.Worktree()
	if !ok || wtErr != nil {
		return repo, func() {}, nil
	}
	kept := filesystem.NewStorageWithOptions(st.Filesystem(), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true, ExclusiveAccess: true})
	fast, err := openStorage(kept, wt.Filesystem)
	if err != nil {
		return nil, nil, fmt.Errorf("open the repository at %s: %w", dir, err)
	}
	return fast, func() { kept.Close() }, nil
}
