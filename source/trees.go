package source

import (
	"path"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
)

// objectStore is what the history audit keeps of the objects it reads:
// every object as a small number, every tree as a list of (number, name)
// pairs, and every distinct file name once. Its size grows with the number
// of objects and tree entries, never with the size of their content: raw
// trees and blobs are dropped as soon as they are read.
type objectStore struct {
	mu      sync.Mutex
	ids     map[plumbing.Hash]uint32
	hashes  []plumbing.Hash
	present []bool // by id: the repository holds the object

	trees     map[uint32]treeSpan
	malformed map[uint32]bool // trees that could not be read whole
	chunks    [][]treeRef     // tree entries, in chunks so that growth never copies them all

	nameIDs   map[string]uint32
	names     []string
	nameKinds []uint16 // by name: index in kinds
	binary    []bool   // by name: a binary file by its extension
	kinds     []detect.FileKind
	kindNames []string // a file name of each kind, to scan a blob under
}

// treeSpan locates one tree's entries.
type treeSpan struct {
	chunk, off, n uint32
}

// treeRef is one tree entry: the object it names and, in name, the
// entry's file name and (in the top two bits) what it is.
type treeRef struct {
	obj, name uint32
}

const (
	refBlob  = 0
	refTree  = 1 << 30
	refOther = 2 << 30 // a symbolic link or a submodule: nothing to scan
	refMask  = 3 << 30
	// chunkSize is how many entries a chunk holds; a larger tree gets a
	// chunk of its own.
	chunkSize = 1 << 16
)

func newObjectStore() *objectStore {
	return &objectStore{
		ids:       map[plumbing.Hash]uint32{},
		trees:     map[uint32]treeSpan{},
		malformed: map[uint32]bool{},
		nameIDs:   map[string]uint32{},
	}
}

// id numbers h, giving it a number the first time; s.mu must be held.
func (s *objectStore) id(h plumbing.Hash) uint32 {
	if id, ok := s.ids[h]; ok {
		return id
	}
	id := uint32(len(s.hashes))
	s.ids[h] = id
	s.hashes = append(s.hashes, h)
	s.present = append(s.present, false)
	return id
}

// lookup returns h's number. It takes no lock: it is for when the store
// no longer changes.
func (s *objectStore) lookup(h plumbing.Hash) (uint32, bool) {
	id, ok := s.ids[h]
	return id, ok
}

// has reports whether the repository holds h.
func (s *objectStore) has(h plumbing.Hash) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.ids[h]
	return ok && s.present[id]
}

// markPresent records that the repository holds h.
func (s *objectStore) markPresent(h plumbing.Hash) {
	s.mu.Lock()
	s.present[s.id(h)] = true
	s.mu.Unlock()
}

// name numbers a file name; s.mu must be held.
func (s *objectStore) name(b []byte) uint32 {
	if id, ok := s.nameIDs[string(b)]; ok {
		return id
	}
	n := string(b)
	id := uint32(len(s.names))
	s.nameIDs[n] = id
	s.names = append(s.names, n)
	s.nameKinds = append(s.nameKinds, s.kind(detect.KindOf(n), n))
	s.binary = append(s.binary, binaryName(n))
	return id
}

// kind numbers a FileKind, remembering a name of that kind.
func (s *objectStore) kind(k detect.FileKind, name string) uint16 {
	for i, x := range s.kinds {
		if x == k {
			return uint16(i)
		}
	}
	s.kinds = append(s.kinds, k)
	s.kindNames = append(s.kindNames, name)
	return uint16(len(s.kinds) - 1)
}

// addTree records a raw tree's entries; of a malformed tree, those before
// the damage.
func (s *objectStore) addTree(h plumbing.Hash, raw []byte) {
	var refs []treeRef
	s.mu.Lock()
	defer s.mu.Unlock()
	err := eachTreeEntry(raw, func(e treeEntry) {
		r := treeRef{obj: s.id(e.hash), name: s.name(e.name)}
		switch e.mode {
		case modeTree:
			r.name |= refTree
		case modeGitlink, modeSymlink:
			r.name |= refOther
		}
		refs = append(refs, r)
	})
	id := s.id(h)
	s.present[id] = true
	if err != nil {
		s.malformed[id] = true
	}
	s.trees[id] = s.store(refs)
}

// store copies a tree's entries into the chunks.
func (s *objectStore) store(refs []treeRef) treeSpan {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(refs) > cap(s.chunks[last]) {
		s.chunks = append(s.chunks, make([]treeRef, 0, max(chunkSize, len(refs))))
		last++
	}
	c := s.chunks[last]
	sp := treeSpan{chunk: uint32(last), off: uint32(len(c)), n: uint32(len(refs))}
	s.chunks[last] = append(c, refs...)
	return sp
}

// entries returns a tree's entries; ok is false for a tree the
// repository does not hold.
func (s *objectStore) entries(tree uint32) ([]treeRef, bool) {
	sp, ok := s.trees[tree]
	if !ok {
		return nil, false
	}
	return s.chunks[sp.chunk][sp.off : sp.off+sp.n], true
}

// binaryExtensions name files that hold no text: a blob seen only under
// such names is not read at all.
var binaryExtensions = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".bmp": true,
	".tif": true, ".tiff": true, ".psd": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true,
	".eot": true, ".pyc": true, ".pyo": true, ".mo": true, ".zip": true, ".gz": true, ".tgz": true,
	".bz2": true, ".xz": true, ".7z": true, ".jar": true, ".whl": true, ".so": true, ".dll": true,
	".exe": true, ".pdf": true, ".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".webm": true,
	".ogg": true, ".wav": true, ".flac": true, ".sqlite3": true,
}

func binaryName(name string) bool {
	return binaryExtensions[strings.ToLower(path.Ext(name))]
}
