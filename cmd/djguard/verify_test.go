package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/internal/testenv"
)

// verifyWith runs djguard verify with a deployment environment.
func verifyWith(t *testing.T, dir string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"verify"}, args...), env{
		stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] },
		rand: testenv.Rand(t.Name()), dir: dir,
	})
	return code, stdout.String(), stderr.String()
}

func TestVerifyTellsLeakedWeakAndHealthyKeys(t *testing.T) {
	leaked, healthy := testenv.FakeKey("leaked"), testenv.FakeKey("healthy")
	dir := testenv.WriteTree(t, map[string]string{"mysite/settings.py": "SECRET_KEY = '" + leaked + "'\n"})
	code, report, _ := runCLI(t, dir, "scan", "--format", "json")
	if code != exitFindings {
		t.Fatalf("scan exit %d", code)
	}
	os.WriteFile(filepath.Join(dir, "report.json"), []byte(report), 0o644)
	for _, tc := range []struct {
		name, key string
		want      int
		says      string
	}{
		{"leaked", leaked, exitFindings, "LEAKED"},
		{"weak", "changeme", exitFindings, "WEAK"},
		{"insecure prefix", "django-insecure-" + healthy, exitFindings, "WEAK"},
		{"healthy", healthy, exitClean, "ok: "},
	} {
		code, out, stderr := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": tc.key}, "--against", "report.json")
		if code != tc.want || !strings.Contains(out, tc.says) {
			t.Errorf("%s: exit %d, output %q %q", tc.name, code, out, stderr)
		}
		if strings.Contains(out+stderr, tc.key) {
			t.Errorf("%s: verify printed the key", tc.name)
		}
	}
	if code, _, stderr := verifyWith(t, dir, nil, "--against", "report.json"); code != exitError || !strings.Contains(stderr, "unset") {
		t.Errorf("unset variable: exit %d, %q", code, stderr)
	}
	if code, _, _ := verifyWith(t, dir, map[string]string{"K": healthy}, "--env", "K", "--against", "mysite/settings.py"); code != exitError {
		t.Errorf("a report that is not one: exit %d", code)
	}
}

// leakThenFix makes a repository whose first commit hardcodes key and
// whose second reads it from the environment; it returns the second.
func leakThenFix(t *testing.T, key string) (string, plumbing.Hash) {
	t.Helper()
	dir := testenv.WriteTree(t, map[string]string{"settings.py": "SECRET_KEY = '" + key + "'\n"})
	repo, _ := git.PlainInit(dir, false)
	wt, _ := repo.Worktree()
	wt.AddWithOptions(&git.AddOptions{All: true})
	sig := &object.Signature{Name: "Dev", Email: "d@e"}
	wt.Commit("leak", &git.CommitOptions{Author: sig})
	os.WriteFile(filepath.Join(dir, "settings.py"), []byte("SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"), 0o644)
	wt.AddWithOptions(&git.AddOptions{All: true})
	second, err := wt.Commit("fix", &git.CommitOptions{Author: sig})
	if err != nil {
		t.Fatal(err)
	}
	return dir, second
}

func TestVerifyAgainstHistory(t *testing.T) {
	old, fresh := testenv.FakeKey("old-prod"), testenv.FakeKey("fresh-prod")
	dir, _ := leakThenFix(t, old)
	if code, out, _ := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": old}, "--history"); code != exitFindings || !strings.Contains(out, "LEAKED") {
		t.Errorf("old key: exit %d, %q", code, out)
	}
	if code, out, _ := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": fresh}, "--history"); code != exitClean {
		t.Errorf("fresh key: exit %d, %q", code, out)
	}
}

// TestVerifyHistoryNeverSaysOkWhenTheAuditIsIncomplete: in a shallow
// clone or one with objects missing, a key not among those seen may still
// be among those not seen.
func TestVerifyHistoryNeverSaysOkWhenTheAuditIsIncomplete(t *testing.T) {
	old, fresh := testenv.FakeKey("old-shallow"), testenv.FakeKey("fresh-shallow")
	dir, second := leakThenFix(t, old)
	// Cut the history at the second commit, as 'git clone --depth 1' does.
	if err := os.WriteFile(filepath.Join(dir, ".git", "shallow"), []byte(second.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": fresh}, "--history")
	if code != exitError || strings.Contains(out, "ok") || !strings.Contains(stderr, "shallow") {
		t.Errorf("fresh key in a shallow clone: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// verify --history reads the history as scan --history does, with the
// project's configuration: a key committed under a name only the
// configuration adds (extra-names) is leaked for verify too. It counts
// even where the configuration excludes its file or allows it, since a
// deployment running it runs a key the clone holds.
func TestVerifyHistoryReadsTheProjectConfiguration(t *testing.T) {
	key := "myapp-signing-secret-made-by-hand-for-production-2024"
	for _, tc := range []struct{ name, config string }{
		{"a name the configuration adds", "extra-names = [\"MYAPP_SIGNING_KEY\"]\n"},
		{"an excluded file", "extra-names = [\"MYAPP_SIGNING_KEY\"]\nexclude = [\"app/\"]\n"},
		{"a key marked djguard:allow", "extra-names = [\"MYAPP_SIGNING_KEY\"]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testenv.WriteTree(t, map[string]string{
				".djguard.toml": tc.config,
				"app/conf.py":   "MYAPP_SIGNING_KEY = '" + key + "'" + marker(tc.name) + "\n",
			})
			testenv.Git(t, dir, "init", "-q")
			testenv.Git(t, dir, "add", "-A")
			testenv.Git(t, dir, "commit", "-q", "-m", "signing key")
			if tc.name == "a name the configuration adds" {
				if code, out, _ := runCLI(t, dir, "scan", "--history", "--fail-on", "low", "--format", "json"); code != exitFindings || !strings.Contains(out, "MYAPP_SIGNING_KEY") {
					t.Fatalf("scan --history does not report the key (exit %d): this test needs it to", code)
				}
			}
			code, out, stderr := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": key}, "--history")
			if code != exitFindings || !strings.Contains(out, "LEAKED") {
				t.Errorf("verify --history with the committed key deployed: exit %d\n%s%s", code, out, stderr)
			}
		})
	}
}

// A committed file name holding ESC reaches no terminal raw: the hook's
// refusal (staged and pre-push) and verify --history name where a leaked
// key was seen with it escaped, as fix's diff and advice do.
func TestFileNamesWithTerminalEscapesAreEscaped(t *testing.T) {
	key := testenv.FakeKey("escape")
	name := "x\x1b]0;pwned\x07\x1b[2J.py"
	dir := testenv.WriteTree(t, map[string]string{name: "SECRET_KEY = '" + key + "'\n"})
	testenv.Git(t, dir, "init", "-q")
	testenv.Git(t, dir, "add", "-A")
	code, out, stderr := runCLI(t, dir, "scan", "--staged")
	if code != exitFindings || strings.Contains(out+stderr, "\x1b") || !strings.Contains(out+stderr, `x\x1b]0;pwned\x07\x1b[2J.py`) {
		t.Errorf("scan --staged: exit %d\n%q\n%q", code, out, stderr)
	}
	testenv.Git(t, dir, "commit", "-q", "-m", "leak")
	code, out, stderr = runCLI(t, dir, "scan", "--pre-push")
	if code != exitFindings || strings.Contains(out+stderr, "\x1b") || !strings.Contains(out+stderr, `x\x1b]0;pwned\x07\x1b[2J.py`) {
		t.Errorf("scan --pre-push: exit %d\n%q\n%q", code, out, stderr)
	}
	code, out, stderr = verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": key}, "--history")
	if code != exitFindings || strings.Contains(out+stderr, "\x1b") || !strings.Contains(out, `x\x1b]0;pwned\x07\x1b[2J.py`) {
		t.Errorf("verify --history: exit %d\n%q\n%q", code, out, stderr)
	}
	code, out, stderr = runCLI(t, dir, "fix", name)
	if code != exitFindings || strings.Contains(out+stderr, "\x1b") || !strings.Contains(out, `x\x1b]0;pwned`) {
		t.Errorf("fix: exit %d\n%q\n%q", code, out, stderr)
	}
}

// marker is the comment the test case's key is committed with.
func marker(name string) string {
	if strings.Contains(name, "djguard:allow") {
		return "  # djguard:allow"
	}
	return ""
}
