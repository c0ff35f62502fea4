package gitdb

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"runtime"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// DB is a repository's object database opened for walks: its packs'
// indexes are read once however many times it is walked.
type DB struct {
	st    *filesystem.Storage
	packs []*pack
	loose []plumbing.Hash
	// Every object has an ID: the loose objects, then each pack's
	// entries in turn. table finds an ID by hash: open addressing on the hash's
	// first bytes (uniform already), holding ID+1, 0 for an empty slot.
	n     uint32
	table []uint32
	// dups maps the ID of a second copy of an object to the first's.
	dups map[uint32]uint32
}

// Open reads the indexes of a repository's packs and lists its loose
// objects. Close releases the packs.
func Open(st *filesystem.Storage) (*DB, error) {
	dg := dotgit.New(st.Filesystem())
	packs, err := dg.ObjectPacks()
	if err != nil {
		return nil, fmt.Errorf("list packs: %w", err)
	}
	loose, err := dg.Objects()
	if err != nil {
		return nil, fmt.Errorf("list loose objects: %w", err)
	}
	db := &DB{st: st, loose: loose, dups: map[uint32]uint32{}}
	total := int64(len(loose))
	for _, h := range packs {
		p, err := openPack(dg, h)
		if err != nil {
			db.Close()
			return nil, err
		}
		p.first = uint32(total)
		db.packs = append(db.packs, p)
		total += int64(len(p.entries))
		if total >= math.MaxUint32 {
			db.Close()
			return nil, fmt.Errorf("%w: more than %d objects", ErrCorrupt, math.MaxUint32-1)
		}
	}
	db.n = uint32(total)
	db.number()
	return db, nil
}

// number fills the table that finds an object's ID by its hash.
func (db *DB) number() {
	size := 16
	for size < int(db.n)+int(db.n)/2 {
		size *= 2
	}
	db.table = make([]uint32, size)
	mask := uint64(size - 1)
	for id := uint32(0); id < db.n; id++ {
		h := db.Hash(id)
		for i := slot(h) & mask; ; i = (i + 1) & mask {
			v := db.table[i]
			if v == 0 {
				db.table[i] = id + 1
				break
			}
			if db.Hash(v-1) == h {
				db.dups[id] = v - 1
				break
			}
		}
	}
}

func slot(h plumbing.Hash) uint64 { return binary.LittleEndian.Uint64(h[:8]) }

// Len is the number of objects: IDs run from 0 to Len()-1. An object
// stored twice counts twice.
func (db *DB) Len() uint32 { return db.n }

// Find returns the ID of the object with hash h; ok is false when the
// repository does not hold it.
func (db *DB) Find(h plumbing.Hash) (id uint32, ok bool) {
	mask := uint64(len(db.table) - 1)
	for i := slot(h) & mask; ; i = (i + 1) & mask {
		v := db.table[i]
		if v == 0 {
			return 0, false
		}
		if db.Hash(v-1) == h {
			return v - 1, true
		}
	}
}

// Hash returns the hash of the object with this ID.
func (db *DB) Hash(id uint32) plumbing.Hash {
	if int(id) < len(db.loose) {
		return db.loose[id]
	}
	for _, p := range db.packs {
		if id-p.first < uint32(len(p.entries)) {
			return p.entries[id-p.first].hash
		}
	}
	return plumbing.ZeroHash
}

// Close closes the pack files.
func (db *DB) Close() {
	for _, p := range db.packs {
		p.close()
	}
	db.packs = nil
}

// Walk opens the object database, walks it once (see DB.Walk) and closes
// it.
func Walk(ctx context.Context, st *filesystem.Storage, opt Options, visit func(*Object) error) (Stats, error) {
	db, err := Open(st)
	if err != nil {
		return Stats{}, err
	}
	defer db.Close()
	return db.Walk(ctx, opt, visit)
}

// Walk calls visit once for every object in the repository's packs and
// loose objects. visit may be called from several goroutines at once; an
// error from it stops the walk. An object stored twice (in two packs, or
// packed and loose) is visited once. Walks of one DB must not run at the
// same time.
func (db *DB) Walk(ctx context.Context, opt Options, visit func(*Object) error) (Stats, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	w := &walker{db: db, ctx: ctx, st: db.st, opt: opt, visit: visit, total: int64(db.n)}
	for _, p := range db.packs {
		p.forget()
		if err := w.walkPack(p); err != nil {
			return w.stats(), err
		}
	}
	for id, h := range db.loose {
		if err := w.walkLoose(uint32(id), h); err != nil {
			return w.stats(), err
		}
	}
	s := w.stats()
	s.Packs = len(db.packs)
	s.Loose = int64(len(db.loose))
	return s, nil
}
