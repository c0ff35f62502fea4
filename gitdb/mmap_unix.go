//go:build unix

package gitdb

import (
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
