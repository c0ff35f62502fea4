package hooks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotRepository is returned when a directory is in no git repository.
var ErrNotRepository = errors.New("not in a git repository")

// repoDirs is where the parts of a repository are, as git finds them from
// a directory in it.
type repoDirs struct {
	gitDir    string // this worktree's git directory: HEAD, config.worktree
	commonDir string // shared by linked worktrees: config, hooks
	workTree  string // the work tree's root; "" in a bare repository
}

// findRepo finds the repository that holds dir the way git does, looking
// in dir and each parent for a .git directory, a .git file naming the git
// directory (a linked worktree, a submodule), or a bare repository. It
// reads the layout itself: go-git refuses to open repositories with
// extensions it does not know (extensions.worktreeConfig, which
// sparse-checkout sets), and the hooks directory does not depend on them.
func findRepo(dir string) (repoDirs, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return repoDirs{}, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if r, ok, err := dotGit(d); ok || err != nil {
			return r, err
		}
		if isGitDir(d) {
			r := repoDirs{gitDir: d, commonDir: commonDir(d)}
			if filepath.Base(d) == ".git" {
				r.workTree = filepath.Dir(d) // inside a work tree's .git
			}
			return r, nil
		}
		if filepath.Dir(d) == d {
			return repoDirs{}, fmt.Errorf("%s: %w", dir, ErrNotRepository)
		}
	}
}

// dotGit looks at d/.git: a git directory, or a file that names one.
func dotGit(d string) (repoDirs, bool, error) {
	p := filepath.Join(d, ".git")
	info, err := os.Stat(p)
	if err != nil {
		return repoDirs{}, false, nil
	}
	gitDir := p
	if !info.IsDir() {
		data, err := os.ReadFile(p)
		if err != nil {
			return repoDirs{}, false, fmt.Errorf("read %s: %w", p, err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		target, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
		if !ok {
			return repoDirs{}, false, fmt.Errorf("%s is neither a git directory nor a gitdir: link", p)
		}
		gitDir = strings.TrimSpace(target)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(d, gitDir)
		}
	}
	if !isGitDir(gitDir) {
		return repoDirs{}, false, nil
	}
	return repoDirs{gitDir: filepath.Clean(gitDir), commonDir: commonDir(gitDir), workTree: d}, true, nil
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
func (r repoDirs) branch() (name string, known bool) {
	if r.refStorage() == "reftable" {
		return "", false
	}
	data, err := os.ReadFile(filepath.Join(r.gitDir, "HEAD"))
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
func (r repoDirs) refStorage() string {
	data, err := os.ReadFile(filepath.Join(r.commonDir, "config"))
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
