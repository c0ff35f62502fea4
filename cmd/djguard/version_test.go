package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

func TestVersionSaysReleaseCommitAndModified(t *testing.T) {
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261204012200-3f2a9c0e1b2d+dirty"},
			Settings: []debug.BuildSetting{{Key: "GOOS", Value: "darwin"}, {Key: "GOARCH", Value: "arm64"},
				{Key: "vcs.revision", Value: "3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70"}, {Key: "vcs.time", Value: "2026-12-04T01:22:00Z"}, {Key: "vcs.modified", Value: modified}}}
	}
	for _, tc := range []struct {
		name    string
		bi      *debug.BuildInfo
		release string
		want    []string
	}{
		{"a release names its version and commit", vcs("false"), "v0.1.0",
			[]string{"djguard v0.1.0\n", "commit: 3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70\n", "commit time: 2026-12-04T01:22:00Z\n", "built with: go1.26.8 darwin/arm64\n"}},
		{"a build of a modified tree says so", vcs("true"), "",
			[]string{"djguard v0.0.0-20261204012200-3f2a9c0e1b2d+dirty\n", "commit: 3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70 (modified"}},
		{"a build with no information says what it lacks", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "",
			[]string{"djguard dev\n", "commit: unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			buildFrom(tc.bi, tc.release).write(&b)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %q:\n%s", w, b.String())
				}
			}
			if strings.Contains(b.String(), "set by") {
				t.Errorf("names no version:\n%s", b.String())
			}
		})
	}
}

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
