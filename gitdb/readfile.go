package gitdb

import (
	"io"
	"os"
)

// readFile reads the first size bytes of f whole: where a file is not
// mapped.
func readFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size < 0 || size > maxObjectSize {
		return nil, nil, io.ErrUnexpectedEOF
	}
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
