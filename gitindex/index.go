// Package gitindex reads git's index (.git/index) as djguard needs it:
// versions 2 to 4, a split index merged with its shared part, and the
// cache tree, refusing what it cannot read (a sparse index, an unknown
// required extension) rather than misreading it.
package gitindex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/djguard/djguard/internal/mapfile"
)

// Index is what djguard needs of git's index (.git/index): the staged
// entries and the cache tree. go-git's decoder reads every field through
// reflection and drops invalidated cache-tree entries together with the
// shape of the tree; this reader keeps both cheap and exact.
type Index struct {
	Entries []Entry
	// Trees maps a directory ("" for the root) to the tree hash git has
	// recorded for its staged content, for the directories whose record
	// is still valid: nothing was staged in them since.
	Trees map[string]plumbing.Hash
}

// Entry is one staged path.
type Entry struct {
	Name string // slash-separated, from the work tree's root
	Hash plumbing.Hash
	// Mode is the mode git commits the entry with (see CanonMode): what
	// the index records, unless that is damaged.
	Mode filemode.FileMode
	// Raw is the mode as the index records it. It differs from Mode only
	// when it is no mode git writes (a flipped bit): git then commits the
	// entry as its type bits say, and so does this reader.
	Raw   uint32
	Stage int // 0, or 1-3 during a merge conflict
}

// Damaged reports whether the entry's recorded mode is not one git
// writes, so that what git commits (Mode) was read from damage.
func (e Entry) Damaged() bool { return e.Raw != uint32(e.Mode) }

// The type bits of a mode, as in stat(2): git's index stores them so.
const (
	typeMask    = 0o170000
	typeRegular = 0o100000
	typeLink    = 0o120000
	typeDir     = 0o040000
)

// CanonMode is the mode git writes into a tree for an index entry whose
// recorded mode is raw, as git's canon_mode does when it writes the tree
// of a commit: a regular file's type bits make 100644, or 100755 when the
// owner may execute it, whatever else is set (bits above the type, the
// group's or others' permissions); a link's make 120000, a directory's
// 040000, and any other type a submodule's 160000. A mode damaged by a
// flipped bit is so committed as what its type bits still say: most often
// a plain file.
func CanonMode(raw uint32) filemode.FileMode {
	switch raw & typeMask {
	case typeRegular:
		if raw&0o100 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case typeLink:
		return filemode.Symlink
	case typeDir:
		return filemode.Dir
	}
	return filemode.Submodule
}

// ErrCorrupt marks an index that cannot be read as git wrote it.
var ErrCorrupt = errors.New("corrupt index")

// ErrUnsupported marks an index that uses a feature this reader does
// not read: a sparse index, an extension git calls required that it does
// not know, another version. Reading such an index in part could miss
// staged files, so it is refused instead.
var ErrUnsupported = errors.New("djguard does not read this index")

// Read reads an index file of version 2, 3 or 4. A split index
// (core.splitIndex) is merged with its shared part,
// sharedindex.<hash> in gitDir ("" means the index file's directory), as
// git does. A missing file is an empty index, as in a repository where
// nothing was ever staged.
func Read(path, gitDir string) (*Index, error) {
	if gitDir == "" {
		gitDir = filepath.Dir(path)
	}
	data, unmap, err := readIndexFile(path)
	if os.IsNotExist(err) {
		return &Index{Trees: map[string]plumbing.Hash{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the index: %w", err)
	}
	defer unmap() // once the split index's link, which points into it, is followed
	f, err := parseIndex(data)
	if err == nil && f.link != nil {
		err = f.mergeShared(gitDir)
	}
	if err == nil {
		err = checkEntries(f.entries)
	}
	if errors.Is(err, ErrUnsupported) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
	}
	return &Index{Entries: f.entries, Trees: f.trees}, nil
}

// readIndexFile maps the index file at path. The index is read once,
// front to back, and what is kept is copied out, so it need not be read
// into memory of its own.
func readIndexFile(path string) ([]byte, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	return mapfile.Map(f, info.Size())
}

const indexTrailer = 20 // SHA-1 of everything before it

// maxPathName bounds a path name in the index. Git writes none longer than
// the system's PATH_MAX (4096 bytes on Linux); a longer one is damage, and
// version 4's path compression could otherwise grow names by a byte an
// entry, taking memory quadratic in the file's size.
const maxPathName = 64 << 10

// indexFile is one index file as written: a whole index, or the split
// part of one with the link to its shared part.
type indexFile struct {
	entries []Entry
	trees   map[string]plumbing.Hash
	link    *splitLink
	trailer plumbing.Hash
}

// sparseIndexAdvice ends the refusal of a sparse index: the command turns
// the sparse index off and rewrites the index in full, keeping the sparse
// checkout's patterns.
const sparseIndexAdvice = "make it a full index with 'git sparse-checkout reapply --no-sparse-index' (the sparse checkout stays as it is) and try again"

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

func parseIndex(data []byte) (*indexFile, error) {
	if len(data) < 12+indexTrailer || string(data[:4]) != "DIRC" {
		return nil, fmt.Errorf("not an index file")
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, unsupported("index version %d (djguard reads versions 2 to 4)", version)
	}
	count := int(binary.BigEndian.Uint32(data[8:12]))
	body := data[:len(data)-indexTrailer]
	f := &indexFile{trees: map[string]plumbing.Hash{}}
	copy(f.trailer[:], data[len(body):])
	if count > len(body)/62 {
		return nil, fmt.Errorf("index claims %d entries", count)
	}
	f.entries = make([]Entry, 0, count)
	// The names are copied into one string, which the entries share: an
	// index of tens of thousands of files then costs one allocation for
	// its names, not one a file.
	var names strings.Builder
	names.Grow(max(len(body)-12-count*62, 0)) // all but the fixed parts, in versions 2 and 3
	ends := make([]int, 0, count)
	p := 12
	var name []byte
	for i := 0; i < count; i++ {
		e, next, n, err := parseEntry(body, p, version, name)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i, err)
		}
		names.Write(n)
		ends = append(ends, names.Len())
		f.entries = append(f.entries, e)
		name, p = n, next
	}
	all, start := names.String(), 0
	for i, end := range ends {
		f.entries[i].Name, start = all[start:end], end
	}
	for p < len(body) {
		if p+8 > len(body) {
			return nil, fmt.Errorf("%d stray bytes after the extensions", len(body)-p)
		}
		sig := string(body[p : p+4])
		size := int(binary.BigEndian.Uint32(body[p+4 : p+8]))
		if size < 0 || p+8+size > len(body) {
			return nil, fmt.Errorf("extension %q overruns the file", sig)
		}
		if err := f.extension(sig, body[p+8:p+8+size]); err != nil {
			return nil, err
		}
		p += 8 + size
	}
	return f, nil
}

// extension reads one extension. Git's rule: one whose signature starts
// with a capital letter is optional and may be ignored; any other must be
// understood, so an unknown one is refused rather than skipped.
func (f *indexFile) extension(sig string, data []byte) error {
	switch {
	case sig == "TREE":
		if err := parseCacheTree(data, f.trees); err != nil {
			return fmt.Errorf("cache tree: %w", err)
		}
	case sig == "link":
		l, err := parseLink(data)
		if err != nil {
			return fmt.Errorf("split index link: %w", err)
		}
		f.link = l
	case sig == "sdir":
		return unsupported("it is a sparse index (extension \"sdir\"); %s", sparseIndexAdvice)
	case sig[0] < 'A' || sig[0] > 'Z':
		return unsupported("it has extension %q, which git requires readers to understand and djguard does not know", sig)
	}
	return nil
}

// checkEntries refuses what a complete index of files cannot hold: a
// sparse directory entry (a tree standing for the files under it) or an
// entry with no name.
func checkEntries(entries []Entry) error {
	for i, e := range entries {
		if e.Mode == filemode.Dir && e.Damaged() {
			return fmt.Errorf("entry %q has mode %o, which git never writes", e.Name, e.Raw)
		}
		if e.Mode == filemode.Dir {
			return unsupported("it is a sparse index (directory entry %q); %s", e.Name, sparseIndexAdvice)
		}
		if e.Name == "" {
			return fmt.Errorf("entry %d has no name", i)
		}
	}
	return nil
}

// parseEntry reads the entry at p, all but its name, which it returns
// apart: in b, or (version 4) in prev's array, rebuilt from prev, the
// previous entry's name, which version 4 compresses against.
func parseEntry(b []byte, p int, version uint32, prev []byte) (Entry, int, []byte, error) {
	const fixed = 62 // stat data, mode, sizes, hash and flags
	if p+fixed > len(b) {
		return Entry{}, 0, nil, fmt.Errorf("truncated")
	}
	var e Entry
	e.Raw = binary.BigEndian.Uint32(b[p+24 : p+28])
	e.Mode = CanonMode(e.Raw)
	copy(e.Hash[:], b[p+40:p+60])
	flags := binary.BigEndian.Uint16(b[p+60 : p+62])
	e.Stage = int(flags>>12) & 3
	q := p + fixed
	if flags&0x4000 != 0 { // extended flags (version 3 and later)
		if version < 3 || q+2 > len(b) {
			return Entry{}, 0, nil, fmt.Errorf("bad extended flags")
		}
		q += 2
	}
	var name []byte
	if version == 4 {
		strip, n := offsetVarint(b[q:])
		if n == 0 || strip < 0 || strip > len(prev) {
			return Entry{}, 0, nil, fmt.Errorf("bad path compression")
		}
		q += n
		end := bytes.IndexByte(b[q:], 0)
		if end < 0 {
			return Entry{}, 0, nil, fmt.Errorf("unterminated path")
		}
		if len(prev)-strip+end > maxPathName {
			return Entry{}, 0, nil, fmt.Errorf("a path name longer than %d bytes", maxPathName)
		}
		name = append(prev[:len(prev)-strip], b[q:q+end]...)
		q += end + 1
	} else {
		end := bytes.IndexByte(b[q:], 0)
		if end < 0 {
			return Entry{}, 0, nil, fmt.Errorf("unterminated path")
		}
		if end > maxPathName {
			return Entry{}, 0, nil, fmt.Errorf("a path name longer than %d bytes", maxPathName)
		}
		name = b[q : q+end]
		// Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
		q = p + ((q + end - p + 8) &^ 7)
	}
	if q > len(b) {
		return Entry{}, 0, nil, fmt.Errorf("truncated")
	}
	return e, q, name, nil
}

// offsetVarint reads git's "offset" varint (as in OFS_DELTA and index v4
// path compression) and returns it with the bytes it took; 0 bytes when
// it is truncated or its value does not fit in an int.
func offsetVarint(b []byte) (int, int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	v := int(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) || v > math.MaxInt>>7-1 {
			return 0, 0
		}
		c = b[i]
		i++
		v = ((v + 1) << 7) | int(c&0x7f)
	}
	return v, i
}

// parseCacheTree reads the TREE extension: entries in pre-order, each a
// path component, an entry count (-1 when invalidated), a subtree count,
// and, when valid, the tree's hash.
func parseCacheTree(b []byte, out map[string]plumbing.Hash) error {
	var walk func(prefix string) error
	walk = func(prefix string) error {
		nul := bytes.IndexByte(b, 0)
		if nul < 0 {
			return fmt.Errorf("truncated")
		}
		name := string(b[:nul])
		b = b[nul+1:]
		sp := bytes.IndexByte(b, ' ')
		nl := bytes.IndexByte(b, '\n')
		if sp < 0 || nl < sp {
			return fmt.Errorf("bad counts")
		}
		entries, err1 := strconv.Atoi(string(b[:sp]))
		subtrees, err2 := strconv.Atoi(string(b[sp+1 : nl]))
		if err1 != nil || err2 != nil || subtrees < 0 {
			return fmt.Errorf("bad counts")
		}
		b = b[nl+1:]
		path := prefix + name
		if entries >= 0 {
			if len(b) < 20 {
				return fmt.Errorf("truncated")
			}
			var h plumbing.Hash
			copy(h[:], b[:20])
			b = b[20:]
			out[path] = h
		}
		childPrefix := path + "/"
		if path == "" {
			childPrefix = ""
		}
		for i := 0; i < subtrees; i++ {
			if err := walk(childPrefix); err != nil {
				return err
			}
		}
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	return walk("")
}
