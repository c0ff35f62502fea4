package main

import (
	"crypto/sha1"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestScanStagedReadsEveryIndexOrRefuses: scan --staged finds a key staged
// in a split index (core.splitIndex) and exits 2, naming the feature, on
// an index it does not read, rather than pass a commit it could not see.
func TestScanStagedReadsEveryIndexOrRefuses(t *testing.T) {
	key := testenv.FakeKey("index")
	leak := "import os\nSECRET_KEY = '" + key + "'\n"
	for _, tc := range []struct {
		name   string
		setup  func(g *gitRepo)
		want   int
		stderr string
	}{
		{"a key staged with core.splitIndex", func(g *gitRepo) {
			g.git("config", "core.splitIndex", "true")
			g.write("settings.py", leak)
			g.git("add", "settings.py")
		}, exitFindings, ""},
		{"a file of the shared index changed to hold a key", func(g *gitRepo) {
			g.git("config", "splitIndex.maxPercentChange", "100")
			g.write("settings.py", "import os\n")
			g.git("add", "settings.py")
			g.git("commit", "-q", "-m", "settings")
			g.git("update-index", "--split-index")
			g.write("settings.py", leak)
			g.git("add", "settings.py")
		}, exitFindings, ""},
		{"a sparse index", func(g *gitRepo) {
			g.write("in/settings.py", "import os\n")
			g.write("out/other.py", "x = 1\n")
			g.git("add", "-A")
			g.git("commit", "-q", "-m", "dirs")
			testenv.SparseIndex(t, g.dir, "in")
			g.write("in/settings.py", leak)
			g.git("add", "in/settings.py")
		}, exitError, "sparse index"},
		{"a sparse checkout by git sparse-checkout set (extensions.worktreeConfig)", func(g *gitRepo) {
			g.write("in/settings.py", "import os\n")
			g.write("out/other.py", "x = 1\n")
			g.git("add", "-A")
			g.git("commit", "-q", "-m", "dirs")
			g.git("sparse-checkout", "set", "in")
			g.write("in/settings.py", leak)
			g.git("add", "in/settings.py")
		}, exitFindings, ""},
		{"a sparse index by git sparse-checkout set --sparse-index", func(g *gitRepo) {
			g.write("in/settings.py", "import os\n")
			g.write("out/other.py", "x = 1\n")
			g.git("add", "-A")
			g.git("commit", "-q", "-m", "dirs")
			g.git("sparse-checkout", "set", "--sparse-index", "in")
			g.write("in/settings.py", leak)
			g.git("add", "in/settings.py")
		}, exitError, "it is a sparse index (extension \"sdir\"); make it a full index with 'git sparse-checkout reapply --no-sparse-index'"},
		{"an unknown required extension", func(g *gitRepo) {
			g.write("settings.py", leak)
			g.git("add", "settings.py")
			addIndexExtension(t, filepath.Join(g.dir, ".git", "index"), "zzzz")
		}, exitError, `extension "zzzz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGitRepo(t)
			tc.setup(g)
			code, stdout, stderr := runCLI(t, g.dir, "scan", "--staged")
			if code != tc.want || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, tc.want, tc.stderr, stdout, stderr)
			}
			if code == exitFindings && !strings.Contains(stdout, "settings.py:2:") {
				t.Errorf("the finding is not at settings.py:2:\n%s", stdout)
			}
		})
	}
}

// addIndexExtension appends an extension to an index file, with the
// checksum git would write.
func addIndexExtension(t *testing.T, path, sig string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body := append(data[:len(data)-20:len(data)-20], sig...)
	body = append(body, 0, 0, 0, 0)
	sum := sha1.Sum(body)
	if err := os.WriteFile(path, append(body, sum[:]...), 0o644); err != nil {
		t.Fatal(err)
	}
}
