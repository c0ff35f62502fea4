package gitdb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
)

// Reader reads single objects by hash, touching only what each needs: the
// fan-out table and a binary search of each pack's mapped index, the
// object's bytes in its pack (and its delta chain's), or its loose file.
// It is what a pre-commit hook wants: a handful of objects out of a
// repository of any size, where Open's DB reads every pack index whole.
// A Reader is not safe for concurrent use.
type Reader struct {
	dirs  []string // object directories: the repository's, then its alternates
	packs []*packFile
	zr    io.ReadCloser // reused between objects
	// window holds the start of the object being read: its header and,
	// for most objects, all of its compressed data.
	window [4096]byte
	src    bytes.Reader
	// changed is the buffer patch lists a target's changed ranges in,
	// which the Reader does not use: reused, so that it costs nothing.
	changed []Range
	bases   baseCache
	one     [1]byte // for atEnd
}

// baseCache keeps the objects a delta chain passed through on its way up
// (the chain's base and every version built from it but the one asked
// for), so that the next object whose chain passes there starts from it.
// Git stores a file's newest version whole and older ones as deltas
// against newer, so reading a file's versions oldest first, as an audit
// of a range does, finds each next one in the last one's chain. Oldest
// entries go first past a budget.
type baseCache struct {
	budget int // bytes held at most; 0: the cache is off
	objs   map[baseAt]cachedBase
	order  []baseAt
	size   int
}

type baseAt struct {
	pack *packFile
	off  int64
}

type cachedBase struct {
	kind plumbing.ObjectType
	data []byte // never written: a later chain builds on it
}

// KeepBases turns on the cache of delta bases, holding at most budget
// bytes, for a caller that reads many versions of the same files (an
// audit of a range). It costs a buffer a version built, where without it
// a chain's versions take turns in two: a caller that reads each file
// once (a staged scan) leaves it off.
func (r *Reader) KeepBases(budget int) {
	r.bases.budget = budget
}

func (c *baseCache) get(p *packFile, off int64) (cachedBase, bool) {
	b, ok := c.objs[baseAt{p, off}]
	return b, ok
}

func (c *baseCache) put(p *packFile, off int64, kind plumbing.ObjectType, data []byte) {
	at := baseAt{p, off}
	if c.budget == 0 || len(data) > c.budget/4 { // an object of over a quarter is not kept
		return
	}
	if _, ok := c.objs[at]; ok {
		return
	}
	if c.objs == nil {
		c.objs = map[baseAt]cachedBase{}
	}
	for c.size+len(data) > c.budget && len(c.order) > 0 {
		c.size -= len(c.objs[c.order[0]].data)
		delete(c.objs, c.order[0])
		c.order = c.order[1:]
	}
	c.objs[at] = cachedBase{kind, data}
	c.order = append(c.order, at)
	c.size += len(data)
}

// packFile is one pack, opened when an object is first looked up in it.
type packFile struct {
	path  string // without .idx or .pack
	idx   *packIndex
	data  *os.File
	size  int64
	tried bool // the index was opened, or failed to
	err   error
}

// ErrUnsupported marks a repository the Reader does not read (objects
// named by SHA-256, alternates it cannot follow): the caller reads it
// some other way.
var ErrUnsupported = errors.New("the object reader does not read this repository")

// ErrNotFound marks an object the repository does not hold.
var ErrNotFound = errors.New("object not found")

// maxDeltaDepth bounds a chain of deltas (git writes at most 4095), so
// that REF_DELTAs naming each other in a loop end in an error.
const maxDeltaDepth = 10000

// OpenReader prepares to read objects from the repository whose git
// directory (the common one, for a linked worktree) is gitDir: it lists
// the packs of its object directory and of the alternates that names,
// and reads nothing else until asked for an object. It refuses, with an
// error wrapping ErrUnsupported, a repository whose objects are not named
// by SHA-1 and alternates it cannot follow.
func OpenReader(gitDir string) (*Reader, error) {
	if f := objectFormat(gitDir); f != "" && !strings.EqualFold(f, "sha1") {
		return nil, fmt.Errorf("%w: its objects are named by %s", ErrUnsupported, f)
	}
	dirs, err := objectDirs(filepath.Join(gitDir, "objects"))
	if err != nil {
		return nil, err
	}
	r := &Reader{dirs: dirs}
	for _, d := range dirs {
		names, err := os.ReadDir(filepath.Join(d, "pack"))
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("list %s: %w", filepath.Join(d, "pack"), err)
		}
		has := map[string]bool{}
		for _, n := range names {
			has[n.Name()] = true
		}
		for _, n := range names {
			base, ok := strings.CutSuffix(n.Name(), ".idx")
			if ok && strings.HasPrefix(base, "pack-") && has[base+".pack"] {
				r.packs = append(r.packs, &packFile{path: filepath.Join(d, "pack", base)})
			}
		}
	}
	return r, nil
}

// objectFormat returns extensions.objectFormat from gitDir's config, ""
// when it sets none. A line it cannot read counts as no setting: go-git's
// own reading of the configuration, which every caller does first, is
// the judge of a damaged file.
func objectFormat(gitDir string) string {
	data, err := os.ReadFile(filepath.Join(gitDir, "config"))
	if err != nil || !bytes.Contains(bytes.ToLower(data), []byte("objectformat")) {
		return ""
	}
	section, format := "", ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "["), "]")
			section = strings.ToLower(strings.TrimSpace(name))
			continue
		}
		key, value, _ := strings.Cut(line, "=")
		if section == "extensions" && strings.EqualFold(strings.TrimSpace(key), "objectformat") {
			format = strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	return format
}

// objectDirs returns the object directory objects and those its
// objects/info/alternates names, and theirs in turn, as git follows them
// (five levels deep at most). What the Reader cannot follow is
// ErrUnsupported: the caller reads through go-git instead.
func objectDirs(objects string) ([]string, error) {
	dirs := []string{objects}
	err := walkAlternates(objects, func(dir, _ string, depth int) error {
		if depth >= maxAlternateDepth {
			return fmt.Errorf("%w: objects/info/alternates nests deeper than %d levels at %s", ErrUnsupported, maxAlternateDepth, dir)
		}
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return fmt.Errorf("%w: objects/info/alternates names %s, which is no directory", ErrUnsupported, dir)
		}
		dirs = append(dirs, dir)
		return nil
	})
	if err != nil && !errors.Is(err, ErrUnsupported) {
		err = fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	return dirs, err
}

// Close releases the packs' files and mapped indexes.
func (r *Reader) Close() error {
	var first error
	for _, p := range r.packs {
		if p.idx != nil {
			if err := p.idx.close(); err != nil && first == nil {
				first = err
			}
		}
		if p.data != nil {
			if err := p.data.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	r.packs = nil
	return first
}

// Packed returns how many objects the repository's packs hold, opening
// each pack's index: what a caller weighs reading object by object
// against reading everything in pack order.
func (r *Reader) Packed() (int, error) {
	n := 0
	for _, p := range r.packs {
		if !p.tried {
			p.tried = true
			p.err = p.open()
		}
		if p.err != nil {
			return 0, p.err
		}
		n += p.idx.n
	}
	return n, nil
}

// Read returns the type and content of the object named h. The error
// wraps ErrNotFound when no pack and no loose object holds it, and
// ErrCorrupt when what holds it cannot be read as git wrote it.
func (r *Reader) Read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	t, _, data, err := r.ReadLimit(h, maxObjectSize)
	return t, data, err
}

// ReadLimit is Read for objects of at most limit bytes: for a larger one
// it returns the type and size with nil data, having inflated no more
// than the delta that says its size.
func (r *Reader) ReadLimit(h plumbing.Hash, limit int64) (plumbing.ObjectType, int64, []byte, error) {
	return r.read(h, max(limit, 0), 0)
}

// read finds an object in the packs, then loose. A negative limit asks
// for the type alone.
func (r *Reader) read(h plumbing.Hash, limit int64, depth int) (plumbing.ObjectType, int64, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, 0, nil, fmt.Errorf("%w: object %s: a delta chain longer than %d", ErrCorrupt, h, maxDeltaDepth)
	}
	for _, p := range r.packs {
		off, ok, err := p.find(h)
		if err != nil {
			return 0, 0, nil, err
		}
		if ok {
			return r.readPacked(p, off, limit, depth)
		}
	}
	hex := h.String()
	for _, d := range r.dirs {
		f, err := os.Open(filepath.Join(d, hex[:2], hex[2:]))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return 0, 0, nil, fmt.Errorf("read object %s: %w", h, err)
		}
		t, size, data, err := r.readLoose(f, limit)
		f.Close()
		if err != nil {
			return 0, 0, nil, fmt.Errorf("%w: loose object %s: %v", ErrCorrupt, h, err)
		}
		return t, size, data, nil
	}
	return 0, 0, nil, fmt.Errorf("%w: %s", ErrNotFound, h)
}

// find looks h up in the pack's index, mapping the index and opening the
// pack the first time.
func (p *packFile) find(h plumbing.Hash) (int64, bool, error) {
	if !p.tried {
		p.tried = true
		p.err = p.open()
	}
	if p.err != nil {
		return 0, false, p.err
	}
	return p.idx.find(h)
}

func (p *packFile) open() error {
	idx, err := openPackIndex(p.path + ".idx")
	if err != nil {
		return err
	}
	f, err := os.Open(p.path + ".pack")
	if err != nil {
		idx.close()
		return err
	}
	var head [12]byte
	info, err := f.Stat()
	if err == nil {
		_, err = f.ReadAt(head[:], 0)
	}
	if err != nil || !bytes.Equal(head[:4], []byte("PACK")) || head[7] != 2 && head[7] != 3 || head[4]|head[5]|head[6] != 0 {
		idx.close()
		f.Close()
		return fmt.Errorf("%w: %s.pack is not a pack git reads", ErrCorrupt, p.path)
	}
	p.idx, p.data, p.size = idx, f, info.Size()
	return nil
}

// readPacked reads the object at off in pack p, rebuilding it from its
// delta chain when it is stored as a delta: the chain is followed down to
// the object stored whole, each delta inflated on the way, then applied
// from the bottom up, in two buffers that take turns.
func (r *Reader) readPacked(p *packFile, off int64, limit int64, depth int) (plumbing.ObjectType, int64, []byte, error) {
	var deltas [][]byte // the chain's deltas, from the top
	var offs []int64    // and where each is
	size := int64(-1)   // the top delta's target size
	delta := false      // the object asked for is a delta
	for {
		if depth+len(deltas) > maxDeltaDepth {
			return 0, 0, nil, fmt.Errorf("%w: %s.pack: a delta chain longer than %d", ErrCorrupt, p.path, maxDeltaDepth)
		}
		if b, ok := r.bases.get(p, off); ok && limit >= 0 {
			if delta {
				return r.apply(p, b.kind, b.data, deltas, offs)
			}
			if int64(len(b.data)) > limit {
				return b.kind, int64(len(b.data)), nil, nil
			}
			return b.kind, int64(len(b.data)), bytes.Clone(b.data), nil // the caller's to keep
		}
		h, n, err := r.header(p, off)
		if err != nil {
			return 0, 0, nil, err
		}
		if h.kind != plumbing.OFSDeltaObject && h.kind != plumbing.REFDeltaObject {
			if !delta && h.size > limit {
				return h.kind, h.size, nil, nil
			}
			if limit < 0 {
				return h.kind, size, nil, nil // a delta over the limit: its type
			}
			base, err := r.inflate(p, off, h, n)
			if err != nil {
				return 0, 0, nil, err
			}
			if delta {
				r.bases.put(p, off, h.kind, base)
			}
			return r.apply(p, h.kind, base, deltas, offs)
		}
		if limit >= 0 {
			d, err := r.inflate(p, off, h, n)
			if err != nil {
				return 0, 0, nil, err
			}
			if !delta {
				_, rest, ok := leb128(d)
				target, _, ok2 := leb128(rest)
				if !ok || !ok2 || target > maxObjectSize {
					return 0, 0, nil, fmt.Errorf("%w: %s.pack: the delta at offset %d: %v", ErrCorrupt, p.path, off, errBadDelta)
				}
				if size = int64(target); size > limit {
					limit = -1 // over the limit: only its type is wanted
				}
			}
			if limit >= 0 {
				deltas = append(deltas, d)
				offs = append(offs, off)
			}
		}
		delta = true
		if h.kind == plumbing.OFSDeltaObject {
			off = h.baseOffset
			continue
		}
		baseLimit := limit
		if limit >= 0 {
			baseLimit = maxObjectSize
		}
		t, _, base, err := r.read(h.baseHash, baseLimit, depth+len(deltas)+1)
		if errors.Is(err, ErrNotFound) {
			err = fmt.Errorf("%w: %s.pack: the base %s of the delta at offset %d is missing", ErrCorrupt, p.path, h.baseHash, off)
		}
		if err != nil || limit < 0 {
			return t, size, nil, err
		}
		return r.apply(p, t, base, deltas, offs)
	}
}

// apply builds an object from its base and its chain of deltas (from the
// top, at offs), keeping every version on the way but the last in the
// cache of bases. Each version gets a buffer of its own: the cache's are
// never written again.
func (r *Reader) apply(p *packFile, t plumbing.ObjectType, base []byte, deltas [][]byte, offs []int64) (plumbing.ObjectType, int64, []byte, error) {
	var spare []byte // without the cache, the versions take turns in two buffers
	for i := len(deltas) - 1; i >= 0; i-- {
		out, changed, err := patch(spare, base, deltas[i], r.changed)
		r.changed = changed // unused here: kept for the next patch to fill
		if err != nil {
			return 0, 0, nil, fmt.Errorf("%w: %s.pack: a delta: %v", ErrCorrupt, p.path, err)
		}
		if r.bases.budget > 0 {
			if i > 0 {
				r.bases.put(p, offs[i], t, out)
			}
		} else {
			spare = base
		}
		base = out
	}
	return t, int64(len(base)), base, nil
}

// header reads the header of the object at off into the window, and as
// much of the object after it as the window holds: n bytes.
func (r *Reader) header(p *packFile, off int64) (objectHeader, int, error) {
	const trailer = 20
	end := p.size - trailer
	if off < 12 || off >= end {
		return objectHeader{}, 0, fmt.Errorf("%w: %s.pack: an object at offset %d, outside the pack", ErrCorrupt, p.path, off)
	}
	n, err := p.data.ReadAt(r.window[:min(int64(len(r.window)), end-off)], off)
	if err != nil && err != io.EOF {
		return objectHeader{}, 0, fmt.Errorf("read %s.pack: %w", p.path, err)
	}
	h, err := parseObjectHeader(r.window[:min(n, maxHeader)], off)
	if err != nil {
		return h, 0, fmt.Errorf("%w: %s.pack: %v at offset %d", ErrCorrupt, p.path, err, off)
	}
	if h.size > maxObjectSize {
		return h, 0, fmt.Errorf("%w: %s.pack: the object at offset %d claims %d bytes", ErrCorrupt, p.path, off, h.size)
	}
	return h, n, nil
}

// inflate decompresses the data of the object at off, whose header h and
// first n bytes header has read into the window. The compressed data of
// an object git wrote is at most a little larger than the data, so most
// objects are inflated from the window, the rest read on from it.
func (r *Reader) inflate(p *packFile, off int64, h objectHeader, n int) ([]byte, error) {
	start := off + int64(h.length)
	guess := h.size + h.size/8 + 64
	if int64(h.length)+guess <= int64(n) {
		r.src.Reset(r.window[h.length:n])
		data, err := r.inflateFrom(&r.src, h.size)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			return data, r.corrupt(p, off, err)
		}
		// Compressed larger than zlib makes it: read on past the window.
	}
	end := p.size - 20
	src := bufio.NewReaderSize(io.NewSectionReader(p.data, start, end-start), int(min(guess, 1<<20)))
	data, err := r.inflateFrom(src, h.size)
	return data, r.corrupt(p, off, err)
}

func (r *Reader) corrupt(p *packFile, off int64, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s.pack: the object at offset %d: %v", ErrCorrupt, p.path, off, err)
}

// inflateFrom reads exactly size inflated bytes from a zlib stream and
// checks that the stream ends there, with a good checksum.
func (r *Reader) inflateFrom(src flate.Reader, size int64) ([]byte, error) {
	if err := r.resetZlib(src); err != nil {
		return nil, err
	}
	data, err := readExactly(r.zr, size)
	if err != nil {
		return nil, err
	}
	if err := atEnd(r.zr, &r.one); err != nil {
		return nil, err
	}
	return data, nil
}

// readExactly reads size bytes from src. It grows its buffer with what
// src really gives, not by the size a header claims: one flipped bit in a
// damaged object's header would otherwise ask for gigabytes up front.
func readExactly(src io.Reader, size int64) ([]byte, error) {
	if size <= 1<<20 {
		data := make([]byte, size)
		if _, err := io.ReadFull(src, data); err != nil {
			return nil, err
		}
		return data, nil
	}
	var buf bytes.Buffer
	buf.Grow(1 << 20)
	n, err := buf.ReadFrom(io.LimitReader(src, size))
	if err != nil {
		return nil, err
	}
	if n < size {
		return nil, io.ErrUnexpectedEOF
	}
	return buf.Bytes(), nil
}

func (r *Reader) resetZlib(src flate.Reader) error {
	if r.zr == nil {
		zr, err := zlib.NewReader(src)
		if err != nil {
			return err
		}
		r.zr = zr
		return nil
	}
	return r.zr.(zlib.Resetter).Reset(src, nil)
}

// readLoose reads a loose object: a zlib stream of "TYPE SIZE\x00" and
// the content.
func (r *Reader) readLoose(f *os.File, limit int64) (plumbing.ObjectType, int64, []byte, error) {
	if err := r.resetZlib(bufio.NewReaderSize(f, 4096)); err != nil {
		return 0, 0, nil, err
	}
	var head []byte
	var one [1]byte
	for {
		if _, err := io.ReadFull(r.zr, one[:]); err != nil {
			return 0, 0, nil, err
		}
		if one[0] == 0 {
			break
		}
		if len(head) >= 32 {
			return 0, 0, nil, errors.New("no object header")
		}
		head = append(head, one[0])
	}
	kind, sizeText, ok := strings.Cut(string(head), " ")
	t, err := plumbing.ParseObjectType(kind)
	if !ok || err != nil || t < plumbing.CommitObject || t > plumbing.TagObject {
		return 0, 0, nil, errors.New("no object header")
	}
	size, err := strconv.ParseInt(sizeText, 10, 64)
	if err != nil || size < 0 || size > maxObjectSize {
		return 0, 0, nil, errors.New("no object size")
	}
	if size > limit {
		return t, size, nil, nil
	}
	data, err := readExactly(r.zr, size)
	if err != nil {
		return 0, 0, nil, err
	}
	if err := atEnd(r.zr, &r.one); err != nil {
		return 0, 0, nil, err
	}
	return t, size, data, nil
}
