// Package gitdb reads git's on-disk data where speed matters: every object
// of a repository's object database once (each pack in offset order from
// its index, every delta resolved from its base held in memory, delta trees
// spread over several goroutines), or a few objects by hash (Reader: the
// pack indexes mapped, not loaded, so that a hook costs the same in a
// repository of any size). Package gitindex reads the index. The walk
// uses go-git's pack index decoder and repository layout; both apply
// deltas themselves.
package gitdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// Object is one object of the repository. Data is the visitor's to keep,
// unless Options.Reuse says the walk reuses it.
type Object struct {
	// ID is the object's number in the DB (see DB.Find).
	ID   uint32
	Hash plumbing.Hash
	Type plumbing.ObjectType
	// Size is the object's size; Data is nil for a blob over
	// Options.MaxBlobSize, which is not inflated where that can be avoided.
	Size int64
	Data []byte
	// Base is the object this one was stored as a delta of, and Changed
	// the parts of Data not copied verbatim from one run of Base (see
	// changedRanges). Base is zero for an object stored whole; Changed is
	// nil then, and Data is all new.
	Base    plumbing.Hash
	Changed []Range
	// Copies, with Options.TreeCopies, lists for a tree stored as a
	// delta the stretches of Data copied from Base, and from where.
	Copies []Copy
	// Unread marks an object the walk did not read because the options
	// did not want it (Options.Want, Options.Need): Data is nil, and Type
	// is the type of the object its delta chain starts from.
	Unread bool
}

// Options tune a walk.
type Options struct {
	// Workers bounds the goroutines inflating objects; 0 means GOMAXPROCS.
	Workers int
	// MaxBlobSize: larger blobs are passed to visit with Data nil. 0 means
	// no limit.
	MaxBlobSize int64
	// Progress, when set, is called now and then with the objects visited
	// so far, the total, and the bytes inflated. It may be called from
	// several goroutines.
	Progress func(done, total int64, bytes int64)
	// Want, when set, says which types of object to read: the others, and
	// the deltas built on them, are passed to visit unread, never
	// inflated.
	Want func(plumbing.ObjectType) bool
	// Need, when set, says which objects of a wanted type to read, by ID:
	// an object it does not need is passed to visit unread, unless a
	// needed object is a delta built on it, in which case it is read (and
	// passed to visit) for that one's sake.
	Need func(id uint32) bool
	// Reuse lets the walk build objects in buffers it reuses: an Object,
	// its Data and its Changed are then valid only until visit returns,
	// and a visitor copies what it keeps. Memory then holds, per worker, one
	// buffer for each level of the delta chain being resolved.
	Reuse bool
	// TreeCopies asks for Object.Copies of trees stored as deltas.
	TreeCopies bool
}

// Stats count what a walk read.
type Stats struct {
	Objects int64 // objects visited
	Bytes   int64 // bytes of object content produced
	Packs   int
	Loose   int64
	// Rebuilt counts delta bases made a second time or more, dropped to
	// keep within the budget for bases held.
	Rebuilt int64
}

// ErrCorrupt marks a pack or object that cannot be read as git wrote it.
var ErrCorrupt = errors.New("corrupt object database")

type walker struct {
	db      *DB
	ctx     context.Context
	opt     Options
	visit   func(*Object) error
	total   int64
	done    atomic.Int64
	bytes   atomic.Int64
	rebuilt atomic.Int64
}

func (w *walker) stats() Stats {
	return Stats{Objects: w.done.Load(), Bytes: w.bytes.Load(), Rebuilt: w.rebuilt.Load()}
}

func (w *walker) wanted(t plumbing.ObjectType) bool {
	return w.opt.Want == nil || w.opt.Want(t)
}

// emit visits an object, once: a second copy of an object (in two packs,
// or packed and loose) is counted and not visited again.
func (w *walker) emit(o *Object) error {
	n := w.done.Add(1)
	if _, dup := w.db.dups[o.ID]; dup {
		return nil
	}
	b := w.bytes.Add(int64(len(o.Data)))
	if w.opt.Progress != nil && n%4096 == 0 {
		w.opt.Progress(n, w.total, b)
	}
	return w.visit(o)
}

// walkLoose reads one loose object through go-git, from its own store.
func (w *walker) walkLoose(id uint32, h plumbing.Hash) error {
	obj, err := w.db.stores[w.db.looseIn[id]].EncodedObject(plumbing.AnyObject, h)
	if err != nil {
		return fmt.Errorf("%w: loose object %s: %v", ErrCorrupt, h, err)
	}
	o := &Object{ID: id, Hash: h, Type: obj.Type(), Size: obj.Size()}
	if !w.wanted(o.Type) || w.opt.Need != nil && !w.opt.Need(id) {
		o.Unread = true
		return w.emit(o)
	}
	if o.Type != plumbing.BlobObject || w.opt.MaxBlobSize == 0 || o.Size <= w.opt.MaxBlobSize {
		r, err := obj.Reader()
		if err != nil {
			return fmt.Errorf("%w: loose object %s: %v", ErrCorrupt, h, err)
		}
		o.Data, err = io.ReadAll(r)
		r.Close()
		if err != nil {
			return fmt.Errorf("%w: loose object %s: %v", ErrCorrupt, h, err)
		}
	}
	return w.emit(o)
}
