// Package archive reads the files inside archives as djguard scans them:
// zip (wheels, eggs, jars) and tar, plain or compressed with gzip, bzip2 or
// zstd (sdists, image layers), archives inside archives to a bounded
// depth. Members are read one at a time, streaming, never written to disk,
// within bounds a hostile archive cannot push past: a member over the
// size limit is named and passed over, a path that leaves the archive is
// named and not read, and an archive that inflates past its bounds (a
// compression bomb) is refused with ErrBomb.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Format is a kind of archive.
type Format int

const (
	None Format = iota // not an archive djguard reads
	Zip
	Tar
	TarGzip
	TarBzip2
	TarZstd
	Gzip // one gzip-compressed file
)

// FormatOf tells an archive's format by its file name, as pip, tar and
// unzip do; None for any other file.
func FormatOf(name string) Format {
	n := strings.ToLower(path.Base(name))
	switch {
	case strings.HasSuffix(n, ".zip"), strings.HasSuffix(n, ".whl"), strings.HasSuffix(n, ".egg"), strings.HasSuffix(n, ".jar"):
		return Zip
	case strings.HasSuffix(n, ".tar"):
		return Tar
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return TarGzip
	case strings.HasSuffix(n, ".tar.bz2"), strings.HasSuffix(n, ".tbz2"), strings.HasSuffix(n, ".tbz"):
		return TarBzip2
	case strings.HasSuffix(n, ".tar.zst"), strings.HasSuffix(n, ".tzst"):
		return TarZstd
	case strings.HasSuffix(n, ".gz"):
		return Gzip
	}
	return None
}

// Limits bound what reading one archive may cost. The zero value of a
// field means its default.
type Limits struct {
	// MaxMember: a member larger than this is not read, and is named.
	MaxMember int64
	// MaxDepth: archives inside archives are read this many levels down
	// (1: the members of the archive itself, not of archives in it).
	MaxDepth int
	// MaxMembers: an archive with more members is refused.
	MaxMembers int
	// MaxInflated: an archive whose members inflate to more bytes in all
	// is refused, as is one that inflates to over BombRatio times what it
	// takes on disk once past a gibibyte.
	MaxInflated int64
	// MaxNested: a zip inside another archive is read into memory to be
	// opened (its directory is at its end); a larger one is named.
	MaxNested int64
}

// Defaults.
const (
	DefaultMaxMember   = 10 << 20
	DefaultMaxDepth    = 3
	DefaultMaxMembers  = 1 << 20
	DefaultMaxInflated = 64 << 30
	DefaultMaxNested   = 256 << 20
	// BombRatio is how many times its compressed size an archive may
	// inflate to past a gibibyte: real archives of text stay under 20,
	// zeros reach 1,000 (gzip) and more.
	BombRatio = 200
)

func (l Limits) withDefaults() Limits {
	if l.MaxMember <= 0 {
		l.MaxMember = DefaultMaxMember
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = DefaultMaxMembers
	}
	if l.MaxInflated <= 0 {
		l.MaxInflated = DefaultMaxInflated
	}
	if l.MaxNested <= 0 {
		l.MaxNested = DefaultMaxNested
	}
	return l
}

// ErrBomb marks an archive refused for what it inflates to.
var ErrBomb = errors.New("a compression bomb, refused: it inflates past djguard's bounds")

// ErrTooManyMembers marks an archive refused for its number of members.
var ErrTooManyMembers = errors.New("more members than djguard reads, refused")

// Member is one file inside an archive.
type Member struct {
	// Path is where the member stands, from the outermost archive:
	// "dist/app.whl!/app/settings.py", "sdist.tar.gz!/inner.zip!/a.py".
	Path string
	// Content is the member's bytes; nil when it was not read (NotRead
	// says why).
	Content []byte
	NotRead string
}

// Walk calls fn with each file inside the archive at name, of the given
// format, read from r (size bytes; a zip needs to read at its end). Links,
// directories and devices are passed over: nothing outside the archive is
// ever opened. A member that is itself an archive is walked in turn, up
// to lim.MaxDepth; one past it is named. The Content fn gets is valid
// only during the call. Walk stops at the first error fn returns, and
// returns an error wrapping ErrBomb or ErrTooManyMembers for an archive
// it refuses, after calling fn for the members before.
func Walk(name string, format Format, r io.ReaderAt, size int64, lim Limits, fn func(Member) error) error {
	w := &walker{lim: lim.withDefaults(), fn: fn, source: &counter{}}
	return unstop(w.walk(name, format, r, size, 1))
}

// WalkStream is Walk for a stream, read once from start to end: tar and
// compressed tar, or one compressed file. A zip, which cannot be read so,
// is an error.
func WalkStream(name string, format Format, r io.Reader, lim Limits, fn func(Member) error) error {
	w := &walker{lim: lim.withDefaults(), fn: fn}
	w.source = &counter{r: r}
	return unstop(w.stream(name, format, w.source, 1))
}

type walker struct {
	lim Limits
	fn  func(Member) error
	// source counts the bytes of the outermost archive read so far, and
	// inflated what all decompressors gave: their ratio tells a bomb.
	source   *counter
	members  int
	inflated int64
	buf      []byte
}

// emit hands a member to fn; fn's error ends the walk as it is.
func (w *walker) emit(m Member) error {
	if err := w.fn(m); err != nil {
		return stopError{err}
	}
	return nil
}

// unstop gives back fn's error as fn returned it.
func unstop(err error) error {
	var stop stopError
	if errors.As(err, &stop) {
		return stop.error
	}
	return err
}

func (w *walker) walk(name string, format Format, r io.ReaderAt, size int64, depth int) error {
	if format == Zip {
		return w.zip(name, r, size, depth)
	}
	w.source.r = io.NewSectionReader(r, 0, size)
	return w.stream(name, format, w.source, depth)
}

// stream walks a tar, or a compressed tar or file, from r.
func (w *walker) stream(name string, format Format, r io.Reader, depth int) error {
	var raw io.Reader = bufio.NewReaderSize(r, 64<<10)
	switch format {
	case TarGzip, Gzip:
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return fmt.Errorf("%s: not gzip data: %w", name, err)
		}
		defer zr.Close()
		raw = zr
	case TarBzip2:
		raw = bzip2.NewReader(raw)
	case TarZstd:
		zr, err := zstd.NewReader(raw, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return fmt.Errorf("%s: not zstd data: %w", name, err)
		}
		defer zr.Close()
		raw = zr
	case Zip:
		return fmt.Errorf("%s: a zip archive is read from a file, not a stream", name)
	}
	inflated := &bombGuard{r: raw, w: w}
	if format == Gzip {
		return w.member(name, strings.TrimSuffix(path.Base(name), path.Ext(name)), inflated, -1, depth)
	}
	tr := tar.NewReader(inflated)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrBomb) {
				return fmt.Errorf("%s: %w", name, err)
			}
			return fmt.Errorf("%s: a damaged tar archive: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue // directories, links, devices: nothing to read
		}
		if err := w.member(name, h.Name, tr, h.Size, depth); err != nil {
			return err
		}
	}
}

// zip walks a zip archive read from r.
func (w *walker) zip(name string, r io.ReaderAt, size int64, depth int) error {
	// The directory is read whole into memory: its count of entries is
	// checked first, so that a hostile one cannot take gigabytes.
	if n, ok := zipEntries(r, size); ok && n > uint64(w.lim.MaxMembers) {
		return fmt.Errorf("%s: %w (%d in its directory)", name, ErrTooManyMembers, n)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("%s: a damaged zip archive: %w", name, err)
	}
	for _, f := range zr.File {
		if f.Mode().IsDir() || !f.Mode().IsRegular() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			if err := w.emit(Member{Path: join(name, f.Name), NotRead: "a member that cannot be read: " + err.Error()}); err != nil {
				return err
			}
			continue
		}
		if depth == 1 {
			w.source.n += int64(f.CompressedSize64)
		}
		err = w.member(name, f.Name, &bombGuard{r: rc, w: w}, int64(f.UncompressedSize64), depth)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// member reads one member, of size bytes (-1: not known), and hands it
// to fn, or walks it when it is an archive itself.
func (w *walker) member(archive, name string, r io.Reader, size int64, depth int) error {
	if w.members++; w.members > w.lim.MaxMembers {
		return fmt.Errorf("%s: %w (over %d)", archive, ErrTooManyMembers, w.lim.MaxMembers)
	}
	at := join(archive, name)
	if leaves(name) {
		return w.emit(Member{Path: at, NotRead: "its path leaves the archive (an absolute path or ..): not read"})
	}
	if f := FormatOf(name); f != None {
		// Opened when it starts as its name says; else it is a file like
		// any other, and read as one.
		br := bufio.NewReaderSize(r, 4096)
		head, _ := br.Peek(512)
		r = br
		if Looks(f, head) {
			return w.nestedArchive(at, f, r, size, depth)
		}
	}
	if size > w.lim.MaxMember {
		return w.emit(Member{Path: at, NotRead: fmt.Sprintf("%d bytes, over the %d-byte limit", size, w.lim.MaxMember)})
	}
	if cap(w.buf) < int(min(max(size, 0), w.lim.MaxMember))+1 {
		w.buf = make([]byte, 0, min(max(size, 4096), w.lim.MaxMember)+1)
	}
	buf := bytes.NewBuffer(w.buf[:0])
	n, err := buf.ReadFrom(io.LimitReader(r, w.lim.MaxMember+1))
	w.buf = buf.Bytes()[:0]
	if err != nil {
		if errors.Is(err, ErrBomb) {
			return fmt.Errorf("%s: %w", archive, err)
		}
		return w.emit(Member{Path: at, NotRead: "a member that cannot be read: " + err.Error()})
	}
	if n > w.lim.MaxMember {
		return w.emit(Member{Path: at, NotRead: fmt.Sprintf("over the %d-byte limit", w.lim.MaxMember)})
	}
	return w.emit(Member{Path: at, Content: buf.Bytes()})
}

// nestedArchive walks an archive inside another, read from r (size bytes,
// -1: not known).
func (w *walker) nestedArchive(at string, f Format, r io.Reader, size int64, depth int) error {
	if depth >= w.lim.MaxDepth {
		return w.emit(Member{Path: at, NotRead: fmt.Sprintf("an archive inside %d levels of archives: not opened", depth)})
	}
	if f != Zip {
		return w.nested(at, w.stream(at, f, r, depth+1))
	}
	if size > w.lim.MaxNested {
		return w.emit(Member{Path: at, NotRead: fmt.Sprintf("a zip of %d bytes inside an archive, over the %d-byte limit for one: not opened", size, w.lim.MaxNested)})
	}
	data, err := io.ReadAll(io.LimitReader(r, w.lim.MaxNested+1))
	if err != nil {
		return w.nested(at, err)
	}
	if int64(len(data)) > w.lim.MaxNested {
		return w.emit(Member{Path: at, NotRead: fmt.Sprintf("a zip inside an archive, over the %d-byte limit for one: not opened", w.lim.MaxNested)})
	}
	return w.nested(at, w.zip(at, bytes.NewReader(data), int64(len(data)), depth+1))
}

// nested reports an archive inside another that could not be walked as a
// member not read; a refusal for size or members, or fn's error, ends
// the whole walk.
func (w *walker) nested(at string, err error) error {
	var stop stopError
	if err == nil || errors.Is(err, ErrBomb) || errors.Is(err, ErrTooManyMembers) || errors.As(err, &stop) {
		return err
	}
	return w.emit(Member{Path: at, NotRead: err.Error()})
}

// stopError is an error of fn's, passed through the walk untouched.
type stopError struct{ error }

// join names a member of an archive.
func join(archive, member string) string {
	return archive + "!/" + strings.TrimPrefix(path.Clean("/"+member), "/")
}

// leaves reports whether a member's path would land outside the
// directory an archive is unpacked into: absolute, or climbing with "..".
func leaves(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(n, "/") || len(n) >= 2 && n[1] == ':' {
		return true
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// counter counts the bytes read from r; for a zip, whose members are
// opened one by one, n is their compressed sizes.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// bombGuard counts what a decompressor gives and refuses to give more
// once that is past the walk's bounds.
type bombGuard struct {
	r io.Reader
	w *walker
}

func (b *bombGuard) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.w.inflated += int64(n)
	if b.w.inflated > b.w.lim.MaxInflated {
		return n, fmt.Errorf("%w (over %d bytes inflated)", ErrBomb, b.w.lim.MaxInflated)
	}
	if packed := b.w.source.n; b.w.inflated > 1<<30 && b.w.inflated > BombRatio*max(packed, 1) {
		return n, fmt.Errorf("%w (%d bytes inflated from %d)", ErrBomb, b.w.inflated, packed)
	}
	return n, err
}

// Looks reports whether head, the start of a file, begins as the format
// does: a file named as an archive that does not is some other file.
func Looks(format Format, head []byte) bool {
	switch format {
	case Zip:
		return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
	case Tar:
		return len(head) >= 262 && string(head[257:262]) == "ustar"
	case TarGzip, Gzip:
		return bytes.HasPrefix(head, []byte{0x1f, 0x8b})
	case TarBzip2:
		return bytes.HasPrefix(head, []byte("BZh"))
	case TarZstd:
		return bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd})
	}
	return false
}

// zipEntries reads how many entries a zip's directory claims, from its end
// record (or the zip64 one it points to); ok is false where it finds
// none, and zip.NewReader then says what is wrong.
func zipEntries(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const endLen, maxComment = 22, 1<<16 - 1
	tail := make([]byte, min(size, endLen+maxComment))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return 0, false
	}
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < endLen {
		return 0, false
	}
	n = uint64(binary.LittleEndian.Uint16(tail[i+10:]))
	if n != 0xffff || i < 20 || !bytes.Equal(tail[i-20:i-16], []byte("PK\x06\x07")) {
		return n, true
	}
	// zip64: the locator before the end record gives where the zip64 end
	// record is, and that holds the count.
	at := int64(binary.LittleEndian.Uint64(tail[i-20+8:]))
	var rec [56]byte
	if at < 0 || at > size-56 {
		return 0, false
	}
	if _, err := r.ReadAt(rec[:], at); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
