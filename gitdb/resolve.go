package gitdb

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/zlib"
)

// resolver inflates objects for one worker, reusing its zlib reader and
// its buffers.
type resolver struct {
	w     *walker
	p     *pack
	zr    io.ReadCloser
	comp  []byte // an object's compressed bytes, read with one read
	win   []byte // a window of the pack read for small objects ...
	winAt int64  // ... from this offset
	// winServed counts the objects the window served past the one it was
	// read for; misses counts the reads since a window last served one.
	winServed, misses int
	src               bytes.Reader // over comp, for zlib
	scratch           []byte       // delta instructions, reused: they are not handed out
	ranges            []Range      // with Options.Reuse: the changed ranges of the last delta built
	held              int          // bytes of bases held for deltas still to be built
	free              [][]byte     // with Options.Reuse: buffers no object needs any more
	obj               Object       // with Options.Reuse: the Object handed to visit
	one               [1]byte      // for atEnd
	copies            []Copy       // with Options.TreeCopies: the last tree delta's
}

// object returns an Object holding o to hand to visit: with Options.Reuse
// the resolver's own, which visit may not keep, else a new one.
func (r *resolver) object(o Object) *Object {
	p := &r.obj
	if !r.w.opt.Reuse {
		p = new(Object)
	}
	*p = o
	return p
}

// maxFree bounds how many spare buffers a resolver keeps, and maxKept
// the size of one.
const (
	maxFree = 8
	maxKept = 4 << 20
)

// take returns the smallest spare buffer that holds n bytes, or nil.
func (r *resolver) take(n int64) []byte {
	best := -1
	for k, b := range r.free {
		if int64(cap(b)) >= n && (best < 0 || cap(b) < cap(r.free[best])) {
			best = k
		}
	}
	if best < 0 {
		return nil
	}
	b := r.free[best]
	r.free[best] = r.free[len(r.free)-1]
	r.free = r.free[:len(r.free)-1]
	return b
}

// give returns a buffer no object needs any more, with Options.Reuse; when
// maxFree are kept already, it takes the place of the smallest, if it is
// larger. One over maxKept is left to the collector: so few objects are
// that large that making their buffers costs little, while keeping them
// would hold memory for the rest of the walk.
func (r *resolver) give(b []byte) {
	if !r.w.opt.Reuse || b == nil || cap(b) > maxKept {
		return
	}
	if len(r.free) < maxFree {
		r.free = append(r.free, b)
		return
	}
	small := 0
	for k := range r.free {
		if cap(r.free[k]) < cap(r.free[small]) {
			small = k
		}
	}
	if cap(b) > cap(r.free[small]) {
		r.free[small] = b
	}
}

// targetSize reads the size of the target a delta declares, for take: 0
// when the header cannot be read (patch then says why).
func targetSize(delta []byte) int64 {
	_, rest, ok := leb128(delta)
	if !ok {
		return 0
	}
	n, _, ok := leb128(rest)
	if !ok || n > maxObjectSize {
		return 0
	}
	return int64(n)
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
		return r.w.emit(r.object(Object{ID: r.p.first + uint32(i), Hash: e.hash, Type: e.kind, Size: e.size}))
	}
	data, err := r.inflateInto(i, r.take(e.size))
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
	o := r.object(Object{ID: r.p.first + uint32(i), Hash: e.hash, Type: kind, Size: int64(len(data)), Data: data})
	if from != nil {
		o.Base, o.Changed, o.Copies = from.base, from.changed, from.copies
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
		return r.inflateInto(i, r.take(e.size))
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
	data, _, err := patch(r.take(targetSize(d)), base, d, nil)
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
		if err := r.w.emit(r.object(Object{ID: r.p.first + uint32(j), Hash: e.hash, Type: kind, Size: e.size, Unread: true})); err != nil {
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
	data, ranges, err := patch(r.take(targetSize(d)), base, d, ranges)
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
	if kind == plumbing.TreeObject && r.w.opt.TreeCopies {
		var buf []Copy
		if r.w.opt.Reuse {
			buf = r.copies[:0] // handed out only until the last visit returned
		}
		from.copies = copiesOf(d, buf)
		if r.w.opt.Reuse {
			r.copies = from.copies
		}
	}
	return r.resolve(i, kind, data, from, depth)
}

// deltaFrom is how a delta's target was made.
type deltaFrom struct {
	base    plumbing.Hash
	changed []Range
	copies  []Copy
}

// readWindow is how much of the pack a resolver reads at once for small
// objects: commits and trees lie close together in a pack, so one read
// often serves the next few objects.
const readWindow = 64 << 10

// windowRetry: while windows serve nothing (objects visited in the order
// of their delta trees, far apart in the pack), each object's own bytes
// are read alone, and a window is tried again every windowRetry reads.
const windowRetry = 32

// read returns n bytes of the pack from offset, valid until the next read.
// A small object is read with a window of the pack after it when windows
// have lately served the objects that followed; otherwise on its own: a
// 64 KiB copy for a 300-byte tree is most of the cost of reading it.
func (r *resolver) read(offset, n int64) ([]byte, error) {
	if offset >= r.winAt && offset+n <= r.winAt+int64(len(r.win)) {
		r.winServed++
		r.misses = 0
		return r.win[offset-r.winAt : offset-r.winAt+n], nil
	}
	r.misses++
	useWindow := r.winServed > 0 || r.misses%windowRetry == 0
	r.winServed = 0
	if n <= readWindow/4 && useWindow {
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
		buf = make([]byte, e.size, roomy(e.size))
	}
	if _, err := io.ReadFull(r.zr, buf); err != nil {
		return nil, fmt.Errorf("%w: %s: object %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	if err := atEnd(r.zr, &r.one); err != nil {
		return nil, fmt.Errorf("%w: %s: object %s: %v", ErrCorrupt, r.p.name, e.hash, err)
	}
	return buf, nil
}

// atEnd reads a zlib stream to its end, where the reader checks the
// Adler-32 checksum of what it inflated; a stream with more in it than
// the object's header said is corrupt too. one is a byte to read into,
// the caller's: one on the stack would be allocated for every object.
func atEnd(zr io.Reader, one *[1]byte) error {
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
