//go:build integration

package action_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

var built struct {
	once     sync.Once
	bin, err string
}

// buildDjguard builds djguard from this checkout for the action's
// scripts, once for every test.
func buildDjguard(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "djguard-action-test")
		if err != nil {
			built.err = err.Error()
			return
		}
		built.bin = filepath.Join(dir, "djguard")
		cmd := exec.Command(testenv.Tool(t, "go"), "build", "-o", built.bin, "./cmd/djguard")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Sprintf("go build: %v\n%s", err, out)
		}
	})
	if built.err != "" {
		t.Fatal(built.err)
	}
	return built.bin
}

// repoOnMain makes a repository with one commit on main, which
// origin/main also names, and returns it and the commit.
func repoOnMain(t *testing.T) (dir, head string) {
	t.Helper()
	dir = testenv.WriteTree(t, map[string]string{"README.md": "app\n"})
	testenv.Git(t, dir, "init", "-q", "-b", "main")
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-q", "-m", "start")
	head = strings.TrimSpace(testenv.Git(t, dir, "rev-parse", "HEAD"))
	testenv.Git(t, dir, "update-ref", "refs/remotes/origin/main", head)
	return dir, head
}

// runScanStep runs action/scan.sh in dir as the action's scan step does,
// with the github context vars gives, and returns its exit code, its
// output and what it set in $GITHUB_OUTPUT.
func runScanStep(t *testing.T, bin, dir string, vars map[string]string) (int, string, string) {
	t.Helper()
	abs, err := filepath.Abs("scan.sh")
	if err != nil {
		t.Fatal(err)
	}
	// Read here so that go test's cache sees the script change.
	if _, err := os.ReadFile(abs); err != nil {
		t.Fatal(err)
	}
	output := filepath.Join(t.TempDir(), "github_output")
	cmd := exec.Command(testenv.Tool(t, "bash"), abs)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "CI=true",
		"DJGUARD_BIN="+bin, "DJGUARD_PATH=.", "DJGUARD_HISTORY=auto", "DJGUARD_SARIF=djguard.sarif",
		"GITHUB_OUTPUT="+output)
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	set, _ := os.ReadFile(output)
	return code, string(out), string(set)
}

// A push of two commits, the first adding a key and the second removing
// it, leaves a clean working tree: the action audits the commits pushed,
// so the job fails all the same. A new branch audits what it adds to the
// default branch; a push whose before-commit the clone lacks says so and
// audits the whole history.
func TestActionAuditsWhatAPushBrings(t *testing.T) {
	bin := buildDjguard(t)
	key := testenv.FakeKey("pushed then removed")
	dir, before := repoOnMain(t)
	if err := os.WriteFile(filepath.Join(dir, "settings.py"), []byte("SECRET_KEY = '"+key+"'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-q", "-m", "add settings")
	testenv.Git(t, dir, "rm", "-q", "settings.py")
	testenv.Git(t, dir, "commit", "-q", "-m", "oops, take it out")

	code, out, set := runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "BEFORE": before, "REF_NAME": "main", "DEFAULT_BRANCH": "main"})
	if code != 1 || !strings.Contains(set, "sarif-file=djguard.sarif") {
		t.Errorf("a push that added and removed a key: exit %d, outputs %q\n%s", code, set, out)
	}
	code, out, _ = runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "BEFORE": before, "DJGUARD_HISTORY": "false"})
	if code != 0 {
		t.Errorf("history false scans the clean working tree only: exit %d\n%s", code, out)
	}
	head := strings.TrimSpace(testenv.Git(t, dir, "rev-parse", "HEAD"))
	code, out, _ = runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "BEFORE": head, "REF_NAME": "main"})
	if code != 0 {
		t.Errorf("a push of nothing new: exit %d\n%s", code, out)
	}

	testenv.Git(t, dir, "checkout", "-q", "-b", "feature")
	zeros := strings.Repeat("0", 40)
	code, out, _ = runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "BEFORE": zeros, "REF_NAME": "feature", "DEFAULT_BRANCH": "main"})
	if code != 1 {
		t.Errorf("a new branch holding the commits: exit %d\n%s", code, out)
	}
	gone := strings.Repeat("ab", 20)
	code, out, _ = runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "BEFORE": gone, "REF_NAME": "main"})
	if code != 1 || !strings.Contains(out, "::warning title=djguard::The commit before this push (abababababab) is not in the clone") {
		t.Errorf("a forced push whose before-commit is gone: exit %d\n%s", code, out)
	}
}

// On an error djguard writes no report, and the step sets no sarif-file
// output, so that an upload step does not fail a second time on a file
// that is not there; an old report of an earlier step is not passed on.
func TestActionSetsNoReportOnAnError(t *testing.T) {
	bin := buildDjguard(t)
	dir := testenv.WriteTree(t, map[string]string{"djguard.sarif": "stale\n"})
	code, out, set := runScanStep(t, bin, dir, map[string]string{"EVENT": "push", "DJGUARD_HISTORY": "false", "DJGUARD_CONFIG": "missing.toml"})
	if code != 2 || set != "" {
		t.Errorf("an error: exit %d, outputs %q\n%s", code, set, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "djguard.sarif")); !os.IsNotExist(err) {
		t.Errorf("the stale report is still there (%v)", err)
	}
}

// A pull request that adds a key: the job fails with an error annotation
// on the key's file and line and a job summary that names them, as GitHub
// shows them without code scanning.
func TestActionAnnotatesAPullRequest(t *testing.T) {
	bin := buildDjguard(t)
	key := testenv.FakeKey("pull request")
	dir, _ := repoOnMain(t)
	testenv.Git(t, dir, "checkout", "-q", "-b", "feature")
	settings := "import os\n\nDEBUG = False\n\n\n\nSECRET_KEY = '" + key + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.py"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-q", "-m", "settings")
	summary := filepath.Join(t.TempDir(), "summary.md")
	code, out, set := runScanStep(t, bin, dir, map[string]string{
		"EVENT": "pull_request", "BASE_REF": "main", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
	})
	if code != 1 || !strings.Contains(out, "::error file=settings.py,line=7,") || !strings.Contains(set, "sarif-file=djguard.sarif") {
		t.Errorf("a pull request adding a key: exit %d, outputs %q\n%s", code, set, out)
	}
	md, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(md), "| `settings.py` | 7 | hardcoded-key | high |") {
		t.Errorf("job summary (%v):\n%s", err, md)
	}
	if strings.Contains(out+string(md), key) {
		t.Error("the job's log or summary holds the whole key")
	}
}

// TestMain removes the djguard the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.bin != "" {
		os.RemoveAll(filepath.Dir(built.bin))
	}
	os.Exit(code)
}
