package source

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/djguard/djguard/policy"
)

// The rules every source shares for what it does not scan: binary content,
// content over the size limit, and files the policy excludes. A file left
// out for its content could hold a key: every source lists it as not read
// (TreeResult.NotRead, StagedResult.NotRead, history's Skipped), and the
// command names it in its summary. It does not change the exit code: a
// repository's images and archives are binary, and a scan that refused
// them all would refuse every repository. A file left out by choice (an
// exclude, a link scanned where it points) is only Skipped.

// DefaultMaxFileSize is the largest file a scan reads unless told
// otherwise: big enough for a multi-megabyte dumpdata fixture.
const DefaultMaxFileSize = 10 << 20

// binarySniff is how much of a file is looked at for a NUL byte, the sign
// of a binary file (git looks at the same amount).
const binarySniff = 8000

// Skip is a file the scan did not read, and why.
type Skip struct {
	Path   string
	Reason string
}

// IsBinary reports whether content looks like a binary file: a NUL byte
// in its first binarySniff bytes.
func IsBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), binarySniff)], 0) >= 0
}

// AsText returns content as the text to scan: UTF-16 or UTF-32 that
// starts with a byte-order mark (Windows editors write the first; both
// are text any editor shows, and Python reads them with the encoding
// named, as open(path, encoding="utf-16") does) decoded to UTF-8,
// anything else as it is. ok is false for binary content: a NUL byte
// after decoding, so that UTF-16 without a mark, which no editor or
// Python recognises unasked, stays binary.
func AsText(content []byte) (text []byte, ok bool) {
	if u, isUTF32 := decodeUTF32(content); isUTF32 {
		content = u
	} else if u, isUTF16 := decodeUTF16(content); isUTF16 {
		content = u
	}
	return content, !IsBinary(content)
}

// decodeUTF32 decodes UTF-32 with a byte-order mark; isUTF32 is false for
// anything else. A unit that is no Unicode scalar value becomes U+FFFD;
// trailing bytes short of a unit are dropped.
func decodeUTF32(b []byte) (text []byte, isUTF32 bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}):
		order = binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return nil, false
	}
	b = b[4:]
	out := make([]byte, 0, len(b)/4)
	for i := 0; i+4 <= len(b); i += 4 {
		r := rune(order.Uint32(b[i:]))
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// decodeUTF16 decodes UTF-16 with a byte-order mark; isUTF16 is false for
// anything else (a UTF-32 mark included). Unpaired surrogates become
// U+FFFD; an odd last byte is dropped.
func decodeUTF16(b []byte) (text []byte, isUTF16 bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}):
		return nil, false // UTF-32LE
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return nil, false
	}
	b = b[2:]
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	out := make([]byte, 0, len(b))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// TooLarge says why a file of size bytes is not read under limit.
func TooLarge(size, limit int64) string {
	return fmt.Sprintf("%s (--max-file-size): %d bytes", OverLimit(limit), size)
}

// OverLimit is the first words of why a file over limit is not read:
// "over the 10 MiB limit".
func OverLimit(limit int64) string {
	switch {
	case limit%(1<<20) == 0:
		return fmt.Sprintf("over the %d MiB limit", limit>>20)
	case limit%(1<<10) == 0:
		return fmt.Sprintf("over the %d KiB limit", limit>>10)
	}
	return fmt.Sprintf("over the %d-byte limit", limit)
}

// MaxSize is the size limit a source applies: limit, or the default.
func MaxSize(limit int64) int64 {
	if limit <= 0 {
		return DefaultMaxFileSize
	}
	return limit
}

// Excluded asks the policy about a slash-separated path relative to root.
func Excluded(pol *policy.Policy, root, rel string) bool {
	// A staged scan asks about every file in the index: with no excludes,
	// it should not pay for a path a file.
	return pol.Excludes() && pol.Excluded(filepath.Join(root, filepath.FromSlash(rel)))
}
