//go:build unix

package gitdb

import (
	"io"
	"os"
	"syscall"
)

// mapFile maps a file read-only, so that only the pages read are loaded;
// where mapping fails (a file system that cannot), it reads the file.
func mapFile(f *os.File, size int64) ([]byte, func() error, error) {
	if size <= 0 || size != int64(int(size)) {
		return readFile(f, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return readFile(f, size)
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}

// readFile reads the first size bytes of f whole.
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
