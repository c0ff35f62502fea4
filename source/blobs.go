package source

import (
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
)

// blobScan is the second pass of the history audit: the blobs the
// audited commits name, read in pack order, each scanned once for each
// kind of file name it appears under. A blob's content lives only while it
// is scanned; what is kept is its findings and a few bits.
type blobScan struct {
	a *audit

	// Set before the pass, read-only during it.
	kinds map[uint32][]uint16 // by blob: the kinds of name it is seen under
	need  map[uint32]bool     // blobs to read: seen under a name that is not binary

	mu       sync.Mutex
	state    map[uint32]uint8 // by blob: blobChecked, blobCandidate
	skip     map[uint32]string
	findings map[findKey][]detect.Finding
	scanned  int
}

type findKey struct {
	blob uint32
	kind uint16
}

const (
	blobChecked   = 1 << iota // the cheap first look has run
	blobCandidate             // ... and found a candidate
)

// selectBlobs walks the trees of the audited commits once each and notes
// every blob they name, with the kinds of name it has.
func (a *audit) selectBlobs(ordered []plumbing.Hash) *blobScan {
	b := &blobScan{a: a, kinds: map[uint32][]uint16{}, need: map[uint32]bool{},
		state: map[uint32]uint8{}, skip: map[uint32]string{}, findings: map[findKey][]detect.Finding{}}
	s := a.objects
	seen := map[uint32]bool{}
	var stack []uint32
	for _, h := range ordered {
		if id, ok := s.lookup(a.commits[h].tree); ok && !seen[id] {
			seen[id] = true
			stack = append(stack, id)
		}
	}
	for len(stack) > 0 {
		t := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		refs, _ := s.entries(t)
		for _, r := range refs {
			name := r.name &^ refMask
			switch r.name & refMask {
			case refTree:
				if !seen[r.obj] {
					seen[r.obj] = true
					stack = append(stack, r.obj)
				}
			case refBlob:
				k := s.nameKinds[name]
				if ks := b.kinds[r.obj]; !containsKind(ks, k) {
					b.kinds[r.obj] = append(ks, k)
				}
				if !s.binary[name] {
					b.need[r.obj] = true
				}
			}
		}
	}
	for id := range b.kinds {
		if !b.need[id] {
			b.skip[id] = "binary, by its file name"
		}
	}
	return b
}

func containsKind(ks []uint16, k uint16) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// needs tells the walk which blobs to read.
func (b *blobScan) needs(h plumbing.Hash) bool {
	id, ok := b.a.objects.lookup(h)
	return ok && b.need[id]
}

// visit scans one blob; it runs on several goroutines.
func (b *blobScan) visit(o *gitdb.Object) error {
	if o.Type != plumbing.BlobObject || o.Unread {
		return nil
	}
	id, ok := b.a.objects.lookup(o.Hash)
	if !ok {
		return nil // named by no audited tree
	}
	switch {
	case o.Data == nil:
		b.noteSkip(id, tooLarge(o.Size, b.a.opt.MaxFileSize))
		return nil
	case isBinary(o.Data):
		b.noteSkip(id, "binary")
		return nil
	}
	candidate := b.mayHoldKey(o)
	b.mu.Lock()
	b.state[id] = blobChecked
	if candidate {
		b.state[id] |= blobCandidate
	}
	b.mu.Unlock()
	if !candidate || !b.need[id] {
		return nil
	}
	s := b.a.objects
	for _, k := range b.kinds[id] {
		// A blob has no Added lines to read, so scan cannot fail.
		fs, _ := Fragment{Path: s.kindNames[k], Content: o.Data}.scan(b.a.opt.Detector, b.a.opt.Policy)
		b.mu.Lock()
		b.scanned++
		if len(fs) > 0 {
			b.findings[findKey{id, k}] = fs
		}
		b.mu.Unlock()
	}
	return nil
}

func (b *blobScan) noteSkip(id uint32, why string) {
	if !b.need[id] {
		return
	}
	b.mu.Lock()
	b.skip[id] = why
	b.mu.Unlock()
}

// mayHoldKey is the cheap first look at a blob. A delta of a blob that
// held no candidate can only gain one where the delta changed something,
// so only the changed parts, with a margin wider than any candidate, are
// looked at: most versions of most files cost next to nothing. A delta's
// base is always visited before it.
func (b *blobScan) mayHoldKey(o *gitdb.Object) bool {
	det := b.a.opt.Detector
	if o.Base.IsZero() {
		return det.MayHoldKey(o.Data)
	}
	base, ok := b.a.objects.lookup(o.Base)
	b.mu.Lock()
	st := b.state[base]
	b.mu.Unlock()
	if !ok || st != blobChecked {
		return det.MayHoldKey(o.Data)
	}
	const margin = 64 // more than a key run (50) or an anchor (6) reaches
	end := -1
	for _, r := range o.Changed {
		lo, hi := max(r.Start-margin, end, 0), min(r.End+margin, len(o.Data))
		if lo < hi && det.MayHoldKey(o.Data[lo:hi]) {
			return true
		}
		end = max(end, hi)
	}
	return false
}
