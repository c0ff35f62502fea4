package gitdb

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"runtime"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// DB is a repository's object database opened for walks: its packs'
// indexes are read once however many times it is walked.
type DB struct {
	// stores are the repository's own object store and its alternates.
	stores []*filesystem.Storage
	packs  []*pack
	loose  []plumbing.Hash
	// looseIn[i] is the store that holds loose[i].
	looseIn []uint8
	// Every object has an ID: the loose objects, then each pack's
	// entries in turn. table finds an ID by hash: open addressing on the hash's
	// first bytes (uniform already), each slot holding ID+1 below and a
	// tag of the hash above (see tag), 0 for an empty slot.
	n     uint32
	table []uint64
	// dups maps the ID of a second copy of an object to the first's.
	dups map[uint32]uint32
}

// Open reads the indexes of a repository's packs and lists its loose
// objects. Close releases the packs.
func Open(st *filesystem.Storage) (*DB, error) {
	stores, err := objectStores(st)
	if err != nil {
		return nil, err
	}
	if len(stores) > math.MaxUint8 {
		return nil, fmt.Errorf("more than %d object directories in objects/info/alternates", math.MaxUint8)
	}
	db := &DB{stores: stores, dups: map[uint32]uint32{}}
	type orphan struct {
		dg *dotgit.DotGit
		h  plumbing.Hash
	}
	var orphans []orphan
	var packs [][]plumbing.Hash
	for i, s := range stores {
		loose, ps, lone, err := storeContents(s)
		if err != nil {
			return nil, err
		}
		db.loose = append(db.loose, loose...)
		for range loose {
			db.looseIn = append(db.looseIn, uint8(i))
		}
		packs = append(packs, ps)
		for _, h := range lone {
			orphans = append(orphans, orphan{dotgit.New(s.Filesystem()), h})
		}
	}
	total := int64(len(db.loose))
	for i, s := range stores {
		dg := dotgit.New(s.Filesystem())
		for _, h := range packs[i] {
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
	}
	db.n = uint32(total)
	db.number()
	for _, o := range orphans {
		if err := db.checkOrphan(o.dg, o.h); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// checkOrphan looks at a pack index whose pack data is gone. Git passes
// over such an index; so does djguard when every object it lists is held
// elsewhere (a repack that died before removing it). Otherwise objects are
// lost, and an audit without them would be an audit of less than the
// history: an error.
func (db *DB) checkOrphan(dg *dotgit.DotGit, h plumbing.Hash) error {
	name := "pack-" + h.String()
	f, err := dg.ObjectPackIdx(h)
	if err != nil {
		return fmt.Errorf("%w: %s.idx has no %s.pack, and cannot be read: %v", ErrCorrupt, name, name, err)
	}
	idx := idxfile.NewMemoryIndex()
	err = idxfile.NewDecoder(f).Decode(idx)
	f.Close()
	if err != nil {
		return fmt.Errorf("%w: %s.idx has no %s.pack, and cannot be read: %v", ErrCorrupt, name, name, err)
	}
	iter, err := idx.Entries()
	if err != nil {
		return fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, name, err)
	}
	defer iter.Close()
	lost := 0
	for {
		e, err := iter.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, name, err)
		}
		if _, ok := db.Find(e.Hash); !ok {
			lost++
		}
	}
	if lost > 0 {
		return fmt.Errorf("%w: objects/pack/%s.pack is gone while its index is there: %d objects it held are nowhere else", ErrCorrupt, name, lost)
	}
	return nil
}

// number fills the table that finds an object's ID by its hash.
func (db *DB) number() {
	size := 16
	for size < int(db.n)+int(db.n)/2 {
		size *= 2
	}
	db.table = make([]uint64, size)
	mask := uint64(size - 1)
	for id := uint32(0); id < db.n; id++ {
		h := db.Hash(id)
		for i := slot(h) & mask; ; i = (i + 1) & mask {
			v := db.table[i]
			if v == 0 {
				db.table[i] = tag(h) | uint64(id+1)
				break
			}
			if v&^idMask == tag(h) && db.Hash(uint32(v&idMask)-1) == h {
				db.dups[id] = uint32(v&idMask) - 1
				break
			}
		}
	}
}

func slot(h plumbing.Hash) uint64 { return binary.LittleEndian.Uint64(h[:8]) }

// tag is the upper half of a table slot: 32 more bits of the hash, so
// that a probe that meets another object's slot seldom reads that
// object's hash, which lies elsewhere in memory.
func tag(h plumbing.Hash) uint64 { return uint64(binary.LittleEndian.Uint32(h[8:12])) << 32 }

// idMask is the lower half of a table slot: an ID plus one, 0 for none.
const idMask = 1<<32 - 1

// Len is the number of objects: IDs run from 0 to Len()-1. An object
// stored twice counts twice.
func (db *DB) Len() uint32 { return db.n }

// Find returns the ID of the object with hash h; ok is false when the
// repository does not hold it.
func (db *DB) Find(h plumbing.Hash) (id uint32, ok bool) {
	mask := uint64(len(db.table) - 1)
	t := tag(h)
	for i := slot(h) & mask; ; i = (i + 1) & mask {
		v := db.table[i]
		if v == 0 {
			return 0, false
		}
		if v&^idMask == t && db.Hash(uint32(v&idMask)-1) == h {
			return uint32(v&idMask) - 1, true
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

// Walk calls visit once for every object in the repository's packs and
// loose objects. visit may be called from several goroutines at once; an
// error from it stops the walk. An object stored twice (in two packs, or
// packed and loose) is visited once. Walks of one DB must not run at the
// same time.
func (db *DB) Walk(ctx context.Context, opt Options, visit func(*Object) error) (Stats, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	w := &walker{db: db, ctx: ctx, opt: opt, visit: visit, total: int64(db.n)}
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

// encoded reads the object with hash h through go-git from whichever store
// holds it: a loose object, or a delta's base in another pack.
func (db *DB) encoded(h plumbing.Hash) (plumbing.EncodedObject, error) {
	var first error
	for _, s := range db.stores {
		obj, err := s.EncodedObject(plumbing.AnyObject, h)
		if err == nil {
			return obj, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}
