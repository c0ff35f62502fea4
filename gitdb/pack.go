package gitdb

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

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
	idx, err := openIdx(dg, h)
	if err != nil {
		return nil, err
	}
	defer idx.close()
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
func (p *pack) index(idx *packIndex) error {
	p.entries = make([]entry, idx.n)
	for i := range p.entries {
		off, err := idx.offset(i)
		if err != nil {
			return fmt.Errorf("%s.idx: %w", p.name, err)
		}
		e := &p.entries[i]
		copy(e.hash[:], idx.hash(i))
		e.offset, e.base = off, -1
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
			if off, ok, err := idx.find(p.refBases[int32(i)]); err == nil && ok {
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

// parseHeader parses entry i's object header at the start of b (see
// parseObjectHeader) into the entry.
func (p *pack) parseHeader(i int, b []byte) (baseOffset int64, baseHash plumbing.Hash, err error) {
	e := &p.entries[i]
	h, err := parseObjectHeader(b, e.offset)
	if err != nil {
		return 0, baseHash, err
	}
	e.kind, e.size, e.header = h.kind, h.size, uint8(h.length)
	return h.baseOffset, h.baseHash, nil
}

// objectHeader is what a pack says of an object before its compressed
// data.
type objectHeader struct {
	kind       plumbing.ObjectType
	size       int64 // inflated size of the data (for a delta, of the delta)
	length     int   // the header's length: the compressed data starts after it
	baseOffset int64 // an OFS_DELTA's base
	baseHash   plumbing.Hash
}

// parseObjectHeader parses an object header at the start of b, for an
// object at offset in its pack: type and size, then for an OFS_DELTA the
// distance back to its base, for a REF_DELTA the base's hash.
func parseObjectHeader(b []byte, offset int64) (objectHeader, error) {
	var h objectHeader
	if len(b) == 0 {
		return h, errBadHeader
	}
	c := b[0]
	h.kind = plumbing.ObjectType((c >> 4) & 7)
	size := int64(c & 15)
	shift := uint(4)
	k := 1
	for c&0x80 != 0 {
		if k >= len(b) || shift > 56 {
			return h, errBadHeader
		}
		c = b[k]
		k++
		size |= int64(c&0x7f) << shift
		shift += 7
	}
	h.size = size
	switch h.kind {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	case plumbing.OFSDeltaObject:
		if k >= len(b) {
			return h, errBadHeader
		}
		c = b[k]
		k++
		dist := int64(c & 0x7f)
		for c&0x80 != 0 {
			if k >= len(b) || dist > 1<<55 {
				return h, errBadHeader
			}
			c = b[k]
			k++
			dist = ((dist + 1) << 7) | int64(c&0x7f)
		}
		h.baseOffset = offset - dist
		if h.baseOffset < 12 || h.baseOffset >= offset {
			return h, errBadHeader
		}
	case plumbing.REFDeltaObject:
		if k+20 > len(b) {
			return h, errBadHeader
		}
		copy(h.baseHash[:], b[k:k+20])
		k += 20
	default:
		return h, errBadHeader
	}
	h.length = k
	return h, nil
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

// openIdx opens pack h's index: mapped where the repository is on disk,
// else read whole through its file system.
func openIdx(dg *dotgit.DotGit, h plumbing.Hash) (*packIndex, error) {
	name := "pack-" + h.String() + ".idx"
	if root := dg.Fs().Root(); filepath.IsAbs(root) {
		idx, err := openPackIndex(filepath.Join(root, "objects", "pack", name))
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return idx, err
		}
	}
	f, err := dg.ObjectPackIdx(h)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	idx, err := parsePackIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	return idx, nil
}
