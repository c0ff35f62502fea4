package gitindex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// splitLink is a split index's "link" extension (git's
// Documentation/gitformat-index.txt, "Split index"): the hash of the
// shared index that holds most entries, then two EWAH bitmaps over the
// shared index's entries, one marking those deleted, one those replaced
// by this file's first entries.
type splitLink struct {
	base    plumbing.Hash // all zero: no shared index
	bitmaps []byte        // the delete then the replace bitmap; empty for none
}

func parseLink(b []byte) (*splitLink, error) {
	if len(b) < 20 {
		return nil, fmt.Errorf("too short")
	}
	l := &splitLink{bitmaps: b[20:]}
	copy(l.base[:], b[:20])
	return l, nil
}

// mergeShared reads the shared index the link names and applies this
// split part to it: replaced entries take this file's first entries in
// order (keeping the shared entry's name when theirs is empty), deleted
// ones go, and this file's remaining entries are added in sorted order.
func (f *indexFile) mergeShared(gitDir string) error {
	l := f.link
	if l.base.IsZero() {
		if len(l.bitmaps) != 0 {
			return fmt.Errorf("split index link: bitmaps without a shared index")
		}
		return nil
	}
	name := "sharedindex." + l.base.String()
	data, err := os.ReadFile(filepath.Join(gitDir, name))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the split index's shared part %s is missing from %s", name, gitDir)
	}
	if err != nil {
		return fmt.Errorf("read the split index's shared part: %w", err)
	}
	shared, err := parseIndex(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if shared.trailer != l.base {
		return fmt.Errorf("%s does not end with its own hash", name)
	}
	if shared.link != nil {
		return fmt.Errorf("%s links to another shared index", name)
	}
	deleted, replaced, err := linkBitmaps(l.bitmaps, len(shared.entries))
	if err != nil {
		return fmt.Errorf("split index link: %w", err)
	}
	f.entries, err = applySplit(shared.entries, f.entries, deleted, replaced)
	return err
}

// linkBitmaps decodes the delete and the replace bitmap, each as the
// positions of its set bits, all below n (the shared index's entries).
func linkBitmaps(b []byte, n int) (deleted, replaced []int, err error) {
	if len(b) == 0 {
		return nil, nil, nil
	}
	deleted, used, err := ewahPositions(b, n)
	if err != nil {
		return nil, nil, fmt.Errorf("delete bitmap: %w", err)
	}
	replaced, used2, err := ewahPositions(b[used:], n)
	if err != nil {
		return nil, nil, fmt.Errorf("replace bitmap: %w", err)
	}
	if used+used2 != len(b) {
		return nil, nil, fmt.Errorf("%d stray bytes after the bitmaps", len(b)-used-used2)
	}
	return deleted, replaced, nil
}

// applySplit builds the index from the shared entries and a split part.
func applySplit(shared, split []Entry, deleted, replaced []int) ([]Entry, error) {
	if len(replaced) > len(split) {
		return nil, fmt.Errorf("split index replaces %d entries but holds %d", len(replaced), len(split))
	}
	base := slices.Clone(shared)
	gone := make([]bool, len(base))
	for _, pos := range deleted {
		gone[pos] = true
	}
	for k, pos := range replaced {
		if gone[pos] {
			return nil, fmt.Errorf("shared entry %d is both deleted and replaced", pos)
		}
		e := split[k]
		if e.Name != "" && e.Name != base[pos].Name {
			return nil, fmt.Errorf("entry %q replaces shared entry %q", e.Name, base[pos].Name)
		}
		e.Name = base[pos].Name
		base[pos] = e
	}
	kept := make([]Entry, 0, len(base))
	for i, e := range base {
		if !gone[i] {
			kept = append(kept, e)
		}
	}
	added := split[len(replaced):]
	for _, e := range added {
		if e.Name == "" {
			return nil, fmt.Errorf("an added entry of the split index has no name")
		}
	}
	return mergeAdded(kept, added), nil
}

// mergeAdded merges two lists of entries sorted by name then stage. As
// when git adds an entry, an added one takes the place of a kept one with
// the same name and stage, and an added stage-0 (resolved) entry removes
// the kept conflict stages of its path.
func mergeAdded(kept, added []Entry) []Entry {
	resolved := map[string]bool{}
	for _, e := range added {
		if e.Stage == 0 {
			resolved[e.Name] = true
		}
	}
	out := make([]Entry, 0, len(kept)+len(added))
	i, j := 0, 0
	for i < len(kept) || j < len(added) {
		switch {
		case j == len(added) || (i < len(kept) && entryLess(kept[i], added[j])):
			if !resolved[kept[i].Name] {
				out = append(out, kept[i])
			}
			i++
		case i < len(kept) && kept[i].Name == added[j].Name && kept[i].Stage == added[j].Stage:
			i++ // replaced by the added entry, taken next
		default:
			out = append(out, added[j])
			j++
		}
	}
	return out
}

// entryLess orders entries as the index does: by name, bytewise, then stage.
func entryLess(a, b Entry) bool {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c < 0
	}
	return a.Stage < b.Stage
}

// ewahPositions decodes one EWAH bitmap as git serialises it (the format
// of its ewah/ library, also used by bitmap indexes): a 32-bit bit count,
// a 32-bit word count, that many 64-bit words, and the 32-bit position of
// the last run-length word, all big-endian. The words are run-length
// words, each followed by the literal words it counts: bit 0 is the value
// of the run, bits 1-32 the run's length in words, bits 33-63 the number
// of literal words after it. It returns the set bits' positions in
// ascending order, refusing any at or past limit, and the bytes read.
func ewahPositions(b []byte, limit int) ([]int, int, error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("truncated")
	}
	words := int(binary.BigEndian.Uint32(b[4:8]))
	size := 8 + 8*words + 4
	if words > (len(b)-12)/8 || size > len(b) {
		return nil, 0, fmt.Errorf("truncated")
	}
	word := func(i int) uint64 { return binary.BigEndian.Uint64(b[8+8*i:]) }
	var out []int
	pos := uint64(0)
	for i := 0; i < words; {
		rlw := word(i)
		i++
		run := (rlw >> 1) & 0xffffffff
		literals := int(rlw >> 33)
		if rlw&1 != 0 && run > 0 {
			if pos+run*64 > uint64(limit) {
				return nil, 0, fmt.Errorf("bit %d is past the %d entries", pos+run*64-1, limit)
			}
			for k := uint64(0); k < run*64; k++ {
				out = append(out, int(pos+k))
			}
		}
		pos += run * 64
		if pos > uint64(limit)+63 {
			return nil, 0, fmt.Errorf("the bitmap is longer than the %d entries", limit)
		}
		if literals > words-i {
			return nil, 0, fmt.Errorf("literal words run past the bitmap")
		}
		for ; literals > 0; literals-- {
			w := word(i)
			i++
			for bit := uint64(0); bit < 64; bit++ {
				if w&(1<<bit) == 0 {
					continue
				}
				if pos+bit >= uint64(limit) {
					return nil, 0, fmt.Errorf("bit %d is past the %d entries", pos+bit, limit)
				}
				out = append(out, int(pos+bit))
			}
			pos += 64
		}
	}
	return out, size, nil
}
