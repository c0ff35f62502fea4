package source

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitindex"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/internal/testenv"
)

func stage(f *testenv.GitRepo, files map[string]string) {
	f.T.Helper()
	for name, content := range files {
		p := filepath.Join(f.Dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.T.Fatal(err)
		}
		if _, err := f.Worktree.Add(name); err != nil {
			f.T.Fatal(err)
		}
	}
}

func staged(f *testenv.GitRepo, paths ...string) *StagedResult {
	f.T.Helper()
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: f.Dir, Paths: paths})
	if err != nil {
		f.T.Fatal(err)
	}
	return res
}

func TestScanStagedReportsOnlyAddedLines(t *testing.T) {
	f := testenv.NewGitRepo(t)
	old, added := testenv.FakeKey("old"), testenv.FakeKey("added")
	f.Commit("settings", map[string]string{"settings.py": settingsWith(old)})
	// A change elsewhere in a file that already holds a committed key.
	stage(f, map[string]string{"settings.py": settingsWith(old) + "ALLOWED_HOSTS = []\n"})
	if res := staged(f); len(res.Findings) != 0 {
		t.Errorf("a key already in HEAD blocked an unrelated change: %d findings", len(res.Findings))
	}
	// A new key on a changed line, and one in a new file.
	stage(f, map[string]string{
		"settings.py": "import os\n\nDEBUG = False\nSECRET_KEY = '" + added + "'\n",
		"deploy/.env": "DJANGO_SECRET_KEY=" + old + "\n",
	})
	res := staged(f)
	if got := findingSecrets(res.Findings); !slices.Equal(got, sortedPair(old, added)) {
		t.Fatalf("found %d secrets, want the changed line's and the new file's", len(got))
	}
	if res.Findings[0].Path != "deploy/.env" || res.Findings[1].Path != "settings.py" || res.Findings[1].Line != 4 {
		t.Errorf("findings at %s and %s:%d", res.Findings[0].Path, res.Findings[1].Path, res.Findings[1].Line)
	}
	// Paths limit the scan, as pre-commit passes them.
	if res := staged(f, "settings.py"); len(res.Findings) != 1 {
		t.Errorf("limited to settings.py: %d findings", len(res.Findings))
	}
}

func sortedPair(a, b string) []string {
	s := []string{a, b}
	slices.Sort(s)
	return s
}

func TestScanStagedReadsTheIndexNotTheWorkTree(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("index")
	f.Commit("start", map[string]string{"a.txt": "a\n"})
	stage(f, map[string]string{".env": "DJANGO_SECRET_KEY=" + key + "\n"})
	// The work tree no longer has it; the commit still would.
	os.WriteFile(filepath.Join(f.Dir, ".env"), []byte("DJANGO_SECRET_KEY=\n"), 0o644)
	if res := staged(f); len(res.Findings) != 1 || res.Findings[0].Secret != key {
		t.Errorf("staged key not found: %d findings", len(res.Findings))
	}
	// And the reverse: a key only in the work tree is not the commit's.
	f2 := testenv.NewGitRepo(t)
	f2.Commit("start", map[string]string{"a.txt": "a\n"})
	os.WriteFile(filepath.Join(f2.Dir, "settings.py"), []byte(settingsWith(key)), 0o644)
	if res := staged(f2); len(res.Findings) != 0 {
		t.Errorf("an unstaged file was reported")
	}
}

func TestScanStagedInARepositoryWithNoCommit(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("first")
	stage(f, map[string]string{"mysite/settings.py": settingsWith(key)})
	if res := staged(f); len(res.Findings) != 1 {
		t.Errorf("first commit: %d findings", len(res.Findings))
	}
}

func TestScanStagedFromASubdirectoryAndOutsideARepository(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("sub")
	f.Commit("start", map[string]string{"a.txt": "a\n"})
	stage(f, map[string]string{"app/settings.py": settingsWith(key)})
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: filepath.Join(f.Dir, "app"), Paths: []string{"settings.py"}})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Path != "app/settings.py" {
		t.Errorf("from app/: %v, %d findings", err, len(res.Findings))
	}
	if _, err := ScanStaged(context.Background(), StagedOptions{Dir: t.TempDir()}); !errors.Is(err, gitrepo.ErrNotRepository) {
		t.Errorf("outside a repository: err = %v", err)
	}
}

func TestAddedLines(t *testing.T) {
	got := addedLines([]byte("a\nb\r\nc\n"), []byte("a\r\nb\nx\nb\nc\n"))
	want := map[int]bool{3: true, 4: true}
	if len(got) != len(want) || !got[3] || !got[4] {
		t.Errorf("addedLines = %v, want %v", got, want)
	}
}

// TestScanStagedWithGitsCacheTree stages with the git binary, which keeps
// the index's cache-tree extension that ScanStaged uses to skip
// directories nothing was staged in.
func TestScanStagedWithGitsCacheTree(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"a/one.py":        "x = 1\n",
		"b/two.py":        "y = 2\n",
		"c/deep/three.py": "z = 3\n",
	})
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	// Files older than the index are not "racily clean", so git keeps the
	// cache-tree records of directories nothing is staged in.
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"a/one.py", "b/two.py", "c/deep/three.py"} {
		os.Chtimes(filepath.Join(dir, f), old, old)
	}
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	key := testenv.FakeKey("cachetree")
	os.WriteFile(filepath.Join(dir, "c", "deep", "three.py"), []byte(settingsWith(key)), 0o644)
	run("add", "-A")
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Path != "c/deep/three.py" {
		t.Fatalf("%d findings", len(res.Findings))
	}
	if res.Files != 1 {
		t.Errorf("%d files compared, want only the staged one", res.Files)
	}
	idx, err := gitindex.Read(filepath.Join(dir, ".git", "index"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := idx.Trees["a"]; !ok || len(idx.Entries) != 3 {
		t.Errorf("cache tree %v, %d entries", idx.Trees, len(idx.Entries))
	}
	if _, ok := idx.Trees["c/deep"]; ok {
		t.Error("c/deep is still recorded after staging a change in it")
	}
}

// splitIndexRepo makes a git repository that keeps its index split
// (core.splitIndex), with every change kept in the split part rather than
// folded into a new shared index.
func splitIndexRepo(t *testing.T, files map[string]string) (string, func(args ...string) string) {
	t.Helper()
	dir := testenv.WriteTree(t, files)
	run := func(args ...string) string { return testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("config", "core.splitIndex", "true")
	run("config", "splitIndex.maxPercentChange", "100")
	return dir, run
}

func TestScanStagedReadsASplitIndex(t *testing.T) {
	key := testenv.FakeKey("split")
	// The first index git writes with core.splitIndex is all shared part.
	dir, run := splitIndexRepo(t, map[string]string{"mysite/settings.py": settingsWith(key)})
	run("add", "-A")
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: dir})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Path != "mysite/settings.py" {
		t.Fatalf("a key staged into the shared index: %v, %+v", err, res)
	}

	// A file held in the shared index only, then changed: the split part
	// replaces its entry, under an empty name.
	dir, run = splitIndexRepo(t, map[string]string{"a.txt": "a\n", "mysite/settings.py": settingsWith("")})
	run("add", "-A")
	run("commit", "-q", "-m", "start")
	run("update-index", "--split-index")
	os.WriteFile(filepath.Join(dir, "mysite", "settings.py"), []byte(settingsWith(key)), 0o644)
	run("add", "mysite/settings.py")
	res, err = ScanStaged(context.Background(), StagedOptions{Dir: dir})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Path != "mysite/settings.py" || res.Findings[0].Line != 4 {
		t.Fatalf("a changed file of the shared index: %v, %+v", err, res)
	}

	// A linked worktree keeps its own index and shared index in its own
	// git directory.
	wt := filepath.Join(t.TempDir(), "wt")
	run("commit", "-q", "--no-verify", "-m", "key")
	run("worktree", "add", "-q", wt)
	os.WriteFile(filepath.Join(wt, "a.txt"), []byte("DJANGO_SECRET_KEY="+testenv.FakeKey("wt")+"\n"), 0o644)
	testenv.Git(t, wt, "add", "a.txt")
	res, err = ScanStaged(context.Background(), StagedOptions{Dir: wt})
	if err != nil || len(res.Findings) != 1 || res.Findings[0].Path != "a.txt" {
		t.Fatalf("a linked worktree's split index: %v, %+v", err, res)
	}
}

func TestScanStagedRefusesASparseIndex(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"in/a.py": "a\n", "out/b.py": "b\n"})
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	testenv.SparseIndex(t, dir, "in")
	os.WriteFile(filepath.Join(dir, "in", "a.py"), []byte(settingsWith(testenv.FakeKey("sparse"))), 0o644)
	run("add", "in/a.py")
	_, err := ScanStaged(context.Background(), StagedOptions{Dir: dir})
	if !errors.Is(err, gitindex.ErrUnsupported) || !strings.Contains(err.Error(), "sparse index") {
		t.Errorf("err = %v, want a refusal naming the sparse index", err)
	}
}

// Outside a commit, a file named with nothing staged is scanned whole;
// unnamed, or in a commit, it is not.
func TestScanStagedScansANamedFileWithNothingStagedWhole(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"mysite/settings.py": settingsWith(testenv.FakeKey("committed")),
		"app/views.py":       "x = 1\n",
	})
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	// Old files keep git's cache-tree record of mysite/, so the file is
	// in a directory the index says is clean.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "mysite", "settings.py"), old, old)
	os.Chtimes(filepath.Join(dir, "app", "views.py"), old, old)
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	os.WriteFile(filepath.Join(dir, "app", "views.py"), []byte("x = 2\n"), 0o644)
	run("add", "-A")
	scan := func(paths ...string) *StagedResult {
		t.Helper()
		res, err := ScanStaged(context.Background(), StagedOptions{Dir: dir, Paths: paths, WholeUnstaged: true})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := scan(); len(res.Findings) != 0 {
		t.Errorf("every staged change: %d findings, want none (the key is HEAD's)", len(res.Findings))
	}
	if res := scan("mysite/settings.py", "app/views.py"); len(res.Findings) != 1 || res.Findings[0].Path != "mysite/settings.py" {
		t.Errorf("named: %d findings, want the committed key in mysite/settings.py", len(res.Findings))
	}
	// In a commit, a named file with nothing staged adds nothing.
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: dir, Paths: []string{"mysite/settings.py"}})
	if err != nil || len(res.Findings) != 0 {
		t.Errorf("in a commit: %v, %d findings, want none", err, len(res.Findings))
	}
}

func settingsWith(key string) string {
	return "import os\n\nDEBUG = False\nSECRET_KEY = '" + key + "'\n"
}

// findingSecrets lists the secrets of findings, sorted.
func findingSecrets(fs []detect.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Secret)
	}
	slices.Sort(out)
	return out
}

// The staged scan finds what the work-tree scan finds in the same file: a
// base64-encoded django-insecure- key too, which its first look used to
// pass over.
func TestScanStagedFindsWhatTheWorkTreeScanFinds(t *testing.T) {
	insecure := "django-insecure-" + testenv.FakeKey("b64")
	content := "data:\n  DJANGO_KEY: " + base64.StdEncoding.EncodeToString([]byte(insecure)) + "\n"
	if got := findingSecrets(detect.Detect("conf.yaml", []byte(content))); !slices.Equal(got, []string{insecure}) {
		t.Fatalf("the work-tree scan finds %d secrets", len(got))
	}
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	stage(f, map[string]string{"conf.yaml": content})
	if got := findingSecrets(staged(f).Findings); !slices.Equal(got, []string{insecure}) {
		t.Errorf("staged scan: found %d secrets, want the work tree's 1", len(got))
	}
}

// A bit flipped in a staged file's mode in the index: git commits the file
// as its type bits say (100644 for most flips), so the scan reads it as a
// file; a flip git would commit as a submodule is named as not read.
func TestScanStagedReadsAnEntryWithADamagedMode(t *testing.T) {
	for _, c := range []struct {
		name    string
		flip    uint32
		found   bool
		notRead bool
	}{
		{"a bit above the type, committed as 100644", 0x08000000, true, false},
		{"the sticky bit, committed as 100644", 0o1000, true, false},
		{"a type bit making a link, whose blob git commits", 0o020000, true, false},
		{"a type bit making no type git knows, committed as a submodule", 0o010000, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := testenv.NewGitRepo(t)
			f.Commit("start", map[string]string{"a.txt": "a\n"})
			stage(f, map[string]string{"local.py": settingsWith(testenv.FakeKey("flip"))})
			flipIndexMode(t, filepath.Join(f.Dir, ".git", "index"), "local.py", c.flip)
			res := staged(f)
			if got := len(res.Findings) == 1; got != c.found {
				t.Errorf("%d findings, want the key found: %v", len(res.Findings), c.found)
			}
			if got := len(res.NotRead) == 1 && res.NotRead[0].Path == "local.py"; got != c.notRead {
				t.Errorf("not read: %+v, want local.py named: %v", res.NotRead, c.notRead)
			}
		})
	}
}

// flipIndexMode flips bits of the mode of the entry name in a version 2
// index, leaving the trailer stale, as a bad disk would.
func flipIndexMode(t *testing.T, index, name string, flip uint32) {
	t.Helper()
	data, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	// An entry's mode sits 24 bytes into it, and its name 62 bytes.
	at := bytes.Index(data, append([]byte(name), 0)) - 62 + 24
	if at < 12 || string(data[:4]) != "DIRC" || data[7] != 2 {
		t.Fatalf("no version 2 entry %s in the index", name)
	}
	binary.BigEndian.PutUint32(data[at:], binary.BigEndian.Uint32(data[at:])^flip)
	if err := os.WriteFile(index, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
