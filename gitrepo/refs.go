package gitrepo

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrBrokenRefs is returned when the repository's ref store cannot be
// read whole: git itself refuses such a repository, or passes over the
// broken refs, and go-git reads on as if they were not there — an audit
// would then see fewer commits than the repository holds, and pass.
var ErrBrokenRefs = errors.New("the repository's refs are damaged")

// CheckRefs reads the ref store of the git directory fs (a
// filesystem.Storage's Filesystem) as git reads it: HEAD, every loose ref
// under refs/, and packed-refs. It returns an error wrapping ErrBrokenRefs
// for the first file git would refuse or call broken: packed-refs with a
// line cut short or of no form git writes, or a ref file that holds
// neither an object name nor "ref: NAME". A missing packed-refs is no
// error; a ref file being written (NAME.lock) and a dot file are no refs.
func CheckRefs(fs billy.Filesystem) error {
	if err := checkRefFile(fs, "HEAD"); err != nil {
		return err
	}
	if err := checkLooseRefs(fs, "refs"); err != nil {
		return err
	}
	data, err := readAll(fs, "packed-refs")
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: read packed-refs: %v", ErrBrokenRefs, err)
	}
	if n, why := checkPackedRefs(data); why != "" {
		return fmt.Errorf("%w: packed-refs line %d %s (git refuses this repository too: restore the file, or run 'git fsck' to see what is left)", ErrBrokenRefs, n, why)
	}
	return nil
}

func readAll(fs billy.Filesystem, name string) ([]byte, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// checkLooseRefs checks every ref file under dir.
func checkLooseRefs(fs billy.Filesystem, dir string) error {
	infos, err := fs.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: list %s: %v", ErrBrokenRefs, dir, err)
	}
	for _, info := range infos {
		name := path.Join(dir, info.Name())
		switch {
		case info.IsDir():
			if err := checkLooseRefs(fs, name); err != nil {
				return err
			}
		case strings.HasPrefix(info.Name(), ".") || strings.HasSuffix(name, ".lock"):
			// A dot file (.DS_Store), or git's lock for a ref being
			// written: no ref, and git passes over both.
		default:
			if err := checkRefFile(fs, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRefFile checks one loose ref, as git's parse_loose_ref_contents
// reads it: "ref:" and a name, or an object name followed by white space
// or nothing.
func checkRefFile(fs billy.Filesystem, name string) error {
	data, err := readAll(fs, name)
	if err != nil {
		return fmt.Errorf("%w: read %s: %v", ErrBrokenRefs, name, err)
	}
	if target, ok := bytes.CutPrefix(data, []byte("ref:")); ok && len(bytes.TrimSpace(target)) > 0 {
		return nil
	}
	if len(data) >= 40 && isHex(data[:40]) && (len(data) == 40 || data[40] == '\n' || isSpace(data[40])) {
		return nil
	}
	return fmt.Errorf("%w: the ref file %s holds neither an object name nor a symbolic ref (%d bytes); git calls it broken: restore it, or delete it if the ref is not needed", ErrBrokenRefs, name, len(data))
}

// checkPackedRefs checks packed-refs as git's packed-refs reader does,
// returning the 1-based number of the first bad line and what is wrong
// with it, or "" when all is well.
func checkPackedRefs(data []byte) (int, string) {
	afterRef := false // a peeled line (^HASH) must follow a ref's line
	for n := 1; len(data) > 0; n++ {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			return n, "is cut short: it has no line end"
		}
		line := data[:nl]
		data = data[nl+1:]
		switch {
		case n == 1 && bytes.HasPrefix(line, []byte("# pack-refs with:")):
			afterRef = false
		case len(line) == 41 && line[0] == '^' && isHex(line[1:]):
			if !afterRef {
				return n, "gives a peeled object name for no ref"
			}
			afterRef = false
		case len(line) > 41 && isHex(line[:40]) && line[40] == ' ':
			afterRef = true
		default:
			return n, "is not a ref"
		}
	}
	return 0, ""
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Reflog returns the objects the reflog file (one Reflogs lists, such as
// "logs/refs/stash") records, oldest entry first: each entry's old and
// new value, as git counts both reachable. Lines may be of any length
// (a stash message can be megabytes). A line that is not a reflog entry
// is counted in bad, not skipped in silence. A ref with no reflog has
// none.
func Reflog(fs billy.Filesystem, file string) (objs []plumbing.Hash, bad int, err error) {
	f, err := fs.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("read the reflog %s: %w", file, err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	seen := map[plumbing.Hash]bool{}
	for {
		// Only the two object names at the start matter: the rest of a
		// long line is read past, not held.
		head, err := r.Peek(82)
		if len(head) == 0 && err != nil {
			if err == io.EOF {
				return objs, bad, nil
			}
			return objs, bad, fmt.Errorf("read the reflog %s: %w", file, err)
		}
		if nl := bytes.IndexByte(head, '\n'); nl >= 0 {
			head = head[:nl]
		}
		if len(head) >= 82 && head[40] == ' ' && head[81] == ' ' && isHex(head[:40]) && isHex(head[41:81]) {
			for _, hx := range [][]byte{head[:40], head[41:81]} {
				var h plumbing.Hash
				hex.Decode(h[:], hx)
				if !h.IsZero() && !seen[h] {
					seen[h] = true
					objs = append(objs, h)
				}
			}
		} else if len(bytes.TrimSpace(head)) > 0 {
			bad++
		}
		if err := skipLine(r); err != nil {
			if err == io.EOF {
				return objs, bad, nil
			}
			return objs, bad, fmt.Errorf("read the reflog %s: %w", file, err)
		}
	}
}

// skipLine reads past the rest of a line, however long.
func skipLine(r *bufio.Reader) error {
	for {
		_, err := r.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}

// Reflogs lists the reflog files of the git directory fs, as git keeps
// them: logs/HEAD, those under logs/refs/, and each linked worktree's
// worktrees/NAME/logs/HEAD.
func Reflogs(fs billy.Filesystem) ([]string, error) {
	var out []string
	if _, err := fs.Stat("logs/HEAD"); err == nil {
		out = append(out, "logs/HEAD")
	}
	if infos, err := fs.ReadDir("worktrees"); err == nil {
		for _, info := range infos {
			log := path.Join("worktrees", info.Name(), "logs", "HEAD")
			if _, err := fs.Stat(log); err == nil {
				out = append(out, log)
			}
		}
	}
	var walk func(dir string) error
	walk = func(dir string) error {
		infos, err := fs.ReadDir(path.Join("logs", dir))
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list the reflogs in logs/%s: %w", dir, err)
		}
		for _, info := range infos {
			name := path.Join(dir, info.Name())
			if info.IsDir() {
				if err := walk(name); err != nil {
					return err
				}
			} else if !strings.HasSuffix(name, ".lock") {
				out = append(out, path.Join("logs", name))
			}
		}
		return nil
	}
	return out, walk("refs")
}
