package source

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkIgnorePatterns decides, for each of 2,000 files (and their
// directories), whether a .gitignore of 1,000 or 8,000 patterns ignores
// it: one op is the 2,000 files. Under linear matching the two cost about
// the same (bench/adversarial.sh holds them to it).
func BenchmarkIgnorePatterns(b *testing.B) {
	shapes := []string{"build_%d/", "*.tmp%d", "docs/**/gen%d.html", "!keep%d.txt", "/cache%d", "src/*/%d_*.py"}
	var paths []string
	for d := range 20 {
		for f := range 100 {
			paths = append(paths, fmt.Sprintf("app%d/m%d.py", d, f))
		}
	}
	for _, n := range []int{1000, 8000} {
		lines := make([]string, n)
		for i := range lines {
			lines[i] = fmt.Sprintf(shapes[i%len(shapes)], i)
		}
		s := ignoreStack{{dir: "", patterns: compilePatterns(lines)}}
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				for _, p := range paths {
					s.ignored(p, false)
					s.ignored(p[:len(p)-len("/m0.py")], true)
				}
			}
		})
	}
}

// FuzzCompilePatterns: no ignore file makes the parser or the matcher
// panic.
func FuzzCompilePatterns(f *testing.F) {
	f.Add("*.py\n!keep.py\n/build/\ndocs/**/gen.html\n\\#x \\ \n", "docs/a/gen.html")
	f.Add("[!a-\n**/\n\\\n", "a/b")
	f.Fuzz(func(t *testing.T, file, path string) {
		l := compilePatterns(strings.Split(file, "\n"))
		if path != "" {
			l.match(path, false)
			l.match(path, true)
		}
	})
}

// TestIgnoreDecidesAsGit: the rules of gitignore(5) that the buckets must
// not bend, each on a path that tests it. TestIgnoreMatchesGit (with the
// integration tag) checks random files against git itself.
func TestIgnoreDecidesAsGit(t *testing.T) {
	for _, c := range []struct {
		name  string
		root  string // the root's .gitignore
		sub   string // sub/.gitignore
		path  string
		isDir bool
		want  bool
	}{
		{"a name matches at any depth", "x.py", "", "a/b/x.py", false, true},
		{"a leading slash anchors", "/x.py", "", "a/x.py", false, false},
		{"a slash inside anchors", "a/x.py", "", "b/a/x.py", false, false},
		{"a trailing slash takes directories only", "build/", "", "build", false, false},
		{"a trailing slash takes a directory", "build/", "", "a/build", true, true},
		{"the last matching pattern decides", "*.py\n!keep.py", "", "keep.py", false, false},
		{"a deeper file outranks the root's", "*.py", "!keep.py", "sub/keep.py", false, false},
		{"the root's holds where the deeper says nothing", "*.py", "x", "sub/keep.py", false, true},
		{"a question mark is one character", "?.py", "", "ab.py", false, false},
		{"a class", "[ab].py", "", "b.py", false, true},
		{"a negated class", "[!ab].py", "", "b.py", false, false},
		{"** between slashes is any depth", "a/**/z.py", "", "a/b/c/z.py", false, true},
		{"**/ is any depth from the root", "**/z.py", "", "q/z.py", false, true},
		{"a star does not cross a slash", "a/*.py", "", "a/b/z.py", false, false},
		{"an escaped hash", "\\#x", "", "#x", false, true},
		{"an escaped bang", "\\!x", "", "!x", false, true},
		{"trailing spaces are dropped", "x.py   ", "", "x.py", false, true},
		{"an escaped trailing space is kept", "x\\ ", "", "x ", false, true},
		{"CRLF", "x.py\r", "", "x.py", false, true},
		{"a byte-order mark before the first line", "\ufeffx.py", "", "x.py", false, true},
		{"a comment", "#x.py", "", "#x.py", false, false},
		{"an extension bucket still anchors nothing", "*.tmp5", "", "a/b.tmp5", false, true},
		{"a literal path matches only itself", "/cache5", "", "cache5x", false, false},
	} {
		s := ignoreStack{{dir: "", patterns: compilePatterns(strings.Split(c.root, "\n"))}}
		if c.sub != "" {
			s = append(s, ignoreLevel{dir: "sub", patterns: compilePatterns(strings.Split(c.sub, "\n"))})
		}
		if got := s.ignored(c.path, c.isDir); got != c.want {
			t.Errorf("%s: %q under %q: ignored %v, want %v", c.name, c.path, c.root, got, c.want)
		}
	}
}
