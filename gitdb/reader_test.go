package gitdb

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// packedRepo is repoWithHistory packed (with deltas of the kind cfg
// asks), then given two more commits whose objects stay loose.
func packedRepo(t *testing.T, cfg *git.RepackConfig) (*git.Repository, string) {
	t.Helper()
	repo, dir := repoWithHistory(t)
	if err := repo.RepackObjects(cfg); err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	for i, text := range []string{"loose = 1\n", "loose = 2\n"} {
		os.WriteFile(filepath.Join(dir, "loose.py"), []byte(text), 0o644)
		wt.Add("loose.py")
		sig := &object.Signature{Name: "D", Email: "d@e", When: time.Unix(int64(2e9+i), 0)}
		if _, err := wt.Commit("loose", &git.CommitOptions{Author: sig}); err != nil {
			t.Fatal(err)
		}
	}
	return repo, filepath.Join(dir, ".git")
}

// deltaKinds counts the pack entries stored as each kind of delta.
func deltaKinds(t *testing.T, repo *git.Repository) (ofs, ref int) {
	t.Helper()
	db, err := Open(repo.Storer.(*filesystem.Storage))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range db.packs {
		for _, e := range p.entries {
			switch e.kind {
			case plumbing.OFSDeltaObject:
				ofs++
			case plumbing.REFDeltaObject:
				ref++
			}
		}
	}
	return ofs, ref
}

// TestReaderReadsEveryObjectAsGoGitDoes: each object of a repository
// with a pack (OFS_DELTA or REF_DELTA chains) and loose objects comes out
// of the Reader with go-git's type and content, read after every object
// before it through the same Reader and its cache of bases, and again
// after the caller wrote over what it got; with a limit below its size,
// with its type and size and no content.
func TestReaderReadsEveryObjectAsGoGitDoes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   git.RepackConfig
		bases int // the cache of bases, KeepBases
	}{
		{"deltas by offset", git.RepackConfig{}, 0},
		{"deltas by reference", git.RepackConfig{UseRefDeltas: true}, 0},
		{"deltas by offset, bases kept", git.RepackConfig{}, 1 << 20},
		{"deltas by reference, bases kept", git.RepackConfig{UseRefDeltas: true}, 1 << 20},
		{"deltas by offset, few bases kept", git.RepackConfig{}, 4 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo, gitDir := packedRepo(t, &tc.cfg)
			ofs, ref := deltaKinds(t, repo)
			if tc.cfg.UseRefDeltas && ref == 0 || !tc.cfg.UseRefDeltas && ofs == 0 {
				t.Fatalf("the pack holds %d OFS_DELTAs and %d REF_DELTAs: the test needs deltas of its kind", ofs, ref)
			}
			r, err := OpenReader(gitDir)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			r.KeepBases(tc.bases)
			iter, err := repo.Storer.IterEncodedObjects(plumbing.AnyObject)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			loose := 0
			wants := map[plumbing.Hash][]byte{}
			err = iter.ForEach(func(o plumbing.EncodedObject) error {
				n++
				if _, err := os.Stat(filepath.Join(gitDir, "objects", o.Hash().String()[:2], o.Hash().String()[2:])); err == nil {
					loose++
				}
				rd, err := o.Reader()
				if err != nil {
					return err
				}
				want, err := io.ReadAll(rd)
				rd.Close()
				if err != nil {
					return err
				}
				wants[o.Hash()] = want
				typ, got, err := r.Read(o.Hash())
				if err != nil {
					t.Errorf("%s %s: %v", o.Type(), o.Hash(), err)
					return nil
				}
				if typ != o.Type() || !bytes.Equal(got, want) {
					t.Errorf("%s %s: read a %s of %d bytes, go-git a %s of %d", o.Type(), o.Hash(), typ, len(got), o.Type(), len(want))
				}
				// What Read returns is the caller's: writing over it
				// must not change what later reads of other objects,
				// built on the same bases, or of this one give.
				for i := range got {
					got[i] = 0xff
				}
				if _, again, err := r.Read(o.Hash()); err != nil || !bytes.Equal(again, want) {
					t.Errorf("%s %s read again after writing over the first read: %d bytes, %v", o.Type(), o.Hash(), len(again), err)
				}
				if len(want) > 0 {
					typ, size, data, err := r.ReadLimit(o.Hash(), int64(len(want))-1)
					if err != nil || typ != o.Type() || size != int64(len(want)) || data != nil {
						t.Errorf("%s %s limited below its size: %s, %d bytes, %d read, %v", o.Type(), o.Hash(), typ, size, len(data), err)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// Once more, with the bases of every chain in the cache.
			for h, want := range wants {
				_, got, err := r.Read(h)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s read a second time: %d bytes, %v", h, len(got), err)
				}
				for i := range got {
					got[i] = 0xff
				}
				if _, again, _ := r.Read(h); !bytes.Equal(again, want) {
					t.Errorf("%s read again after writing over the second read: %d bytes", h, len(again))
				}
			}
			inPacks := 0
			for h := range wants {
				if _, err := os.Stat(filepath.Join(gitDir, "objects", h.String()[:2], h.String()[2:])); err != nil {
					inPacks++
				}
			}
			if packed, err := r.Packed(); err != nil || packed != inPacks {
				t.Errorf("Packed: %d objects (%v), want the %d not loose", packed, err, inPacks)
			}
			if n < 100 || loose == 0 {
				t.Errorf("checked %d objects, %d of them loose: the test needs both packed and loose ones", n, loose)
			}
		})
	}
}

// TestReaderSaysWhatItCannotRead: a missing object, a damaged index
// and a pack that is not a pack are errors that say so, never a crash.
func TestReaderSaysWhatItCannotRead(t *testing.T) {
	_, gitDir := packedRepo(t, &git.RepackConfig{})
	head := headCommit(t, gitDir)
	packs, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "*.idx"))
	if len(packs) != 1 {
		t.Fatalf("%d packs", len(packs))
	}
	idxPath := packs[0]
	idx, err := os.ReadFile(idxPath)
	if err != nil {
		t.Fatal(err)
	}
	packed := plumbing.Hash(idx[idxHeader+idxFanout : idxHeader+idxFanout+20])

	t.Run("an object no store holds", func(t *testing.T) {
		r, err := OpenReader(gitDir)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		_, _, err = r.Read(plumbing.NewHash("0123456789012345678901234567890123456789"))
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
		if _, _, err := r.Read(head); err != nil {
			t.Errorf("HEAD's commit, loose: %v", err)
		}
	})

	n := int(binary.BigEndian.Uint32(idx[idxHeader+idxFanout-4:]))
	offsets := idxHeader + idxFanout + 24*n
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"a truncated index", func(b []byte) []byte { return b[:len(b)/2] }},
		{"an empty index", func(b []byte) []byte { return nil }},
		{"a version 1 index", func(b []byte) []byte { b[7] = 1; return b }},
		{"a fan-out table that decreases", func(b []byte) []byte { b[idxHeader+4*100] = 0xff; return b }},
		{"an offset past the pack", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offsets:], 0x7fffff00)
			return b
		}},
		{"a large offset past its table", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offsets:], idxLargeFlag|5)
			return b
		}},
		{"an offset into the middle of an object", func(b []byte) []byte {
			off := binary.BigEndian.Uint32(b[offsets:])
			binary.BigEndian.PutUint32(b[offsets:], off+3)
			return b
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			damaged := tc.damage(append([]byte(nil), idx...))
			if err := os.WriteFile(idxPath, damaged, 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(idxPath, idx, 0o644)
			r, err := OpenReader(gitDir)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, _, err = r.Read(packed)
			if err == nil {
				t.Fatal("read an object through a damaged index")
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("a damaged index is not a missing object: %v", err)
			}
		})
	}
}

// headCommit is the hash HEAD's branch names.
func headCommit(t *testing.T, gitDir string) plumbing.Hash {
	t.Helper()
	repo, err := git.PlainOpen(filepath.Dir(gitDir))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	return ref.Hash()
}

// TestReaderRefusesWhatItDoesNotRead: objects named by SHA-256, and
// alternates that name no directory, are refused with ErrUnsupported
// for the caller to read some other way.
func TestReaderRefusesWhatItDoesNotRead(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, gitDir string)
	}{
		{"objects named by SHA-256", func(t *testing.T, gitDir string) {
			os.WriteFile(filepath.Join(gitDir, "config"), []byte("[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectFormat = sha256\n"), 0o644)
		}},
		{"alternates naming no directory", func(t *testing.T, gitDir string) {
			os.MkdirAll(filepath.Join(gitDir, "objects", "info"), 0o755)
			os.WriteFile(filepath.Join(gitDir, "objects", "info", "alternates"), []byte("/nonexistent/objects\n"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gitDir := t.TempDir()
			os.MkdirAll(filepath.Join(gitDir, "objects"), 0o755)
			tc.setup(t, gitDir)
			if _, err := OpenReader(gitDir); !errors.Is(err, ErrUnsupported) {
				t.Errorf("got %v, want ErrUnsupported", err)
			}
		})
	}
}

// TestReaderFollowsAlternates: an object held only by an alternate
// object directory (git clone --shared) is read from there.
func TestReaderFollowsAlternates(t *testing.T) {
	_, shared := packedRepo(t, &git.RepackConfig{})
	head := headCommit(t, shared)
	gitDir := t.TempDir()
	os.MkdirAll(filepath.Join(gitDir, "objects", "info"), 0o755)
	os.WriteFile(filepath.Join(gitDir, "objects", "info", "alternates"), []byte(filepath.Join(shared, "objects")+"\n"), 0o644)
	r, err := OpenReader(gitDir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	typ, data, err := r.Read(head)
	if err != nil || typ != plumbing.CommitObject || !bytes.HasPrefix(data, []byte("tree ")) {
		t.Errorf("%s, %q, %v", typ, data, err)
	}
}

// FuzzPackIndex: whatever the bytes, parsing an index and looking hashes
// up in it ends in an answer or an error.
func FuzzPackIndex(f *testing.F) {
	valid := make([]byte, idxHeader+idxFanout+idxPerObject+idxTrailer)
	copy(valid, idxMagic)
	for i := 0x12; i < 256; i++ {
		binary.BigEndian.PutUint32(valid[idxHeader+4*i:], 1)
	}
	valid[idxHeader+idxFanout] = 0x12
	f.Add(valid)
	large := append(append([]byte(nil), valid...), make([]byte, 8)...)
	f.Add(large)
	f.Add(idxMagic)
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := parsePackIndex(data)
		if err != nil {
			return
		}
		for i := 0; i < x.n; i++ {
			h := plumbing.Hash(x.hash(i))
			x.find(h)
			x.offset(i)
		}
		x.find(plumbing.Hash{0x12})
		x.find(plumbing.Hash{0xff, 0xff})
	})
}

// A loose object whose header claims 16 GiB and holds a few bytes is an
// error, read without setting aside what the header claims.
func TestReaderDoesNotTrustAClaimedSize(t *testing.T) {
	gitDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(gitDir, "objects", "pack"), 0o755); err != nil {
		t.Fatal(err)
	}
	h := plumbing.NewHash("1234567890123456789012345678901234567890")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	fmt.Fprintf(zw, "blob %d\x00only a few bytes", int64(maxObjectSize-1))
	zw.Close()
	dir := filepath.Join(gitDir, "objects", h.String()[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, h.String()[2:]), z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(gitDir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, err := r.Read(h); err == nil {
		t.Error("a blob shorter than its header says was read")
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("reading it allocated %d MB", grown>>20)
	}
}
