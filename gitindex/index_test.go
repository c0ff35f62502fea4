package gitindex

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

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
		got, err := Read(filepath.Join(dir, ".git", "index"), "")
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
		"too many":     append([]byte("DIRC\x00\x00\x00\x02\x00\x00\xff\xff"), make([]byte, 20)...),
		"stray bytes":  append([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00TRE"), make([]byte, 20)...),
	} {
		p := filepath.Join(dir, "index")
		os.WriteFile(p, data, 0o644)
		if _, err := Read(p, ""); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	if idx, err := Read(filepath.Join(dir, "missing"), ""); err != nil || len(idx.Entries) != 0 {
		t.Errorf("a missing index: %v", err)
	}
}

// v4Entry is one version 4 index entry: a regular file whose name is the
// previous entry's with strip (git's offset varint, as bytes) bytes taken
// off its end and suffix added.
func v4Entry(strip []byte, suffix string) []byte {
	b := make([]byte, 62)
	binary.BigEndian.PutUint32(b[24:], 0o100644)
	b[40] = 0xab // the blob's hash
	binary.BigEndian.PutUint16(b[60:], uint16(min(len(suffix), 0xfff)))
	b = append(b, strip...)
	b = append(b, suffix...)
	return append(b, 0)
}

// v4Index is a version 4 index file holding entries, with its trailer.
func v4Index(entries ...[]byte) []byte {
	b := []byte("DIRC\x00\x00\x00\x04")
	b = binary.BigEndian.AppendUint32(b, uint32(len(entries)))
	for _, e := range entries {
		b = append(b, e...)
	}
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

func TestReadIndexRefusesBadPathCompression(t *testing.T) {
	dir := t.TempDir()
	// Each entry keeps the whole previous name and adds one byte, so the
	// names would grow past any path git writes.
	growing := [][]byte{v4Entry([]byte{0}, strings.Repeat("a", maxPathName-3))}
	for range 4 {
		growing = append(growing, v4Entry([]byte{0}, "a"))
	}
	for name, data := range map[string][]byte{
		"a strip count that overflows to a negative number": v4Index(v4Entry([]byte{0}, "app.py"), v4Entry([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, "x")),
		"a strip count longer than nine bytes":              v4Index(v4Entry([]byte{0}, "app.py"), v4Entry([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0}, "x")),
		"a strip count past the previous name":              v4Index(v4Entry([]byte{0}, "app.py"), v4Entry([]byte{7}, "x")),
		"a name longer than 64 KiB":                         v4Index(growing...),
	} {
		p := filepath.Join(dir, "index")
		os.WriteFile(p, data, 0o644)
		if _, err := Read(p, ""); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	p := filepath.Join(dir, "index")
	os.WriteFile(p, v4Index(v4Entry([]byte{0}, "app/models.py"), v4Entry([]byte{9}, "views.py")), 0o644)
	if idx, err := Read(p, ""); err != nil || len(idx.Entries) != 2 || idx.Entries[1].Name != "app/views.py" {
		t.Errorf("a good version 4 index: %+v, %v", idx, err)
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00" + string(make([]byte, 20))))
	f.Add([]byte("DIRC\x00\x00\x00\x04\x00\x00\x00\x01" + string(make([]byte, 90))))
	f.Add(v4Index(v4Entry([]byte{0}, "app/models.py"), v4Entry([]byte{9}, "views.py")))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseIndex(data) // must not panic
	})
}

// splitRepo makes a repository of 40 files whose index git keeps split
// (core.splitIndex) in the given index version, then stages a change to
// one file, removes another and adds a third, which the split part records
// as a replacement, a deletion and an addition.
func splitRepo(t *testing.T, version string) (dir string, run func(args ...string) string) {
	t.Helper()
	files := map[string]string{}
	for i := 0; i < 40; i++ {
		files[fmt.Sprintf("pkg/m%02d.py", i)] = fmt.Sprintf("x = %d\n", i)
	}
	dir = testenv.WriteTree(t, files)
	run = func(args ...string) string { return testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("config", "core.splitIndex", "true")
	// Keep every change in the split part: by default git folds it into a
	// new shared index once a fifth of the entries changed.
	run("config", "splitIndex.maxPercentChange", "100")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	run("update-index", "--index-version", version)
	run("update-index", "--split-index")
	os.WriteFile(filepath.Join(dir, "pkg", "m07.py"), []byte("x = 'changed'\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pkg", "m07b.py"), []byte("new\n"), 0o644)
	run("add", "pkg/m07.py", "pkg/m07b.py")
	run("rm", "-q", "pkg/m20.py")
	return dir, run
}

// lsFiles is the index as git reads it: mode, hash, stage and name.
func lsFiles(t *testing.T, run func(args ...string) string) []string {
	t.Helper()
	var out []string
	for _, rec := range strings.Split(strings.TrimSuffix(run("ls-files", "-s", "-z"), "\x00"), "\x00") {
		out = append(out, rec)
	}
	return out
}

func entryLines(idx *Index) []string {
	var out []string
	for _, e := range idx.Entries {
		out = append(out, fmt.Sprintf("%06o %s %d\t%s", uint32(e.Mode), e.Hash, e.Stage, e.Name))
	}
	return out
}

func TestReadIndexMergesASplitIndex(t *testing.T) {
	for _, version := range []string{"2", "4"} {
		dir, run := splitRepo(t, version)
		raw, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		part, err := parseIndex(raw)
		if err != nil || part.link == nil || len(part.link.bitmaps) == 0 || !slices.ContainsFunc(part.entries, func(e Entry) bool { return e.Name == "" }) {
			t.Fatalf("version %s: git did not write the split index this test needs (replacements and a deletion): %v", version, err)
		}
		if !slices.ContainsFunc(part.entries, func(e Entry) bool { return e.Name == "pkg/m07b.py" }) {
			t.Fatalf("version %s: the added file is not in the split part", version)
		}
		idx, err := Read(filepath.Join(dir, ".git", "index"), "")
		if err != nil {
			t.Fatalf("version %s: %v", version, err)
		}
		if got, want := entryLines(idx), lsFiles(t, run); !slices.Equal(got, want) {
			t.Errorf("version %s: read\n%s\ngit reads\n%s", version, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if _, ok := idx.Trees["pkg"]; ok {
			t.Errorf("version %s: the cache tree still records pkg after a change in it", version)
		}
	}
}

func TestReadIndexRefusesABrokenSplitIndex(t *testing.T) {
	dir, _ := splitRepo(t, "2")
	shared, _ := filepath.Glob(filepath.Join(dir, ".git", "sharedindex.*"))
	if len(shared) != 1 {
		t.Fatalf("shared indexes: %v", shared)
	}
	data, _ := os.ReadFile(shared[0])
	data[len(data)-1] ^= 1
	os.WriteFile(shared[0], data, 0o644)
	if _, err := Read(filepath.Join(dir, ".git", "index"), ""); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a shared index that is not the one linked: %v", err)
	}
	os.Remove(shared[0])
	_, err := Read(filepath.Join(dir, ".git", "index"), "")
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "is missing") {
		t.Errorf("a missing shared index: %v", err)
	}
}

// withExtension returns an index file with one more extension before the
// trailer, whose hash it recomputes as git would.
func withExtension(index []byte, sig string) []byte {
	body := slices.Clone(index[:len(index)-indexTrailer])
	body = append(body, sig...)
	body = append(body, 0, 0, 0, 1, 'x')
	sum := sha1.Sum(body)
	return append(body, sum[:]...)
}

func TestReadIndexRefusesWhatItDoesNotRead(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"in/a.py": "a\n", "out/b.py": "b\n", "top.py": "t\n"})
	run := func(args ...string) string { return testenv.Git(t, dir, args...) }
	run("init", "-q")
	run("add", "-A")
	run("commit", "-q", "-m", "one")
	index := filepath.Join(dir, ".git", "index")
	plain, _ := os.ReadFile(index)

	testenv.SparseIndex(t, dir, "in")
	_, err := Read(index, "")
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "sparse index") {
		t.Errorf("a sparse index: %v", err)
	}

	other := filepath.Join(t.TempDir(), "index")
	for sig, refused := range map[string]bool{"zzzz": true, "ZZZZ": false} {
		os.WriteFile(other, withExtension(plain, sig), 0o644)
		_, err := Read(other, "")
		if refused && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), `"zzzz"`)) {
			t.Errorf("an unknown required extension: %v", err)
		}
		if !refused && err != nil {
			t.Errorf("an unknown optional extension: %v", err)
		}
	}
	v5 := slices.Clone(plain)
	v5[7] = 5
	os.WriteFile(other, v5, 0o644)
	if _, err := Read(other, ""); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "version 5") {
		t.Errorf("index version 5: %v", err)
	}
}

// ewah builds a serialised EWAH bitmap from its words.
func ewah(bits uint32, words ...uint64) []byte {
	b := binary.BigEndian.AppendUint32(nil, bits)
	b = binary.BigEndian.AppendUint32(b, uint32(len(words)))
	for _, w := range words {
		b = binary.BigEndian.AppendUint64(b, w)
	}
	return binary.BigEndian.AppendUint32(b, 0)
}

func TestEwahPositions(t *testing.T) {
	rlw := func(run bool, length, literals uint64) uint64 {
		w := length<<1 | literals<<33
		if run {
			w |= 1
		}
		return w
	}
	ones := make([]int, 64)
	for i := range ones {
		ones[i] = i
	}
	for _, c := range []struct {
		name  string
		data  []byte
		limit int
		want  []int
		err   bool
	}{
		{"empty", ewah(0), 10, nil, false},
		{"one literal", ewah(3, rlw(false, 0, 1), 0b101), 10, []int{0, 2}, false},
		{"a run of zeros then a literal", ewah(130, rlw(false, 2, 1), 0b10), 200, []int{129}, false},
		{"a run of ones", ewah(64, rlw(true, 1, 0)), 64, ones, false},
		{"two run words", ewah(66, rlw(true, 1, 0), rlw(false, 0, 1), 0b10), 100, append(slices.Clone(ones), 65), false},
		{"a bit past the limit", ewah(3, rlw(false, 0, 1), 0b100), 2, nil, true},
		{"a run past the limit", ewah(64, rlw(true, 1, 0)), 63, nil, true},
		{"a huge run of zeros", ewah(0, rlw(false, 1<<31, 0)), 10, nil, true},
		{"literals past the end", ewah(3, rlw(false, 0, 2), 1), 10, nil, true},
		{"truncated", ewah(3, rlw(false, 0, 1), 1)[:15], 10, nil, true},
	} {
		got, n, err := ewahPositions(c.data, c.limit)
		if (err != nil) != c.err || !slices.Equal(got, c.want) || (err == nil && n != len(c.data)) {
			t.Errorf("%s: %v, %d bytes, %v", c.name, got, n, err)
		}
	}
}

func TestApplySplitFollowsGitsRules(t *testing.T) {
	e := func(name string, stage int, h byte) Entry {
		return Entry{Name: name, Stage: stage, Hash: plumbing.Hash{h}, Mode: 0o100644}
	}
	shared := []Entry{e("a", 0, 1), e("b", 0, 2), e("c", 1, 3), e("c", 2, 4), e("d", 0, 5)}
	split := []Entry{e("", 0, 9), e("bb", 0, 6), e("c", 0, 7)}
	got, err := applySplit(shared, split, []int{3}, []int{1})
	want := []Entry{e("a", 0, 1), e("b", 0, 9), e("bb", 0, 6), e("c", 0, 7), e("d", 0, 5)}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("applySplit = %v, %v", got, err)
	}
	if _, err := applySplit(shared, split, []int{1}, []int{1}); err == nil {
		t.Error("an entry both deleted and replaced was accepted")
	}
	if _, err := applySplit(shared, split[:0], nil, []int{1}); err == nil {
		t.Error("a replacement with no entry was accepted")
	}
	if _, err := applySplit(shared, []Entry{e("x", 0, 1)}, nil, []int{1}); err == nil {
		t.Error("a replacement under another name was accepted")
	}
}

func FuzzEwahPositions(f *testing.F) {
	f.Add(ewah(3, 1<<33, 0b101), 10)
	f.Add(ewah(64, 3), 64)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		if limit < 0 || limit > 1<<16 {
			return
		}
		got, _, err := ewahPositions(data, limit)
		if err == nil && !slices.IsSorted(got) {
			t.Errorf("positions out of order: %v", got)
		}
		for _, p := range got {
			if p >= limit {
				t.Errorf("position %d past the limit %d", p, limit)
			}
		}
	})
}

// TestReadIndexGivesModesAsGitCommitsThem flips each bit of a staged
// file's mode, as a bad disk or memory would, and checks the mode read is
// the one git's canon_mode writes into the commit's tree.
func TestReadIndexGivesModesAsGitCommitsThem(t *testing.T) {
	for _, c := range []struct {
		raw  uint32
		want filemode.FileMode
	}{
		{0o100644, filemode.Regular},
		{0o100755, filemode.Executable},
		{0o120000, filemode.Symlink},
		{0o160000, filemode.Submodule},
		{0x080081a4, filemode.Regular},   // a bit above the type: git commits 100644
		{0o101644, filemode.Regular},     // the sticky bit
		{0o100645, filemode.Regular},     // others may execute: not the owner
		{0o100744, filemode.Executable},  // the owner may
		{0o120644, filemode.Symlink},     // a type bit: a link
		{0o110644, filemode.Submodule},   // no type git knows: a submodule
		{0o000644, filemode.Submodule},   // no type at all
		{0o040644, filemode.Dir},         // a directory's type
		{0xffffffff, filemode.Submodule}, // every bit
	} {
		idx := v2Index(t, c.raw, "settings.py")
		got, err := Read(idx, "")
		if c.want == filemode.Dir {
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("mode %o: err = %v, want a corrupt index", c.raw, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("mode %o: %v", c.raw, err)
		}
		e := got.Entries[0]
		if e.Mode != c.want || e.Raw != c.raw || e.Damaged() != (c.raw != uint32(c.want)) {
			t.Errorf("mode %o: read %o (raw %o, damaged %v), want %o as git commits it", c.raw, uint32(e.Mode), e.Raw, e.Damaged(), uint32(c.want))
		}
	}
}

// v2Index writes a version 2 index of one entry, name with mode, and
// returns its path.
func v2Index(t *testing.T, mode uint32, name string) string {
	b := []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x01")
	e := make([]byte, 62)
	binary.BigEndian.PutUint32(e[24:], mode)
	e[40] = 0xab
	binary.BigEndian.PutUint16(e[60:], uint16(len(name)))
	e = append(e, name...)
	e = append(e, make([]byte, 8-len(e)%8)...)
	b = append(b, e...)
	sum := sha1.Sum(b)
	p := filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(p, append(b, sum[:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
