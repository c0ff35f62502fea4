package history

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/internal/testenv"
)

// bothAudits runs the range audit and the whole audit with opt; the range
// audit must not hand the range on to the whole audit.
func bothAudits(t *testing.T, opt Options) (ranged, whole *Result) {
	t.Helper()
	newAudit, err := prepare(opt)
	if err != nil {
		t.Fatal(err)
	}
	ranged, err = newAudit().scanRange(context.Background())
	if errors.Is(err, errWholeAudit) {
		t.Fatalf("%+v: the range audit left the range to the whole audit", opt)
	}
	if err != nil {
		t.Fatalf("%+v: range audit: %v", opt, err)
	}
	whole, err = newAudit().scanWhole(context.Background())
	if err != nil {
		t.Fatalf("%+v: whole audit: %v", opt, err)
	}
	return ranged, whole
}

// sameFindings compares what two audits found, field by field as the
// reports print them.
func sameFindings(t *testing.T, what string, ranged, whole *Result) {
	t.Helper()
	r, _ := json.MarshalIndent(ranged.Findings, "", " ")
	w, _ := json.MarshalIndent(whole.Findings, "", " ")
	if string(r) != string(w) {
		t.Errorf("%s: the range audit found\n%s\nthe whole audit\n%s", what, r, w)
	}
	if ranged.Commits != whole.Commits {
		t.Errorf("%s: the range audit audited %d commits, the whole audit %d", what, ranged.Commits, whole.Commits)
	}
	if len(ranged.Missing) != 0 || len(whole.Missing) != 0 {
		t.Errorf("%s: missing objects: %v, %v", what, ranged.Missing, whole.Missing)
	}
}

// TestRangeAuditFindsWhatTheWholeAuditFinds compares the two audits on
// the planted history: ranges of every length back from HEAD and from
// other branches, spelled as --since and as pushes.
func TestRangeAuditFindsWhatTheWholeAuditFinds(t *testing.T) {
	dir, planted := testenv.PlantedRepo(t, "200")
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out))
	}
	first := git("rev-list", "--max-parents=0", "HEAD")
	found := 0
	for _, k := range []int{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144} {
		base := git("rev-parse", fmt.Sprintf("HEAD~%d", k))
		for _, opt := range []Options{
			{Repo: dir, Range: base},
			{Repo: dir, Range: fmt.Sprintf("HEAD~%d..HEAD", k)},
			{Repo: dir, Pushes: []Push{{Local: "HEAD", Remote: base}}},
		} {
			ranged, whole := bothAudits(t, opt)
			sameFindings(t, fmt.Sprintf("%+v", opt), ranged, whole)
			found += len(whole.Findings)
		}
	}
	// From the first commit on: the first commit's tree is all new.
	ranged, whole := bothAudits(t, Options{Repo: dir, Range: first + "..HEAD"})
	sameFindings(t, "from the first commit", ranged, whole)
	// Every other branch, pushed onto main as the remote holds it.
	branches := strings.Fields(git("for-each-ref", "--format=%(refname:short)", "refs/heads/"))
	for _, b := range branches {
		ranged, whole := bothAudits(t, Options{Repo: dir, Range: "HEAD.." + b})
		sameFindings(t, "HEAD.."+b, ranged, whole)
		found += len(whole.Findings)
	}
	t.Logf("%d findings compared over %d branches", found, len(branches))
	if found == 0 || len(planted) == 0 {
		t.Fatalf("no range held a planted secret: the comparison compared nothing (%d branches)", len(branches))
	}
}

// A push onto remote-tracking branches, where the key the pushed commits
// add was on the remote already under another name (it came in before),
// and one it did not hold: the same findings either way.
func TestRangeAuditLeavesOutWhatTheBoundaryHeld(t *testing.T) {
	f := testenv.NewGitRepo(t)
	old, fresh := testenv.FakeKey("old"), testenv.FakeKey("fresh")
	f.Commit("start", map[string]string{"README.md": "demo\n", "conf/settings.py": settingsWith(old)})
	onRemote := f.Commit("more", map[string]string{"app/views.py": "x = 1\n"})
	if _, err := f.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", onRemote)); err != nil {
		t.Fatal(err)
	}
	f.Commit("copy the old key", map[string]string{"app/local_settings.py": settingsWith(old)})
	f.Commit("a new key in a file the remote holds", map[string]string{"app/views.py": settingsWith(fresh)})
	f.Commit("and drop it", map[string]string{"app/views.py": "x = 2\n"})
	for _, p := range []Push{
		{Local: "HEAD", RemoteName: "origin"},
		{Local: "HEAD", Remote: onRemote.String(), RemoteName: "origin"},
		{Local: "HEAD", AllRemotes: true},
	} {
		ranged, whole := bothAudits(t, Options{Repo: f.Dir, Pushes: []Push{p}})
		sameFindings(t, fmt.Sprintf("%+v", p), ranged, whole)
		if got := secrets(ranged); len(got) != 1 || got[0] != fresh {
			t.Errorf("%+v: found %d secrets, want the fresh key alone", p, len(got))
		}
	}
}

// A remote-tracking branch whose tip was committed with a clock set a few
// hours back: the walk, which reads newest first, must still learn that
// the commit below it is the remote's before it calls that commit pushed.
func TestRangeAuditWalksPastAClockSetBack(t *testing.T) {
	f := testenv.NewGitRepo(t)
	old, fresh := testenv.FakeKey("old"), testenv.FakeKey("fresh")
	f.Commit("root", map[string]string{"README.md": "demo\n"})
	f.Commit("a key the remote holds", map[string]string{"conf/settings.py": settingsWith(old)})
	f.Checkout("elsewhere", true)
	if err := os.WriteFile(filepath.Join(f.Dir, "notes.txt"), []byte("late\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Worktree.Add("notes.txt"); err != nil {
		t.Fatal(err)
	}
	early := &object.Signature{Name: "Dev", Email: "dev@example.com", When: time.Date(2019, 12, 31, 20, 0, 0, 0, time.UTC)}
	remoteTip, err := f.Worktree.Commit("committed with the clock set back", &git.CommitOptions{Author: early, Committer: early})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", remoteTip)); err != nil {
		t.Fatal(err)
	}
	f.Checkout("master", false)
	f.Commit("a new key", map[string]string{"app/settings.py": settingsWith(fresh)})
	ranged, whole := bothAudits(t, Options{Repo: f.Dir, Pushes: []Push{{Local: "HEAD", RemoteName: "origin"}}})
	sameFindings(t, "a push onto a skewed remote", ranged, whole)
	if got := secrets(ranged); len(got) != 1 || got[0] != fresh || ranged.Commits != 1 {
		t.Errorf("found %d secrets in %d commits, want the fresh key in 1", len(got), ranged.Commits)
	}
}

// The range audit reads revisions itself where it can: each must name
// the commit git names.
func TestRangeAuditResolvesRevisionsAsGitDoes(t *testing.T) {
	dir, _ := testenv.PlantedRepo(t, "200")
	g := rangeAuditOf(t, Options{Repo: dir}, 1<<30)
	short, err := exec.Command("git", "-C", dir, "rev-parse", "--short", "HEAD~3").Output()
	if err != nil {
		t.Fatal(err)
	}
	branches, err := exec.Command("git", "-C", dir, "for-each-ref", "--format=%(refname:short)", "refs/heads/").Output()
	if err != nil {
		t.Fatal(err)
	}
	revs := []string{"HEAD", "HEAD~1", "HEAD~0", "HEAD^", "HEAD^^", "HEAD~2^1", "HEAD^0", "HEAD~7~3", strings.TrimSpace(string(short))}
	for _, b := range strings.Fields(string(branches)) {
		revs = append(revs, b, b+"~2", "refs/heads/"+b, "heads/"+b)
	}
	// A merge of HEAD~1 and HEAD~5, for the second parent's steps.
	merge, err := exec.Command("git", "-C", dir, "commit-tree", "HEAD^{tree}", "-p", "HEAD~1", "-p", "HEAD~5", "-m", "merge").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := strings.TrimSpace(string(merge))
	revs = append(revs, m+"^2", m+"^2~1", m+"^1", m+"^1~2")
	for _, rev := range revs {
		want, err := exec.Command("git", "-C", dir, "rev-parse", "--verify", "-q", rev+"^{commit}").Output()
		if err != nil {
			t.Fatalf("git rev-parse %s: %v", rev, err)
		}
		got, err := g.commit(rev)
		if err != nil {
			t.Errorf("%s: %v", rev, err)
			continue
		}
		if got.String() != strings.TrimSpace(string(want)) {
			t.Errorf("%s: got %s, git names %s", rev, got, want)
		}
	}
	if _, err := g.commit("HEAD~100000"); err == nil || errors.Is(err, errWholeAudit) {
		t.Errorf("a revision past the first commit: %v, want go-git's error", err)
	}
	if _, _, ok := ancestry("HEAD@{1}"); ok {
		t.Error("a reflog spelling was read as a name")
	}
}

// A range that needs more objects than its share of the packs is handed
// to the whole audit, which Scan then runs: same findings either way.
func TestRangeAuditHandsOnWhatCostsMoreThanItsShare(t *testing.T) {
	dir, _ := testenv.PlantedRepo(t, "200")
	opt := Options{Repo: dir, Range: "HEAD~150..HEAD"}
	g := rangeAuditOf(t, opt, 20)
	if _, _, err := g.selection(); !errors.Is(err, errWholeAudit) {
		t.Errorf("150 commits read with a limit of 20 objects: %v, want errWholeAudit", err)
	}
	packed, err := g.r.Packed()
	if err != nil || packed < 1000 {
		t.Fatalf("the planted history's packs hold %d objects (%v)", packed, err)
	}
	res, err := Scan(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	_, whole := bothAudits(t, opt)
	sameFindings(t, "Scan", res, whole)
}

// rangeAuditOf is a range audit of opt.Repo that may read limit objects,
// its Reader closed when the test ends.
func rangeAuditOf(t *testing.T, opt Options, limit int) *rangeAudit {
	t.Helper()
	newAudit, err := prepare(opt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := gitdb.OpenReader(filepath.Join(opt.Repo, ".git"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return &rangeAudit{a: newAudit(), r: r, limit: limit}
}
