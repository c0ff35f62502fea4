package history

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/testenv"
)

// lockfile is a text of hashes, as a lockfile is: runs of the key alphabet
// on every line, none of them a key, so every version is looked at (the
// cheap first look finds candidates) and is quiet. It grows a line a
// version: packers make the largest version the base of the others, so
// the versions that add a key, which replace a line, are deltas.
func lockfile(version int) []string {
	var lines []string
	for i := range 300 + version {
		v := i
		if i%50 == version%50 {
			v += 1000 * version // a few lines change in every version
		}
		lines = append(lines, fmt.Sprintf("pkg-%d = {hash = \"sha256:%064x\"}", i, v*7919))
	}
	return lines
}

// TestScanHistoryFindsKeysAddedToQuietFiles: versions of a lockfile and of
// a module, stored as deltas of one another, where a few versions add a key
// — bare, under a name, in a name made by the edit, at a file's end — each
// found in the version that adds it, though most versions are read only
// where their delta changed them.
func TestScanHistoryFindsKeysAddedToQuietFiles(t *testing.T) {
	f := testenv.NewGitRepo(t)
	var want []string
	for v := range 40 {
		lock := lockfile(v)
		module := []string{"import os", "", "DEBUG = False", "SECRET = 'not a key'", strings.Join(lockfile(v + 7)[:20+v], "\n")}
		switch v {
		case 9:
			k := testenv.FakeKey("bare in a lockfile")
			lock[150] = k
			want = append(want, k)
		case 19:
			k := testenv.FakeKey("named in a module")
			module[2] = "SECRET_KEY = '" + k + "'"
			want = append(want, k)
		case 29:
			// The edit turns SECRET into SECRET_KEY: a name no version
			// spelled before.
			k := testenv.FakeKey("a name made by the edit")
			module[3] = "SECRET_KEY = '" + k + "'"
			want = append(want, k)
		case 35:
			k := testenv.FakeKey("at the end of a lockfile")
			lock[len(lock)-1] = "key = " + k
			want = append(want, k)
		}
		f.Commit(fmt.Sprintf("version %d", v), map[string]string{
			"poetry.lock":   strings.Join(lock, "\n") + "\n",
			"app/hashes.py": strings.Join(module, "\n") + "\n",
		})
	}
	if err := f.Repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	res := scanOf(f, Options{})
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Fatalf("found %d keys, want the %d added", len(got), len(want))
	}
	// 80 blobs; only those of versions that are not quiet are scanned whole.
	if res.Blobs > 20 {
		t.Errorf("%d blobs scanned whole: the quiet versions were not told apart", res.Blobs)
	}
}
