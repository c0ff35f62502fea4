// Package testenv finds what djguard's tests need from outside the
// repository: the shared folder beside it (the benchmark repository
// generator, the SARIF schema) and tools such as git and python3.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Shared returns the shared folder that sits beside the repository
// (../shared), or $DJGUARD_SHARED. When it lacks rel, the test is skipped,
// or failed when DJGUARD_REQUIRE_SHARED is set, as it is in CI.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	dir := os.Getenv("DJGUARD_SHARED")
	if dir == "" {
		_, here, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(here), "..", "..", "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
		Missing(t, "DJGUARD_REQUIRE_SHARED", "this test needs "+filepath.Join(dir, rel))
	}
	return dir
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
