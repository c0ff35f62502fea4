package gitdb

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// maxAlternateDepth is how many levels of objects/info/alternates are
// followed, as git does.
const maxAlternateDepth = 5

// objectStores returns the object stores a repository reads objects from:
// its own, then each that objects/info/alternates names (git clone
// --shared, --reference), and theirs in turn. A store named there that
// does not exist is an error: its objects would be missing.
func objectStores(st *filesystem.Storage) ([]*filesystem.Storage, error) {
	stores := []*filesystem.Storage{st}
	err := walkAlternates(filepath.Join(st.Filesystem().Root(), "objects"), func(dir, namedIn string, depth int) error {
		if depth >= maxAlternateDepth {
			return fmt.Errorf("objects/info/alternates nests deeper than %d levels at %s", maxAlternateDepth, dir)
		}
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return fmt.Errorf("%w: %s names the object directory %s, which does not exist", ErrCorrupt, namedIn, dir)
		}
		// go-git reads an object directory as the "objects" folder of a
		// repository: the layout every clone --shared and --reference
		// writes.
		if filepath.Base(dir) != "objects" {
			return fmt.Errorf("objects/info/alternates names %s: djguard reads alternate object directories named objects only", dir)
		}
		stores = append(stores, filesystem.NewStorage(osfs.New(filepath.Dir(dir)), cache.NewObjectLRUDefault()))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stores, nil
}

// walkAlternates calls visit for each object directory that objects'
// info/alternates names, and theirs in turn, depth first as git follows
// them, once each: with the directory (absolute), the alternates file
// that names it, and its depth (0 for those objects names). An error
// from visit ends the walk.
func walkAlternates(objects string, visit func(dir, namedIn string, depth int) error) error {
	seen := map[string]bool{}
	var follow func(objects string, depth int) error
	follow = func(objects string, depth int) error {
		if abs, err := filepath.Abs(objects); err == nil {
			objects = abs
		}
		if seen[objects] {
			return nil
		}
		seen[objects] = true
		dirs, err := readAlternates(objects)
		if err != nil {
			return err
		}
		for _, dir := range dirs {
			if seen[dir] {
				continue
			}
			if err := visit(dir, filepath.Join(objects, "info", "alternates"), depth); err != nil {
				return err
			}
			if err := follow(dir, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return follow(objects, 0)
}

// readAlternates returns the object directories objects/info/alternates
// names, made absolute: a relative one is relative to objects.
func readAlternates(objects string) ([]string, error) {
	f, err := os.Open(filepath.Join(objects, "info", "alternates"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read objects/info/alternates: %w", err)
	}
	defer f.Close()
	var dirs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '"' { // git quotes a path with unusual bytes, C-style
			if u, err := strconv.Unquote(line); err == nil {
				line = u
			}
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(objects, line)
		}
		dirs = append(dirs, filepath.Clean(line))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read objects/info/alternates: %w", err)
	}
	return dirs, nil
}

// storeContents lists what one store holds: its loose objects, the packs
// that have both an index and data, and the indexes whose pack data is
// gone. Files that are neither (git's tmp_obj_* files left by a write that
// died, a .pack still being written without its index) are passed over,
// as git passes over them.
func storeContents(st *filesystem.Storage) (loose, packs, orphans []plumbing.Hash, err error) {
	fs := st.Filesystem()
	dirs, err := fs.ReadDir("objects")
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil, nil, nil
		}
		return nil, nil, nil, fmt.Errorf("list objects: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || !isHex(d.Name()) {
			continue
		}
		files, err := fs.ReadDir(fs.Join("objects", d.Name()))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("list loose objects: %w", err)
		}
		for _, f := range files {
			if len(f.Name()) == 38 && isHex(f.Name()) {
				loose = append(loose, plumbing.NewHash(d.Name()+f.Name()))
			}
		}
	}
	files, err := fs.ReadDir(fs.Join("objects", "pack"))
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, nil, fmt.Errorf("list packs: %w", err)
	}
	has := map[string]bool{}
	for _, f := range files {
		has[f.Name()] = true
	}
	for _, f := range files {
		name, ok := strings.CutSuffix(f.Name(), ".idx")
		hex, ok2 := strings.CutPrefix(name, "pack-")
		if !ok || !ok2 || len(hex) != 40 || !isHex(hex) {
			continue
		}
		if has[name+".pack"] {
			packs = append(packs, plumbing.NewHash(hex))
		} else {
			orphans = append(orphans, plumbing.NewHash(hex))
		}
	}
	return loose, packs, orphans, nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
