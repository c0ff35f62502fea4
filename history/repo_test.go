package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/gitindex"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/source"
)

// sparseCheckout makes a committed repository of in/ and out/ and runs
// 'git sparse-checkout set' with args and "in", as a user would: git then
// turns on extensions.worktreeConfig, which go-git refuses to open.
func sparseCheckout(t *testing.T, args ...string) (dir string, run func(args ...string) string) {
	t.Helper()
	dir = testenv.WriteTree(t, map[string]string{"in/a.py": "a\n", "out/b.py": "b\n"})
	run = func(args ...string) string { return testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	run(append(append([]string{"sparse-checkout", "set"}, args...), "in")...)
	if !strings.Contains(run("config", "--get", "extensions.worktreeConfig"), "true") {
		t.Fatal("git sparse-checkout did not turn on extensions.worktreeConfig, which this test is about")
	}
	return dir, run
}

func TestScansOpenARepositoryWithWorktreeConfig(t *testing.T) {
	dir, run := sparseCheckout(t)
	os.WriteFile(filepath.Join(dir, "in", "a.py"), []byte(settingsWith(testenv.FakeKey("sparse"))), 0o644)
	run("add", "in/a.py")

	staged, err := source.ScanStaged(context.Background(), source.StagedOptions{Dir: dir})
	if err != nil || len(staged.Findings) != 1 || staged.Findings[0].Path != "in/a.py" {
		t.Fatalf("a staged scan: %v, %+v", err, staged)
	}
	tree, err := source.ScanTree(context.Background(), source.TreeOptions{Dir: dir})
	if err != nil || len(tree.Findings) != 1 || tree.Unread != 0 {
		t.Fatalf("a working-tree scan: %v, %+v", err, tree)
	}
	run("commit", "-q", "-m", "key")
	history, err := Scan(context.Background(), Options{Repo: dir})
	if err != nil || len(history.Findings) != 1 {
		t.Fatalf("a history audit: %v, %+v", err, history)
	}

	// A linked worktree finds the repository through its .git file and
	// commondir.
	wt := filepath.Join(t.TempDir(), "wt")
	run("worktree", "add", "-q", wt)
	os.WriteFile(filepath.Join(wt, "c.env"), []byte("DJANGO_SECRET_KEY="+testenv.FakeKey("wt")+"\n"), 0o644)
	testenv.Git(t, wt, "add", "c.env")
	staged, err = source.ScanStaged(context.Background(), source.StagedOptions{Dir: filepath.Join(wt, "in")})
	if err != nil || len(staged.Findings) != 1 || staged.Findings[0].Path != "c.env" {
		t.Fatalf("a staged scan in a linked worktree: %v, %+v", err, staged)
	}

	// A bare repository is its own git directory.
	bare := filepath.Join(t.TempDir(), "bare.git")
	run("clone", "-q", "--bare", dir, bare)
	testenv.Git(t, bare, "config", "extensions.worktreeConfig", "true")
	history, err = Scan(context.Background(), Options{Repo: bare})
	if err != nil || len(history.Findings) != 1 {
		t.Fatalf("a history audit of a bare repository: %v, %+v", err, history)
	}

	// Any other extension go-git does not know is still refused.
	testenv.Git(t, bare, "config", "core.repositoryFormatVersion", "1")
	testenv.Git(t, bare, "config", "extensions.madeUp", "true")
	if _, err := Scan(context.Background(), Options{Repo: bare}); err == nil || !strings.Contains(err.Error(), "madeup") {
		t.Errorf("a repository with an unknown extension: %v", err)
	}
}

// TestScanStagedRefusesASparseIndexWithAdviceThatWorks: the refusal of a
// sparse index says how to make it full, and after that the scan runs.
func TestScanStagedRefusesASparseIndexWithAdviceThatWorks(t *testing.T) {
	dir, run := sparseCheckout(t, "--sparse-index")
	os.WriteFile(filepath.Join(dir, "in", "a.py"), []byte(settingsWith(testenv.FakeKey("sparse"))), 0o644)
	run("add", "in/a.py")
	_, err := source.ScanStaged(context.Background(), source.StagedOptions{Dir: dir})
	advice := "git sparse-checkout reapply --no-sparse-index"
	if !errors.Is(err, gitindex.ErrUnsupported) || !strings.Contains(err.Error(), advice) {
		t.Fatalf("err = %v, want a refusal saying %q", err, advice)
	}
	run(strings.Fields(advice)[1:]...)
	res, err := source.ScanStaged(context.Background(), source.StagedOptions{Dir: dir})
	if err != nil || len(res.Findings) != 1 {
		t.Errorf("after %s: %v, %+v", advice, err, res)
	}
}

// A SHA-256 repository is refused with an error that says so, not with
// go-git's "unknown extension".
func TestOpenRefusesASHA256Repository(t *testing.T) {
	testenv.Tool(t, "git")
	dir := t.TempDir()
	testenv.Git(t, dir, "init", "-q", "--object-format=sha256")
	_, err := Scan(context.Background(), Options{Repo: dir})
	if !errors.Is(err, gitrepo.ErrObjectFormat) || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("err = %v", err)
	}
}
