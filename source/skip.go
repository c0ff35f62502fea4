package source

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/djguard/djguard/policy"
)

// The rules every source shares for what it does not scan: binary content,
// content over the size limit, and files the policy excludes.

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

// isBinary reports whether content looks like a binary file: a NUL byte
// in its first binarySniff bytes.
func isBinary(content []byte) bool {
	return bytes.IndexByte(content[:min(len(content), binarySniff)], 0) >= 0
}

// tooLarge says why a file of size bytes is skipped under limit.
func tooLarge(size, limit int64) string {
	return fmt.Sprintf("%d bytes, over the %d-byte limit (--max-file-size)", size, limit)
}

// maxSize is the size limit a source applies: limit, or the default.
func maxSize(limit int64) int64 {
	if limit <= 0 {
		return DefaultMaxFileSize
	}
	return limit
}

// excluded asks the policy about a slash-separated path relative to root.
func excluded(pol *policy.Policy, root, rel string) bool {
	return pol.Excluded(filepath.Join(root, filepath.FromSlash(rel)))
}
