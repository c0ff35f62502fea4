//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestFixWriteRefusalSaysNothingWasWritten: a settings module with a
// second hard link is refused before any file is written, exit 2, and
// the message says so.
func TestFixWriteRefusalSaysNothingWasWritten(t *testing.T) {
	settings := "SECRET_KEY = '" + testenv.FakeKey("linked") + "'\n"
	dir := testenv.WriteTree(t, map[string]string{"manage.py": "\n", "settings.py": settings})
	if err := os.Link(filepath.Join(dir, "settings.py"), filepath.Join(dir, "settings-link.py")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, dir, "fix", "--write", "settings.py")
	if code != exitError || !strings.Contains(stderr, "hard links") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, name := range []string{".env", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "settings.py")); string(b) != settings {
		t.Error("settings.py changed")
	}
}
