// Package mapfile gives a file's bytes for reading: mapped where the
// system maps files, so that only the pages read are loaded and nothing
// is copied, or read whole where it does not.
package mapfile

import (
	"io"
	"os"
)

// MaxSize bounds the file read whole where mapping fails: 16 GiB, past
// the largest pack index or git index djguard reads.
const MaxSize = 1 << 34

// read reads the first size bytes of f whole: where a file is not
// mapped.
func read(f *os.File, size int64) ([]byte, func() error, error) {
	if size < 0 || size > MaxSize {
		return nil, nil, io.ErrUnexpectedEOF
	}
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
