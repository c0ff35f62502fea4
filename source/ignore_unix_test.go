//go:build unix

package source

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestIgnoreMatchingScalesWithFilesPlusPatterns: deciding whether a file
// is ignored costs about the same under 8,000 patterns as under 1,000
// (issue #23, d14: it cost a microsecond per file and pattern, and a tree
// of 1,000 files under 50,000 patterns took minutes). The patterns are the
// shapes of real .gitignore files: directories, extensions, paths with
// "**", negations, anchored names.
func TestIgnoreMatchingScalesWithFilesPlusPatterns(t *testing.T) {
	shapes := []string{"build_%d/", "*.tmp%d", "docs/**/gen%d.html", "!keep%d.txt", "/cache%d"}
	var paths []string
	for d := range 20 {
		for f := range 100 {
			paths = append(paths, fmt.Sprintf("app%d/m%d.py", d, f))
		}
	}
	measure := func(n int) time.Duration {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, shapes[i%len(shapes)]+"\n", i)
		}
		file := filepath.Join(t.TempDir(), ".gitignore")
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := ignoreStack(nil).withFile(file, "")
		if err != nil {
			t.Fatal(err)
		}
		start := cpuTime(t)
		for _, p := range paths {
			if s.ignored(p, false) || s.ignored(filepath.Dir(p), true) {
				t.Fatalf("%s ignored", p)
			}
		}
		return cpuTime(t) - start
	}
	measure(200) // warm up
	small, large := measure(1000), measure(8000)
	t.Logf("%d files: %v under 1,000 patterns, %v under 8,000", len(paths), small, large)
	if large > 3*small+20*time.Millisecond {
		t.Errorf("8 times the patterns cost %v against %v: matching grows with files times patterns", large, small)
	}
}
