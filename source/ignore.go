package source

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ignoreLevel holds the patterns of one .gitignore (or of info/exclude,
// at the root), which match paths relative to its directory.
type ignoreLevel struct {
	dir      string // slash-separated, relative to the root; "" for the root
	patterns *patternList
}

// ignoreStack is the ignore files in force for a directory: info/exclude
// first, then the root's .gitignore, the deepest last.
type ignoreStack []ignoreLevel

// ignored reports whether rel (slash-separated, relative to the root) is
// ignored, as git decides: the deepest ignore file with a pattern that
// matches decides, by its last such pattern ('!' re-includes); a
// .gitignore outranks info/exclude. Git does not look into an ignored
// directory, so no pattern can bring back a file under it; the walk never
// reaches such files.
func (s ignoreStack) ignored(rel string, isDir bool) bool {
	for i := len(s) - 1; i >= 0; i-- {
		l := s[i]
		sub := rel
		if l.dir != "" {
			if !strings.HasPrefix(rel, l.dir+"/") {
				continue
			}
			sub = rel[len(l.dir)+1:]
		}
		if p, ok := l.patterns.match(sub, isDir); ok {
			return !p.negative
		}
	}
	return false
}

// withFile returns the stack with the patterns of the ignore file at
// file, for paths under dir, added; a missing file adds nothing.
func (s ignoreStack) withFile(file, dir string) (ignoreStack, error) {
	lines, err := readLines(file)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	return append(s[:len(s):len(s)], ignoreLevel{dir: dir, patterns: compilePatterns(lines)}), nil
}

func readLines(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// ancestorsStack loads the .gitignore files from root down to dir (both
// absolute, dir under root), so that a scan of a subdirectory honours the
// patterns written above it.
func ancestorsStack(base ignoreStack, root, dir string) (ignoreStack, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return base, nil
	}
	s := base
	cur := ""
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if s.ignored(path.Join(cur, part), true) {
			break
		}
		cur = path.Join(cur, part)
		// The deepest one is read by the walk itself.
		if cur == filepath.ToSlash(rel) {
			break
		}
		if s, err = s.withFile(filepath.Join(root, filepath.FromSlash(cur), ".gitignore"), cur); err != nil {
			return s, err
		}
	}
	return s, nil
}
