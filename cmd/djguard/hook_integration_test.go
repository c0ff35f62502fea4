//go:build integration

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// buildDjguard builds the djguard binary for tests that run it the way git
// hooks do: as a separate program. It is built once per test binary, into
// testDir; tests that need a build of their own (in a path of their
// choosing) run go build themselves.
func buildDjguard(t *testing.T) string {
	t.Helper()
	goTool := testenv.Tool(t, "go")
	buildOnce.Do(func() {
		bin := filepath.Join(testDir, "bin", "djguard")
		if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		built = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// leakyFiles are the places the hook must catch, one commit each.
func leakyFiles() map[string]map[string]string {
	k := testenv.FakeKey("hook")
	notebook := `{"cells": [{"cell_type": "code", "source": ["from django.conf import settings\n", "settings.configure(SECRET_KEY='` + k + `')\n"]}], "nbformat": 4}` + "\n"
	return map[string]map[string]string{
		"settings.py": {"mysite/settings.py": "import os\nSECRET_KEY = '" + k + "'\n"},
		".env":        {".env": "DEBUG=1\nDJANGO_SECRET_KEY=" + k + "\n"},
		"compose":     {"docker-compose.yml": "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"" + k + "\"\n"},
		"notebook":    {"notebooks/explore.ipynb": notebook},
	}
}

func TestNativeHookRefusesKeysAndAcceptsCleanCommits(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	if out := g.djguard(bin, "hook", "install"); !strings.Contains(out, "installed the hook at") {
		t.Fatalf("install said %q", out)
	}
	info, err := os.Stat(filepath.Join(g.dir, ".git", "hooks", "pre-commit"))
	if err != nil || info.Mode().Perm()&0o111 == 0 {
		t.Fatalf("hook not executable: %v", err)
	}
	for name, files := range leakyFiles() {
		out, ok := g.commit(files)
		if ok || !strings.Contains(out, "would commit a Django secret key") || !strings.Contains(out, "djguard:allow") {
			t.Errorf("%s: commit made=%v, output:\n%s", name, ok, out)
		}
		if strings.Contains(out, testenv.FakeKey("hook")) {
			t.Errorf("%s: the hook printed the whole key", name)
		}
		g.git("reset", "-q", "--hard")
	}
	if out, ok := g.commit(map[string]string{"mysite/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"}); !ok {
		t.Errorf("a clean commit was refused:\n%s", out)
	}
	// git commit -a and git commit PATH stage into a temporary index
	// (GIT_INDEX_FILE) that the hook must read instead of .git/index.
	for _, args := range [][]string{{"commit", "-q", "-a", "-m", "all"}, {"commit", "-q", "-m", "path", "mysite/settings.py"}} {
		g.write("mysite/settings.py", "import os\nSECRET_KEY = '"+testenv.FakeKey("dash-a")+"'\n")
		if out, err := g.run(g.dir, g.env, "git", args...); err == nil || !strings.Contains(out, "would commit a Django secret key") {
			t.Errorf("git %v: err %v, output:\n%s", args, err, out)
		}
		g.git("checkout", "-q", "--", "mysite/settings.py")
	}
	// A key already committed (bypassing the hook) does not block later
	// commits that touch the same file elsewhere.
	g.write("mysite/settings.py", "import os\nSECRET_KEY = '"+testenv.FakeKey("old")+"'\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "--no-verify", "-m", "old key")
	if out, ok := g.commit(map[string]string{"mysite/settings.py": "import os\nSECRET_KEY = '" + testenv.FakeKey("old") + "'\nDEBUG = False\n"}); !ok {
		t.Errorf("an unrelated change to a file with an old key was refused:\n%s", out)
	}
}

func TestNativeHookChainsReinstallsAndUninstallsExactly(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	hook := filepath.Join(g.dir, ".git", "hooks", "pre-commit")
	original := "#!/bin/sh\necho chained-hook-ran >> \"$(git rev-parse --git-dir)/chained.log\"\n"
	if err := os.WriteFile(hook, []byte(original), 0o750); err != nil {
		t.Fatal(err)
	}
	if out := g.djguard(bin, "hook", "install"); !strings.Contains(out, "runs first") {
		t.Fatalf("install said %q", out)
	}
	first, _ := os.ReadFile(hook)
	if out := g.djguard(bin, "hook", "install"); !strings.Contains(out, "already installed") {
		t.Errorf("second install said %q", out)
	}
	if again, _ := os.ReadFile(hook); !bytes.Equal(first, again) {
		t.Error("installing twice changed the hook")
	}
	if out, ok := g.commit(map[string]string{"a.txt": "a\n"}); !ok {
		t.Fatalf("clean commit refused:\n%s", out)
	}
	if log, _ := os.ReadFile(filepath.Join(g.dir, ".git", "chained.log")); !strings.Contains(string(log), "chained-hook-ran") {
		t.Error("the chained hook did not run")
	}
	if _, ok := g.commit(leakyFiles()[".env"]); ok {
		t.Error("a key was committed with a chained hook in place")
	}
	g.git("reset", "-q", "--hard")
	if out := g.djguard(bin, "hook", "uninstall"); !strings.Contains(out, "put back") {
		t.Errorf("uninstall said %q", out)
	}
	got, err := os.ReadFile(hook)
	info, _ := os.Stat(hook)
	if err != nil || string(got) != original || info.Mode().Perm() != 0o750 {
		t.Errorf("uninstall did not restore the hook exactly: %q, mode %v", got, info.Mode().Perm())
	}
	if _, err := os.Stat(hook + ".djguard-chained"); err == nil {
		t.Error("the chained copy was left behind")
	}
	// Uninstalling a hook djguard did not write leaves it alone.
	if out, err := g.run(g.dir, g.env, bin, "hook", "uninstall"); err == nil || !strings.Contains(out, "not installed by djguard") {
		t.Errorf("uninstall of a foreign hook: %v %s", err, out)
	}
}

func TestNativeHookHonoursHooksPathAndWorktrees(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	g.git("config", "core.hooksPath", ".githooks")
	g.djguard(bin, "hook", "install")
	if _, err := os.Stat(filepath.Join(g.dir, ".githooks", "pre-commit")); err != nil {
		t.Fatalf("hook not in core.hooksPath: %v", err)
	}
	if _, ok := g.commit(leakyFiles()["settings.py"]); ok {
		t.Error("core.hooksPath: a key was committed")
	}
	g.git("reset", "-q", "--hard")

	g2 := newGitRepo(t)
	wt := filepath.Join(filepath.Dir(g2.dir), "wt")
	g2.git("worktree", "add", "-q", wt)
	g2.run(wt, g2.env, bin, "hook", "install")
	if _, err := os.Stat(filepath.Join(g2.dir, ".git", "hooks", "pre-commit")); err != nil {
		t.Fatalf("from a linked worktree, the hook is not in the shared hooks directory: %v", err)
	}
	wtRepo := &gitRepo{t: t, dir: wt, env: g2.env}
	if _, ok := wtRepo.commit(leakyFiles()[".env"]); ok {
		t.Error("linked worktree: a key was committed")
	}
}

func TestNativeHookFindsDjguardWhateverThePATH(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	g.djguard(bin, "hook", "install")
	git := testenv.Tool(t, "git")
	// A PATH with git and sh but no djguard: the recorded path is used.
	bare := filepath.Join(t.TempDir(), "bin")
	os.MkdirAll(bare, 0o755)
	os.Symlink(git, filepath.Join(bare, "git"))
	env := append(append([]string(nil), g.env...), "PATH="+bare+":/bin:/usr/bin")
	g.write(".env", "DJANGO_SECRET_KEY="+testenv.FakeKey("path")+"\n")
	g.git("add", ".env")
	out, err := g.run(g.dir, env, git, "commit", "-q", "-m", "key")
	if err == nil || !strings.Contains(out, "would commit a Django secret key") {
		t.Errorf("with djguard off PATH: err %v, output:\n%s", err, out)
	}
	// Without a recorded path and off PATH, the hook fails closed and says why.
	g.djguard(bin, "hook", "install", "--no-record")
	out, err = g.run(g.dir, env, git, "commit", "-q", "-m", "key")
	if err == nil || !strings.Contains(out, "djguard is neither at") {
		t.Errorf("with no djguard at all: err %v, output:\n%s", err, out)
	}
}

// preCommitHome is the pre-commit store the tests of this test binary
// share, in testDir: pre-commit builds djguard once per commit there, not
// once per test, and locks the store while it uses it.
func preCommitHome(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testDir, "pre-commit")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// preCommitRepo makes a repository whose .pre-commit-config.yaml uses
// djguard's hooks from this checkout's HEAD, with pre-commit's hooks
// installed for the given hook types.
func preCommitRepo(t *testing.T, hookTypes ...string) (*gitRepo, string) {
	t.Helper()
	preCommit := testenv.PreCommit(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	g := newGitRepo(t)
	rev, err := g.run(root, g.env, "git", "rev-parse", "HEAD")
	if err != nil {
		testenv.Missing(t, "DJGUARD_REQUIRE_TOOLS", "djguard's source is not a git checkout: "+rev)
	}
	if out, _ := g.run(root, g.env, "git", "status", "--porcelain", "--", ".pre-commit-hooks.yaml", "cmd", "detect", "source", "report", "hooks", "go.mod"); strings.TrimSpace(out) != "" {
		t.Log("note: pre-commit builds djguard at HEAD; uncommitted changes are not in this test")
	}
	env := append(append([]string(nil), g.env...), "PRE_COMMIT_HOME="+preCommitHome(t))
	// pre-commit builds djguard with GOPATH in its store and HOME is the
	// test's own: Go's module and build caches are named, so that the
	// build neither downloads the modules nor compiles them all again.
	if caches, err := exec.Command(testenv.Tool(t, "go"), "env", "GOMODCACHE", "GOCACHE").Output(); err == nil {
		if modcache, gocache, ok := strings.Cut(strings.TrimSpace(string(caches)), "\n"); ok {
			env = append(env, "GOMODCACHE="+modcache, "GOCACHE="+gocache)
		}
	}
	g.write(".pre-commit-config.yaml", "repos:\n- repo: "+root+"\n  rev: "+strings.TrimSpace(rev)+"\n  hooks:\n  - id: djguard\n  - id: djguard-pre-push\n")
	g.git("add", ".pre-commit-config.yaml")
	g.git("commit", "-q", "-m", "configure pre-commit")
	for _, h := range hookTypes {
		if out, err := g.run(g.dir, env, preCommit, "install", "-t", h); err != nil {
			t.Fatalf("pre-commit install -t %s: %v\n%s", h, err, out)
		}
	}
	g.env = env
	return g, preCommit
}

// TestPreCommitFrameworkHook runs the real pre-commit framework with a
// configuration pointing at this repository's committed HEAD.
func TestPreCommitFrameworkHook(t *testing.T) {
	g, _ := preCommitRepo(t, "pre-commit")
	for name, files := range leakyFiles() {
		out, ok := g.commit(files)
		if ok || !strings.Contains(out, "would commit a Django secret key") {
			t.Errorf("%s: commit made=%v, output:\n%s", name, ok, out)
		}
		g.git("reset", "-q", "--hard")
	}
	if out, ok := g.commit(map[string]string{"mysite/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"}); !ok {
		t.Errorf("a clean commit was refused:\n%s", out)
	}
	// A key committed long ago does not block a commit that only touches
	// the file elsewhere.
	key := testenv.FakeKey("committed long ago")
	g.write("old/settings.py", "SECRET_KEY = '"+key+"'\n")
	g.git("add", "old/settings.py")
	g.git("commit", "-q", "--no-verify", "-m", "before djguard")
	if out, ok := g.commit(map[string]string{"old/settings.py": "SECRET_KEY = '" + key + "'\nDEBUG = False\n"}); !ok {
		t.Errorf("a commit next to an old key was refused:\n%s", out)
	}
}

// Outside a commit — pre-commit run --all-files in CI, on pre-commit.ci or
// at a terminal — the hook scans the files it is given whole: a key
// committed long ago fails the run.
func TestPreCommitRunAllFilesFindsCommittedKeys(t *testing.T) {
	g, preCommit := preCommitRepo(t)
	run := func() (string, error) {
		return g.run(g.dir, g.env, preCommit, "run", "--all-files", "djguard")
	}
	if out, err := run(); err != nil {
		t.Fatalf("a clean repository failed:\n%s", out)
	}
	g.write("mysite/settings.py", "import os\nSECRET_KEY = '"+testenv.FakeKey("all files")+"'\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "-m", "a key, committed without the hook")
	out, err := run()
	if err == nil || !strings.Contains(out, "mysite/settings.py:2") {
		t.Errorf("pre-commit run --all-files passed a committed key (err %v):\n%s", err, out)
	}
	// And with CI set, as on pre-commit.ci: the finding, no replacement key.
	g.env = append(g.env, "CI=true")
	out, err = run()
	if err == nil || strings.Contains(out, "DJANGO_SECRET_KEY=") {
		t.Errorf("in CI (err %v):\n%s", err, out)
	}
}

func TestPreCommitFrameworkPrePushHook(t *testing.T) {
	g, _ := preCommitRepo(t, "pre-push")
	g.addRemote()
	if out, ok := g.push("-q", "origin", "main"); !ok {
		t.Fatalf("a clean first push was refused:\n%s", out)
	}
	g.write("app/views.py", "x = 1\n")
	g.git("add", "app/views.py")
	g.git("commit", "-q", "-m", "clean work")
	if out, ok := g.push("-q", "origin", "main"); !ok {
		t.Fatalf("a clean push was refused:\n%s", out)
	}
	key := testenv.FakeKey("pushed through pre-commit")
	g.write("mysite/settings.py", "SECRET_KEY = '"+key+"'\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "-m", "add settings")
	// A later commit takes the key out again: the push still sends it.
	g.write("mysite/settings.py", "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n")
	g.git("commit", "-q", "-am", "read the key from the environment")
	out, ok := g.push("origin", "main")
	if ok || !strings.Contains(out, "this push would publish a Django secret key") || strings.Contains(out, key) {
		t.Errorf("a push whose commits hold a key: pushed=%v\n%s", ok, out)
	}
	// A new branch whose own commits are clean goes through.
	g.git("reset", "-q", "--hard", "HEAD~2")
	g.git("checkout", "-q", "-b", "feature")
	g.write("app/forms.py", "y = 2\n")
	g.git("add", "app/forms.py")
	g.git("commit", "-q", "-m", "clean feature")
	if out, ok := g.push("-q", "origin", "feature"); !ok {
		t.Errorf("a clean new branch was refused:\n%s", out)
	}
}

func TestNativePrePushHook(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	g.addRemote()
	// A hook that was there keeps running, and sees git's lines too.
	g.write(".git/hooks/pre-push", "#!/bin/sh\ncat > \"$(dirname \"$0\")/../seen-by-chained\"\n")
	os.Chmod(filepath.Join(g.dir, ".git", "hooks", "pre-push"), 0o755)
	if out := g.djguard(bin, "hook", "install", "--pre-push"); !strings.Contains(out, "the hook that was there runs first") {
		t.Fatalf("install: %s", out)
	}
	// A key already on the remote is not this push's business.
	old := testenv.FakeKey("already published")
	g.write("old/settings.py", "SECRET_KEY = '"+old+"'\n")
	g.git("add", "old/settings.py")
	g.git("commit", "-q", "-m", "old key")
	g.git("push", "-q", "--no-verify", "origin", "main")
	g.write("app/views.py", "x = 1\n")
	g.git("add", "app/views.py")
	g.git("commit", "-q", "-m", "clean work")
	if out, ok := g.push("-q", "origin", "main"); !ok {
		t.Fatalf("a clean push was refused:\n%s", out)
	}
	if seen, _ := os.ReadFile(filepath.Join(g.dir, ".git", "seen-by-chained")); !strings.Contains(string(seen), "refs/heads/main") {
		t.Errorf("the chained hook saw %q on standard input", seen)
	}
	key := testenv.FakeKey("native push")
	g.write("deploy/.env", "DJANGO_SECRET_KEY="+key+"\n")
	g.git("add", "deploy/.env")
	g.git("commit", "-q", "-m", "deploy settings")
	out, ok := g.push("origin", "main")
	if ok || !strings.Contains(out, "deploy/.env:1") || !strings.Contains(out, "deploy settings") || strings.Contains(out, key) {
		t.Errorf("a push with a key: pushed=%v\n%s", ok, out)
	}
	// The same commit on a new branch, and pushed with a tag.
	if out, ok := g.push("origin", "main:refs/heads/other"); ok {
		t.Errorf("a new branch with the key was pushed:\n%s", out)
	}
	g.git("tag", "-a", "-m", "v1", "v1")
	if out, ok := g.push("origin", "v1"); ok {
		t.Errorf("a tag of the key's commit was pushed:\n%s", out)
	}
	// Deleting a branch sends nothing.
	g.git("push", "-q", "--no-verify", "origin", "main:refs/heads/gone")
	if out, ok := g.push("-q", "origin", ":refs/heads/gone"); !ok {
		t.Errorf("a deletion was refused:\n%s", out)
	}
	if out := g.djguard(bin, "hook", "uninstall", "--pre-push"); !strings.Contains(out, "put back") {
		t.Errorf("uninstall: %s", out)
	}
}

// TestNativeHookUnderHusky lays a repository out as Husky v9 does:
// core.hooksPath=.husky/_, where every hook is a two-line script sourcing
// .husky/_/h, which runs the user's script in .husky named after the hook
// ($0). djguard's hook goes into .husky/_ and chains Husky's, and the
// user's .husky/pre-commit must still run, as must djguard.
func TestNativeHookUnderHusky(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	// A stand-in for Husky's h, doing what it does: the user's script is
	// the one named like the hook that sourced it, one directory up.
	g.write(".husky/_/h", "#!/usr/bin/env sh\nname=$(basename \"$0\")\nscript=\"$(dirname \"$(dirname \"$0\")\")/$name\"\n[ -f \"$script\" ] || exit 0\nsh -e \"$script\" \"$@\"\n")
	g.write(".husky/_/pre-commit", "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n")
	os.Chmod(filepath.Join(g.dir, ".husky", "_", "pre-commit"), 0o755)
	g.write(".husky/pre-commit", "echo user-hook-ran >> \"$(git rev-parse --git-dir)/husky.log\"\n")
	g.git("add", ".husky/pre-commit")
	g.git("commit", "-q", "-m", "husky")
	g.git("config", "core.hooksPath", ".husky/_")

	if out := g.djguard(bin, "hook", "install"); !strings.Contains(out, filepath.Join(".husky", "_", "pre-commit")) || !strings.Contains(out, "runs first") {
		t.Fatalf("install said %q", out)
	}
	log := filepath.Join(g.dir, ".git", "husky.log")
	if out, ok := g.commit(map[string]string{"a.txt": "a\n"}); !ok {
		t.Fatalf("a clean commit was refused:\n%s", out)
	}
	if got, _ := os.ReadFile(log); string(got) != "user-hook-ran\n" {
		t.Errorf("the user's Husky hook did not run: %q", got)
	}
	out, ok := g.commit(leakyFiles()["settings.py"])
	if ok || !strings.Contains(out, "would commit a Django secret key") {
		t.Errorf("a key was committed under Husky:\n%s", out)
	}
	if got, _ := os.ReadFile(log); string(got) != "user-hook-ran\nuser-hook-ran\n" {
		t.Errorf("the user's Husky hook did not run before djguard's: %q", got)
	}
}

// TestNativeHookWithASplitIndex commits with core.splitIndex through the
// three ways git hands the hook an index: .git/index, and the temporary
// ones of 'git commit -a' and 'git commit PATH'.
func TestNativeHookWithASplitIndex(t *testing.T) {
	bin := buildDjguard(t)
	g := newGitRepo(t)
	g.git("config", "core.splitIndex", "true")
	g.write("mysite/settings.py", "import os\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "-m", "settings")
	g.djguard(bin, "hook", "install")
	leak := "import os\nSECRET_KEY = '" + testenv.FakeKey("split") + "'\n"
	for _, args := range [][]string{{"commit", "-q", "-m", "staged"}, {"commit", "-q", "-a", "-m", "all"}, {"commit", "-q", "-m", "path", "mysite/settings.py"}} {
		g.write("mysite/settings.py", leak)
		if args[2] == "-m" && args[3] == "staged" {
			g.git("add", "mysite/settings.py")
		}
		if out, err := g.run(g.dir, g.env, "git", args...); err == nil || !strings.Contains(out, "would commit a Django secret key") {
			t.Errorf("git %v: err %v, output:\n%s", args, err, out)
		}
		g.git("reset", "-q", "--hard")
	}
}
