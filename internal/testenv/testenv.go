// Package testenv finds what djguard's tests need from outside the
// repository: the shared folder beside it (the benchmark repository
// generator, the SARIF schema) and tools such as git and python3.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Shared returns the shared folder that sits beside the repository
// (../shared), or $DJGUARD_SHARED. When it lacks rel, the test is skipped,
// or failed when DJGUARD_REQUIRE_SHARED is set, as it is in CI.
//
// ../shared is reached through the link internal/testenv/shared: go test
// caches a result with the files the test looked at, and checks them again
// before serving it only when they are inside the module. Looked at
// through the link, a ../shared that appears after a skipped run reruns
// the test instead of serving the skip from the cache.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	dir := sharedDir()
	if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
		Missing(t, "DJGUARD_REQUIRE_SHARED", "this test needs "+filepath.Join(dir, rel))
	}
	return dir
}

func sharedDir() string {
	if dir := os.Getenv("DJGUARD_SHARED"); dir != "" {
		return dir
	}
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "shared")
}

// Tool returns the path of a program on PATH. When it is missing the test
// is skipped, or failed when DJGUARD_REQUIRE_TOOLS is set, as it is in CI.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "DJGUARD_REQUIRE_TOOLS", "this test needs "+name+" on PATH")
	}
	return p
}

// PreCommit returns the pre-commit framework on PATH, when it is 3.2 or
// later: djguard's .pre-commit-hooks.yaml names its stages as those
// versions do. Otherwise the test is skipped, or failed in CI
// (DJGUARD_REQUIRE_TOOLS); .ci/pre-commit-trixie installs one.
func PreCommit(t testing.TB) string {
	t.Helper()
	p := Tool(t, "pre-commit")
	out, err := exec.Command(p, "--version").Output()
	var major, minor int
	if err == nil {
		_, err = fmt.Sscanf(string(out), "pre-commit %d.%d", &major, &minor)
	}
	if err != nil || major < 3 || major == 3 && minor < 2 {
		Missing(t, "DJGUARD_REQUIRE_TOOLS", fmt.Sprintf("this test needs pre-commit 3.2 or later, not %q (.ci/pre-commit-trixie DIR installs one)", strings.TrimSpace(string(out))))
	}
	return p
}

// Missing skips the test with why, or fails it when the environment
// variable require is set.
func Missing(t testing.TB, require, why string) {
	t.Helper()
	if os.Getenv(require) != "" {
		t.Fatalf("%s (%s is set, so this is not skipped)", why, require)
	}
	t.Skip(why)
}

// WriteTree writes files (slash-separated names to contents) under a new
// temporary directory and returns it.
func WriteTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// MakeRepo builds a Django-shaped git history with planted leaks with
// ../shared/bench/mkrepo.py and returns its directory; the ground truth is
// in DIR.answers.json.
func MakeRepo(t testing.TB, commits string) string {
	t.Helper()
	shared := Shared(t, "bench/mkrepo.py")
	python := Tool(t, "python3")
	Tool(t, "git")
	dir := filepath.Join(t.TempDir(), "repo")
	out, err := exec.Command(python, filepath.Join(shared, "bench", "mkrepo.py"), dir, "--commits", commits).CombinedOutput()
	if err != nil {
		t.Fatalf("mkrepo: %v\n%s", err, out)
	}
	return dir
}

// Git runs the git binary in dir, isolated from the user's and the
// system's configuration, and fails the test if it fails.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(Tool(t, "git"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "XDG_CONFIG_HOME="+dir,
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// LinkWorktree makes wt a linked worktree of the repository at repo the
// way git lays one out, without the git binary: a .git file in wt naming
// .git/worktrees/NAME, which names the common directory back.
func LinkWorktree(t testing.TB, repo, wt, head string) {
	t.Helper()
	admin := filepath.Join(repo, ".git", "worktrees", filepath.Base(wt))
	for name, content := range map[string]string{
		filepath.Join(admin, "commondir"): "../..\n",
		filepath.Join(admin, "HEAD"):      head + "\n",
		filepath.Join(admin, "gitdir"):    filepath.Join(wt, ".git") + "\n",
		filepath.Join(wt, ".git"):         "gitdir: " + admin + "\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// PythonWith finds a python3 that imports module (Debian's python3-*
// packages install into /usr/bin/python3, which is tried first), or skips
// the test, failing it instead when DJGUARD_REQUIRE_TOOLS is set.
func PythonWith(t testing.TB, module, debianPackage string) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	Missing(t, "DJGUARD_REQUIRE_TOOLS", "no python3 that imports "+module+" (apt-get install "+debianPackage+")")
	return ""
}

// SparseIndex turns the committed repository at dir into a cone-mode
// sparse checkout of the directory keep, with a sparse index: every other
// directory is one index entry. It sets the configuration in .git/config
// rather than with 'git sparse-checkout set', which moves it to a
// per-worktree file behind extensions.worktreeConfig, which go-git's own
// PlainOpen refuses (djguard opens such repositories; tests of that run
// 'git sparse-checkout' itself).
func SparseIndex(t testing.TB, dir, keep string) {
	t.Helper()
	for _, kv := range [][2]string{{"core.sparseCheckout", "true"}, {"core.sparseCheckoutCone", "true"}, {"index.sparse", "true"}} {
		Git(t, dir, "config", kv[0], kv[1])
	}
	patterns := "/*\n!/*/\n/" + keep + "/\n"
	if err := os.MkdirAll(filepath.Join(dir, ".git", "info"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "info", "sparse-checkout"), []byte(patterns), 0o644); err != nil {
		t.Fatal(err)
	}
	Git(t, dir, "sparse-checkout", "reapply")
}
