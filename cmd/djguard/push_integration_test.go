//go:build integration

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// A djguard that 'go run' built lives in a temporary directory or Go's
// build cache, gone by the next commit: hook install refuses to record it.
func TestHookInstallRefusesAGoRunBuild(t *testing.T) {
	goTool := testenv.Tool(t, "go")
	g := newGitRepo(t)
	tmp := t.TempDir()
	cache := filepath.Join(tmp, "cache")
	for _, bin := range []string{
		filepath.Join(tmp, "go-build1234", "b001", "exe", "djguard"),
		filepath.Join(cache, "8f", "djguard"),
	} {
		if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		env := append(append([]string(nil), g.env...), "GOCACHE="+cache)
		out, err := g.run(g.dir, env, bin, "hook", "install")
		if err == nil || !strings.Contains(out, "go install github.com/djguard/djguard/cmd/djguard@latest") {
			t.Errorf("%s: err %v\n%s", bin, err, out)
		}
		if _, err := os.Stat(filepath.Join(g.dir, ".git", "hooks", "pre-commit")); err == nil {
			t.Errorf("%s: a hook was written", bin)
		}
		if out, err := g.run(g.dir, env, bin, "hook", "install", "--no-record"); err != nil {
			t.Errorf("%s --no-record: %v\n%s", bin, err, out)
		}
		os.Remove(filepath.Join(g.dir, ".git", "hooks", "pre-commit"))
	}
}
