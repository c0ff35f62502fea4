//go:build unix

package mapfile

import (
	"os"
	"syscall"
)

// Map maps the first size bytes of f read-only, or reads them where
// mapping fails (a file system that cannot). The bytes are valid until
// the returned function is called; they must not be written.
func Map(f *os.File, size int64) ([]byte, func() error, error) {
	if size <= 0 || size != int64(int(size)) {
		return read(f, size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return read(f, size)
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
