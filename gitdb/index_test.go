package gitdb

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/testenv"
)

// TestReadIndexMatchesGoGit reads indexes git wrote in versions 2, 3 and
// 4 (path compression) and compares the entries with go-git's decoder.
func TestReadIndexMatchesGoGit(t *testing.T) {
	files := map[string]string{"README.md": "r\n", "app/models.py": "m\n", "app/views.py": "v\n", "app/sub/deeper/x.py": "x\n"}
	for i := 0; i < 30; i++ {
		files[filepath.ToSlash(filepath.Join("pkg", "module_with_a_long_name_"+string(rune('a'+i%26))+".py"))] = "p\n"
	}
	dir := testenv.WriteTree(t, files)
	run := func(args ...string) { testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	for _, version := range []string{"2", "3", "4"} {
		run("update-index", "--index-version", version)
		if version == "3" {
			run("update-index", "--skip-worktree", "README.md") // an extended flag
		}
		got, err := ReadIndex(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatalf("version %s: %v", version, err)
		}
		repo, _ := git.PlainOpen(dir)
		want, err := repo.Storer.Index()
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Entries) != len(want.Entries) {
			t.Fatalf("version %s: %d entries, go-git read %d", version, len(got.Entries), len(want.Entries))
		}
		for i, e := range want.Entries {
			g := got.Entries[i]
			if g.Name != e.Name || g.Hash != e.Hash || g.Mode != e.Mode || g.Stage != int(e.Stage) {
				t.Errorf("version %s entry %d: %+v, go-git read %s %s", version, i, g, e.Name, e.Hash)
			}
		}
		if _, ok := got.Trees["app/sub/deeper"]; !ok || len(got.Trees) < 4 {
			t.Errorf("version %s: cache tree %v", version, got.Trees)
		}
	}
}

func TestReadIndexRefusesDamage(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"not an index": []byte("hello, this is not an index file at all......"),
		"version 9":    append([]byte("DIRC\x00\x00\x00\x09\x00\x00\x00\x00"), make([]byte, 20)...),
		"too many":     append([]byte("DIRC\x00\x00\x00\x02\x00\x00\xff\xff"), make([]byte, 20)...),
	} {
		p := filepath.Join(dir, "index")
		os.WriteFile(p, data, 0o644)
		if _, err := ReadIndex(p); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if idx, err := ReadIndex(filepath.Join(dir, "missing")); err != nil || len(idx.Entries) != 0 {
		t.Errorf("a missing index: %v", err)
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00" + string(make([]byte, 20))))
	f.Add([]byte("DIRC\x00\x00\x00\x04\x00\x00\x00\x01" + string(make([]byte, 90))))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseIndex(data) // must not panic
	})
}
