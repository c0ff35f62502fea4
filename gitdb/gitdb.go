// Package gitdb reads git's on-disk data where speed matters: every object
// of a repository's object database once (each pack in offset order from
// its index, every delta resolved from its base held in memory, delta trees
// spread over several goroutines), and the index with its cache tree. It
// uses go-git's pack index decoder and repository layout, and applies
// deltas itself into buffers it reuses.
package gitdb

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
	"github.com/klauspost/compress/zlib"
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
	// Reuse lets the walk build objects in buffers it reuses: an Object's
	// Data and Changed are then valid only until visit returns, and a
	// visitor copies what it keeps. Memory then holds, per worker, one
	// buffer for each level of the delta chain being resolved.
	Reuse bool
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

// pack is one packfile with its index, ready for random reads.
type pack struct {
	first   uint32 // the ID of entries[0]; entry i is first+i
	name    string
	file    billy.File
	data    io.ReaderAt
	size    int64
	entries []entry // in offset order
	// The deltas built on entry i are kids[kidStart[i]:kidStart[i+1]].
	kidStart, kids []int32
	refBases       map[int32]plumbing.Hash // a REF_DELTA's base, by entry
}

// entry is one object of a pack as its header describes it. It is kept
// small: a large pack has one for each of hundreds of thousands of
// objects.
type entry struct {
	hash   plumbing.Hash
	offset int64
	size   int64 // inflated size of the data (for a delta, of the delta)
	base   int32 // index of the delta base in entries; -1 for none or external
	kind   plumbing.ObjectType
	header uint8 // the header's length: the compressed data starts after it
	need   uint8 // needUnknown, needNo or needYes (Options.Need)
}

// end is where entry i's data ends: where the next object, or the pack's
// checksum, starts.
func (p *pack) end(i int) int64 {
	if i+1 < len(p.entries) {
		return p.entries[i+1].offset
	}
	const trailer = 20 // the pack's checksum
	return p.size - trailer
}

// forget clears what the last walk learnt of each entry's need.
func (p *pack) forget() {
	for i := range p.entries {
		p.entries[i].need = needUnknown
	}
}

// children returns the entries that are deltas built on entry i.
func (p *pack) children(i int) []int32 {
	return p.kids[p.kidStart[i]:p.kidStart[i+1]]
}

const (
	needUnknown = iota
	needNo
	needYes
)

func openPack(dg *dotgit.DotGit, h plumbing.Hash) (*pack, error) {
	name := "pack-" + h.String()
	idxFile, err := dg.ObjectPackIdx(h)
	if err != nil {
		return nil, fmt.Errorf("open %s.idx: %w", name, err)
	}
	idx := idxfile.NewMemoryIndex()
	err = idxfile.NewDecoder(idxFile).Decode(idx)
	idxFile.Close()
	if err != nil {
		return nil, fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, name, err)
	}
	f, err := dg.ObjectPack(h)
	if err != nil {
		return nil, fmt.Errorf("open %s.pack: %w", name, err)
	}
	p := &pack{name: name, file: f, data: f}
	if info, err := dg.Fs().Stat(dg.Fs().Join("objects", "pack", name+".pack")); err == nil {
		p.size = info.Size()
	} else if p.size, err = f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("size of %s.pack: %w", name, err)
	}
	if err := p.index(idx); err != nil {
		f.Close()
		return nil, err
	}
	return p, nil
}

func (p *pack) close() { p.file.Close() }

// index lists the pack's objects in offset order and reads their headers.
func (p *pack) index(idx *idxfile.MemoryIndex) error {
	count, err := idx.Count()
	if err != nil {
		return fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, p.name, err)
	}
	p.entries = make([]entry, 0, count)
	it, err := idx.Entries()
	if err != nil {
		return fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, p.name, err)
	}
	defer it.Close()
	for {
		e, err := it.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %s.idx: %v", ErrCorrupt, p.name, err)
		}
		p.entries = append(p.entries, entry{hash: e.Hash, offset: int64(e.Offset), base: -1})
	}
	slices.SortFunc(p.entries, func(a, b entry) int { return cmp.Compare(a.offset, b.offset) })
	baseOffsets := make([]int64, len(p.entries))
	p.refBases = map[int32]plumbing.Hash{}
	hr := headerReader{p: p}
	for i := range p.entries {
		e := &p.entries[i]
		if e.offset < 12 || p.end(i) <= e.offset || p.end(i) > p.size {
			return fmt.Errorf("%w: %s: object %s at offset %d lies outside the pack", ErrCorrupt, p.name, e.hash, e.offset)
		}
		head, err := hr.at(i)
		if err != nil {
			return err
		}
		baseOffset, baseHash, err := p.parseHeader(i, head)
		if err != nil {
			return p.badHeader(e)
		}
		baseOffsets[i] = baseOffset
		if e.kind == plumbing.REFDeltaObject {
			p.refBases[int32(i)] = baseHash
		}
	}
	kidCount := make([]int32, len(p.entries)+1)
	for i := range p.entries {
		e := &p.entries[i]
		switch e.kind {
		case plumbing.OFSDeltaObject:
			b, ok := p.at(baseOffsets[i])
			if !ok {
				return fmt.Errorf("%w: %s: delta %s has no base in the pack", ErrCorrupt, p.name, e.hash)
			}
			e.base = b
		case plumbing.REFDeltaObject:
			if off, err := idx.FindOffset(p.refBases[int32(i)]); err == nil {
				if b, ok := p.at(off); ok {
					e.base = b
				}
			}
		}
		if e.base >= 0 {
			kidCount[e.base+1]++
		}
	}
	p.kidStart = kidCount
	for i := 1; i < len(p.kidStart); i++ {
		p.kidStart[i] += p.kidStart[i-1]
	}
	p.kids = make([]int32, p.kidStart[len(p.entries)])
	next := append([]int32(nil), p.kidStart[:len(p.entries)]...)
	for i := range p.entries {
		if b := p.entries[i].base; b >= 0 {
			p.kids[next[b]] = int32(i)
			next[b]++
		}
	}
	return nil
}

// at returns the entry that starts at a pack offset.
func (p *pack) at(offset int64) (int32, bool) {
	i, ok := slices.BinarySearchFunc(p.entries, offset, func(e entry, off int64) int { return cmp.Compare(e.offset, off) })
	return int32(i), ok
}

// headerReader reads the entries' headers in offset order through one
// window of the pack, so that indexing a pack costs a read per megabyte,
// not one per object.
type headerReader struct {
	p      *pack
	buf    []byte
	offset int64 // where buf starts in the pack
}

// maxHeader bounds an object header: type and size (at most 10 bytes for
// a 64-bit size), then a REF_DELTA's 20-byte hash or an OFS_DELTA's
// distance.
const maxHeader = 32

// at returns the start of entry i's bytes: its header, and perhaps more.
func (h *headerReader) at(i int) ([]byte, error) {
	e := &h.p.entries[i]
	want := min(int64(maxHeader), h.p.end(i)-e.offset)
	if e.offset < h.offset || e.offset+want > h.offset+int64(len(h.buf)) {
		const window = 1 << 20
		n := min(int64(window), h.p.size-e.offset)
		if cap(h.buf) < window {
			h.buf = make([]byte, window)
		}
		h.buf = h.buf[:n]
		m, err := h.p.data.ReadAt(h.buf, e.offset)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read %s at %d: %w", h.p.name, e.offset, err)
		}
		h.buf, h.offset = h.buf[:m], e.offset
	}
	lo := e.offset - h.offset
	return h.buf[lo:min(lo+want, int64(len(h.buf)))], nil
}

// parseHeader parses an object header at the start of b: type and size,
// then for an OFS_DELTA the distance back to its base, for a REF_DELTA the
// base's hash.
func (p *pack) parseHeader(i int, b []byte) (baseOffset int64, baseHash plumbing.Hash, err error) {
	e := &p.entries[i]
	if len(b) == 0 {
		return 0, baseHash, errBadHeader
	}
	c := b[0]
	e.kind = plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	shift := uint(4)
	k := 1
	for c&0x80 != 0 {
		if k >= len(b) || shift > 56 {
			return 0, baseHash, errBadHeader
		}
		c = b[k]
		k++
		size |= int64(c&0x7f) << shift
		shift += 7
	}
	e.size = size
	switch e.kind {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	case plumbing.OFSDeltaObject:
		if k >= len(b) {
			return 0, baseHash, errBadHeader
		}
		c = b[k]
		k++
		dist := int64(c & 0x7f)
		for c&0x80 != 0 {
			if k >= len(b) || dist > 1<<55 {
				return 0, baseHash, errBadHeader
			}
			c = b[k]
			k++
			dist = ((dist + 1) << 7) | int64(c&0x7f)
		}
		baseOffset = e.offset - dist
		if baseOffset < 12 || baseOffset >= e.offset {
			return 0, baseHash, errBadHeader
		}
	case plumbing.REFDeltaObject:
		if k+20 > len(b) {
			return 0, baseHash, errBadHeader
		}
		copy(baseHash[:], b[k:k+20])
		k += 20
	default:
		return 0, baseHash, errBadHeader
	}
	e.header = uint8(k)
	return baseOffset, baseHash, nil
}

var errBadHeader = errors.New("bad object header")

func (p *pack) badHeader(e *entry) error {
	return fmt.Errorf("%w: %s: bad object header at offset %d", ErrCorrupt, p.name, e.offset)
}

// walkPack visits every object of a pack. Each root (an object that is no
// delta, or a delta whose base lies outside the pack) and the deltas built
// on it form a tree; the trees are shared out among the workers, and each
// is resolved depth first so that only one chain of bases is in memory.
func (w *walker) walkPack(p *pack) error {
	var roots []int
	for i := range p.entries {
		if p.entries[i].base < 0 {
			roots = append(roots, i)
		}
	}
	// Big trees first, so that no worker is left with a long one at the end.
	weight := make([]int, len(p.entries))
	for i := len(p.entries) - 1; i >= 0; i-- {
		weight[i]++
		if b := int(p.entries[i].base); b >= 0 && b < i {
			weight[b] += weight[i]
		}
	}
	sort.SliceStable(roots, func(a, b int) bool { return weight[roots[a]] > weight[roots[b]] })

	var next atomic.Int64
	errs := make(chan error, w.opt.Workers)
	var wg sync.WaitGroup
	for k := 0; k < w.opt.Workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &resolver{w: w, p: p}
			for {
				j := int(next.Add(1)) - 1
				if j >= len(roots) {
					return
				}
				if err := w.ctx.Err(); err != nil {
					errs <- err
					return
				}
				if err := r.root(roots[j]); err != nil {
					errs <- err
					next.Store(int64(len(roots))) // stop the others
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// resolver inflates objects for one worker, reusing its zlib reader and
// its buffers.
type resolver struct {
	w       *walker
	p       *pack
	zr      io.ReadCloser
	comp    []byte       // an object's compressed bytes, read with one read
	win     []byte       // a window of the pack read for small objects ...
	winAt   int64        // ... from this offset
	src     bytes.Reader // over comp, for zlib
	scratch []byte       // delta instructions, reused: they are not handed out
	ranges  []Range      // with Options.Reuse: the changed ranges of the last delta built
	held    int          // bytes of bases held for deltas still to be built
	free    [][]byte     // with Options.Reuse: buffers no object needs any more
}

// maxFree bounds how many spare buffers a resolver keeps.
const maxFree = 8

// take returns a spare buffer to build an object in, or nil.
func (r *resolver) take() []byte {
	if n := len(r.free); n > 0 {
		b := r.free[n-1]
		r.free = r.free[:n-1]
		return b
	}
	return nil
}

// give returns a buffer no object needs any more, with Options.Reuse.
func (r *resolver) give(b []byte) {
	if r.w.opt.Reuse && b != nil && len(r.free) < maxFree {
		r.free = append(r.free, b)
	}
}

// root visits a root object and every delta built on it.
func (r *resolver) root(i int) error {
	e := &r.p.entries[i]
	if e.kind == plumbing.REFDeltaObject {
		return r.externalRoot(i)
	}
	if !r.w.wanted(e.kind) || !r.needed(i) {
		return r.unread(i, e.kind)
	}
	if e.kind == plumbing.BlobObject && r.w.opt.MaxBlobSize > 0 && e.size > r.w.opt.MaxBlobSize && len(r.p.children(i)) == 0 {
		return r.w.emit(&Object{ID: r.p.first + uint32(i), Hash: e.hash, Type: e.kind, Size: e.size})
	}
	data, err := r.inflateInto(i, r.take())
	if err != nil {
		return err
	}
	return r.resolve(i, e.kind, data, nil, 0)
}

// externalRoot handles a REF_DELTA whose base is in another pack or loose:
// the base is read through go-git, from whichever store holds it.
func (r *resolver) externalRoot(i int) error {
	e := &r.p.entries[i]
	baseHash := r.p.refBases[int32(i)]
	obj, err := r.w.db.encoded(baseHash)
	if err != nil {
		return fmt.Errorf("%w: %s: base %s of delta %s: %v", ErrCorrupt, r.p.name, baseHash, e.hash, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return fmt.Errorf("%w: base %s: %v", ErrCorrupt, baseHash, err)
	}
	base, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		return fmt.Errorf("%w: base %s: %v", ErrCorrupt, baseHash, err)
	}
	return r.delta(i, obj.Type(), baseHash, base, 0, true)
}

// maxDepth bounds a delta chain; git writes chains of at most 4095.
const maxDepth = 10000

// resolve visits entry i, whose content is data, then its deltas.
func (r *resolver) resolve(i int, kind plumbing.ObjectType, data []byte, from *deltaFrom, depth int) error {
	e := &r.p.entries[i]
	o := &Object{ID: r.p.first + uint32(i), Hash: e.hash, Type: kind, Size: int64(len(data)), Data: data}
	if from != nil {
		o.Base, o.Changed = from.base, from.changed
	}
	if kind == plumbing.BlobObject && r.w.opt.MaxBlobSize > 0 && o.Size > r.w.opt.MaxBlobSize {
		o.Data = nil
	}
	if err := r.w.emit(o); err != nil {
		return err
	}
	kids := r.p.children(i)
	if depth > maxDepth && len(kids) > 0 {
		return fmt.Errorf("%w: %s: delta chain deeper than %d at %s", ErrCorrupt, r.p.name, maxDepth, e.hash)
	}
	// Depth first, so that only the chain of bases above the object being
	// built is in memory; a base's buffer is given back as soon as its
	// last delta is built, so a long linear chain needs two buffers, not
	// one per level. A base that several deltas need is held only while
	// the bases held above it stay under chainBudget; past that it is
	// dropped and rebuilt from its chain for each of them.
	last, needs := -1, 0
	for k, c := range kids {
		if r.needed(int(c)) {
			last = k
			needs++
		}
	}
	held, dropped := data, false
	if needs > 1 && r.held+len(data) > chainBudget && r.internalChain(i) {
		r.give(data)
		held, dropped = nil, true
	}
	r.held += len(held)
	defer func() { r.held -= len(held) }()
	for k, c := range kids {
		var err error
		if k <= last && r.needed(int(c)) {
			base := held
			if dropped {
				if base, err = r.rebuild(i); err != nil {
					return err
				}
				r.w.rebuilt.Add(1)
			}
			err = r.delta(int(c), kind, e.hash, base, depth+1, k == last || dropped)
		} else {
			err = r.unread(int(c), kind)
		}
		if err != nil {
			return err
		}
	}
	if last < 0 {
		r.give(data)
	}
	return nil
}

// chainBudget bounds the bytes of delta bases a resolver holds for deltas
// still to be built.
var chainBudget = 64 << 20

// internalChain reports whether entry i's delta chain starts in this pack
// (rebuild can then make it again).
func (r *resolver) internalChain(i int) bool {
	for r.p.entries[i].base >= 0 {
		i = int(r.p.entries[i].base)
	}
	return r.p.entries[i].kind != plumbing.REFDeltaObject
}

// rebuild makes entry i's content again from its chain, for a base that
// was dropped to keep within chainBudget.
func (r *resolver) rebuild(i int) ([]byte, error) {
	e := &r.p.entries[i]
	if e.base < 0 {
		return r.inflateInto(i, r.take())
	}
	base, err := r.rebuild(int(e.base))
	if err != nil {
		return nil, err
	}
	d, err := r.inflateInto(i, r.scratch)
	if err != nil {
		return nil, err
	}
	r.scratch = d
	data, _, err := patch(r.take(), base, d, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: delta %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	r.give(base)
	return data, nil
}

// needed reports whether entry i, or a delta built on it, is to be read
// (Options.Need). It is asked once per entry: the answer is kept.
func (r *resolver) needed(i int) bool {
	if r.w.opt.Need == nil {
		return true
	}
	e := &r.p.entries[i]
	if e.need == needUnknown {
		e.need = needNo
		if r.w.opt.Need(r.p.first + uint32(i)) {
			e.need = needYes
		}
		for _, c := range r.p.children(i) {
			if r.needed(int(c)) {
				e.need = needYes
			}
		}
	}
	return e.need == needYes
}

// unread passes entry i and every delta built on it to visit unread.
func (r *resolver) unread(i int, kind plumbing.ObjectType) error {
	stack := []int{i}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		e := &r.p.entries[j]
		if err := r.w.emit(&Object{ID: r.p.first + uint32(j), Hash: e.hash, Type: kind, Size: e.size, Unread: true}); err != nil {
			return err
		}
		for _, c := range r.p.children(j) {
			stack = append(stack, int(c))
		}
	}
	return nil
}

// delta builds entry i from its base's content and visits it. lastOfBase
// says no other delta needs the base: its buffer is then given back.
func (r *resolver) delta(i int, kind plumbing.ObjectType, baseHash plumbing.Hash, base []byte, depth int, lastOfBase bool) error {
	e := &r.p.entries[i]
	d, err := r.inflateInto(i, r.scratch)
	if err != nil {
		return err
	}
	r.scratch = d
	var ranges []Range
	if r.w.opt.Reuse {
		ranges = r.ranges // the last object's were handed out only until its visit returned
	}
	data, ranges, err := patch(r.take(), base, d, ranges)
	if err != nil {
		return fmt.Errorf("%w: %s: delta %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	if r.w.opt.Reuse {
		r.ranges = ranges
	}
	if lastOfBase {
		r.give(base)
	}
	from := &deltaFrom{base: baseHash, changed: ranges}
	return r.resolve(i, kind, data, from, depth)
}

// deltaFrom is how a delta's target was made.
type deltaFrom struct {
	base    plumbing.Hash
	changed []Range
}

// readWindow is how much of the pack a resolver reads at once for small
// objects: commits and trees lie close together in a pack, so one read
// often serves the next few objects.
const readWindow = 64 << 10

// read returns n bytes of the pack from offset, valid until the next read.
func (r *resolver) read(offset, n int64) ([]byte, error) {
	if offset >= r.winAt && offset+n <= r.winAt+int64(len(r.win)) {
		return r.win[offset-r.winAt : offset-r.winAt+n], nil
	}
	if n <= readWindow/4 {
		if r.win == nil {
			r.win = make([]byte, readWindow)
		}
		m, err := r.p.data.ReadAt(r.win[:cap(r.win)], offset)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read %s at %d: %w", r.p.name, offset, err)
		}
		r.win, r.winAt = r.win[:m], offset
		if int64(m) >= n {
			return r.win[:n], nil
		}
	}
	if int64(cap(r.comp)) < n {
		r.comp = make([]byte, n)
	}
	r.comp = r.comp[:n]
	if _, err := r.p.data.ReadAt(r.comp, offset); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read %s at %d: %w", r.p.name, offset, err)
	}
	return r.comp, nil
}

// inflateInto decompresses an entry's data into buf when it is large
// enough, or into a new buffer.
func (r *resolver) inflateInto(i int, buf []byte) ([]byte, error) {
	e := &r.p.entries[i]
	start := e.offset + int64(e.header)
	n := r.p.end(i) - start
	comp, err := r.read(start, n)
	if err != nil {
		return nil, err
	}
	r.src.Reset(comp)
	if r.zr == nil {
		r.zr, err = zlib.NewReader(&r.src)
	} else {
		err = r.zr.(zlib.Resetter).Reset(&r.src, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: object %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	if e.size > 1<<34 {
		return nil, fmt.Errorf("%w: %s: object %s claims %d bytes", ErrCorrupt, r.p.name, e.hash, e.size)
	}
	if int64(cap(buf)) >= e.size {
		buf = buf[:e.size]
	} else {
		buf = make([]byte, e.size)
	}
	if _, err := io.ReadFull(r.zr, buf); err != nil {
		return nil, fmt.Errorf("%w: %s: object %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	if err := atEnd(r.zr); err != nil {
		return nil, fmt.Errorf("%w: %s: object %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	return buf, nil
}

// atEnd reads a zlib stream to its end, where the reader checks the
// Adler-32 checksum of what it inflated; a stream with more in it than
// the object's header said is corrupt too.
func atEnd(zr io.Reader) error {
	var one [1]byte
	for range 4 {
		n, err := zr.Read(one[:])
		switch {
		case n > 0:
			return errors.New("inflates to more than its header says")
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
	}
	return errors.New("does not end where its header says")
}
