package history

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/internal/testenv"
)

// A push sends the commits the remote lacks: a key the remote already
// holds is not the push's, a key in a commit being sent is, and so is
// everything when nothing is known to be on the remote.
func TestScanHistoryAuditsWhatAPushSends(t *testing.T) {
	f := testenv.NewGitRepo(t)
	published, pushed := testenv.FakeKey("published"), testenv.FakeKey("pushed")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	onRemote := f.Commit("old key", map[string]string{"old/settings.py": settingsWith(published)})
	if _, err := f.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", onRemote)); err != nil {
		t.Fatal(err)
	}
	clean := f.Commit("clean work", map[string]string{"app/views.py": "x = 1\n"})
	leaky := f.Commit("add a key", map[string]string{"app/settings.py": settingsWith(pushed)})
	unknown := "0123456789012345678901234567890123456789" // moved on the remote since the last fetch

	cases := []struct {
		name    string
		push    Push
		want    []string
		commits int
	}{
		{"clean commit onto what the remote holds", Push{Local: clean.String(), Remote: onRemote.String(), RemoteName: "origin"}, nil, 1},
		{"a key onto what the remote holds", Push{Local: leaky.String(), Remote: onRemote.String(), RemoteName: "origin"}, []string{pushed}, 2},
		{"a new branch", Push{Local: leaky.String(), RemoteName: "origin"}, []string{pushed}, 2},
		{"an old value the clone lacks", Push{Local: clean.String(), Remote: unknown, RemoteName: "origin"}, nil, 1},
		{"a URL, nothing known there", Push{Local: leaky.String()}, []string{published, pushed}, 4},
	}
	for _, c := range cases {
		res := scanOf(f, Options{Pushes: []Push{c.push}})
		want := slices.Clone(c.want)
		slices.Sort(want)
		if got := secrets(res); !slices.Equal(got, want) || res.Commits != c.commits {
			t.Errorf("%s: %d secrets in %d commits, want %d in %d", c.name, len(got), res.Commits, len(want), c.commits)
		}
	}
	// Two refs pushed at once: what either sends.
	f.Checkout("side", true)
	side := testenv.FakeKey("side")
	sideTip := f.Commit("side key", map[string]string{"side/settings.py": settingsWith(side)})
	res := scanOf(f, Options{Pushes: []Push{
		{Local: clean.String(), Remote: onRemote.String(), RemoteName: "origin"},
		{Local: sideTip.String(), RemoteName: "origin"},
	}})
	want := []string{pushed, side}
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Errorf("two refs: %d secrets, want the two pushed keys", len(got))
	}
}

// A tag of a tree sends no commit; a pushed commit the clone lacks fails
// the audit rather than passing it; a remote whose name starts with
// another's and a slash keeps its own remote-tracking branches.
func TestScanHistoryPushEdgeCases(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("fork only")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	leaky := f.Commit("key", map[string]string{"settings.py": settingsWith(key)})
	for _, name := range []string{"origin", "origin/fork"} {
		if _, err := f.Repo.CreateRemote(&config.RemoteConfig{Name: name, URLs: []string{"https://example.com/" + name}}); err != nil {
			t.Fatal(err)
		}
	}
	// Only the fork has the key's commit.
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/fork/main", leaky)); err != nil {
		t.Fatal(err)
	}
	if got := secrets(scanOf(f, Options{Pushes: []Push{{Local: leaky.String(), RemoteName: "origin"}}})); len(got) != 1 {
		t.Errorf("pushing to origin what only origin/fork has: %d secrets, want 1", len(got))
	}
	if got := secrets(scanOf(f, Options{Pushes: []Push{{Local: leaky.String(), RemoteName: "origin/fork"}}})); len(got) != 0 {
		t.Errorf("pushing to origin/fork what it has: %d secrets, want 0", len(got))
	}
	commit, err := f.Repo.CommitObject(leaky)
	if err != nil {
		t.Fatal(err)
	}
	res := scanOf(f, Options{Pushes: []Push{{Local: commit.TreeHash.String(), RemoteName: "origin"}}})
	if res.Commits != 0 || len(res.Missing) != 0 {
		t.Errorf("a tree pushed: %d commits, %d missing", res.Commits, len(res.Missing))
	}
	res = scanOf(f, Options{Pushes: []Push{{Local: "1234567890123456789012345678901234567890", RemoteName: "origin"}}})
	if len(res.Missing) != 1 || res.Missing[0].Kind != "commit" {
		t.Errorf("a commit the clone lacks: missing %+v", res.Missing)
	}
}

// CI checks a pull request out as its merge commit, one commit deep, and
// fetches the base one commit deep: the merge commit is shallow, and the
// base, its parent, is there. A key the base holds is not the pull
// request's.
func TestScanHistorySinceInAShallowMergeCheckout(t *testing.T) {
	key := testenv.FakeKey("on main")
	origin := testenv.WriteTree(t, map[string]string{"settings.py": settingsWith(key)})
	git := func(dir string, args ...string) string { return testenv.Git(t, dir, args...) }
	git(origin, "init", "-q", "-b", "main")
	git(origin, "add", "-A")
	git(origin, "commit", "-q", "-m", "key on main")
	git(origin, "checkout", "-q", "-b", "pr")
	os.WriteFile(filepath.Join(origin, "views.py"), []byte("x = 1\n"), 0o644)
	git(origin, "add", "-A")
	git(origin, "commit", "-q", "-m", "clean work")
	git(origin, "checkout", "-q", "main")
	os.WriteFile(filepath.Join(origin, "CHANGES"), []byte("more\n"), 0o644)
	git(origin, "add", "-A")
	git(origin, "commit", "-q", "-m", "main moves on")
	git(origin, "checkout", "-q", "--detach")
	git(origin, "merge", "-q", "--no-edit", "pr")
	git(origin, "update-ref", "refs/pull/1/merge", "HEAD")

	clone := t.TempDir()
	git(clone, "init", "-q")
	git(clone, "remote", "add", "origin", "file://"+origin)
	git(clone, "fetch", "-q", "--depth=1", "origin", "refs/pull/1/merge")
	git(clone, "checkout", "-q", "FETCH_HEAD")
	git(clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
	res, err := Scan(context.Background(), Options{Repo: clone, Range: "origin/main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("the base's key was blamed on the pull request: %d findings", len(res.Findings))
	}
}
