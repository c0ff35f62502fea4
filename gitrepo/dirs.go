package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Dirs is where the parts of a repository are, as git finds them from a
// directory in it.
type Dirs struct {
	GitDir    string // this worktree's git directory: HEAD, config.worktree
	CommonDir string // shared by linked worktrees: config, hooks
	WorkTree  string // the work tree's root; "" in a bare repository
}

// FindDirs finds the repository that holds dir the way git does, looking
// in dir and each parent for a .git directory, a .git file naming the git
// directory (a linked worktree, a submodule), or a bare repository. It
// reads the layout itself: go-git refuses to open repositories with
// extensions it does not know (extensions.worktreeConfig, which
// sparse-checkout sets), and the hooks directory does not depend on them.
func FindDirs(dir string) (Dirs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Dirs{}, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if r, ok, err := dotGit(d); ok || err != nil {
			return r, err
		}
		if isGitDir(d) {
			r := Dirs{GitDir: d, CommonDir: commonDir(d)}
			if filepath.Base(d) == ".git" {
				r.WorkTree = filepath.Dir(d) // inside a work tree's .git
			}
			return r, nil
		}
		if filepath.Dir(d) == d {
			return Dirs{}, fmt.Errorf("%s: %w", dir, ErrNotRepository)
		}
	}
}

// dotGit looks at d/.git: a git directory, or a file that names one.
func dotGit(d string) (Dirs, bool, error) {
	p := filepath.Join(d, ".git")
	info, err := os.Stat(p)
	if err != nil {
		return Dirs{}, false, nil
	}
	gitDir := p
	if !info.IsDir() {
		data, err := os.ReadFile(p)
		if err != nil {
			return Dirs{}, false, fmt.Errorf("read %s: %w", p, err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		target, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
		if !ok {
			return Dirs{}, false, fmt.Errorf("%s is neither a git directory nor a gitdir: link", p)
		}
		gitDir = strings.TrimSpace(target)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(d, gitDir)
		}
	}
	if !isGitDir(gitDir) {
		return Dirs{}, false, nil
	}
	return Dirs{GitDir: filepath.Clean(gitDir), CommonDir: commonDir(gitDir), WorkTree: d}, true, nil
}

// isGitDir reports whether d looks like a git directory: a HEAD file,
// and objects and refs where its common directory is.
func isGitDir(d string) bool {
	if info, err := os.Stat(filepath.Join(d, "HEAD")); err != nil || info.IsDir() {
		return false
	}
	c := commonDir(d)
	for _, sub := range []string{"objects", "refs"} {
		if info, err := os.Stat(filepath.Join(c, sub)); err != nil || !info.IsDir() {
			return false
		}
	}
	return true
}

// commonDir follows a linked worktree's git directory to the repository's
// own, where the configuration and the hooks live.
func commonDir(gitDir string) string {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return filepath.Clean(gitDir)
	}
	c := strings.TrimSpace(string(data))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitDir, c)
	}
	return filepath.Clean(c)
}

// branch is the branch checked out in the worktree, "" when HEAD is
// detached or unreadable. known is false when HEAD does not say: in a
// repository whose refs are in a reftable (extensions.refStorage), HEAD
// names the placeholder branch ".invalid" and the real one is in the
// reftable, which djguard does not read.
func (r Dirs) branch() (name string, known bool) {
	if r.refStorage() == "reftable" {
		return "", false
	}
	data, err := os.ReadFile(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return "", true
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "ref:")
	if !ok {
		return "", true
	}
	name, ok = strings.CutPrefix(strings.TrimSpace(ref), "refs/heads/")
	if !ok {
		return "", true
	}
	return name, name != ".invalid"
}

// refStorage is extensions.refStorage in lower case, "" when unset: a
// repository format extension, which git reads from the repository's own
// configuration file alone. A file djguard cannot parse counts as unset;
// reading the configuration reports it.
func (r Dirs) refStorage() string {
	data, err := os.ReadFile(filepath.Join(r.CommonDir, "config"))
	if err != nil {
		return ""
	}
	vars, err := parseConfig(data)
	if err != nil {
		return ""
	}
	storage := ""
	for _, v := range vars {
		if v.section == "extensions" && v.subsection == "" && v.key == "refstorage" {
			storage = strings.ToLower(v.value)
		}
	}
	return storage
}
