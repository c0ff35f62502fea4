package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/keygen"
)

// testDir is a directory of this test binary's own, made by TestMain and
// removed when the tests end: the integration tests build djguard into
// it once, and keep pre-commit's store there.
var testDir string

func TestMain(m *testing.M) {
	testscript.Main(withTestDir{m}, map[string]func(){
		"djguard": func() {
			os.Exit(run(context.Background(), os.Args[1:], env{
				stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, rand: rand.Reader,
			}))
		},
	})
}

// withTestDir runs the tests with testDir made, and removes it after.
// testscript.Main calls Run only when this binary runs the tests, not when
// it runs as the djguard command of a script.
type withTestDir struct{ m *testing.M }

func (w withTestDir) Run() int {
	dir, err := os.MkdirTemp("", "djguard-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	testDir = dir
	defer removeAll(dir)
	return w.m.Run()
}

// removeAll removes dir, first making writable what a tool left read-only
// (Go's module cache is, should a build put one there).
func removeAll(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "remove the test directory:", err)
	}
}

// TestScripts runs the testscript scenarios in testdata/script: each is a
// command line, the files it works on, and the output it expects.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// gitinit DIR makes DIR a git repository, with go-git.
			"gitinit": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: gitinit DIR")
				}
				_, err := git.PlainInit(ts.MkAbs(args[0]), false)
				ts.Check(err)
			},
			// gitadd PATH... stages files, with go-git.
			"gitadd": func(ts *testscript.TestScript, neg bool, args []string) {
				repo, err := git.PlainOpen(ts.MkAbs("."))
				ts.Check(err)
				wt, err := repo.Worktree()
				ts.Check(err)
				for _, p := range args {
					_, err := wt.Add(p)
					ts.Check(err)
				}
			},
			// gitcommit MSG commits every change in the work tree, with go-git.
			"gitcommit": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: gitcommit MESSAGE")
				}
				repo, err := git.PlainOpen(ts.MkAbs("."))
				ts.Check(err)
				wt, err := repo.Worktree()
				ts.Check(err)
				ts.Check(wt.AddWithOptions(&git.AddOptions{All: true}))
				sig := &object.Signature{Name: "Dev", Email: "dev@example.com", When: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
				_, err = wt.Commit(args[0], &git.CommitOptions{Author: sig, Committer: sig})
				ts.Check(err)
			},
		},
	})
}

// runCLI runs djguard in dir and returns its exit code and output.
func runCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{
		stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		rand: testenv.Rand(t.Name()), dir: dir,
	})
	return code, stdout.String(), stderr.String()
}

func TestScanExitCodes(t *testing.T) {
	key := testenv.FakeKey("exit")
	high := map[string]string{"settings.py": "SECRET_KEY = '" + key + "'\n"}
	low := map[string]string{"settings.py": "SECRET_KEY = 'changeme'\n"}
	clean := map[string]string{"settings.py": "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"}
	for _, tc := range []struct {
		name  string
		files map[string]string
		args  []string
		want  int
	}{
		{"clean tree", clean, []string{"scan"}, exitClean},
		{"a high finding", high, []string{"scan"}, exitFindings},
		{"a low finding does not fail by default", low, []string{"scan"}, exitClean},
		{"a low finding fails with --fail-on low", low, []string{"scan", "--fail-on", "low"}, exitFindings},
		{"nothing fails with --fail-on never", high, []string{"scan", "--fail-on", "never"}, exitClean},
		{"flags after the path", high, []string{"scan", ".", "--format", "json"}, exitFindings},
		{"a missing path", clean, []string{"scan", "no/such/dir"}, exitError},
		{"an unknown flag", clean, []string{"scan", "--frobnicate"}, exitError},
		{"a bad --fail-on", clean, []string{"scan", "--fail-on", "medium"}, exitError},
		{"a bad --max-file-size", clean, []string{"scan", "--max-file-size", "lots"}, exitError},
		{"an unknown command", clean, []string{"frobnicate"}, exitError},
		{"no command", clean, nil, exitError},
		{"help", clean, []string{"help"}, exitClean},
		{"scan -h", clean, []string{"scan", "-h"}, exitClean},
		{"version", clean, []string{"version"}, exitClean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testenv.WriteTree(t, tc.files)
			code, stdout, stderr := runCLI(t, dir, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, key) {
				t.Error("output holds the whole key")
			}
		})
	}
}

func TestScanGivesEachLeakedValueItsOwnReplacement(t *testing.T) {
	k1, k2 := testenv.FakeKey("a"), testenv.FakeKey("b")
	dir := testenv.WriteTree(t, map[string]string{
		"a.py":  "SECRET_KEY = '" + k1 + "'\n",
		"b.py":  "SECRET_KEY = '" + k1 + "'\n",
		"c.env": "DJANGO_SECRET_KEY=" + k2 + "\n",
	})
	code, stdout, _ := runCLI(t, dir, "scan", "--format", "json")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Findings []struct {
			Path, Fingerprint, Replacement, Secret string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 3 {
		t.Fatalf("%d findings", len(rep.Findings))
	}
	byFP := map[string]string{}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if len(f.Replacement) != keygen.Length || keygen.Problem(f.Replacement) != "" {
			t.Errorf("%s: replacement is not a good Django key", f.Path)
		}
		if prev, ok := byFP[f.Fingerprint]; ok && prev != f.Replacement {
			t.Error("the same leaked value got two replacements")
		}
		byFP[f.Fingerprint] = f.Replacement
		seen[f.Replacement] = true
		if f.Secret == k1 || f.Secret == k2 {
			t.Error("JSON holds a whole secret without --show-secrets")
		}
	}
	if len(seen) != 2 {
		t.Errorf("%d distinct replacements for 2 distinct leaked values", len(seen))
	}
}

func TestScanOutputFileIsPrivate(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{".env": "DJANGO_SECRET_KEY=" + testenv.FakeKey("o") + "\n"})
	// One report written afresh, one over an existing world-readable file.
	if err := os.WriteFile(filepath.Join(dir, "old.json"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"out.sarif", "old.json"} {
		code, stdout, stderr := runCLI(t, dir, "scan", "--format", "sarif", "--output", name)
		if code != exitFindings || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", name, code, stdout, stderr)
		}
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: report file mode %v, want 0600", name, info.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".djguard-") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
	// A device is written in place, never replaced.
	if code, _, stderr := runCLI(t, dir, "scan", "--format", "json", "--output", os.DevNull); code != exitFindings {
		t.Errorf("--output %s: exit %d, %s", os.DevNull, code, stderr)
	}
	if info, err := os.Stat(os.DevNull); err != nil || info.Mode().IsRegular() {
		t.Fatalf("%s is no longer a device: %v", os.DevNull, err)
	}
}

func TestKeygenOutputRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, dir, "keygen", "--output", "key.txt"); code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	info, err := os.Stat(filepath.Join(dir, "key.txt"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, info.Mode().Perm())
	}
	if code, _, _ := runCLI(t, dir, "keygen", "--output", "key.txt"); code != exitError {
		t.Errorf("a second keygen --output to the same file exited %d, want %d", code, exitError)
	}
}

func TestKeygenFormats(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		prefix string
		lines  int
	}{
		{[]string{"keygen"}, "", 1},
		{[]string{"keygen", "-n", "3"}, "", 3},
		{[]string{"keygen", "--format", "env"}, "DJANGO_SECRET_KEY='", 1},
		{[]string{"keygen", "--format", "python"}, "SECRET_KEY = '", 1},
		{[]string{"keygen", "--format", "json", "-n", "2"}, `{"keys":["`, 1},
	} {
		code, stdout, stderr := runCLI(t, t.TempDir(), tc.args...)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if code != exitClean || len(lines) != tc.lines || !strings.HasPrefix(stdout, tc.prefix) {
			t.Errorf("%v: exit %d, output %q, stderr %q", tc.args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI(t, t.TempDir(), "keygen", "--length", "40"); code != exitError || !strings.Contains(stderr, "W009") {
		t.Errorf("keygen --length 40: exit %d, stderr %q", code, stderr)
	}
}

func TestScanHistoryFailsAnIncompleteAudit(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"settings.py": "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
		"data.bin":    "a blob a partial clone would not have\n",
	})
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	wt.AddWithOptions(&git.AddOptions{All: true})
	sig := &object.Signature{Name: "Dev", Email: "d@e", When: time.Now()}
	h, err := wt.Commit("one", &git.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := repo.CommitObject(h)
	tree, _ := c.Tree()
	e, _ := tree.FindEntry("data.bin")
	hex := e.Hash.String()
	if err := os.Remove(filepath.Join(dir, ".git", "objects", hex[:2], hex[2:])); err != nil {
		t.Fatal(err)
	}
	// Outside a partial clone a missing object is damage: never "clean".
	code, _, stderr := runCLI(t, dir, "scan", "--history")
	if code != exitError || !strings.Contains(stderr, "1 object is missing (damage") || !strings.Contains(stderr, "the audit is incomplete") {
		t.Errorf("no partial clone: exit %d, stderr %q", code, stderr)
	}
	// A partial clone lacks blobs by design: a warning, unless --strict.
	// git clone --filter marks the remote it fetched from as a promisor.
	f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "[remote \"origin\"]\n\turl = https://example.com/x.git\n\tpromisor = true\n")
	f.Close()
	code, _, stderr = runCLI(t, dir, "scan", "--history")
	if code != exitClean || !strings.Contains(stderr, "1 object is missing") || !strings.Contains(stderr, "blob "+hex+" at data.bin") {
		t.Errorf("partial clone, without --strict: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, dir, "scan", "--history", "--strict")
	if code != exitError || !strings.Contains(stderr, "the audit is incomplete") {
		t.Errorf("with --strict: exit %d, stderr %q", code, stderr)
	}
}
