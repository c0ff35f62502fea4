package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writePrivate writes a file that holds keys (a report with replacement
// keys, a purge plan) so that only its owner can read it, whatever was
// there before: the content goes to a new 0600 file beside it, renamed
// over the old one, since opening an existing 0644 file would keep 0644.
// A path that is a device or a pipe (/dev/stdout, /dev/null) is written
// in place; a symbolic link is followed to its target.
func writePrivate(path string, write func(io.Writer) error) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := writeBuffered(f, write); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".djguard-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if err := writeBuffered(tmp, write); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("put %s in place: %w", path, err)
	}
	done = true
	return nil
}

// writeBuffered runs write through a buffer: reports are written in many
// small pieces.
func writeBuffered(f io.Writer, write func(io.Writer) error) error {
	w := bufio.NewWriterSize(f, 64<<10)
	if err := write(w); err != nil {
		return err
	}
	return w.Flush()
}
