package history

import (
	"path"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitdb"
)

// objectStore is what the history audit keeps of the objects it reads:
// every object is known by its number in the object database (gitdb.DB's
// ID), every tree as a list of (number, name) pairs, and every distinct
// file name once. Its size grows with the number of objects and tree
// entries, never with the size of their content: raw trees and blobs are
// dropped as soon as they are read. Trees are recorded from several
// goroutines at once, each filling chunks of its own.
type objectStore struct {
	db *gitdb.DB
	n  uint32 // db.Len(): numbers from n up are objects the database lacks

	mu        sync.Mutex
	absent    map[plumbing.Hash]uint32 // objects referred to and not held
	absentIDs []plumbing.Hash          // by number - n
	malformed map[uint32]bool          // trees that could not be read whole
	chunks    [][]treeRef              // tree entries; a chunk is filled by one goroutine

	trees []treeSpan // by number; zero for what is not a tree read whole or in part

	nameIDs   map[string]uint32
	names     []string
	nameKinds []uint16         // by name: index in kinds
	binary    []bool           // by name: a binary file by its extension
	formats   []archive.Format // by name: the archive it names, or archive.None
	kinds     []detect.FileKind
	kindNames []string // a file name of each kind, to scan a blob under

	fillers sync.Pool // of *treeFiller
}

// treeSpan locates one tree's entries: chunk is 1 + the chunk's index, so
// that the zero span is no tree.
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

func newObjectStore(db *gitdb.DB) *objectStore {
	return &objectStore{
		db:        db,
		n:         db.Len(),
		absent:    map[plumbing.Hash]uint32{},
		malformed: map[uint32]bool{},
		trees:     make([]treeSpan, db.Len()),
		nameIDs:   map[string]uint32{},
	}
}

// id numbers h: its number in the database, or one from n up for an
// object the database lacks.
func (s *objectStore) id(h plumbing.Hash) uint32 {
	if id, ok := s.db.Find(h); ok {
		return id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.absent[h]; ok {
		return id
	}
	id := s.n + uint32(len(s.absentIDs))
	s.absent[h] = id
	s.absentIDs = append(s.absentIDs, h)
	return id
}

// lookup returns h's number, for an object the database holds.
func (s *objectStore) lookup(h plumbing.Hash) (uint32, bool) {
	return s.db.Find(h)
}

// has reports whether the repository holds h.
func (s *objectStore) has(h plumbing.Hash) bool {
	_, ok := s.db.Find(h)
	return ok
}

// present reports whether the repository holds object id.
func (s *objectStore) present(id uint32) bool { return id < s.n }

// hash returns object id's hash.
func (s *objectStore) hash(id uint32) plumbing.Hash {
	if id < s.n {
		return s.db.Hash(id)
	}
	return s.absentIDs[id-s.n]
}

// size returns how many numbers are in use: objects held, then absent.
func (s *objectStore) size() uint32 { return s.n + uint32(len(s.absentIDs)) }

// treeFiller is one goroutine's part of recording trees: the chunk it
// fills, the file names it has numbered already, and the entries of the
// last tree it recorded. The walk builds a tree's versions one from the
// other, so most entries of a tree stand, unchanged, in the last one.
type treeFiller struct {
	chunk uint32    // 1 + index in chunks; 0 for none yet
	buf   []treeRef // that chunk, filled up to used
	used  uint32
	names map[string]uint32
	strs  []string // by name number, those in names
	refs  []treeRef
	last  []seenEntry // the last tree's entries, in order
	next  []seenEntry
}

// seenEntry is a tree entry as read and as recorded.
type seenEntry struct {
	hash plumbing.Hash
	mode uint32
	ref  treeRef
}

// name numbers a file name.
func (s *objectStore) name(f *treeFiller, b []byte) uint32 {
	if id, ok := f.names[string(b)]; ok {
		return id
	}
	s.mu.Lock()
	id, ok := s.nameIDs[string(b)]
	if !ok {
		n := string(b)
		id = uint32(len(s.names))
		s.nameIDs[n] = id
		s.names = append(s.names, n)
		s.nameKinds = append(s.nameKinds, s.kind(detect.KindOf(n), n))
		s.binary = append(s.binary, binaryName(n))
		s.formats = append(s.formats, archive.FormatOf(n))
	}
	n := s.names[id]
	s.mu.Unlock()
	f.names[n] = id
	for len(f.strs) <= int(id) {
		f.strs = append(f.strs, "")
	}
	f.strs[id] = n
	return id
}

// nameOf numbers a file name that no tree gives; it is for when no tree
// is being added.
func (s *objectStore) nameOf(n string) uint32 {
	return s.name(&treeFiller{names: map[string]uint32{}}, []byte(n))
}

// kind numbers a FileKind, remembering a name of that kind; s.mu must be
// held.
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

// addTree records the entries of tree id from its raw content; of a
// malformed tree, those before the damage. It may run on several
// goroutines at once, for different trees.
func (s *objectStore) addTree(id uint32, raw []byte) {
	f, _ := s.fillers.Get().(*treeFiller)
	if f == nil {
		f = &treeFiller{names: map[string]uint32{}}
	}
	defer s.fillers.Put(f)
	f.refs, f.next = f.refs[:0], f.next[:0]
	j := 0 // in f.last: entries are in name order in both trees
	err := eachTreeEntry(raw, func(e treeEntry) {
		for j < len(f.last) && f.strs[f.last[j].ref.name&^refMask] < string(e.name) {
			j++
		}
		var r treeRef
		if j < len(f.last) && f.last[j].hash == e.hash && f.last[j].mode == e.mode && f.strs[f.last[j].ref.name&^refMask] == string(e.name) {
			r = f.last[j].ref
			j++
		} else {
			r = s.ref(f, e)
		}
		f.refs = append(f.refs, r)
		f.next = append(f.next, seenEntry{hash: e.hash, mode: e.mode, ref: r})
	})
	f.last, f.next = f.next, f.last
	if err != nil {
		s.mu.Lock()
		s.malformed[id] = true
		s.mu.Unlock()
	}
	s.trees[id] = s.store(f, f.refs)
}

// ref records one tree entry.
func (s *objectStore) ref(f *treeFiller, e treeEntry) treeRef {
	r := treeRef{name: s.name(f, e.name)}
	switch e.mode {
	case modeTree:
		r.name |= refTree
		r.obj = s.id(e.hash)
	case modeGitlink, modeSymlink:
		r.name |= refOther
	default:
		r.obj = s.id(e.hash)
	}
	return r
}

// store copies a tree's entries into f's chunk, taking a new chunk when
// it is full.
func (s *objectStore) store(f *treeFiller, refs []treeRef) treeSpan {
	if f.chunk == 0 || int(f.used)+len(refs) > len(f.buf) {
		f.buf, f.used = make([]treeRef, max(chunkSize, len(refs))), 0
		s.mu.Lock()
		s.chunks = append(s.chunks, f.buf)
		f.chunk = uint32(len(s.chunks))
		s.mu.Unlock()
	}
	copy(f.buf[f.used:], refs)
	sp := treeSpan{chunk: f.chunk, off: f.used, n: uint32(len(refs))}
	f.used += uint32(len(refs))
	return sp
}

// entries returns a tree's entries; ok is false for a tree the
// repository does not hold. It is for when no tree is being added.
func (s *objectStore) entries(tree uint32) ([]treeRef, bool) {
	if tree >= s.n || s.trees[tree].chunk == 0 {
		return nil, false
	}
	sp := s.trees[tree]
	return s.chunks[sp.chunk-1][sp.off : sp.off+sp.n], true
}

// binaryExtensions name files that hold no text: a blob seen only under
// such names is not read at all. An archive djguard reads (.zip, .whl,
// .tar.gz, …) is read all the same, member by member.
var binaryExtensions = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".ico": true, ".webp": true, ".bmp": true,
	".tif": true, ".tiff": true, ".psd": true, ".woff": true, ".woff2": true, ".ttf": true, ".otf": true,
	".eot": true, ".pyc": true, ".pyo": true, ".mo": true, ".zip": true, ".gz": true, ".tgz": true,
	".bz2": true, ".xz": true, ".7z": true, ".jar": true, ".whl": true, ".so": true, ".dll": true,
	".exe": true, ".pdf": true, ".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".webm": true,
	".ogg": true, ".wav": true, ".flac": true, ".sqlite3": true,
}

func binaryName(name string) bool {
	return binaryExtensions[strings.ToLower(path.Ext(name))] && archive.FormatOf(name) == archive.None
}
