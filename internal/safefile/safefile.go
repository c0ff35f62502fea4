// Package safefile writes the files djguard makes that hold keys (reports
// with replacement keys, purge plans, keygen's output) so that only their
// owner can read them and no reader ever sees half a file. It is the one
// place djguard creates such files.
package safefile

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Private is the mode of every file that holds a key.
const Private fs.FileMode = 0o600

// Create writes a new file at path, which must not exist (O_EXCL: a file
// or link someone put there is never written through), with mode perm.
func Create(path string, perm fs.FileMode, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := buffered(f, write); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// Replace writes path with mode perm, whatever was there before: the
// content goes to a new file beside it, given perm, then renamed over the
// old one, since writing into an existing 0644 file would keep 0644 and a
// reader could see half of it. A path that is a device or a pipe
// (/dev/stdout, /dev/null) is written in place; a symbolic link is
// followed to its target.
func Replace(path string, perm fs.FileMode, write func(io.Writer) error) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := buffered(f, write); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, tempPrefix(base)+"*")
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
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := buffered(tmp, write); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("put %s in place: %w", path, err)
	}
	done = true
	removeLeftovers(dir, base, perm)
	return nil
}

// leftoverAge is how long a copy must have been left alone before it is
// taken for a killed Replace's.
const leftoverAge = time.Minute

// tempPrefix begins the name of the copy Replace writes before renaming
// it over base; os.CreateTemp adds digits.
func tempPrefix(base string) string { return "." + base + ".djguard-" }

// removeLeftovers removes the copies a Replace of the same file killed
// before its rename left beside it: files named as Replace names its
// copies and with the mode it gives them. Each is an earlier version of
// the file just replaced whole (a report, a key file), which may hold
// keys: nothing reads it, and a file whose name and mode say it is one is
// djguard's own to remove.
func removeLeftovers(dir, base string, perm fs.FileMode) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		digits, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		// A copy written to in the last minute may be another djguard's,
		// still writing the same file: its rename would fail.
		if info, err := e.Info(); err == nil && info.Mode() == perm && time.Since(info.ModTime()) > leftoverAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// Buffered runs write through a buffer into w: reports are written in
// many small pieces.
func Buffered(w io.Writer, write func(io.Writer) error) error { return buffered(w, write) }

func buffered(f io.Writer, write func(io.Writer) error) error {
	w := bufio.NewWriterSize(f, 64<<10)
	if err := write(w); err != nil {
		return err
	}
	return w.Flush()
}
