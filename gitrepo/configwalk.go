package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
)

// Setting is a configuration variable's value and the file that set it
// ("" when unset).
type Setting struct {
	Value, File string
	// undecided names an includeIf condition djguard cannot evaluate under
	// which the value was set: then git may use another one.
	undecided string
}

// UndecidedError is a variable set under an includeIf condition djguard
// cannot evaluate: git may use that value or another.
type UndecidedError struct {
	Name, File, Condition string
}

func (e *UndecidedError) Error() string {
	return fmt.Sprintf("%s is set in %s, included under includeIf %q, a condition djguard cannot evaluate", e.Name, e.File, e.Condition)
}

// maxIncludeDepth is git's limit on nested includes.
const maxIncludeDepth = 10

// configFiles lists git's configuration files for a repository, lowest
// precedence first: the system's, the user's, the repository's, the
// worktree's.
func configFiles(repo Dirs) ([]string, error) {
	var files []string
	noSystem, err := parseBool(os.Getenv("GIT_CONFIG_NOSYSTEM"))
	if err != nil {
		return nil, fmt.Errorf("GIT_CONFIG_NOSYSTEM: %w", err)
	}
	if !noSystem {
		system, ok := os.LookupEnv("GIT_CONFIG_SYSTEM")
		if !ok {
			system = "/etc/gitconfig"
		}
		files = append(files, system)
	}
	if global, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		files = append(files, global) // instead of both user files
	} else {
		home := os.Getenv("HOME")
		xdg := os.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		}
		if home != "" {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
	}
	return append(files, filepath.Join(repo.CommonDir, "config")), nil
}

// configWalk reads configuration files in order, includes in place.
type configWalk struct {
	repo Dirs
	// section, subsection and key name the variable looked for, lower
	// case (subsection as written); found is its last setting.
	section, subsection, key string
	found                    Setting
	// worktreeConfig is extensions.worktreeConfig: the worktree's own
	// config.worktree is read last.
	worktreeConfig bool
}

// ConfigValue finds the variable name (section.key, or
// section.subsection.key) as git reads it for the repository of d: in the
// system, global, repository and worktree configuration in that order,
// the last setting winning, following include.path and includeIf
// (gitdir:, gitdir/i:, onbranch:). A value set under a condition djguard
// cannot evaluate is an *UndecidedError.
func ConfigValue(d Dirs, name string) (Setting, error) {
	w := &configWalk{repo: d}
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return Setting{}, fmt.Errorf("%q names no configuration variable (section.key)", name)
	}
	w.section, w.key = strings.ToLower(parts[0]), strings.ToLower(parts[len(parts)-1])
	w.subsection = strings.Join(parts[1:len(parts)-1], ".")
	repo := d
	files, err := configFiles(repo)
	if err != nil {
		return Setting{}, err
	}
	for _, f := range files {
		if err := w.file(f, 0, ""); err != nil {
			return Setting{}, err
		}
	}
	if w.worktreeConfig {
		if err := w.file(filepath.Join(repo.GitDir, "config.worktree"), 0, ""); err != nil {
			return Setting{}, err
		}
	}
	if s := w.found; s.undecided != "" {
		return Setting{}, &UndecidedError{Name: name, File: s.File, Condition: s.undecided}
	}
	return w.found, nil
}

// file reads one configuration file. undecided is the condition it was
// included under when djguard cannot tell whether git includes it.
func (w *configWalk) file(path string, depth int, undecided string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || path == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the git configuration %s: %w", path, err)
	}
	vars, err := parseConfig(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, v := range vars {
		if err := w.variable(path, v, depth, undecided); err != nil {
			return err
		}
	}
	return nil
}

func (w *configWalk) variable(path string, v configVar, depth int, undecided string) error {
	switch {
	case v.section == w.section && v.subsection == w.subsection && v.key == w.key:
		if v.bare {
			return fmt.Errorf("%s line %d: %s.%s has no value", path, v.line, v.section, v.key)
		}
		w.found = Setting{Value: v.value, File: path, undecided: undecided}
	case v.section == "extensions" && v.subsection == "" && v.key == "worktreeconfig" && path == filepath.Join(w.repo.CommonDir, "config"):
		// A repository format extension: only the repository's own
		// configuration sets it.
		on, err := parseBool(v.value)
		if err != nil && !v.bare {
			return fmt.Errorf("%s line %d: extensions.worktreeConfig: %w", path, v.line, err)
		}
		w.worktreeConfig = v.bare || on
	case v.section == "include" && v.subsection == "" && v.key == "path":
		return w.include(path, v, depth, undecided)
	case v.section == "includeif" && v.subsection != "" && v.key == "path":
		in, decided := w.condition(v.subsection, path)
		if !decided && undecided == "" {
			undecided = v.subsection
		}
		if in || !decided {
			return w.include(path, v, depth, undecided)
		}
	}
	return nil
}

// parseBool reads a boolean as git does (git-config(1), "Values"): true,
// yes and on, false, no, off and the empty string in any case, or an
// integer (decimal, 0x hexadecimal or 0 octal, with an optional k, m or g
// suffix), true when it is not zero. Git refuses anything else, and so
// does this.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	n := strings.TrimLeft(s, " \t\n\v\f\r") // as C's strtoimax
	if i := len(n) - 1; i >= 0 && strings.ContainsRune("kKmMgG", rune(n[i])) {
		n = n[:i]
	}
	sign := ""
	if n != "" && (n[0] == '-' || n[0] == '+') {
		sign, n = n[:1], n[1:]
	}
	base := 10
	switch {
	case len(n) > 2 && (n[:2] == "0x" || n[:2] == "0X"):
		base, n = 16, n[2:]
	case len(n) > 1 && n[0] == '0':
		base, n = 8, n[1:]
	}
	v, err := strconv.ParseInt(sign+n, base, 64)
	if err != nil {
		return false, fmt.Errorf("%q is not a boolean git reads", s)
	}
	return v != 0, nil
}

// include reads the file an include names, relative to the including
// file's directory; git skips one that does not exist.
func (w *configWalk) include(from string, v configVar, depth int, undecided string) error {
	if v.bare {
		return fmt.Errorf("%s line %d: %s.path has no value", from, v.line, v.section)
	}
	if depth >= maxIncludeDepth {
		return fmt.Errorf("%s line %d: includes nested more than %d deep; is there a cycle?", from, v.line, maxIncludeDepth)
	}
	p, err := ExpandPath(v.value)
	if err != nil {
		return fmt.Errorf("%s line %d: %w", from, v.line, err)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(from), p)
	}
	return w.file(p, depth+1, undecided)
}

// condition evaluates an includeIf condition. decided is false for one
// djguard cannot evaluate (hasconfig:, which depends on the whole
// configuration; onbranch: where the branch is in a reftable); git
// ignores conditions it does not know, and so does this.
func (w *configWalk) condition(cond, from string) (in, decided bool) {
	switch {
	case strings.HasPrefix(cond, "gitdir:"):
		return w.gitdirMatches(strings.TrimPrefix(cond, "gitdir:"), from, false)
	case strings.HasPrefix(cond, "gitdir/i:"):
		return w.gitdirMatches(strings.TrimPrefix(cond, "gitdir/i:"), from, true)
	case strings.HasPrefix(cond, "onbranch:"):
		b, known := w.repo.branch()
		if !known {
			return false, false
		}
		pattern := strings.TrimPrefix(cond, "onbranch:")
		if strings.HasSuffix(pattern, "/") {
			pattern += "**"
		}
		return b != "" && wildmatch(pattern, b, false), true
	case strings.HasPrefix(cond, "hasconfig:"):
		return false, false
	}
	return false, true
}

// gitdirMatches evaluates gitdir:PATTERN as git does: "~/" is the home
// directory (symbolic links resolved) and "~user/" that user's, "./" the
// including file's directory, a pattern that is not absolute matches at
// any depth ("**/" before it), one ending in "/" matches everything under
// it; the git directory is tried with symbolic links resolved, then as it
// is. The expanded directory is compared literally, so glob characters in
// it match only themselves. A "~" git cannot expand (no HOME, no such
// user) stays in the pattern as written. decided is false for git's
// "%(prefix)/", its installation directory, which djguard does not know.
func (w *configWalk) gitdirMatches(pattern, from string, fold bool) (in, decided bool) {
	prefix := ""
	switch {
	case strings.HasPrefix(pattern, "%(prefix)/"):
		return false, false
	case strings.HasPrefix(pattern, "~"):
		name, _, _ := strings.Cut(pattern[1:], "/")
		home, err := homeDir(name)
		if err != nil {
			pattern = "**/" + pattern // not absolute, as git leaves it
			break
		}
		if real, err := filepath.EvalSymlinks(home); err == nil && name == "" {
			home = real
		}
		prefix, pattern = filepath.ToSlash(filepath.Clean(home)), pattern[1+len(name):]
	case strings.HasPrefix(pattern, "./"):
		dir := filepath.Dir(from)
		if real, err := filepath.EvalSymlinks(from); err == nil {
			dir = filepath.Dir(real)
		}
		prefix, pattern = dir, pattern[1:]
	case !filepath.IsAbs(pattern):
		pattern = "**/" + pattern
	}
	if strings.HasSuffix(pattern, "/") {
		pattern += "**"
	}
	texts := []string{w.repo.GitDir}
	if real, err := filepath.EvalSymlinks(w.repo.GitDir); err == nil {
		texts = []string{real, w.repo.GitDir}
	}
	for _, text := range texts {
		text = filepath.ToSlash(text)
		if !hasPrefixFold(text, prefix, fold) {
			continue
		}
		if wildmatch(pattern, text[len(prefix):], fold) {
			return true, true
		}
	}
	return false, true
}

// hasPrefixFold reports whether s starts with prefix, ignoring the case
// of ASCII letters when fold is set, as git's strncasecmp does.
func hasPrefixFold(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if !fold {
		return s[:len(prefix)] == prefix
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != lowerASCII(prefix[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}

// configPath expands a path-valued setting as git does: "~/" and
// "~user/" to home directories. A value git would read in a way djguard
// cannot follow is an error rather than a guess.
func ExpandPath(v string) (string, error) {
	switch {
	case v == "":
		return "", errors.New("the path is empty")
	case strings.HasPrefix(v, "%(prefix)/"):
		return "", fmt.Errorf("%s is relative to git's installation, which djguard does not know", v)
	case strings.HasPrefix(v, "~"):
		name, rest, _ := strings.Cut(v[1:], "/")
		home, err := homeDir(name)
		if err != nil {
			return "", fmt.Errorf("%s: %w", v, err)
		}
		return filepath.Join(home, rest), nil
	}
	return v, nil
}

// homeDir is the home directory "~name" stands for: $HOME for an empty
// name, else the user's.
func homeDir(name string) (string, error) {
	if name == "" {
		home := os.Getenv("HOME")
		if home == "" {
			return "", errors.New("HOME is not set")
		}
		return home, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return "", err
	}
	return u.HomeDir, nil
}
