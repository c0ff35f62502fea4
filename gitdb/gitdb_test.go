package gitdb

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/internal/testenv"
)

// unchangedSegments returns the parts of target that touch no changed
// range.
func unchangedSegments(target []byte, changed []Range) [][]byte {
	var out [][]byte
	pos := 0
	for _, r := range changed {
		if r.Start > pos {
			out = append(out, target[pos:r.Start])
		}
		pos = max(pos, r.End)
	}
	if pos < len(target) {
		out = append(out, target[pos:])
	}
	return out
}

func checkChangedRanges(t *testing.T, base, target []byte) {
	t.Helper()
	delta := packfile.DiffDelta(base, target)
	changed, ok := changedRanges(delta)
	if !ok {
		t.Fatal("changedRanges could not read a delta go-git made")
	}
	got, err := packfile.PatchDelta(base, delta)
	if err != nil || !bytes.Equal(got, target) {
		t.Fatalf("the delta does not rebuild the target: %v", err)
	}
	for _, seg := range unchangedSegments(target, changed) {
		if !bytes.Contains(base, seg) {
			t.Fatalf("segment %q of the target is outside every changed range but not in the base", seg)
		}
	}
}

func TestChangedRangesCoverEverythingNew(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	words := strings.Fields("import os SECRET_KEY = def return class models CharField settings DEBUG True False")
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(" \n"[r.IntN(2)])
		}
		return b.Bytes()
	}
	for i := 0; i < 300; i++ {
		base := text(200 + r.IntN(5000))
		target := append([]byte(nil), base...)
		for k := 0; k < 1+r.IntN(6); k++ {
			at := r.IntN(len(target))
			switch r.IntN(3) {
			case 0: // insert
				target = append(target[:at], append(text(1+r.IntN(80)), target[at:]...)...)
			case 1: // delete
				end := min(len(target), at+r.IntN(100))
				target = append(target[:at], target[end:]...)
			default: // move a block from elsewhere
				from := r.IntN(len(base))
				blk := base[from:min(len(base), from+r.IntN(200))]
				target = append(target[:at], append(append([]byte(nil), blk...), target[at:]...)...)
			}
		}
		checkChangedRanges(t, base, target)
	}
}

func TestChangedRangesRejectsGarbage(t *testing.T) {
	for _, d := range [][]byte{nil, {0x80}, {5, 5, 0}, {5, 5, 3, 'a'}, {5, 5, 0x91}} {
		if _, ok := changedRanges(d); ok {
			t.Errorf("changedRanges(%v) accepted a broken delta", d)
		}
	}
}

// repoWithHistory commits many versions of a few files, so that packing
// makes delta chains, and returns the repository.
func repoWithHistory(t *testing.T) (*git.Repository, string) {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	r := rand.New(rand.NewPCG(1, 1))
	lines := make([]string, 200)
	for i := range lines {
		lines[i] = fmt.Sprintf("value_%d = compute(%d)", i, r.IntN(1000))
	}
	for c := 0; c < 40; c++ {
		for k := 0; k < 5; k++ {
			lines[r.IntN(len(lines))] = fmt.Sprintf("changed_%d_%d = %d", c, k, r.IntN(1e6))
		}
		for f := 0; f < 3; f++ {
			name := fmt.Sprintf("app/file%d.py", f)
			os.MkdirAll(filepath.Join(dir, "app"), 0o755)
			os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines[f*50:], "\n")), 0o644)
			wt.Add(name)
		}
		sig := &object.Signature{Name: "D", Email: "d@e", When: time.Unix(int64(1e9+c*60), 0)}
		if _, err := wt.Commit(fmt.Sprintf("commit %d", c), &git.CommitOptions{Author: sig}); err != nil {
			t.Fatal(err)
		}
	}
	return repo, dir
}

// TestWalkRebuildsBasesPastTheBudget: with no room for bases, a base
// that several deltas need is dropped and made again for each, and every
// object still comes out whole.
func TestWalkRebuildsBasesPastTheBudget(t *testing.T) {
	repo, _ := repoWithHistory(t)
	if err := repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	defer func(b int) { chainBudget = b }(chainBudget)
	chainBudget = 0
	var mu sync.Mutex
	seen := map[plumbing.Hash]bool{}
	stats, err := Walk(context.Background(), repo.Storer.(*filesystem.Storage), Options{Workers: 2, Reuse: true}, func(o *Object) error {
		if got := plumbing.ComputeHash(o.Type, o.Data); got != o.Hash {
			return fmt.Errorf("%s %s: content hashes to %s", o.Type, o.Hash, got)
		}
		mu.Lock()
		defer mu.Unlock()
		seen[o.Hash] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := countObjects(t, repo); len(seen) != want {
		t.Errorf("visited %d distinct objects, want %d", len(seen), want)
	}
	if stats.Rebuilt == 0 {
		t.Error("no base was rebuilt: the test does not exercise the budget")
	}
	t.Logf("%d bases rebuilt", stats.Rebuilt)
}

func TestWalkVisitsEveryObjectWithItsContent(t *testing.T) {
	repo, _ := repoWithHistory(t)
	st := repo.Storer.(*filesystem.Storage)
	want := countObjects(t, repo)
	check := func(stage string) {
		var mu sync.Mutex
		seen := map[plumbing.Hash]bool{}
		deltas := 0
		_, err := Walk(context.Background(), st, Options{Workers: 2}, func(o *Object) error {
			if got := plumbing.ComputeHash(o.Type, o.Data); got != o.Hash {
				return fmt.Errorf("%s %s: content hashes to %s", o.Type, o.Hash, got)
			}
			mu.Lock()
			defer mu.Unlock()
			seen[o.Hash] = true
			if !o.Base.IsZero() {
				deltas++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if len(seen) != want {
			t.Errorf("%s: visited %d distinct objects, want %d", stage, len(seen), want)
		}
		t.Logf("%s: %d objects, %d from deltas", stage, len(seen), deltas)
		if stage == "packed" && deltas == 0 {
			t.Error("the packed repository has no deltas: the test does not exercise them")
		}
	}
	check("loose")
	if err := repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	check("packed")
}

func countObjects(t *testing.T, repo *git.Repository) int {
	t.Helper()
	it, err := repo.Storer.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	it.ForEach(func(plumbing.EncodedObject) error { n++; return nil })
	return n
}

func TestWalkLeavesLargeBlobsUninflatedWhenItCan(t *testing.T) {
	repo, _ := repoWithHistory(t)
	repo.RepackObjects(&git.RepackConfig{})
	st := repo.Storer.(*filesystem.Storage)
	var mu sync.Mutex
	withoutData := 0
	_, err := Walk(context.Background(), st, Options{MaxBlobSize: 100}, func(o *Object) error {
		mu.Lock()
		defer mu.Unlock()
		if o.Type == plumbing.BlobObject {
			if o.Size > 100 && o.Data != nil {
				return fmt.Errorf("blob %s of %d bytes came with data", o.Hash, o.Size)
			}
			if o.Data == nil {
				withoutData++
			}
		}
		return nil
	})
	if err != nil || withoutData == 0 {
		t.Errorf("err %v, %d blobs without data", err, withoutData)
	}
}

func TestWalkStopsOnAVisitError(t *testing.T) {
	repo, _ := repoWithHistory(t)
	repo.RepackObjects(&git.RepackConfig{})
	stop := fmt.Errorf("stop")
	_, err := Walk(context.Background(), repo.Storer.(*filesystem.Storage), Options{}, func(o *Object) error { return stop })
	if err != stop {
		t.Errorf("err = %v, want the visitor's", err)
	}
}

// TestWalkReadsGitsOwnPacks walks a history packed by git itself, with
// delta chains up to 50 deep, and checks every object's content; with
// Reuse, the content must be right while visit runs.
func TestWalkReadsGitsOwnPacks(t *testing.T) {
	dir := testenv.MakeRepo(t, "300")
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := countObjects(t, repo)
	for _, opt := range []Options{{}, {Reuse: true}} {
		var mu sync.Mutex
		seen := map[plumbing.Hash]bool{}
		stats, err := Walk(context.Background(), repo.Storer.(*filesystem.Storage), opt, func(o *Object) error {
			if got := plumbing.ComputeHash(o.Type, o.Data); got != o.Hash {
				return fmt.Errorf("%s %s: content hashes to %s", o.Type, o.Hash, got)
			}
			mu.Lock()
			seen[o.Hash] = true
			mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatalf("reuse %v: %v", opt.Reuse, err)
		}
		if len(seen) != want || stats.Packs != 1 {
			t.Errorf("reuse %v: visited %d objects in %d packs, want %d in 1", opt.Reuse, len(seen), stats.Packs, want)
		}
	}
}

func FuzzChangedRanges(f *testing.F) {
	f.Add(packfile.DiffDelta([]byte("hello world, hello"), []byte("hello there world")))
	f.Add([]byte{5, 5, 0x91, 0, 2})
	f.Fuzz(func(t *testing.T, delta []byte) {
		changed, ok := changedRanges(delta)
		if !ok {
			return
		}
		for i, r := range changed {
			if r.End < r.Start || i > 0 && r.Start < changed[i-1].Start {
				t.Fatalf("bad ranges %v", changed)
			}
		}
	})
}

// TestWalkReadsOnlyWhatIsWantedAndNeeded: with Want, objects of other types
// come unread; with Need, a blob nobody needs comes unread unless a needed
// blob is a delta built on it. Every object is still visited once.
func TestWalkReadsOnlyWhatIsWantedAndNeeded(t *testing.T) {
	for _, stage := range []string{"loose", "packed"} {
		repo, _ := repoWithHistory(t)
		if stage == "packed" {
			if err := repo.RepackObjects(&git.RepackConfig{}); err != nil {
				t.Fatal(err)
			}
		}
		db, err := Open(repo.Storer.(*filesystem.Storage))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		want := countObjects(t, repo)

		// Only commits and trees.
		var mu sync.Mutex
		seen := map[plumbing.Hash]bool{}
		var blobs []plumbing.Hash
		_, err = db.Walk(context.Background(), Options{Want: func(t plumbing.ObjectType) bool { return t != plumbing.BlobObject }}, func(o *Object) error {
			mu.Lock()
			defer mu.Unlock()
			seen[o.Hash] = true
			switch {
			case o.Type == plumbing.BlobObject && !o.Unread:
				return fmt.Errorf("blob %s was read", o.Hash)
			case o.Type == plumbing.BlobObject:
				blobs = append(blobs, o.Hash)
			case o.Unread || plumbing.ComputeHash(o.Type, o.Data) != o.Hash:
				return fmt.Errorf("%s %s was not read whole", o.Type, o.Hash)
			}
			return nil
		})
		if err != nil || len(seen) != want {
			t.Fatalf("%s: %v; visited %d of %d objects", stage, err, len(seen), want)
		}

		// Only one blob.
		needed := blobs[len(blobs)/2]
		neededID, ok := db.Find(needed)
		if !ok || db.Hash(neededID) != needed {
			t.Fatalf("%s: Find(%s) = %d, %v", stage, needed, neededID, ok)
		}
		read := map[plumbing.Hash]bool{}
		_, err = db.Walk(context.Background(), Options{Need: func(id uint32) bool { return id == neededID }}, func(o *Object) error {
			mu.Lock()
			defer mu.Unlock()
			if o.Type == plumbing.BlobObject && !o.Unread {
				if plumbing.ComputeHash(o.Type, o.Data) != o.Hash {
					return fmt.Errorf("blob %s was read wrong", o.Hash)
				}
				read[o.Hash] = true
			}
			return nil
		})
		if err != nil || !read[needed] {
			t.Fatalf("%s: %v; the needed blob read: %v", stage, err, read[needed])
		}
		if len(read) > len(blobs)/2 {
			t.Errorf("%s: %d of %d blobs were read to get one", stage, len(read), len(blobs))
		}
		t.Logf("%s: %d blobs read to get one of %d", stage, len(read), len(blobs))

		// Every blob, on the same DB: what the last walk did not need is
		// asked again.
		clear(read)
		_, err = db.Walk(context.Background(), Options{Need: func(uint32) bool { return true }}, func(o *Object) error {
			mu.Lock()
			defer mu.Unlock()
			if o.Type == plumbing.BlobObject && !o.Unread {
				read[o.Hash] = true
			}
			return nil
		})
		if err != nil || len(read) != len(blobs) {
			t.Fatalf("%s: %v; a third walk read %d of %d blobs", stage, err, len(read), len(blobs))
		}
	}
}

// TestPatchRebuildsWhatGoGitBuilds: patch gives the same target as
// go-git's PatchDelta for deltas go-git makes, in a reused buffer too,
// and refuses a delta whose base size or instructions do not fit.
func TestPatchRebuildsWhatGoGitBuilds(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var buf []byte
	for n := 0; n < 200; n++ {
		base := make([]byte, r.IntN(5000))
		for i := range base {
			base[i] = byte('a' + r.IntN(8))
		}
		target := append([]byte(nil), base...)
		for k := r.IntN(10); k > 0 && len(target) > 0; k-- {
			at := r.IntN(len(target))
			target = append(target[:at], append([]byte("inserted text"), target[at:]...)...)
		}
		delta := packfile.DiffDelta(base, target)
		got, changed, err := patch(buf, base, delta, nil)
		if err != nil || !bytes.Equal(got, target) {
			t.Fatalf("case %d: patch gave %d bytes (%v), want %d", n, len(got), err, len(target))
		}
		if want, _ := changedRanges(delta); !slices.Equal(changed, want) {
			t.Fatalf("case %d: patch's changed ranges %v, changedRanges %v", n, changed, want)
		}
		buf = got
		if _, _, err := patch(nil, base[:len(base)/2], delta, nil); len(base) > 1 && err == nil {
			t.Fatalf("case %d: a delta applied to a base of the wrong size", n)
		}
	}
	if _, _, err := patch(nil, []byte("abc"), []byte{3, 10, 0x91, 0, 10}, nil); err == nil {
		t.Error("a copy beyond the base was applied")
	}
}

// FuzzPatch: patch never panics and, when it succeeds, agrees with
// go-git's PatchDelta.
func FuzzPatch(f *testing.F) {
	f.Add([]byte("hello world, hello"), packfile.DiffDelta([]byte("hello world, hello"), []byte("hello there world")))
	f.Add([]byte("abc"), []byte{3, 10, 0x91, 0, 10})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		got, _, err := patch(nil, base, delta, nil)
		if err != nil {
			return
		}
		want, err := packfile.PatchDelta(base, delta)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("patch gave %q, go-git %q (%v)", got, want, err)
		}
	})
}

// TestWalkVisitsAnObjectStoredTwiceOnce: an object both packed and loose
// has one ID, which Find returns, and is visited once.
func TestWalkVisitsAnObjectStoredTwiceOnce(t *testing.T) {
	repo, _ := repoWithHistory(t)
	if err := repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	st := repo.Storer.(*filesystem.Storage)
	head, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	obj, err := st.EncodedObject(plumbing.AnyObject, head.Hash())
	if err != nil {
		t.Fatal(err)
	}
	// Write the packed commit again as a loose object.
	loose := st.NewEncodedObject()
	loose.SetType(obj.Type())
	r, _ := obj.Reader()
	w, _ := loose.Writer()
	io.Copy(w, r)
	w.Close()
	r.Close()
	if _, err := st.SetEncodedObject(loose); err != nil {
		t.Fatal(err)
	}
	db, err := Open(st)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(db.loose) != 1 {
		t.Fatalf("%d loose objects, want the one written", len(db.loose))
	}
	id, ok := db.Find(head.Hash())
	if !ok || db.Hash(id) != head.Hash() {
		t.Fatalf("Find(%s) = %d, %v", head.Hash(), id, ok)
	}
	var mu sync.Mutex
	visits := map[plumbing.Hash]int{}
	stats, err := db.Walk(context.Background(), Options{}, func(o *Object) error {
		mu.Lock()
		defer mu.Unlock()
		visits[o.Hash]++
		if o.Hash == head.Hash() && o.ID != id {
			return fmt.Errorf("visited with ID %d, Find says %d", o.ID, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if visits[head.Hash()] != 1 {
		t.Errorf("the object stored twice was visited %d times", visits[head.Hash()])
	}
	if stats.Objects != int64(db.Len()) {
		t.Errorf("counted %d objects, want %d (both copies)", stats.Objects, db.Len())
	}
}
