package hooks

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/djguard/djguard/gitrepo"
)

// Dir returns the hooks directory git uses for the repository that holds
// dir: core.hooksPath when set, else the hooks folder of the repository's
// common git directory, which linked worktrees share. core.hooksPath is
// looked up as git does, in the system, global, repository and worktree
// configuration in that order, the last setting winning, following
// include.path and includeIf (gitdir:, gitdir/i:, onbranch:). A relative
// core.hooksPath is taken from the work tree's root, where git runs hooks
// (the git directory in a bare repository).
func Dir(dir string) (string, error) {
	repo, err := gitrepo.FindDirs(dir)
	if err != nil {
		return "", err
	}
	s, err := gitrepo.ConfigValue(repo, "core.hooksPath")
	if u := (*gitrepo.UndecidedError)(nil); errors.As(err, &u) {
		return "", fmt.Errorf("%w; set core.hooksPath in the repository (git config core.hooksPath DIR) or install the hook by hand", err)
	}
	if err != nil {
		return "", err
	}
	if s.File == "" {
		return filepath.Join(repo.CommonDir, "hooks"), nil
	}
	hp, err := gitrepo.ExpandPath(s.Value)
	if err != nil {
		return "", fmt.Errorf("core.hooksPath in %s: %w", s.File, err)
	}
	if !filepath.IsAbs(hp) {
		base := repo.WorkTree
		if base == "" {
			base = repo.GitDir
		}
		hp = filepath.Join(base, hp)
	}
	return filepath.Clean(hp), nil
}
