package history

import (
	"math"
	"path"
	"slices"
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
	offs  []uint32 // where each of refs' entries starts in the tree
	// recent holds the trees this filler added last, for the deltas built
	// on them; tick orders their use.
	recent []recentTree
	tick   uint64
}

// recentTrees bounds how many trees a filler keeps for deltas: more
// than a delta chain is deep, so that a base is still there for its
// later deltas after the earlier ones' own.
const recentTrees = 64

// recentTree is a tree lately added: where each entry starts in it, and
// what was recorded for it.
type recentTree struct {
	id   uint32
	size int
	offs []uint32
	refs []treeRef
	used uint64
}

// recentOf returns the tree id if the filler added it lately, or nil.
func (f *treeFiller) recentOf(id uint32) *recentTree {
	for k := range f.recent {
		if t := &f.recent[k]; t.id == id {
			f.tick++
			t.used = f.tick
			return t
		}
	}
	return nil
}

// remember keeps the tree just added, in the place of the one least
// lately used when recentTrees are kept.
func (f *treeFiller) remember(id uint32, size int) {
	var t *recentTree
	if len(f.recent) < recentTrees {
		f.recent = append(f.recent, recentTree{})
		t = &f.recent[len(f.recent)-1]
	} else {
		t = &f.recent[0]
		for k := range f.recent {
			if f.recent[k].used < t.used {
				t = &f.recent[k]
			}
		}
	}
	f.tick++
	t.id, t.size, t.used = id, size, f.tick
	t.offs = append(t.offs[:0], f.offs...)
	t.refs = append(t.refs[:0], f.refs...)
}

// copied returns the record of the entry that starts at q in a tree made
// from t by a delta with these copies, when the delta copied that entry
// whole from t, and the entry's length. k is where the search in copies
// stands, for entries in order.
func (t *recentTree) copied(q int, copies []gitdb.Copy, k *int) (treeRef, int, bool) {
	for *k < len(copies) && copies[*k].At+copies[*k].Len <= q {
		*k++
	}
	if *k == len(copies) || copies[*k].At > q {
		return treeRef{}, 0, false
	}
	c := copies[*k]
	from := c.From + q - c.At
	i, found := slices.BinarySearch(t.offs, uint32(from))
	if !found {
		return treeRef{}, 0, false
	}
	end := t.size
	if i+1 < len(t.offs) {
		end = int(t.offs[i+1])
	}
	if n := end - from; q+n <= c.At+c.Len {
		return t.refs[i], n, true
	}
	return treeRef{}, 0, false
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
// malformed tree, those before the damage. A tree stored as a delta of a
// tree the filler added lately (base, with the delta's copies) takes the
// base's record of every entry the delta copied whole: those are not
// parsed or looked up again, and most entries of most trees are such. It
// may run on several goroutines at once, for different trees.
func (s *objectStore) addTree(id uint32, raw []byte, base uint32, copies []gitdb.Copy) {
	f, _ := s.fillers.Get().(*treeFiller)
	if f == nil {
		f = &treeFiller{names: map[string]uint32{}}
	}
	defer s.fillers.Put(f)
	f.refs, f.offs = f.refs[:0], f.offs[:0]
	var from *recentTree
	if len(copies) > 0 {
		from = f.recentOf(base)
	}
	var err error
	for q, k := 0, 0; q < len(raw); {
		if from != nil {
			if r, n, ok := from.copied(q, copies, &k); ok {
				f.offs = append(f.offs, uint32(q))
				f.refs = append(f.refs, r)
				q += n
				continue
			}
		}
		e, n, perr := nextTreeEntry(raw[q:])
		if perr != nil {
			err = perr
			break
		}
		f.offs = append(f.offs, uint32(q))
		f.refs = append(f.refs, s.ref(f, e))
		q += n
	}
	if err != nil {
		s.mu.Lock()
		s.malformed[id] = true
		s.mu.Unlock()
	} else if len(raw) <= math.MaxUint32 {
		f.remember(id, len(raw))
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
