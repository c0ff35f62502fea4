package gitdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/internal/mapfile"
)

// The layout of a version 2 pack index (git's pack-format.txt): a magic
// number and the version, a fan-out table of 256 counts, then for N
// objects their sorted hashes, their CRCs and their 4-byte offsets, the
// 8-byte offsets the 4-byte ones point to for packs over 2 GiB, and the
// checksums of the pack and of the index.
const (
	idxHeader    = 8
	idxFanout    = 256 * 4
	idxTrailer   = 2 * 20
	idxPerObject = 20 + 4 + 4
	idxLargeFlag = 1 << 31
)

var idxMagic = []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}

// packIndex is one pack's .idx, mapped into memory rather than read: a
// lookup touches the fan-out table and the few pages its binary search
// lands on, whatever the size of the pack.
type packIndex struct {
	data  []byte
	n     int // objects
	large int // entries of the 8-byte offset table
	unmap func() error
}

// openPackIndex maps the index file at path and checks its frame: the
// version 2 header, a fan-out table that never decreases, and a size
// that fits its object count with SHA-1 hashes.
func openPackIndex(path string) (*packIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data, unmap, err := mapfile.Map(f, info.Size())
	if err != nil {
		return nil, err
	}
	x, err := parsePackIndex(data)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	x.unmap = unmap
	return x, nil
}

// parsePackIndex checks an index's frame (see openPackIndex) without
// copying it.
func parsePackIndex(data []byte) (*packIndex, error) {
	if len(data) < idxHeader+idxFanout+idxTrailer {
		return nil, errors.New("too short for a pack index")
	}
	if !bytes.Equal(data[:idxHeader], idxMagic) {
		return nil, errors.New("not a version 2 pack index")
	}
	prev := uint32(0)
	for i := 0; i < 256; i++ {
		c := binary.BigEndian.Uint32(data[idxHeader+4*i:])
		if c < prev {
			return nil, errors.New("its fan-out table decreases")
		}
		prev = c
	}
	n := int64(prev)
	min := idxHeader + idxFanout + n*idxPerObject + idxTrailer
	size := int64(len(data))
	if size < min || (size-min)%8 != 0 || n > 0 && size > min+(n-1)*8 || n == 0 && size != min {
		return nil, fmt.Errorf("its size, %d bytes, does not fit %d objects named by SHA-1", size, n)
	}
	return &packIndex{data: data, n: int(n), large: int((size - min) / 8)}, nil
}

func (x *packIndex) close() error {
	if x.unmap == nil {
		return nil
	}
	err := x.unmap()
	x.data, x.unmap = nil, nil
	return err
}

// fanout returns how many objects have a hash whose first byte is below b.
func (x *packIndex) fanout(b int) int {
	if b == 0 {
		return 0
	}
	return int(binary.BigEndian.Uint32(x.data[idxHeader+4*(b-1):]))
}

func (x *packIndex) hash(i int) []byte {
	at := idxHeader + idxFanout + 20*i
	return x.data[at : at+20]
}

// find returns the pack offset of the object named h; ok is false when
// the pack does not hold it.
func (x *packIndex) find(h plumbing.Hash) (offset int64, ok bool, err error) {
	lo, hi := x.fanout(int(h[0])), x.fanout(int(h[0])+1)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(x.hash(mid), h[:]); {
		case c == 0:
			off, err := x.offset(mid)
			return off, err == nil, err
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false, nil
}

// offset returns the pack offset of the i-th object in hash order.
func (x *packIndex) offset(i int) (int64, error) {
	at := idxHeader + idxFanout + x.n*(20+4) + 4*i
	off := binary.BigEndian.Uint32(x.data[at:])
	if off&idxLargeFlag == 0 {
		return int64(off), nil
	}
	k := int(off &^ idxLargeFlag)
	if k >= x.large {
		return 0, fmt.Errorf("%w: an object's offset points past the index's table of large offsets", ErrCorrupt)
	}
	big := binary.BigEndian.Uint64(x.data[idxHeader+idxFanout+x.n*idxPerObject+8*k:])
	if big > 1<<62 {
		return 0, fmt.Errorf("%w: an object's offset, %d, is past any pack", ErrCorrupt, big)
	}
	return int64(big), nil
}
