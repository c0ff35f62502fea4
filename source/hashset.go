package source

import (
	"encoding/binary"

	"github.com/go-git/go-git/v5/plumbing"
)

// hashTable maps object hashes to small values with open addressing. The
// history audit looks up every blob of every distinct tree in it, millions
// of times on a large history, where a Go map of 20-byte keys spends most
// of its time hashing and missing the cache. Git hashes are uniformly
// random, so their first eight bytes are already a good hash.
type hashTable struct {
	keys []plumbing.Hash
	vals []int32
	used []bool
	mask uint64
}

func newHashTable(n int) *hashTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return &hashTable{
		keys: make([]plumbing.Hash, size),
		vals: make([]int32, size),
		used: make([]bool, size),
		mask: uint64(size - 1),
	}
}

func (t *hashTable) slot(h plumbing.Hash) uint64 {
	return binary.LittleEndian.Uint64(h[:8]) & t.mask
}

// put sets h's value; the table must have room (see newHashTable).
func (t *hashTable) put(h plumbing.Hash, v int32) {
	for i := t.slot(h); ; i = (i + 1) & t.mask {
		if !t.used[i] {
			t.used[i], t.keys[i], t.vals[i] = true, h, v
			return
		}
		if t.keys[i] == h {
			t.vals[i] = v
			return
		}
	}
}

// get returns h's value and whether h is in the table.
func (t *hashTable) get(h plumbing.Hash) (int32, bool) {
	for i := t.slot(h); t.used[i]; i = (i + 1) & t.mask {
		if t.keys[i] == h {
			return t.vals[i], true
		}
	}
	return 0, false
}
