//go:build integration

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/djguard/djguard/internal/testenv"
)

// hookWheels builds the wheel the python hooks ask for, at the pinned
// version, for this machine (linux/amd64), into a directory pip reads as
// its package index.
func hookWheels(t *testing.T) string {
	t.Helper()
	testenv.Tool(t, "go")
	pin := hookPin(t)
	version := "v" + pin
	if _, err := pythonVersion(version); err != nil {
		t.Fatalf("the pin %s is not a final release: %v", pin, err)
	}
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "djguard")
	if err := goBuild(srcRoot(t), targets[0], version, bin); err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	w := wheel{version: pin, tag: targets[0].wheelTags[0], exeName: "djguard", exe: exe,
		docs: map[string][]byte{"LICENSE": []byte("license"), "README.md": []byte("readme")}}
	if _, err := writeWheel(dir, w, time.Now()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// noGoPath is a PATH with git and the Python tools but no go: /usr/bin
// and /bin, where Debian puts them, and pre-commit's own directory.
func noGoPath(t *testing.T, preCommit string) string {
	t.Helper()
	path := strings.Join([]string{filepath.Dir(preCommit), "/usr/bin", "/bin"}, string(os.PathListSeparator))
	for _, dir := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(dir, "go")); err == nil {
			t.Skipf("%s holds a go binary: this test needs a PATH without one", dir)
		}
	}
	return path
}

// hookRepo makes a git repository whose pre-commit configuration uses the
// hook id of djguard's manifest at this checkout's HEAD.
func hookRepo(t *testing.T, preCommit, id string, env []string) string {
	t.Helper()
	root := srcRoot(t)
	if out := testenv.Git(t, root, "status", "--porcelain", "--", ".pre-commit-hooks.yaml", "pyproject.toml", "python"); strings.TrimSpace(out) != "" {
		t.Log("note: pre-commit installs the hooks of HEAD; uncommitted changes are not in this test")
	}
	dir := filepath.Join(t.TempDir(), "repo")
	mustRun(t, dir, env, "git", "init", "-q", dir)
	write(t, dir, ".pre-commit-config.yaml", "repos:\n- repo: "+root+"\n  rev: "+head(t)+"\n  hooks:\n  - id: "+id+"\n")
	mustRun(t, dir, env, "git", "add", ".pre-commit-config.yaml")
	mustRun(t, dir, env, "git", "commit", "-q", "-m", "configure pre-commit")
	mustRun(t, dir, env, preCommit, "install")
	return dir
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, err := try(dir, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func try(dir string, env []string, name string, args ...string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// isolatedEnv is an environment with its own home and no git or pip
// configuration from the machine, on the given PATH.
func isolatedEnv(t *testing.T, path string) []string {
	home := t.TempDir()
	return []string{
		"PATH=" + path, "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"PRE_COMMIT_HOME=" + filepath.Join(home, "pre-commit"), "PIP_CONFIG_FILE=/dev/null",
		"LANG=C.UTF-8",
	}
}

// commitRefusesKeys commits a settings module with a key, which the hook
// must refuse without printing the key, then a clean one, which it must
// let through.
func commitRefusesKeys(t *testing.T, dir string, env []string) {
	t.Helper()
	key := testenv.FakeKey("pre-commit without go")
	write(t, dir, "mysite/settings.py", "SECRET_KEY = '"+key+"'\n")
	mustRun(t, dir, env, "git", "add", "mysite/settings.py")
	out, err := try(dir, env, "git", "commit", "-q", "-m", "settings")
	if err == nil || !strings.Contains(out, "would commit a Django secret key") {
		t.Errorf("the commit with a key: err %v, output:\n%s", err, out)
	}
	if strings.Contains(out, key) {
		t.Error("the hook printed the whole key")
	}
	write(t, dir, "mysite/settings.py", "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n")
	mustRun(t, dir, env, "git", "add", "mysite/settings.py")
	if out, err := try(dir, env, "git", "commit", "-q", "-m", "settings"); err != nil {
		t.Errorf("the clean commit was refused: %v\n%s", err, out)
	}
}

// TestPreCommitPythonHookNeedsNoGo runs the real pre-commit framework, on
// a PATH with no go, with the djguard-python hook: pre-commit installs the
// hook's package, which brings djguard's wheel from a local package
// directory (PIP_NO_INDEX, PIP_FIND_LINKS), as it would from the index.
func TestPreCommitPythonHookNeedsNoGo(t *testing.T) {
	preCommit := testenv.PreCommit(t)
	testenv.Tool(t, "git")
	wheels := hookWheels(t)
	env := append(isolatedEnv(t, noGoPath(t, preCommit)), "PIP_NO_INDEX=1", "PIP_FIND_LINKS="+wheels)
	dir := hookRepo(t, preCommit, "djguard-python", env)
	commitRefusesKeys(t, dir, env)

	// The djguard the hook ran is the wheel's binary, in pre-commit's
	// environment for the hook.
	found, _ := filepath.Glob(filepath.Join(envValue(env, "PRE_COMMIT_HOME"), "repo*", "py_env-*", "bin", "djguard"))
	if len(found) != 1 {
		t.Fatalf("pre-commit's environment holds %d djguard binaries, want 1", len(found))
	}
	if out := mustRun(t, dir, env, found[0], "version"); !strings.HasPrefix(out, "djguard v"+hookPin(t)+"\n") {
		t.Errorf("the hook's djguard says:\n%s", out)
	}
}

// TestPreCommitSystemHookRunsTheDjguardOnPath installs the wheel with pip,
// as pipx or uv would, and runs the djguard-system hook with that on PATH.
func TestPreCommitSystemHookRunsTheDjguardOnPath(t *testing.T) {
	preCommit := testenv.PreCommit(t)
	testenv.Tool(t, "git")
	wheels := hookWheels(t)
	venv := newVenv(t)
	if out, err := exec.Command(filepath.Join(venv, "bin", "pip"), "install", "--disable-pip-version-check", "--no-index", "--find-links", wheels, "djguard=="+hookPin(t)).CombinedOutput(); err != nil {
		t.Fatalf("pip install: %v\n%s", err, out)
	}
	bin := t.TempDir()
	if err := os.Symlink(filepath.Join(venv, "bin", "djguard"), filepath.Join(bin, "djguard")); err != nil {
		t.Fatal(err)
	}
	env := isolatedEnv(t, bin+string(os.PathListSeparator)+noGoPath(t, preCommit))
	dir := hookRepo(t, preCommit, "djguard-system", env)
	commitRefusesKeys(t, dir, env)
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}
