package source

import (
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
	f := newFixture(t)
	published, pushed := testenv.FakeKey("published"), testenv.FakeKey("pushed")
	f.commit("start", map[string]string{"README.md": "demo\n"})
	onRemote := f.commit("old key", map[string]string{"old/settings.py": settingsWith(published)})
	if _, err := f.repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", onRemote)); err != nil {
		t.Fatal(err)
	}
	clean := f.commit("clean work", map[string]string{"app/views.py": "x = 1\n"})
	leaky := f.commit("add a key", map[string]string{"app/settings.py": settingsWith(pushed)})
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
		res := f.audit(HistoryOptions{Pushes: []Push{c.push}})
		want := slices.Clone(c.want)
		slices.Sort(want)
		if got := secrets(res); !slices.Equal(got, want) || res.Commits != c.commits {
			t.Errorf("%s: %d secrets in %d commits, want %d in %d", c.name, len(got), res.Commits, len(want), c.commits)
		}
	}
	// Two refs pushed at once: what either sends.
	f.checkout("side", true)
	side := testenv.FakeKey("side")
	sideTip := f.commit("side key", map[string]string{"side/settings.py": settingsWith(side)})
	res := f.audit(HistoryOptions{Pushes: []Push{
		{Local: clean.String(), Remote: onRemote.String(), RemoteName: "origin"},
		{Local: sideTip.String(), RemoteName: "origin"},
	}})
	want := []string{pushed, side}
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Errorf("two refs: %d secrets, want the two pushed keys", len(got))
	}
}
