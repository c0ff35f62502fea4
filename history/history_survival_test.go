package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/internal/testenv"
)

// What the audit survives: shallow and partial clones, missing objects,
// a corrupt pack, a path that is no repository.

func TestScanHistoryOfAShallowClone(t *testing.T) {
	f := testenv.NewGitRepo(t)
	old, recent := testenv.FakeKey("old"), testenv.FakeKey("recent")
	f.Commit("one", map[string]string{"old.py": settingsWith(old)})
	f.Commit("two", map[string]string{"old.py": ""})
	cut := f.Commit("three", map[string]string{"new.py": settingsWith(recent)})
	f.Commit("four", map[string]string{"x.txt": "x\n"})
	// Make it shallow at "three": drop its parents' objects, as a clone
	// with --depth 2 never has them, and record the cut.
	if err := f.Repo.Storer.SetShallow([]plumbing.Hash{cut}); err != nil {
		t.Fatal(err)
	}
	c, _ := f.Repo.CommitObject(cut)
	for p := c.ParentHashes[0]; ; {
		pc, err := f.Repo.CommitObject(p)
		if err != nil {
			break
		}
		removeLoose(t, f.Dir, p)
		if len(pc.ParentHashes) == 0 {
			break
		}
		p = pc.ParentHashes[0]
	}
	res := scanOf(f, Options{})
	if got := secrets(res); !slices.Equal(got, []string{recent}) {
		t.Errorf("shallow: found %d secrets, want the recent one", len(got))
	}
	if !slices.Equal(res.Shallow, []string{cut.String()}) {
		t.Errorf("shallow boundary = %v", res.Shallow)
	}
	if len(res.Missing) != 0 {
		t.Errorf("a shallow boundary was reported as missing objects: %v", res.Missing)
	}
}

func removeLoose(t *testing.T, dir string, h plumbing.Hash) {
	t.Helper()
	s := h.String()
	if err := os.Remove(filepath.Join(dir, ".git", "objects", s[:2], s[2:])); err != nil {
		t.Fatal(err)
	}
}

func TestScanHistoryWithMissingBlobs(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("partial")
	f.Commit("one", map[string]string{"big.bin": "pretend this is large\n", "settings.py": settingsWith(key)})
	head, _ := f.Repo.Head()
	c, _ := f.Repo.CommitObject(head.Hash())
	tree, _ := c.Tree()
	entry, err := tree.FindEntry("big.bin")
	if err != nil {
		t.Fatal(err)
	}
	removeLoose(t, f.Dir, entry.Hash) // as a partial clone lacks it
	res := scanOf(f, Options{})
	if got := secrets(res); !slices.Equal(got, []string{key}) {
		t.Errorf("found %d secrets, want the one still present", len(got))
	}
	if len(res.Missing) != 1 || res.Missing[0].Hash != entry.Hash.String() || res.Missing[0].Path != "big.bin" || res.Missing[0].Kind != "blob" {
		t.Errorf("missing = %+v", res.Missing)
	}
}

// onePack packs the fixture's objects into one pack and returns the
// pack's path and content, made writable.
func onePack(t *testing.T, f *testenv.GitRepo) (string, []byte) {
	t.Helper()
	if err := f.Repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(f.Dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("%d packs", len(packs))
	}
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(packs[0], 0o644)
	return packs[0], data
}

func TestScanHistoryRefusesACorruptPack(t *testing.T) {
	f, _, _, _, _, _ := buildHistory(t)
	pack, data := onePack(t, f)
	for i := 64; i < len(data)-64; i += 97 {
		data[i] ^= 0x5a
	}
	if err := os.WriteFile(pack, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Scan(context.Background(), Options{Repo: f.Dir})
	if !errors.Is(err, gitdb.ErrCorrupt) {
		t.Errorf("corrupt pack: err = %v, want ErrCorrupt", err)
	}
}

func TestScanHistoryOfAPathThatIsNoRepository(t *testing.T) {
	_, err := Scan(context.Background(), Options{Repo: t.TempDir()})
	if !errors.Is(err, gitrepo.ErrNotRepository) {
		t.Errorf("err = %v, want gitrepo.ErrNotRepository", err)
	}
}

// TestScanHistoryNeverMissesSilentlyOnABitFlip flips one bit in each byte
// of a small pack in turn (the bit moves with the byte, so each bit of an
// object header is flipped somewhere): every flip must give an error or
// an audit that still finds every key. An answer without an error and
// with a key missed is the failure a security tool must not have.
func TestScanHistoryNeverMissesSilentlyOnABitFlip(t *testing.T) {
	f, removed, branch, tagged, kept, _ := buildHistory(t)
	want := []string{removed, branch, tagged, kept}
	slices.Sort(want)
	pack, orig := onePack(t, f)
	defer os.WriteFile(pack, orig, 0o644)
	silent := 0
	for i := range orig {
		data := slices.Clone(orig)
		data[i] ^= 1 << (i % 8)
		if err := os.WriteFile(pack, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Scan(context.Background(), Options{Repo: f.Dir})
		if err != nil {
			continue // said so
		}
		if got := secrets(res); !slices.Equal(got, want) {
			silent++
			if silent <= 5 {
				t.Errorf("flip at byte %d of %d: no error, found %d of %d keys", i, len(orig), len(got), len(want))
			}
		}
	}
	if silent > 0 {
		t.Errorf("%d of %d flips missed a key silently", silent, len(orig))
	}
}

// TestScanHistoryReadsAlternates audits a repository whose objects live in
// another one's object directory, as git clone --shared and --reference
// leave it: objects/info/alternates names that directory (here by a
// relative path, which git reads relative to objects/).
func TestScanHistoryReadsAlternates(t *testing.T) {
	f, removed, branch, tagged, kept, _ := buildHistory(t)
	onePack(t, f)
	dir := t.TempDir()
	clone, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	objects := filepath.Join(dir, ".git", "objects")
	rel, err := filepath.Rel(objects, filepath.Join(f.Dir, ".git", "objects"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(objects, "info"), 0o755)
	if err := os.WriteFile(filepath.Join(objects, "info", "alternates"), []byte("# shared\n"+rel+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	refs, _ := f.Repo.References()
	refs.ForEach(func(r *plumbing.Reference) error { return clone.Storer.SetReference(r) })

	res := scanOf(f, Options{Repo: dir})
	want := []string{removed, branch, tagged, kept}
	slices.Sort(want)
	if got := secrets(res); !slices.Equal(got, want) {
		t.Errorf("found %d secrets through the alternate, want the 4 planted", len(got))
	}
	if len(res.Missing) != 0 {
		t.Errorf("objects in the alternate were reported missing: %v", res.Missing)
	}

	os.WriteFile(filepath.Join(objects, "info", "alternates"), []byte("/no/such/objects\n"), 0o644)
	if _, err := Scan(context.Background(), Options{Repo: dir}); !errors.Is(err, gitdb.ErrCorrupt) {
		t.Errorf("an alternate that does not exist: err = %v, want ErrCorrupt", err)
	}
}

// A pack index without its pack: the objects it lists are gone unless held
// elsewhere, and an audit without them is no audit of the history.
func TestScanHistoryRefusesAPackIndexWithoutItsPack(t *testing.T) {
	f, _, _, _, _, _ := buildHistory(t)
	pack, _ := onePack(t, f)
	idx := strings.TrimSuffix(pack, ".pack") + ".idx"
	// A leftover index whose objects another pack holds is passed over.
	data, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(filepath.Dir(pack), "pack-"+strings.Repeat("0", 39)+"1.idx")
	if err := os.WriteFile(leftover, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := scanOf(f, Options{}); len(res.Findings) != 4 {
		t.Errorf("with a leftover index: %d findings, want 4", len(res.Findings))
	}
	os.Remove(leftover)
	if err := os.Remove(pack); err != nil {
		t.Fatal(err)
	}
	_, err = Scan(context.Background(), Options{Repo: f.Dir})
	if !errors.Is(err, gitdb.ErrCorrupt) || !strings.Contains(err.Error(), filepath.Base(pack)) {
		t.Errorf("pack gone, index there: err = %v, want ErrCorrupt naming the pack", err)
	}
}

// Git leaves objects/xx/tmp_obj_* behind when a write dies, and passes
// over it; so must the audit.
func TestScanHistoryPassesOverStrayTemporaryObjects(t *testing.T) {
	f, _, _, _, _, _ := buildHistory(t)
	stray := filepath.Join(f.Dir, ".git", "objects", "ab")
	os.MkdirAll(stray, 0o755)
	if err := os.WriteFile(filepath.Join(stray, "tmp_obj_Xq81Zp"), []byte("half an object"), 0o444); err != nil {
		t.Fatal(err)
	}
	if res := scanOf(f, Options{}); len(res.Findings) != 4 {
		t.Errorf("%d findings, want 4", len(res.Findings))
	}
}
