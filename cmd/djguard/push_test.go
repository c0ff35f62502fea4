package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/history"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/source"
)

func TestReadPushLines(t *testing.T) {
	a, b := strings.Repeat("a", 40), strings.Repeat("b", 40)
	zero := strings.Repeat("0", 40)
	long := strings.Repeat("c", 64) // a SHA-256 repository
	in := "refs/heads/main " + a + " refs/heads/main " + b + "\n" +
		"refs/heads/new " + a + " refs/heads/new " + zero + "\r\n" +
		"(delete) " + zero + " refs/heads/gone " + b + "\n" +
		"\n" +
		"HEAD~1 " + long + " refs/heads/x " + zero + "\n"
	got, err := history.ReadPushLines(strings.NewReader(in), "origin")
	if err != nil {
		t.Fatal(err)
	}
	want := []history.Push{
		{Local: a, Remote: b, RemoteName: "origin"},
		{Local: a, RemoteName: "origin"},
		{Local: long, RemoteName: "origin"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"refs/heads/main " + a + " refs/heads/main\n", "x y z w\n", "refs/heads/main " + a + " refs/heads/main " + b[:39] + "\n"} {
		if _, err := history.ReadPushLines(strings.NewReader(bad), "origin"); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

// pushHistory makes a repository with a key committed, then a clean
// commit, and returns the commits before the key, with it, and after.
func pushHistory(t *testing.T) (dir string, before, withKey, after string) {
	t.Helper()
	g := newGitRepo(t)
	before = strings.TrimSpace(g.git("rev-parse", "HEAD"))
	g.write("mysite/settings.py", "SECRET_KEY = '"+testenv.FakeKey("push range")+"'\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "-m", "key")
	withKey = strings.TrimSpace(g.git("rev-parse", "HEAD"))
	g.write("app/views.py", "x = 1\n")
	g.git("add", "app/views.py")
	g.git("commit", "-q", "-m", "clean")
	after = strings.TrimSpace(g.git("rev-parse", "HEAD"))
	return g.dir, before, withKey, after
}

func TestScanPrePush(t *testing.T) {
	dir, before, withKey, after := pushHistory(t)
	zero := strings.Repeat("0", 40)
	cases := []struct {
		name  string
		vars  map[string]string
		input string
		args  []string
		want  int
	}{
		{"git's lines: only the clean commit", nil, "refs/heads/main " + after + " refs/heads/main " + withKey + "\n", []string{"--remote", "origin"}, exitClean},
		{"git's lines: the key's commit too", nil, "refs/heads/main " + after + " refs/heads/main " + before + "\n", []string{"--remote", "origin"}, exitFindings},
		{"git's lines: a new branch, nothing on the remote", nil, "refs/heads/main " + after + " refs/heads/main " + zero + "\n", []string{"--remote", "origin"}, exitFindings},
		{"git's lines: nothing to push", nil, "", []string{"--remote", "origin"}, exitClean},
		{"pre-commit's range: the clean commit", map[string]string{"PRE_COMMIT": "1", "PRE_COMMIT_FROM_REF": withKey, "PRE_COMMIT_TO_REF": after}, "", nil, exitClean},
		{"pre-commit's range: the key's commit", map[string]string{"PRE_COMMIT": "1", "PRE_COMMIT_FROM_REF": before, "PRE_COMMIT_TO_REF": after}, "", nil, exitFindings},
		{"pre-commit, a root commit pushed", map[string]string{"PRE_COMMIT": "1", "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main", "PRE_COMMIT_REMOTE_NAME": "origin"}, "", nil, exitFindings},
		{"by hand, no remote-tracking branch", nil, "", nil, exitFindings},
		{"git's lines win over inherited pre-commit variables", map[string]string{"PRE_COMMIT_FROM_REF": withKey, "PRE_COMMIT_TO_REF": after}, "refs/heads/main " + after + " refs/heads/main " + before + "\n", []string{"--remote", "origin"}, exitFindings},
	}
	for _, c := range cases {
		code, out, errOut := runCLIInput(t, dir, c.vars, c.input, append([]string{"scan", "--pre-push"}, c.args...)...)
		if code != c.want {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.want, out, errOut)
		}
		if c.want == exitFindings && !strings.Contains(out, "this push would publish") {
			t.Errorf("%s: %s", c.name, out)
		}
	}
	if code, _, errOut := runCLIInput(t, dir, nil, "not git's format\n", "scan", "--pre-push", "--remote", "origin"); code != exitError || !strings.Contains(errOut, "pre-push format") {
		t.Errorf("bad input: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, dir, "scan", "--remote", "origin"); code != exitError || !strings.Contains(errOut, "--remote goes with --pre-push") {
		t.Errorf("--remote alone: exit %d, %s", code, errOut)
	}
}

// pre-commit runs the djguard hook outside a commit for run --all-files
// and --files: the files are scanned whole. In a commit (git sets
// GIT_INDEX_FILE) only staged lines count.
func TestStagedHookOutsideACommit(t *testing.T) {
	g := newGitRepo(t)
	g.write("mysite/settings.py", "SECRET_KEY = '"+testenv.FakeKey("outside")+"'\n")
	g.git("add", "mysite/settings.py")
	g.git("commit", "-q", "-m", "key")
	g.write("app/views.py", "x = 1\n")
	g.git("add", "app/views.py")
	args := []string{"scan", "--staged", "mysite/settings.py", "app/views.py"}
	outside := map[string]string{"PRE_COMMIT": "1"}
	if code, out, _ := runCLIEnv(t, g.dir, outside, args...); code != exitFindings || !strings.Contains(out, "mysite/settings.py:1") {
		t.Errorf("outside a commit: exit %d\n%s", code, out)
	}
	inCommit := map[string]string{"PRE_COMMIT": "1", "GIT_INDEX_FILE": filepath.Join(g.dir, ".git", "index")}
	// pre-commit names unchanged files in a commit too (a conflict resolved
	// to our side): the old key is no reason to refuse it.
	if code, out, _ := runCLIEnv(t, g.dir, inCommit, args...); code != exitClean {
		t.Errorf("in a commit: exit %d\n%s", code, out)
	}
	// Without pre-commit, a named file with nothing staged is scanned
	// whole from the index.
	if code, out, _ := runCLI(t, g.dir, "scan", "--staged", "mysite/settings.py"); code != exitFindings {
		t.Errorf("named, nothing staged: exit %d\n%s", code, out)
	}
}

// neverEnding reads its reader, then the letter x for ever: standard input
// that never ends.
type neverEnding struct{ r io.Reader }

func (e neverEnding) Read(p []byte) (int, error) {
	if n, err := e.r.Read(p); err == nil {
		return n, nil
	}
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// scan - reads standard input; --stdin-name gives it a file's syntax and
// the configuration's excludes.
func TestScanStandardInput(t *testing.T) {
	key := testenv.FakeKey("stdin")
	dir := testenv.WriteTree(t, map[string]string{".djguard.toml": "exclude = [\"fixtures/\"]\n"})
	dotenv := "DEBUG=1\nDJANGO_SECRET_KEY=" + key + "\n"
	code, out, _ := runCLIInput(t, dir, nil, dotenv, "scan", "-", "--stdin-name", "deploy/.env")
	if code != exitFindings || !strings.Contains(out, "deploy/.env:2") || strings.Contains(out, key) {
		t.Errorf("named .env: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLIInput(t, dir, nil, "SECRET_KEY = '"+key+"'\n", "scan", "-"); code != exitFindings || !strings.Contains(out, source.StdinName+":1") {
		t.Errorf("unnamed: exit %d\n%s", code, out)
	}
	if code, out, errOut := runCLIInput(t, dir, nil, dotenv, "scan", "-", "--stdin-name", "fixtures/.env"); code != exitClean || !strings.Contains(errOut, "excluded") {
		t.Errorf("excluded name: exit %d\n%s%s", code, out, errOut)
	}
	// Input not scanned is named, as a file of a tree is, and does not
	// change the exit code by itself.
	if code, _, errOut := runCLIInput(t, dir, nil, "x\x00y", "scan", "-"); code != exitClean || !strings.Contains(errOut, "1 file not read (binary): "+source.StdinName) {
		t.Errorf("binary input: exit %d, %s", code, errOut)
	}
	big := strings.NewReader(strings.Repeat("x", 2048))
	var stdout, stderr strings.Builder
	code = run(context.Background(), []string{"scan", "-", "--max-file-size", "1KB"}, env{stdin: neverEnding{big}, stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, dir: dir})
	if code != exitClean || !strings.Contains(stderr.String(), "not read (over the 1 KiB limit)") {
		t.Errorf("oversized input: exit %d, %s", code, stderr.String())
	}
	for _, args := range [][]string{{"scan", "-", "settings.py"}, {"scan", "--staged", "-"}, {"scan", "--stdin-name", "x.py"}} {
		if code, _, errOut := runCLIInput(t, dir, nil, "", args...); code != exitError || errOut == "" {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}

// In a partial clone, git fetches the blobs a push needs as it pushes
// them, so djguard never read them: the pre-push audit fails closed.
func TestPrePushInAPartialCloneFailsClosed(t *testing.T) {
	origin := newGitRepo(t)
	origin.git("config", "uploadpack.allowFilter", "true")
	origin.git("checkout", "-q", "-b", "feature")
	origin.write("mysite/settings.py", "SECRET_KEY = '"+testenv.FakeKey("partial")+"'\n")
	origin.git("add", "mysite/settings.py")
	origin.git("commit", "-q", "-m", "key on feature")
	origin.git("checkout", "-q", "main")
	clone := filepath.Join(t.TempDir(), "clone")
	origin.git("clone", "-q", "--filter=blob:none", "file://"+origin.dir, clone)
	tip := strings.TrimSpace(origin.git("rev-parse", "feature"))
	line := "refs/remotes/origin/feature " + tip + " refs/heads/feature " + strings.Repeat("0", 40) + "\n"
	code, out, errOut := runCLIInput(t, clone, nil, line, "scan", "--pre-push", "--remote", "fork")
	if code != exitError || !strings.Contains(errOut, "partial clone") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// Run by hand in a repository with no commit yet (a fresh git init, an
// orphan branch), --pre-push audits nothing, as git would push nothing,
// and says so.
func TestScanPrePushWithNoCommitsAuditsNothing(t *testing.T) {
	g := testenv.NewGitRepo(t)
	code, stdout, stderr := runCLI(t, g.Dir, "scan", "--pre-push")
	if code != exitClean || !strings.Contains(stderr, "nothing to push") || strings.Contains(stderr, "not found") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	g.Commit("first", map[string]string{"settings.py": "SECRET_KEY = '" + testenv.FakeKey("orphan") + "'\n"})
	if code, _, stderr := runCLI(t, g.Dir, "scan", "--pre-push"); code != exitFindings {
		t.Errorf("with a commit holding a key: exit %d, stderr %q", code, stderr)
	}
}
