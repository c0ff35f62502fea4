package history

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// scanOf runs the history audit of f with opt.
func scanOf(f *testenv.GitRepo, opt Options) *Result {
	f.T.Helper()
	if opt.Repo == "" {
		opt.Repo = f.Dir
	}
	res, err := Scan(context.Background(), opt)
	if err != nil {
		f.T.Fatal(err)
	}
	return res
}

func settingsWith(key string) string {
	return "import os\n\nDEBUG = False\nSECRET_KEY = '" + key + "'\n"
}

func secrets(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Secret)
	}
	slices.Sort(out)
	return out
}

// A small history: a key committed and removed on main, a key on an
// unmerged branch, a key only in an annotated tag's commit, and one still
// in HEAD.
func buildHistory(t *testing.T) (f *testenv.GitRepo, removed, branch, tagged, kept string, first plumbing.Hash) {
	f = testenv.NewGitRepo(t)
	removed, branch, tagged, kept = testenv.FakeKey("removed"), testenv.FakeKey("branch"), testenv.FakeKey("tagged"), testenv.FakeKey("kept")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	first = f.Commit("add settings", map[string]string{"mysite/settings.py": settingsWith(removed)})
	f.Commit("read the key from the environment", map[string]string{"mysite/settings.py": "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"})
	f.Checkout("experiment", true)
	f.Commit("try something", map[string]string{"exp/settings.py": settingsWith(branch)})
	f.Checkout("master", false)
	f.Checkout("release-prep", true)
	tagCommit := f.Commit("release settings", map[string]string{"release.env": "DJANGO_SECRET_KEY=" + tagged + "\n"})
	if _, err := f.Repo.CreateTag("v1.0", tagCommit, &git.CreateTagOptions{Message: "v1.0", Tagger: &object.Signature{Name: "Dev", Email: "d@e", When: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	f.Checkout("master", false)
	if err := f.Repo.Storer.RemoveReference(plumbing.NewBranchReferenceName("release-prep")); err != nil {
		t.Fatal(err)
	}
	f.Commit("compose", map[string]string{"docker-compose.yml": "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"" + kept + "\"\n"})
	return f, removed, branch, tagged, kept, first
}

func TestScanHistoryAuditsEveryRef(t *testing.T) {
	f, removed, branch, tagged, kept, first := buildHistory(t)
	res := scanOf(f, Options{})
	want := []string{removed, branch, tagged, kept}
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Fatalf("found %d secrets, want the 4 planted", len(got))
	}
	for _, fd := range res.Findings {
		o := fd.Origin
		switch fd.Secret {
		case removed:
			if o.Commit != first.String() || o.InHead || o.CommitCount != 1 || fd.Path != "mysite/settings.py" || fd.Line != 4 {
				t.Errorf("removed key: %s:%d commit %s count %d in HEAD %v", fd.Path, fd.Line, o.Commit[:8], o.CommitCount, o.InHead)
			}
			if o.Summary != "add settings" || o.Author != "Dev" || o.Email != "dev@example.com" {
				t.Errorf("removed key: origin %+v", o)
			}
		case kept:
			if !o.InHead || fd.Path != "docker-compose.yml" {
				t.Errorf("kept key: %s in HEAD %v", fd.Path, o.InHead)
			}
		case branch:
			if o.InHead || fd.Path != "exp/settings.py" {
				t.Errorf("branch key: %s in HEAD %v", fd.Path, o.InHead)
			}
		}
	}
}

func TestScanHistoryRangesAndBranches(t *testing.T) {
	f, removed, branch, _, kept, first := buildHistory(t)
	// Only what master added after the first settings commit.
	res := scanOf(f, Options{Range: first.String() + "..master"})
	if got := secrets(res); !slices.Equal(got, []string{kept}) {
		t.Errorf("range: found %d secrets, want only the key added after it", len(got))
	}
	// With the work tree on experiment, "master" means master..HEAD.
	f.Checkout("experiment", false)
	res = scanOf(f, Options{Range: "master"})
	if got := secrets(res); !slices.Equal(got, []string{branch}) {
		t.Errorf("--since master on experiment: found %d secrets, want the branch's", len(got))
	}
	f.Checkout("master", false)
	res = scanOf(f, Options{Branch: "experiment"})
	if got := secrets(res); len(got) != 2 || !slices.Contains(got, branch) || !slices.Contains(got, removed) {
		t.Errorf("--branch experiment: found %d secrets", len(got))
	}
	if _, err := Scan(context.Background(), Options{Repo: f.Dir, Branch: "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown branch: err = %v", err)
	}
	if _, err := Scan(context.Background(), Options{Repo: f.Dir, Range: "nope"}); err == nil {
		t.Error("unknown revision: no error")
	}
}

// A pull request's audit (--since BASE, HEAD on the pull request) is of
// what the pull request adds: not of other people's branches, and not of
// keys the base already held.
func TestScanHistorySinceAuditsWhatHeadAdds(t *testing.T) {
	f := testenv.NewGitRepo(t)
	inBase, elsewhere, added := testenv.FakeKey("in base"), testenv.FakeKey("elsewhere"), testenv.FakeKey("added")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	f.Commit("old key", map[string]string{"old/settings.py": settingsWith(inBase)})
	f.Checkout("someone-else", true)
	f.Commit("their work", map[string]string{"theirs/settings.py": settingsWith(elsewhere)})
	f.Checkout("master", false)
	f.Checkout("feature", true)
	f.Commit("clean work", map[string]string{"app/views.py": "def index(request):\n    pass\n"})
	f.Checkout("master", false)
	f.Commit("base moves on", map[string]string{"CHANGES": "more\n"})
	f.Checkout("feature", false)

	for _, rng := range []string{"master", "master..", "master..feature"} {
		if got := secrets(scanOf(f, Options{Range: rng})); len(got) != 0 {
			t.Errorf("clean pull request, --since %s: found %d secrets, want none", rng, len(got))
		}
	}
	f.Commit("add a key", map[string]string{"app/settings.py": settingsWith(added)})
	res := scanOf(f, Options{Range: "master"})
	if got := secrets(res); !slices.Equal(got, []string{added}) {
		t.Errorf("a key added on the pull request: found %d secrets, want it alone", len(got))
	}
	if res.Commits != 2 {
		t.Errorf("audited %d commits, want the pull request's 2", res.Commits)
	}
	// A base branch the clone never fetched: say how to fetch it.
	if _, err := f.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	_, err := Scan(context.Background(), Options{Repo: f.Dir, Range: "origin/main"})
	if err == nil || !strings.Contains(err.Error(), "git fetch origin main:refs/remotes/origin/main") {
		t.Errorf("unfetched base: err = %v", err)
	}
}

func TestScanHistoryReadsPacksAndPackedRefs(t *testing.T) {
	f, removed, branch, tagged, kept, _ := buildHistory(t)
	if err := f.Repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	packRefs(t, f.Dir)
	res := scanOf(f, Options{})
	want := []string{removed, branch, tagged, kept}
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Fatalf("after repacking: found %d secrets, want 4", len(got))
	}
	if res.Objects == 0 {
		t.Error("no objects read")
	}
}

// packRefs moves every loose ref into packed-refs, as git pack-refs does.
func packRefs(t *testing.T, dir string) {
	t.Helper()
	var lines []string
	refsDir := filepath.Join(dir, ".git", "refs")
	filepath.Walk(refsDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(dir, ".git"), p)
		lines = append(lines, strings.TrimSpace(string(data))+" "+filepath.ToSlash(rel))
		return os.Remove(p)
	})
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[41:], b[41:]) })
	content := "# pack-refs with: peeled fully-peeled sorted \n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, ".git", "packed-refs"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanHistoryOnADetachedHead(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("detached")
	f.Commit("one", map[string]string{"a.txt": "a\n"})
	h := f.Commit("two", map[string]string{".env": "DJANGO_SECRET_KEY=" + key + "\n"})
	// Detach HEAD at the key's commit, then move master back past it: only
	// HEAD reaches the key now.
	if err := f.Worktree.Checkout(&git.CheckoutOptions{Hash: h}); err != nil {
		t.Fatal(err)
	}
	c, _ := f.Repo.CommitObject(h)
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/heads/master", c.ParentHashes[0])); err != nil {
		t.Fatal(err)
	}
	res := scanOf(f, Options{})
	if got := secrets(res); !slices.Equal(got, []string{key}) || !res.Findings[0].Origin.InHead {
		t.Errorf("detached HEAD: found %d secrets", len(got))
	}
}

func TestScanHistoryOfAnEmptyRepository(t *testing.T) {
	f := testenv.NewGitRepo(t)
	res := scanOf(f, Options{})
	if len(res.Findings) != 0 || res.Commits != 0 {
		t.Errorf("empty repository: %d findings, %d commits", len(res.Findings), res.Commits)
	}
}

func TestScanHistoryOfABareRepository(t *testing.T) {
	f, _, _, _, _, _ := buildHistory(t)
	bare := filepath.Join(t.TempDir(), "bare.git")
	if err := os.Rename(filepath.Join(f.Dir, ".git"), bare); err != nil {
		t.Fatal(err)
	}
	r, err := git.PlainOpen(bare)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := r.Config()
	cfg.Core.IsBare = true
	if err := r.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	res := scanOf(f, Options{Repo: bare})
	if got := secrets(res); len(got) != 4 {
		t.Errorf("bare repository: found %d secrets, want 4", len(got))
	}
}

func TestScanHistoryFromALinkedWorktree(t *testing.T) {
	f, _, _, _, kept, _ := buildHistory(t)
	wt := t.TempDir()
	head, _ := f.Repo.Head()
	testenv.LinkWorktree(t, f.Dir, wt, head.Hash().String())
	res := scanOf(f, Options{Repo: wt})
	if got := secrets(res); len(got) != 4 || !slices.Contains(got, kept) {
		t.Errorf("from a linked worktree: found %d secrets, want 4", len(got))
	}
}

func TestScanHistoryIncludesTheStash(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("stash")
	base := f.Commit("one", map[string]string{"a.txt": "a\n"})
	// A stash entry as git makes one: a commit whose tree has the work in
	// progress, with HEAD as its first parent, under refs/stash.
	stashed := f.Commit("WIP on master", map[string]string{".env": "DJANGO_SECRET_KEY=" + key + "\n"})
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/heads/master", base)); err != nil {
		t.Fatal(err)
	}
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/stash", stashed)); err != nil {
		t.Fatal(err)
	}
	if err := f.Worktree.Checkout(&git.CheckoutOptions{Branch: "refs/heads/master", Force: true}); err != nil {
		t.Fatal(err)
	}
	res := scanOf(f, Options{})
	if got := secrets(res); !slices.Equal(got, []string{key}) || res.Findings[0].Origin.InHead {
		t.Errorf("stash: found %d secrets", len(got))
	}
}

func TestScanHistoryIncludesRemoteTrackingBranches(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("remote")
	base := f.Commit("one", map[string]string{"a.txt": "a\n"})
	h := f.Commit("two", map[string]string{"settings.py": settingsWith(key)})
	f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/heads/master", base))
	f.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewRemoteReferenceName("origin", "feature"), h))
	f.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.invalid/x.git"}})
	f.Worktree.Checkout(&git.CheckoutOptions{Branch: "refs/heads/master", Force: true})
	if got := secrets(scanOf(f, Options{})); !slices.Equal(got, []string{key}) {
		t.Errorf("remote-tracking branch: found %d secrets", len(got))
	}
	if got := secrets(scanOf(f, Options{Branch: "origin/feature"})); !slices.Equal(got, []string{key}) {
		t.Errorf("--branch origin/feature: found %d secrets", len(got))
	}
}

// A UTF-16 file with a byte-order mark, as Windows editors write one, is
// read as text in history too.
func TestScanHistoryReadsUTF16Files(t *testing.T) {
	key := testenv.FakeKey("utf16")
	units := utf16.Encode([]rune("DEBUG = True\nDJANGO_SECRET_KEY=" + key + "\n"))
	b := []byte{0xff, 0xfe}
	for _, u := range units {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	f := testenv.NewGitRepo(t)
	f.Commit("add env", map[string]string{".env": string(b)})
	if got := secrets(scanOf(f, Options{})); !slices.Equal(got, []string{key}) {
		t.Errorf("history audit found %v", got)
	}
}

// Whatever the work-tree scan finds in a file, the history audit and the
// audit of a push find in the commit that adds it: a base64-encoded
// django-insecure- key too, which holds neither a name nor a run of the
// key alphabet for the audit's first look to catch.
func TestScanHistoryFindsWhatTheWorkTreeScanFinds(t *testing.T) {
	insecure := "django-insecure-" + testenv.FakeKey("b64")
	files := map[string]string{
		"conf.yaml":   "data:\n  DJANGO_KEY: " + base64.StdEncoding.EncodeToString([]byte(insecure)) + "\n",
		"settings.py": settingsWith(testenv.FakeKey("named")),
		"notes.txt":   "the old one was " + testenv.FakeKey("bare") + "\n",
	}
	var want []string
	for name, content := range files {
		for _, fd := range detect.Detect(name, []byte(content)) {
			want = append(want, fd.Secret)
		}
	}
	slices.Sort(want)
	if len(want) != len(files) || !slices.Contains(want, insecure) {
		t.Fatalf("the work-tree scan finds %d secrets in the %d files", len(want), len(files))
	}
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	tip := f.Commit("add configuration", files)
	if got := secrets(scanOf(f, Options{})); !slices.Equal(got, want) {
		t.Errorf("history audit: found %d secrets, want the work tree's %d", len(got), len(want))
	}
	if got := secrets(scanOf(f, Options{Pushes: []Push{{Local: tip.String()}}})); !slices.Equal(got, want) {
		t.Errorf("push audit: found %d secrets, want the work tree's %d", len(got), len(want))
	}
}
