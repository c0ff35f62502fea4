package source

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/testenv"
)

func foundPaths(res *TreeResult) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Path)
	}
	return out
}

func skipReasons(skips []Skip) map[string]string {
	out := map[string]string{}
	for _, s := range skips {
		out[s.Path] = s.Reason
	}
	return out
}

func scanDir(t *testing.T, dir string, opt TreeOptions) *TreeResult {
	t.Helper()
	opt.Dir = dir
	res, err := ScanTree(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScanTreeHonoursGitignoreAndInfoExclude(t *testing.T) {
	line := "SECRET_KEY = '" + testenv.FakeKey("tree") + "'\n"
	dir := testenv.WriteTree(t, map[string]string{
		".gitignore":             "*.local.py\n/build/\n",
		"a.local.py":             line,
		"build/settings.py":      line,
		"excluded/settings.py":   line,
		"sub/.gitignore":         "secret_*.py\n",
		"sub/secret_one.py":      line,
		"sub/kept.py":            line,
		"other/secret_one.py":    line,
		"settings.py":            line,
		".git/config.py":         line, // replaced by a real repository below
		"deep/er/still/found.py": line,
	})
	os.RemoveAll(filepath.Join(dir, ".git"))
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	writeExclude(t, dir, "excluded/\n")
	if err := os.WriteFile(filepath.Join(dir, ".git", "leak.py"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	res := scanDir(t, dir, TreeOptions{})
	want := []string{"deep/er/still/found.py", "other/secret_one.py", "settings.py", "sub/kept.py"}
	if got := foundPaths(res); !slices.Equal(got, want) {
		t.Errorf("found in %v, want %v", got, want)
	}
	// From a subdirectory with no PATH, the whole work tree is scanned and
	// paths are given from where the command runs.
	res = scanDir(t, filepath.Join(dir, "sub"), TreeOptions{})
	if got := foundPaths(res); !slices.Contains(got, "kept.py") || !slices.Contains(got, "../settings.py") {
		t.Errorf("from sub/: found in %v", got)
	}
}

func TestScanTreeListsBinaryAndLargeFilesAsNotReadAndSaysWhy(t *testing.T) {
	line := "SECRET_KEY = '" + testenv.FakeKey("skip") + "'\n"
	dir := testenv.WriteTree(t, map[string]string{
		"image.png":   "\x89PNG\r\n\x1a\n\x00\x00" + line,
		"big.json":    strings.Repeat(" ", 2000) + line,
		"settings.py": line,
	})
	res := scanDir(t, dir, TreeOptions{MaxFileSize: 1000})
	if got := foundPaths(res); !slices.Equal(got, []string{"settings.py"}) {
		t.Errorf("found in %v", got)
	}
	why := skipReasons(res.NotRead)
	if why["image.png"] != "binary" || !strings.Contains(why["big.json"], "over the 1000-byte limit") || len(res.Skipped) != 0 {
		t.Errorf("not read: %v; skipped: %v", why, res.Skipped)
	}
	if res.Files != 1 {
		t.Errorf("%d files scanned, want 1", res.Files)
	}
}

func TestScanTreeDoesNotFollowLinks(t *testing.T) {
	line := "SECRET_KEY = '" + testenv.FakeKey("link") + "'\n"
	outside := testenv.WriteTree(t, map[string]string{"settings.py": line})
	dir := testenv.WriteTree(t, map[string]string{"real/settings.py": line})
	for name, target := range map[string]string{
		"out.py":    filepath.Join(outside, "settings.py"),
		"outdir":    outside,
		"inside.py": filepath.Join(dir, "real", "settings.py"),
		"loop":      dir,
		"dangling":  filepath.Join(dir, "nowhere"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot make links here: %v", err)
		}
	}
	res := scanDir(t, dir, TreeOptions{})
	if got := foundPaths(res); !slices.Equal(got, []string{"real/settings.py"}) {
		t.Errorf("found in %v, want only the real file", got)
	}
	if w := skipReasons(res.Warnings); w["dangling"] != "dangling symbolic link" {
		t.Errorf("warnings: %v", w)
	}
	if s := skipReasons(res.Skipped); s["out.py"] != "symbolic link out of the tree" || s["outdir"] != "symbolic link out of the tree" {
		t.Errorf("skipped: %v", s)
	}
}

func TestScanTreeWarnsAboutUnreadableFilesAndGoesOn(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	line := "SECRET_KEY = '" + testenv.FakeKey("perm") + "'\n"
	dir := testenv.WriteTree(t, map[string]string{"locked.py": line, "open.py": line, "closed/x.py": line})
	os.Chmod(filepath.Join(dir, "locked.py"), 0)
	os.Chmod(filepath.Join(dir, "closed"), 0)
	defer os.Chmod(filepath.Join(dir, "closed"), 0o755)
	res := scanDir(t, dir, TreeOptions{})
	if got := foundPaths(res); !slices.Equal(got, []string{"open.py"}) {
		t.Errorf("found in %v", got)
	}
	w := skipReasons(res.Warnings)
	if !strings.Contains(w["locked.py"], "permission denied") || !strings.Contains(w["closed"], "permission denied") {
		t.Errorf("warnings: %v", w)
	}
}

func TestScanTreeErrorsOnAMissingPath(t *testing.T) {
	_, err := ScanTree(context.Background(), TreeOptions{Dir: t.TempDir(), Paths: []string{"nope.py"}})
	if err == nil || !strings.Contains(err.Error(), "nope.py") {
		t.Errorf("err = %v", err)
	}
}

func TestScanTreeScansANamedFileEvenIfIgnored(t *testing.T) {
	line := "DJANGO_SECRET_KEY=" + testenv.FakeKey("named") + "\n"
	dir := testenv.WriteTree(t, map[string]string{".gitignore": ".env\n", ".env": line})
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	if got := foundPaths(scanDir(t, dir, TreeOptions{})); len(got) != 0 {
		t.Errorf("a gitignored .env was reported: %v", got)
	}
	if got := foundPaths(scanDir(t, dir, TreeOptions{Paths: []string{".env"}})); !slices.Equal(got, []string{".env"}) {
		t.Errorf("named .env: found in %v", got)
	}
}

func TestScanTreeInALinkedWorktree(t *testing.T) {
	line := "SECRET_KEY = '" + testenv.FakeKey("wt") + "'\n"
	main := testenv.WriteTree(t, map[string]string{})
	if _, err := git.PlainInit(main, false); err != nil {
		t.Fatal(err)
	}
	writeExclude(t, main, "ignored.py\n")
	wt := testenv.WriteTree(t, map[string]string{"settings.py": line, "ignored.py": line})
	testenv.LinkWorktree(t, main, wt, "ref: refs/heads/wt")
	res := scanDir(t, wt, TreeOptions{})
	if got := foundPaths(res); !slices.Equal(got, []string{"settings.py"}) {
		t.Errorf("found in %v, want settings.py only (ignored.py is in the common info/exclude)", got)
	}
}

func writeExclude(t *testing.T, repo, patterns string) {
	t.Helper()
	info := filepath.Join(repo, ".git", "info")
	if err := os.MkdirAll(info, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(info, "exclude"), []byte(patterns), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScanTreeScansTrackedFilesWhateverGitignoreSays: a file git tracks
// is in every clone, so an ignore rule written after it was committed (or
// a 'git add -f') must not hide it; untracked ignored files stay skipped.
func TestScanTreeScansTrackedFilesWhateverGitignoreSays(t *testing.T) {
	line := "SECRET_KEY = '" + testenv.FakeKey("tracked") + "'\n"
	dir := testenv.WriteTree(t, map[string]string{
		".gitignore":           ".env\nsecrets/\n*.local.py\n",
		".env":                 "DJANGO_SECRET_KEY=" + testenv.FakeKey("dotenv") + "\n",
		"secrets/prod.py":      line,
		"secrets/untracked.py": line,
		"a.local.py":           line,
		"settings.py":          "DEBUG = True\n",
	})
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	for _, p := range []string{".env", "secrets/prod.py", "settings.py"} {
		if _, err := wt.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	idx, _ := repo.Storer.Index()
	if len(idx.Entries) != 3 {
		t.Fatalf("the index holds %d entries, want the 3 added", len(idx.Entries))
	}
	for _, sub := range []string{"", "secrets"} {
		opt := TreeOptions{}
		if sub != "" {
			opt.Paths = []string{sub}
		}
		got := foundPaths(scanDir(t, dir, opt))
		want := []string{".env", "secrets/prod.py"}
		if sub != "" {
			// A directory named on the command line is scanned as given.
			want = []string{"secrets/prod.py", "secrets/untracked.py"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("scan of %q found %v, want %v", sub, got, want)
		}
	}
}

// TestScanTreeReadsASplitIndexForTrackedFiles: a file git tracks under an
// ignored name is found through a split index, where every entry sits in
// the shared part.
func TestScanTreeReadsASplitIndexForTrackedFiles(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		".gitignore":        "local_settings.py\n",
		"local_settings.py": "SECRET_KEY = '" + testenv.FakeKey("split") + "'\n",
		"settings.py":       "DEBUG = True\n",
	})
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("add", "-f", "local_settings.py")
	run("commit", "-q", "-m", "one")
	run("update-index", "--split-index")
	res := scanDir(t, dir, TreeOptions{})
	if got := foundPaths(res); !slices.Equal(got, []string{"local_settings.py"}) || res.Unread != 0 {
		t.Errorf("found in %v (%d unread), want the tracked local_settings.py", got, res.Unread)
	}
}

// TestScanTreeSaysWhenItCannotReadTheIndex: an index djguard does not read
// (here a sparse one) makes the scan incomplete rather than quietly
// skipping tracked files under ignored names.
func TestScanTreeSaysWhenItCannotReadTheIndex(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{".gitignore": "*.local.py\n", "in/a.py": "a\n", "out/b.py": "b\n"})
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	testenv.SparseIndex(t, dir, "in")
	os.WriteFile(filepath.Join(dir, "in", "x.local.py"), []byte("x\n"), 0o644)
	res := scanDir(t, dir, TreeOptions{})
	if res.Unread != 1 || !strings.Contains(skipReasons(res.Warnings)["(git index)"], "sparse index") {
		t.Errorf("%d unread, warnings %v", res.Unread, res.Warnings)
	}
}
