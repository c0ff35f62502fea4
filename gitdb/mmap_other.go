//go:build !unix

package gitdb

import (
	"io"
	"os"
)

// mapFile reads a file whole where djguard does not map files.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size < 0 || size > maxObjectSize {
		return nil, nil, io.ErrUnexpectedEOF
	}
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
