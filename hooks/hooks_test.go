package hooks

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/shell"
	"github.com/djguard/djguard/internal/testenv"
)

func initRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDirIsTheRepositorysHooksFolder(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	got, err := Dir(filepath.Join(dir, "sub"))
	if err != nil || got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

func TestDirHonoursARelativeHooksPath(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	cfg := filepath.Join(dir, ".git", "config")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(data, []byte("[core]\n\thooksPath = tools/hooks\n")...), 0o644)
	got, err := Dir(dir)
	if err != nil || got != filepath.Join(dir, "tools", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

func TestDirFromALinkedWorktreeIsTheSharedOne(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	wt := t.TempDir()
	testenv.LinkWorktree(t, dir, wt, "ref: refs/heads/wt")
	got, err := Dir(wt)
	if err != nil || got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

// runHook runs a hook script with sh from dir, with a PATH of the system's
// directories only, and returns its output and error.
func runHook(t *testing.T, hook, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, "sh"), append([]string{hook}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// fakeDjguard writes an executable at path that records its arguments in
// log, standing in for djguard.
func fakeDjguard(t *testing.T, path, log string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	script := "#!/bin/sh\nprintf '%s\\n' \"djguard $*\" >> " + shell.Quote(log) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestScriptQuotesTheRecordedPath runs the hook with a recorded djguard
// path full of shell syntax: the path is used as it is, and nothing in it
// runs, neither when djguard is there nor in the message when it is not.
func TestScriptQuotesTheRecordedPath(t *testing.T) {
	base := t.TempDir()
	work := filepath.Join(base, "work")
	os.MkdirAll(work, 0o755)
	// @DJGUARD@ is the template's own placeholder: a path that holds it
	// must not be substituted a second time, out of its quotes.
	weird := filepath.Join(base, "it's $(touch pwned) `touch pwned2` \"q\" $HOME @DJGUARD@$(touch pwned3)", "djguard")
	log := filepath.Join(base, "calls.log")
	fakeDjguard(t, weird, log)
	hook := filepath.Join(base, "pre-commit")
	writeExecutable(hook, Script(PreCommit, weird))

	if out, err := runHook(t, hook, work); err != nil {
		t.Fatalf("the hook failed: %v\n%s", err, out)
	}
	if calls, _ := os.ReadFile(log); string(calls) != "djguard scan --staged\n" {
		t.Errorf("the recorded djguard was not run as it is: %q", calls)
	}
	os.Remove(weird)
	out, err := runHook(t, hook, work)
	if err == nil || !strings.Contains(out, "djguard is neither at "+weird+" nor on PATH") {
		t.Errorf("with djguard gone: %v\n%s", err, out)
	}
	for _, dir := range []string{work, base} {
		for _, name := range []string{"pwned", "pwned2", "pwned3"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("the path's %s ran in %s", name, dir)
			}
		}
	}
}

// TestChainedHookRunsAsGitRanIt: a chained shell script sees $0 as the
// hook's own path (hook managers such as Husky rely on it) and the hook's
// arguments; its failure stops the commit; a hook in another language
// runs as it is.
func TestChainedHookRunsAsGitRanIt(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	os.MkdirAll(filepath.Dir(hook), 0o755)
	seen := filepath.Join(dir, "seen.log")
	bin := filepath.Join(dir, "bin", "djguard")
	fakeDjguard(t, bin, seen)
	for _, shebang := range []string{"#!/bin/sh", "#!/usr/bin/env sh", "#!/bin/sh -e", "#! /bin/sh"} {
		os.Remove(seen)
		writeExecutable(hook, shebang+"\nprintf '%s\\n' \"$0 $*\" >> "+shell.Quote(seen)+"\n")
		if _, err := Install(dir, PreCommit, bin); err != nil {
			t.Fatal(err)
		}
		if out, err := runHook(t, hook, dir, "arg1", "two words"); err != nil {
			t.Fatalf("%s: %v\n%s", shebang, err, out)
		}
		want := hook + " arg1 two words\ndjguard scan --staged\n"
		if got, _ := os.ReadFile(seen); string(got) != want {
			t.Errorf("%s: the chained hook and djguard saw %q, want %q", shebang, got, want)
		}
		if _, err := Uninstall(dir, PreCommit); err != nil {
			t.Fatal(err)
		}
	}

	os.Remove(seen)
	writeExecutable(hook, "#!/bin/sh\nexit 3\n")
	Install(dir, PreCommit, bin)
	if _, err := runHook(t, hook, dir); err == nil || exitCode(err) != 3 {
		t.Errorf("a failing chained hook: %v", err)
	}
	if _, err := os.Stat(seen); err == nil {
		t.Error("djguard ran after the chained hook failed")
	}
	Uninstall(dir, PreCommit)

	awk := testenv.Tool(t, "awk")
	writeExecutable(hook, "#!"+awk+" -f\nBEGIN { print \"awk ran\" >> \""+seen+"\" }\n")
	Install(dir, PreCommit, bin)
	if out, err := runHook(t, hook, dir); err != nil {
		t.Fatalf("an awk hook: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(seen); string(got) != "awk ran\ndjguard scan --staged\n" {
		t.Errorf("an awk hook: %q", got)
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// TestInstallAgainAfterAToolRewroteTheHook: Husky writes its hooks again
// on every install, over djguard's; installing djguard again then works,
// the chained copy being the same hook.
func TestInstallAgainAfterAToolRewroteTheHook(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	os.MkdirAll(filepath.Dir(hook), 0o755)
	managed := "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n"
	writeExecutable(hook, managed)
	if _, err := Install(dir, PreCommit, "/usr/local/bin/djguard"); err != nil {
		t.Fatal(err)
	}
	writeExecutable(hook, managed)
	if res, err := Install(dir, PreCommit, "/usr/local/bin/djguard"); err != nil || !res.Changed || !res.Chained {
		t.Errorf("install after the hook was rewritten: %+v, %v", res, err)
	}
	writeExecutable(hook, "#!/bin/sh\necho another\n")
	if _, err := Install(dir, PreCommit, "/usr/local/bin/djguard"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a different hook over a chained one: %v", err)
	}
}

func TestInstallChainsAndUninstallRestores(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	os.MkdirAll(filepath.Dir(hook), 0o755)
	os.WriteFile(hook, []byte("#!/bin/sh\nexit 0\n"), 0o700)
	res, err := Install(dir, PreCommit, "/usr/local/bin/djguard")
	if err != nil || !res.Changed || !res.Chained {
		t.Fatalf("Install = %+v, %v", res, err)
	}
	if res, err := Install(dir, PreCommit, "/usr/local/bin/djguard"); err != nil || res.Changed {
		t.Errorf("second Install = %+v, %v", res, err)
	}
	if res, err := Install(dir, PreCommit, "/opt/djguard"); err != nil || !res.Changed {
		t.Errorf("Install with a new path = %+v, %v", res, err)
	}
	res, err = Uninstall(dir, PreCommit)
	if err != nil || !res.Changed || !res.Chained {
		t.Fatalf("Uninstall = %+v, %v", res, err)
	}
	data, _ := os.ReadFile(hook)
	info, _ := os.Stat(hook)
	if string(data) != "#!/bin/sh\nexit 0\n" || info.Mode().Perm() != 0o700 {
		t.Errorf("restored hook: %q, mode %v", data, info.Mode().Perm())
	}
	if _, err := Uninstall(dir, PreCommit); !errors.Is(err, ErrNotOurs) {
		t.Errorf("Uninstall of a foreign hook: %v", err)
	}
	os.Remove(hook)
	if res, err := Uninstall(dir, PreCommit); err != nil || res.Changed {
		t.Errorf("Uninstall with no hook: %+v, %v", res, err)
	}
}
