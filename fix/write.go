package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// How one file is written. fix never loses a byte: a file is replaced
// whole by renaming a complete copy over it, and only when it is still
// what fix read; the copy keeps what the file was (mode, special bits,
// owner); a link is written through; a file with other hard links is
// refused, since a rename would cut them off and writing in place could
// leave it half-written.

// tempInfix is in the name of every temporary file fix makes, after the
// name of the file it will replace.
const tempInfix = ".djguard-tmp-"

// envTempPrefix begins the name of the temporary copy of a .env, which
// holds the new key until it is renamed: the .gitignore rule fix writes
// covers it wherever the .env's link points.
const envTempPrefix = ".env" + tempInfix

// tempPrefix names the temporary copy of the file at path: a hidden file
// in the same directory (a rename does not cross file systems).
func tempPrefix(path string) string {
	base := filepath.Base(path)
	if !strings.HasPrefix(base, ".") {
		base = "." + base
	}
	return base + tempInfix
}

// resolve follows a path's symbolic links, so that fix writes the file a
// link points to and the link stays a link. A path that does not exist is
// returned as it is; a link to nothing is an error, since writing it would
// replace the link with a file.
func resolve(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		return real, nil
	}
	if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return "", fmt.Errorf("%s is a symbolic link to %s, which does not exist: create it or remove the link, then run djguard fix again", path, target)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	return "", err
}

// check is what Apply makes sure of for every file before it writes any:
// that it is as it was read (or still absent), and that replacing it
// keeps what it was. It records the file's mode and owner for write.
func (e *Edit) check() error {
	if err := e.unchanged(); err != nil {
		return err
	}
	if !e.exists {
		return nil
	}
	info, err := os.Stat(e.Path)
	if err != nil {
		return fmt.Errorf("%s: %w", e.Name, err)
	}
	id := idOf(info)
	if id.links > 1 {
		return fmt.Errorf("%s has %d hard links: replacing it would cut the other names off from the fix, and writing it in place could leave it half-written. Give it a file of its own (cp -p %s %s.new && mv %s.new %s) and run djguard fix again",
			e.Name, id.links, e.Name, e.Name, e.Name, e.Name)
	}
	if err := canGive(id); err != nil {
		return fmt.Errorf("%s: %w", e.Name, err)
	}
	e.Mode = keptMode(info)
	e.id = id
	return nil
}

// unchanged checks that the file is as it was read (or still absent).
func (e *Edit) unchanged() error {
	now, err := os.ReadFile(e.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !e.exists:
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", e.Name, err)
	case !e.exists:
		return fmt.Errorf("%s: %w (it did not exist); run djguard fix again", e.Name, ErrChanged)
	case !bytes.Equal(now, e.Before):
		return fmt.Errorf("%s: %w; run djguard fix again", e.Name, ErrChanged)
	}
	return nil
}

// write puts After in place: a complete copy beside the file, given the
// file's owner and mode, checked once more against the file, then renamed
// over it (or linked into place when the file is new, so that a file
// that appeared meanwhile is never overwritten). The copy is removed on
// any failure. beforeRename is the tests' hook.
func (e *Edit) write(beforeRename func(*Edit, string) error) error {
	dir := filepath.Dir(e.Path)
	prefix := e.tempPrefix
	if prefix == "" {
		prefix = tempPrefix(e.Path)
	}
	tmp, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // once renamed, there is nothing left to remove
	if err := e.fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	if beforeRename != nil {
		if err := beforeRename(e, tmpName); err != nil {
			return err
		}
	}
	// The last look: a change made while the copy was written would
	// otherwise be lost.
	if err := e.unchanged(); err != nil {
		return err
	}
	if err := e.putInPlace(tmpName); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// fill writes After to the temporary file and gives it the owner, then
// the mode, of the file it replaces (a change of owner clears the setuid
// and setgid bits, so the mode comes last).
func (e *Edit) fill(tmp *os.File) error {
	if _, err := tmp.Write(e.After); err != nil {
		return err
	}
	id := e.id
	if !e.exists {
		id = newFileOwner(filepath.Dir(e.Path))
	}
	if err := chown(tmp, id); err != nil {
		return err
	}
	if err := tmp.Chmod(e.Mode); err != nil {
		return err
	}
	return tmp.Sync()
}

// putInPlace renames the complete temporary file over the file, or, for
// a file that did not exist, links it there, which fails rather than
// overwrite a file that appeared since the check.
func (e *Edit) putInPlace(tmpName string) error {
	if e.exists {
		if err := os.Rename(tmpName, e.Path); err != nil {
			return fmt.Errorf("write %s: %w", e.Name, err)
		}
		return nil
	}
	err := os.Link(tmpName, e.Path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w (it did not exist); run djguard fix again", e.Name, ErrChanged)
	}
	// A file system without hard links: rename, after one more look.
	if _, err := os.Lstat(e.Path); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w (it did not exist); run djguard fix again", e.Name, ErrChanged)
	}
	if err := os.Rename(tmpName, e.Path); err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	return nil
}

// syncDir makes a rename in dir durable before the next file is written,
// so that the order of writes holds across a crash too. It is done its
// best: the rename has happened, and a file system that cannot sync a
// directory is no reason to call the file unwritten.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
