// Package hooks installs and removes djguard's native git hooks, pre-commit
// and pre-push, in the hooks directory git really uses, chaining a hook
// that was there before and restoring it on removal.
package hooks

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/internal/shell"
)

//go:embed hook.sh
var template string

// Hook is one of the git hooks djguard installs.
type Hook int

const (
	// PreCommit refuses a commit that adds a key: the staged lines.
	PreCommit Hook = iota
	// PrePush refuses a push whose commits add a key, from git's lines
	// on standard input and the remote's name in $1.
	PrePush
)

// hookSpec is what the script of a Hook says and does.
type hookSpec struct {
	name string // git's name for it, and the file's
	flag string // the install flag that chooses it
	what string // what it refuses
	// run is the script's last line: it runs djguard. stdin says git
	// writes to the hook's standard input, which the script passes on.
	run   string
	stdin bool
}

var specs = [...]hookSpec{
	PreCommit: {name: "pre-commit", what: "a commit", run: `exec "$djguard" scan --staged`},
	PrePush: {name: "pre-push", flag: " --pre-push", what: "a push", stdin: true,
		run: `printf '%s' "$input" | "$djguard" scan --pre-push --remote="$1"`},
}

// Name is git's name for the hook, which is also its file's.
func (h Hook) Name() string { return specs[h].name }

// marker identifies a hook djguard wrote.
func (h Hook) marker() string { return "# djguard " + h.Name() + " hook" }

func (h Hook) chainedName() string { return h.Name() + ".djguard-chained" }

// Result says what Install or Uninstall did.
type Result struct {
	Path    string // the hook's path
	Changed bool   // false when there was nothing to do
	Chained bool   // a hook that was there before runs first (Install) or was put back (Uninstall)
}

// ErrNotOurs is returned when the hook in place was not written by
// djguard: Uninstall leaves it alone.
var ErrNotOurs = errors.New("the hook was not installed by djguard")

// Script returns the hook's text. binary is the djguard it runs, recorded
// so that the hook works when the PATH at commit time lacks it; "" means
// PATH alone.
func Script(h Hook, binary string) string {
	shown := binary
	if shown == "" {
		shown = "(no recorded path)"
	}
	// Both go in as single-quoted shell words: a path holding $(...),
	// backquotes or quotes stays text. One pass: a path that holds a
	// placeholder must not be substituted again, out of its quotes.
	stdin := "0"
	spec := specs[h]
	if spec.stdin {
		stdin = "1"
	}
	return strings.NewReplacer(
		"@DJGUARD_SHOWN@", shell.Quote(strings.ReplaceAll(shown, "\n", " ")),
		"@DJGUARD@", shell.Quote(binary),
		"@HOOK@", spec.name,
		"@FLAG@", spec.flag,
		"@WHAT@", spec.what,
		"@STDIN@", stdin,
		"@RUN@", spec.run,
	).Replace(template)
}

// Install writes djguard's hook h into the hooks directory of the
// repository that holds dir. A hook already there is kept: renamed to
// NAME.djguard-chained, it runs first. Installing again only updates the
// recorded binary; nothing else changes.
func Install(dir string, h Hook, binary string) (Result, error) {
	hooksDir, err := Dir(dir)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(hooksDir, 0o755); err != nil {
		return Result{}, fmt.Errorf("create %s: %w", hooksDir, err)
	}
	target := filepath.Join(hooksDir, h.Name())
	chained := filepath.Join(hooksDir, h.chainedName())
	res := Result{Path: target}
	want := Script(h, binary)
	existing, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Lstat(target); err == nil {
			// A dangling link: keep it too.
			if err := chain(target, chained); err != nil {
				return res, err
			}
			res.Chained = true
		}
	case err != nil:
		return res, fmt.Errorf("read %s: %w", target, err)
	case strings.Contains(string(existing), h.marker()):
		res.Chained = exists(chained)
		if string(existing) == want {
			return res, nil
		}
	default:
		if err := chain(target, chained); err != nil {
			return res, err
		}
		res.Chained = true
	}
	if err := writeExecutable(target, want); err != nil {
		return res, err
	}
	res.Changed = true
	return res, nil
}

// chain moves the hook in place aside, bytes, mode and all.
func chain(target, chained string) error {
	if exists(chained) {
		if sameContent(target, chained) {
			// Left by an earlier install, after which a tool put its hook
			// back over djguard's (Husky rewrites its hooks on every
			// install): the chained copy already holds it.
			return nil
		}
		return fmt.Errorf("%s already exists, left by an earlier install; move it back to %s or away, then install again", chained, target)
	}
	if err := os.Rename(target, chained); err != nil {
		return fmt.Errorf("keep the existing hook as %s: %w", chained, err)
	}
	return nil
}

// Uninstall removes djguard's hook h and puts back the hook it chained.
func Uninstall(dir string, h Hook) (Result, error) {
	hooksDir, err := Dir(dir)
	if err != nil {
		return Result{}, err
	}
	target := filepath.Join(hooksDir, h.Name())
	chained := filepath.Join(hooksDir, h.chainedName())
	res := Result{Path: target}
	existing, err := os.ReadFile(target)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("read %s: %w", target, err)
	}
	if !strings.Contains(string(existing), h.marker()) {
		return res, fmt.Errorf("%s: %w; left alone", target, ErrNotOurs)
	}
	if err := os.Remove(target); err != nil {
		return res, fmt.Errorf("remove %s: %w", target, err)
	}
	res.Changed = true
	if _, err := os.Lstat(chained); err == nil {
		if err := os.Rename(chained, target); err != nil {
			return res, fmt.Errorf("put back %s: %w", target, err)
		}
		res.Chained = true
	}
	return res, nil
}

// writeExecutable writes a file atomically (a temporary file renamed into
// place) with mode 0755.
func writeExecutable(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".djguard-hook-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func sameContent(a, b string) bool {
	da, errA := os.ReadFile(a)
	db, errB := os.ReadFile(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
