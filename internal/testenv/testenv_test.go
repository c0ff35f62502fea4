package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// go test rechecks, before serving a cached result, only the files inside
// the module that the test looked at: ../shared must be looked at through
// a path inside it, or a skip recorded while it was missing is served
// after it appears.
func TestSharedIsLookedAtFromInsideTheModule(t *testing.T) {
	t.Setenv("DJGUARD_SHARED", "")
	_, here, _, _ := runtime.Caller(0)
	module := filepath.Join(filepath.Dir(here), "..", "..")
	dir := sharedDir()
	rel, err := filepath.Rel(module, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		t.Fatalf("shared folder %s is outside the module %s", dir, module)
	}
	target, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Skipf("../shared is not there: %v", err)
	}
	want, err := filepath.EvalSymlinks(filepath.Join(module, "..", "shared"))
	if err != nil || target != want {
		t.Errorf("%s leads to %s, want ../shared (%s)", dir, target, want)
	}
	if _, err := os.Lstat(dir); err != nil {
		t.Error(err)
	}
}
