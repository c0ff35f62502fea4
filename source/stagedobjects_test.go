package source

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/internal/testenv"
)

// removeLoose deletes a loose object, as a partial clone lacks one.
func removeLoose(t *testing.T, dir string, h plumbing.Hash) {
	t.Helper()
	hex := h.String()
	if err := os.Remove(filepath.Join(dir, ".git", "objects", hex[:2], hex[2:])); err != nil {
		t.Fatal(err)
	}
}

// treeAt returns the hash of the tree at dir in commit c.
func treeAt(t *testing.T, f *testenv.GitRepo, c plumbing.Hash, dir string) plumbing.Hash {
	t.Helper()
	commit, err := f.Repo.CommitObject(c)
	if err != nil {
		t.Fatal(err)
	}
	root, err := commit.Tree()
	if err != nil {
		t.Fatal(err)
	}
	e, err := root.FindEntry(dir)
	if err != nil {
		t.Fatal(err)
	}
	return e.Hash
}

// TestScanStagedReadsOnlyTheTreesOnStagedPaths: asked about named files,
// as pre-commit asks, a staged scan reads HEAD's trees on their paths and
// no other, so one that lacks a tree elsewhere (a partial clone with
// --filter=tree:0, which git fills only when asked) still scans them;
// this index, written by go-git, has no cache tree to tell the other
// directories unchanged. The tree on a named path is still needed, and
// its absence is still an error.
func TestScanStagedReadsOnlyTheTreesOnStagedPaths(t *testing.T) {
	f := testenv.NewGitRepo(t)
	head := f.Commit("two apps", map[string]string{
		"app/settings.py": "import os\n",
		"other/views.py":  "x = 1\n",
	})
	removeLoose(t, f.Dir, treeAt(t, f, head, "other"))
	key := testenv.FakeKey("paths")
	stage(f, map[string]string{"app/settings.py": settingsWith(key)})
	res := staged(f, "app/settings.py")
	if got := findingSecrets(res.Findings); !slices.Equal(got, []string{key}) {
		t.Errorf("found %d keys, want the staged one", len(got))
	}

	removeLoose(t, f.Dir, treeAt(t, f, head, "app"))
	_, err := ScanStaged(t.Context(), StagedOptions{Dir: f.Dir, Paths: []string{"app/settings.py"}})
	if err == nil || !strings.Contains(err.Error(), "read HEAD's tree app") {
		t.Errorf("the tree of a staged path is missing: got %v", err)
	}
}

// TestScanStagedInAPackedRepository: with HEAD's files packed as delta
// chains (read through the pack index, not go-git), a staged scan still
// reports exactly the keys on added lines.
func TestScanStagedInAPackedRepository(t *testing.T) {
	for _, refDeltas := range []bool{false, true} {
		t.Run(fmt.Sprintf("REF_DELTA %v", refDeltas), func(t *testing.T) {
			f := testenv.NewGitRepo(t)
			old := testenv.FakeKey("packed-old")
			var lines []string
			for i := range 60 {
				lines = append(lines, fmt.Sprintf("VALUE_%d = %d", i, i))
			}
			for c := range 12 {
				lines[c*5] = fmt.Sprintf("CHANGED_%d = %d", c, c)
				f.Commit(fmt.Sprintf("commit %d", c), map[string]string{
					"app/settings.py":                   "SECRET_KEY = '" + old + "'\n" + strings.Join(lines, "\n") + "\n",
					fmt.Sprintf("app/module%d.py", c%3): strings.Join(lines[c:], "\n") + "\n",
				})
			}
			if err := f.Repo.RepackObjects(&git.RepackConfig{UseRefDeltas: refDeltas}); err != nil {
				t.Fatal(err)
			}
			if loose, _ := filepath.Glob(filepath.Join(f.Dir, ".git", "objects", "??", "*")); len(loose) != 0 {
				t.Fatalf("%d objects left loose", len(loose))
			}
			added := testenv.FakeKey("packed-added")
			stage(f, map[string]string{"app/settings.py": "SECRET_KEY = '" + old + "'\n" + strings.Join(lines, "\n") + "\nFALLBACK = '" + added + "'\n"})
			res := staged(f)
			if got := findingSecrets(res.Findings); !slices.Equal(got, []string{added}) {
				t.Errorf("found %d keys, want the added one alone", len(got))
			}
			if len(res.Findings) == 1 && res.Findings[0].Line != 62 {
				t.Errorf("the added key is reported on line %d, want 62", res.Findings[0].Line)
			}
		})
	}
}

// TestTreeEntriesReadAsGoGitReadsThem: a tree's entries, as the staged
// scan reads them, are go-git's, modes made canonical included; a tree
// it takes for malformed, go-git refuses too, or reads the same.
func TestTreeEntriesReadAsGoGitReadsThem(t *testing.T) {
	h := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	entry := func(mode, name string) string { return mode + " " + name + "\x00" + string(h[:]) }
	for _, tc := range []struct {
		name string
		tree string
	}{
		{"files, a directory, a link and a submodule", entry("100644", "a.py") + entry("100755", "run") + entry("40000", "dir") + entry("120000", "link") + entry("160000", "sub")},
		{"a group-writable mode of old git", entry("100664", "old.py")},
		{"a mode with leading zeros", entry("000100644", "zeros.py")},
		{"an empty tree", ""},
		{"a mode that is not octal", entry("100648", "x")},
		{"a mode past 32 bits", entry("77777777777", "x")},
		{"a name with no end", "100644 name"},
		{"an empty name", entry("100644", "")},
		{"a cut hash", entry("100644", "x")[:20]},
		{"no mode", entry("", "x")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkTreeAgainstGoGit(t, []byte(tc.tree))
		})
	}
}

func checkTreeAgainstGoGit(t *testing.T, data []byte) {
	t.Helper()
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TreeObject)
	obj.Write(data)
	var want object.Tree
	wantErr := want.Decode(obj)
	if !wellFormedTree(data) {
		if wantErr == nil {
			// go-git reads it: the scan takes go-git's reading.
			again, err := goGitTree(data)
			if err != nil || !wellFormedTree(again) {
				t.Fatalf("go-git reads a tree the scan cannot take from it: %v", err)
			}
			data = again
		} else {
			return
		}
	}
	if wantErr != nil {
		t.Fatalf("go-git refuses a tree the scan reads: %v", wantErr)
	}
	var got []object.TreeEntry
	for rest := data; len(rest) > 0; {
		mode, name, eh, next, _ := nextTreeEntry(rest)
		got = append(got, object.TreeEntry{Name: string(name), Mode: mode, Hash: eh})
		rest = next
	}
	if len(got) != len(want.Entries) {
		t.Fatalf("%d entries, go-git %d", len(got), len(want.Entries))
	}
	for i := range got {
		if got[i] != want.Entries[i] {
			t.Errorf("entry %d: %v, go-git %v", i, got[i], want.Entries[i])
		}
	}
}

func FuzzTreeEntries(f *testing.F) {
	h := bytes.Repeat([]byte{7}, 20)
	f.Add([]byte("100644 a.py\x00" + string(h) + "40000 dir\x00" + string(h)))
	f.Add([]byte("0100664 x\x00" + string(h)))
	f.Add([]byte("160000 sub\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkTreeAgainstGoGit(t, data)
	})
}

// TestScanStagedReadsObjectsThroughTheReaderEverywhere: in a linked
// worktree and in a submodule, whose objects lie in another git directory
// than their index, the staged scan reads them through gitdb's Reader
// (not go-git's whole-index lookup) and finds the staged key.
func TestScanStagedReadsObjectsThroughTheReaderEverywhere(t *testing.T) {
	key := testenv.FakeKey("everywhere")
	sub := testenv.WriteTree(t, map[string]string{"lib/settings.py": "import os\n"})
	testenv.Git(t, sub, "init", "-q", "-b", "main")
	testenv.Git(t, sub, "add", "-A")
	testenv.Git(t, sub, "commit", "-q", "-m", "lib")
	super := testenv.WriteTree(t, map[string]string{"app/settings.py": "import os\n"})
	testenv.Git(t, super, "init", "-q", "-b", "main")
	testenv.Git(t, super, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/lib")
	testenv.Git(t, super, "add", "-A")
	testenv.Git(t, super, "commit", "-q", "-m", "super")
	linked := filepath.Join(t.TempDir(), "linked")
	testenv.Git(t, super, "worktree", "add", "-q", linked)

	for _, tc := range []struct{ name, dir, file string }{
		{"the main work tree", super, "app/settings.py"},
		{"a linked worktree", linked, "app/settings.py"},
		{"a submodule", filepath.Join(super, "vendor", "lib"), "lib/settings.py"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(tc.dir, filepath.FromSlash(tc.file)), []byte(settingsWith(key)), 0o644)
			testenv.Git(t, tc.dir, "add", tc.file)
			repo, err := gitrepo.Open(tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			objs, err := openObjects(repo, tc.dir, repo.Storer.(*filesystem.Storage).Filesystem().Root())
			if err != nil {
				t.Fatal(err)
			}
			defer objs.close()
			head, err := repo.Head()
			if err != nil {
				t.Fatal(err)
			}
			if objs.fast == nil {
				t.Fatal("the objects are read through go-git")
			}
			if _, _, err := objs.fast.Read(head.Hash()); err != nil {
				t.Errorf("the Reader does not read HEAD's commit: %v", err)
			}
			res, err := ScanStaged(t.Context(), StagedOptions{Dir: tc.dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Findings) != 1 || res.Findings[0].Path != tc.file {
				t.Errorf("%d findings, want the key staged in %s", len(res.Findings), tc.file)
			}
		})
	}
}
