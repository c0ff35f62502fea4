package history

import (
	"bytes"
	"fmt"
	"math/bits"
	"path"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/source"
)

// blobScan is the second pass of the history audit: the blobs the
// audited commits name, read in pack order, each scanned once for each
// kind of file name it appears under. A blob's content lives only while it
// is scanned; what is kept is its findings and a few bits.
type blobScan struct {
	a *audit

	// Set before the pass, read-only during it; by blob number.
	words int      // words of kinds per blob
	kinds []uint64 // the kinds of name a blob is seen under, a bit each
	need  bitset   // blobs to read: seen under a name that is not binary
	// formats holds the blobs seen under an archive's name, with its
	// format: their members are scanned.
	formats map[uint32]archive.Format

	state    []uint32 // by blob, atomically: blobChecked, blobQuiet
	scanned  atomic.Int64
	mu       sync.Mutex
	skip     map[uint32]string // needed blobs not scanned, and why
	findings map[findKey][]detect.Finding
	// witnesses holds, for the blobs looked at that are not quiet, what
	// makes them so, for the versions deltas build on them.
	witnesses map[uint32]witness
	// noted marks the blobs in skip or findings: what attribution stops
	// for among the millions of tree entries it walks.
	noted bitset
}

type findKey struct {
	blob uint32
	kind uint16
}

const (
	blobChecked = 1 << iota // the blob has been looked at
	blobQuiet               // ... and is quiet: Detect finds nothing in it under any name (detect.Quiet)
)

// bitset is a set of small numbers.
type bitset []uint64

func newBitset(n uint32) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) set(i uint32)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i uint32) bool { return b[i/64]&(1<<(i%64)) != 0 }

// selectBlobs walks the trees of the audited commits, and those refs
// name, once each and notes every blob they name, with the kinds of name
// it has; a blob a ref names has the ref's last part as its name.
func (a *audit) selectBlobs(ordered []plumbing.Hash, named []namedObject) *blobScan {
	s := a.objects
	for i := range named {
		o := &named[i]
		o.id, _ = s.lookup(o.hash)
		_, o.tree = s.entries(o.id)
		if !o.tree {
			o.name = s.nameOf(path.Base(o.ref))
		}
	}
	n := s.size()
	b := &blobScan{a: a, words: (len(s.kinds) + 63) / 64, need: newBitset(n), noted: newBitset(n), formats: map[uint32]archive.Format{},
		state: make([]uint32, n), skip: map[uint32]string{}, findings: map[findKey][]detect.Finding{}, witnesses: map[uint32]witness{}}
	b.kinds = make([]uint64, int(n)*b.words)
	seen := newBitset(n)
	var stack []uint32
	push := func(id uint32) {
		if !seen.has(id) {
			seen.set(id)
			stack = append(stack, id)
		}
	}
	for _, h := range ordered {
		if id, ok := s.lookup(a.commits[h].tree); ok {
			push(id)
		}
	}
	for _, o := range named {
		if o.tree {
			push(o.id)
		} else {
			b.noteBlob(o.id, o.name)
		}
	}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		refs, _ := s.entries(t)
		for _, r := range refs {
			switch r.name & refMask {
			case refTree:
				push(r.obj)
			case refBlob:
				b.noteBlob(r.obj, r.name&^refMask)
			}
		}
	}
	return b
}

// noteBlob notes that blob id is seen under file name number name.
func (b *blobScan) noteBlob(id, name uint32) {
	s := b.a.objects
	k := s.nameKinds[name]
	b.kinds[int(id)*b.words+int(k)/64] |= 1 << (k % 64)
	if !s.binary[name] {
		b.need.set(id)
	}
	if f := s.formats[name]; f != archive.None {
		b.formats[id] = f
	}
}

// kindsOf returns the kinds of name a blob is seen under.
func (b *blobScan) kindsOf(id uint32) []uint16 {
	var out []uint16
	for w, word := range b.kinds[int(id)*b.words : int(id+1)*b.words] {
		for ; word != 0; word &= word - 1 {
			out = append(out, uint16(w*64+bits.TrailingZeros64(word)))
		}
	}
	return out
}

// skipped says why a blob that an audited tree names was not scanned; it
// is for after the pass.
func (b *blobScan) skipped(id uint32) (string, bool) {
	if !b.need.has(id) {
		return "binary, by its file name", true
	}
	why, ok := b.skip[id]
	return why, ok
}

// needs tells the walk which blobs to read.
func (b *blobScan) needs(id uint32) bool {
	return b.need.has(id)
}

// visit scans one blob; it runs on several goroutines.
func (b *blobScan) visit(o *gitdb.Object) error {
	id := o.ID
	if o.Type != plumbing.BlobObject && b.need.has(id) {
		// Named as a file by an audited tree: its type was damaged.
		return fmt.Errorf("%w: blob %s is stored as a %s", gitdb.ErrCorrupt, o.Hash, o.Type)
	}
	if o.Type != plumbing.BlobObject || o.Unread {
		return nil
	}
	switch {
	case o.Data == nil:
		b.noteSkip(id, source.TooLarge(o.Size, b.a.opt.MaxFileSize))
		return nil
	}
	if f, ok := b.formats[id]; ok && archive.Looks(f, o.Data) {
		return b.visitArchive(o, f)
	}
	text, ok := source.AsText(o.Data)
	if !ok {
		b.noteSkip(id, "binary")
		return nil
	}
	quiet := b.quiet(o, text)
	st := uint32(blobChecked)
	if quiet {
		st |= blobQuiet
	}
	atomic.StoreUint32(&b.state[id], st)
	if quiet || !b.need.has(id) {
		return nil
	}
	s := b.a.objects
	for _, k := range b.kindsOf(id) {
		// A blob has no Added lines to read, so scan cannot fail.
		fs, _ := source.Fragment{Path: s.kindNames[k], Content: text}.Scan(b.a.opt.Detector, b.a.opt.Policy)
		b.scanned.Add(1)
		if len(fs) > 0 {
			b.mu.Lock()
			b.findings[findKey{id, k}] = fs
			b.noted.set(id)
			b.mu.Unlock()
		}
	}
	return nil
}

// visitArchive scans the members of an archive blob, under every kind of
// name the blob has (a member's syntax is its own name's: the kinds give
// the findings' keys). A delta built on it is looked at whole: compressed
// bytes change everywhere.
func (b *blobScan) visitArchive(o *gitdb.Object, format archive.Format) error {
	id := o.ID
	atomic.StoreUint32(&b.state[id], blobChecked)
	fs, scanned, refused := archiveFindings(o.Data, format, b.a.opt.Detector, b.a.opt)
	b.scanned.Add(int64(scanned))
	if refused != "" {
		b.noteSkip(id, refused)
	}
	if len(fs) == 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range b.kindsOf(id) {
		b.findings[findKey{id, k}] = fs
	}
	b.noted.set(id)
	return nil
}

func (b *blobScan) noteSkip(id uint32, why string) {
	if !b.need.has(id) {
		return
	}
	b.mu.Lock()
	b.skip[id] = why
	b.noted.set(id)
	b.mu.Unlock()
}

// notable reports whether a blob named by an audited tree has findings,
// was not scanned, or is missing; it is for after the pass.
func (b *blobScan) notable(id uint32) bool {
	return !b.a.objects.present(id) || !b.need.has(id) || b.noted.has(id)
}

// quiet reports whether Detect finds nothing in a blob under any name
// (detect.Quiet). A version a delta built from a quiet base is quiet
// unless what the delta changed made it otherwise, so only the names and
// runs that touch the delta's changed ranges are read (detect.QuietAfter):
// most versions of most files, lockfiles and schemas included, cost next
// to nothing. A version built from a base that is not quiet is not quiet
// either while it still holds the piece that made the base so (a
// SECRET_KEY read from the environment, most often; detect.Witness),
// which is looked for where it stood first. A delta's base is always
// visited before it. Other blobs get the cheap first look, then, if it
// finds a candidate, the quiet test whole.
func (b *blobScan) quiet(o *gitdb.Object, text []byte) bool {
	det := b.a.opt.Detector
	// Text decoded from UTF-16 is not the delta's bytes: its ranges do
	// not apply.
	if base, ok := b.a.objects.lookup(o.Base); ok && len(text) == len(o.Data) {
		switch st := atomic.LoadUint32(&b.state[base]); {
		case st&blobQuiet != 0:
			buf, _ := changeBufs.Get().(*[]detect.Change)
			if buf == nil {
				buf = new([]detect.Change)
			}
			changed := (*buf)[:0]
			for _, r := range o.Changed {
				changed = append(changed, detect.Change{Start: r.Start, End: r.End})
			}
			quiet := det.QuietAfter(text, changed)
			*buf = changed
			changeBufs.Put(buf)
			return quiet
		case st == blobChecked:
			b.mu.Lock()
			w, ok := b.witnesses[base]
			b.mu.Unlock()
			if ok && w.heldBy(text) {
				b.noteWitness(o.ID, w)
				return false
			}
		}
	}
	if !det.MayHoldKey(text) {
		return true
	}
	piece, at, quiet := det.Witness(text)
	if piece != nil {
		b.noteWitness(o.ID, witness{bytes.Clone(piece), at})
	}
	return quiet
}

// changeBufs holds the slices a delta's changed ranges are handed to the
// detector in, for reuse: a version has a hundred of them, often.
var changeBufs sync.Pool

// witness is a piece of a blob that is not quiet that keeps any text
// holding it from being quiet (detect.Witness), and where it stood.
type witness struct {
	piece []byte
	at    int
}

// heldBy reports whether text holds the piece, and moves at to where: it
// is looked for near where it stood first, since an edit seldom moves a
// line far.
func (w *witness) heldBy(text []byte) bool {
	const near = 4 << 10
	lo, hi := max(w.at-near, 0), min(w.at+len(w.piece)+near, len(text))
	if lo < hi {
		if i := bytes.Index(text[lo:hi], w.piece); i >= 0 {
			w.at = lo + i
			return true
		}
	}
	if i := bytes.Index(text, w.piece); i >= 0 {
		w.at = i
		return true
	}
	return false
}

func (b *blobScan) noteWitness(id uint32, w witness) {
	b.mu.Lock()
	b.witnesses[id] = w
	b.mu.Unlock()
}
