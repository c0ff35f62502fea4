//go:build integration

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestVersionOfAGoBuildInAWorkTree builds djguard with go build, as a
// developer does (no GOFLAGS), in a clone of this repository: version
// names the clone's commit, and says "modified" once the tree holds a
// change; the JSON and SARIF reports carry the same version.
func TestVersionOfAGoBuildInAWorkTree(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds djguard twice")
	}
	goTool := testenv.Tool(t, "go")
	testenv.Tool(t, "git")
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	clone := filepath.Join(t.TempDir(), "djguard")
	testenv.Git(t, root, "clone", "-q", "--no-hardlinks", root, clone)
	commit := strings.TrimSpace(testenv.Git(t, clone, "rev-parse", "HEAD"))
	// GOENV=off: the go env file of a machine may turn VCS stamping off
	// (GOFLAGS=-buildvcs=false), which a developer's default does not.
	env := append(os.Environ(), "GOENV=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	build := func() string {
		bin := filepath.Join(t.TempDir(), "djguard")
		cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/djguard")
		cmd.Dir, cmd.Env = clone, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil {
			t.Fatalf("djguard version: %v\n%s", err, out)
		}
		return string(out) + "\x00" + bin
	}

	out, bin, _ := strings.Cut(build(), "\x00")
	if !strings.Contains(out, "commit: "+commit+"\n") {
		t.Errorf("a build of a clean clone at %s says:\n%s", commit, out)
	}
	version := regexp.MustCompile(`^djguard (\S+)\n`).FindStringSubmatch(out)
	if version == nil || version[1] == "dev" {
		t.Fatalf("no version:\n%s", out)
	}
	for _, format := range []string{"json", "sarif"} {
		cmd := exec.Command(bin, "scan", "--format", format, "examples/demo")
		cmd.Dir = clone
		rep, _ := cmd.Output()
		var doc struct {
			Tool struct{ Version string }
			Runs []struct {
				Tool struct{ Driver struct{ Version string } }
			}
		}
		if err := json.Unmarshal(rep, &doc); err != nil {
			t.Fatalf("%s report: %v", format, err)
		}
		got := doc.Tool.Version
		if format == "sarif" && len(doc.Runs) > 0 {
			got = doc.Runs[0].Tool.Driver.Version
		}
		if got != version[1] {
			t.Errorf("the %s report names version %q, djguard version %q", format, got, version[1])
		}
	}

	if err := os.WriteFile(filepath.Join(clone, "cmd", "djguard", "local.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ = strings.Cut(build(), "\x00")
	if !strings.Contains(out, "commit: "+commit+" (modified") {
		t.Errorf("a build of a modified clone says:\n%s", out)
	}
}
