package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestPurgePlanWorksWithGitFilterRepo purges two keys from a repository's
// history with the plan djguard writes and git filter-repo, then audits the
// result.
func TestPurgePlanWorksWithGitFilterRepo(t *testing.T) {
	filterRepo := testenv.Tool(t, "git-filter-repo")
	k1, k2 := testenv.FakeKey("purge-1"), testenv.FakeKey("purge-2")
	dir := testenv.WriteTree(t, map[string]string{
		"mysite/settings.py": "import os\nSECRET_KEY = '" + k1 + "'\n",
		".env":               "DJANGO_SECRET_KEY=" + k2 + "\n",
		"ci.py":              "SECRET_KEY = 'changeme'\n",
	})
	testenv.Git(t, dir, "init", "-q", "-b", "main")
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-q", "-m", "leak")
	os.WriteFile(filepath.Join(dir, "mysite/settings.py"), []byte("import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"), 0o644)
	testenv.Git(t, dir, "rm", "-q", ".env")
	testenv.Git(t, dir, "commit", "-q", "-am", "rotate")

	plan := filepath.Join(t.TempDir(), "purge.txt")
	code, _, stderr := runCLI(t, dir, "scan", "--history", "--purge-plan", plan)
	if code != exitFindings || !strings.Contains(stderr, "Purging does not un-leak a key") || !strings.Contains(stderr, "git filter-repo --replace-text") {
		t.Fatalf("scan --purge-plan: exit %d, stderr:\n%s", code, stderr)
	}
	if strings.Contains(stderr, k1) || strings.Contains(stderr, k2) {
		t.Error("the instructions print a key")
	}
	info, err := os.Stat(plan)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("plan file: %v, mode %v", err, info.Mode().Perm())
	}
	data, _ := os.ReadFile(plan)
	if strings.Count(string(data), "==>***REMOVED***") != 2 || strings.Contains(string(data), "changeme") {
		t.Errorf("plan holds %d replacements (want the 2 keys, not the short weak one)", strings.Count(string(data), "\n"))
	}

	mirror := filepath.Join(t.TempDir(), "repo.git")
	testenv.Git(t, filepath.Dir(mirror), "clone", "-q", "--mirror", dir, mirror)
	cmd := exec.Command(filterRepo, "--replace-text", plan)
	cmd.Dir = mirror
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+mirror)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git filter-repo: %v\n%s", err, out)
	}
	code, out, stderr := runCLI(t, mirror, "scan", "--history", "--format", "json")
	if strings.Contains(out, "\"class\": \"hardcoded-key\"") || strings.Contains(out, "\"class\": \"insecure-key\"") {
		t.Errorf("after the purge the history still holds keys:\n%s", out)
	}
	if code != exitClean {
		t.Errorf("after the purge: exit %d (only the low weak key may remain), stderr %q", code, stderr)
	}
}

// The command the purge plan's instructions print is one a shell runs as
// printed: a plan path with ; in it is quoted, not run as two
// commands.
func TestPurgePlanCommandQuotesThePath(t *testing.T) {
	key := testenv.FakeKey("purge-quoted")
	dir := testenv.WriteTree(t, map[string]string{"mysite/settings.py": "SECRET_KEY = '" + key + "'\n"})
	testenv.Git(t, dir, "init", "-q")
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-q", "-m", "leak")
	out := filepath.Join(t.TempDir(), "out;x")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(out, "plan.txt")
	_, _, stderr := runCLI(t, dir, "scan", "--history", "--purge-plan", plan)
	if want := "git filter-repo --replace-text '" + plan + "'\n"; !strings.Contains(stderr, want) {
		t.Errorf("the instructions do not print %q:\n%s", want, stderr)
	}
}
