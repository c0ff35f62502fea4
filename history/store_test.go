package history

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/internal/testenv"
)

// TestTreesFromDeltasAreRecordedAsReadWhole: a tree a delta builds takes
// its base's record of each entry the delta copied whole; every tree's
// record must be the one reading it entry by entry gives.
func TestTreesFromDeltasAreRecordedAsReadWhole(t *testing.T) {
	f := testenv.NewGitRepo(t)
	for v := range 60 {
		files := map[string]string{}
		for d := range 6 {
			files[fmt.Sprintf("app%d/module%d.py", d, v%7)] = fmt.Sprintf("x = %d\n", v)
		}
		files[fmt.Sprintf("app%d/new_%03d.py", v%6, v)] = "y = 1\n"
		f.Commit(fmt.Sprintf("version %d", v), files)
	}
	if err := f.Repo.RepackObjects(&git.RepackConfig{}); err != nil {
		t.Fatal(err)
	}
	db, err := gitdb.Open(f.Repo.Storer.(*filesystem.Storage))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var fromDeltas atomic.Int64
	read := func(copies bool) *objectStore {
		s := newObjectStore(db)
		opt := gitdb.Options{Want: func(k plumbing.ObjectType) bool { return k == plumbing.TreeObject }, Reuse: true, TreeCopies: copies}
		_, err := db.Walk(context.Background(), opt, func(o *gitdb.Object) error {
			if o.Type != plumbing.TreeObject || o.Unread {
				return nil
			}
			base, ok := s.lookup(o.Base)
			if ok && len(o.Copies) > 0 {
				fromDeltas.Add(1)
			}
			s.addTree(o.ID, o.Data, base, o.Copies)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	withCopies, whole := read(true), read(false)
	if n := fromDeltas.Load(); n < 50 {
		t.Fatalf("only %d trees were built from deltas with copies: the test tells little", n)
	}
	trees := 0
	for id := range db.Len() {
		a, okA := withCopies.entries(id)
		b, okB := whole.entries(id)
		if okA != okB || len(a) != len(b) {
			t.Fatalf("tree %d: %d entries, read whole %d", id, len(a), len(b))
		}
		for k := range a {
			if withCopies.names[a[k].name&^refMask] != whole.names[b[k].name&^refMask] || a[k].name&refMask != b[k].name&refMask || a[k].obj != b[k].obj {
				t.Fatalf("tree %d, entry %d: recorded otherwise than when read whole", id, k)
			}
		}
		if okA {
			trees++
		}
	}
	if trees < 100 {
		t.Fatalf("only %d trees compared", trees)
	}
}
