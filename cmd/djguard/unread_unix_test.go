//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestScanThatCouldNotReadItsInputIsIncomplete: when what the scan was
// asked to read could not be read, "no keys found" is not a clean result.
func TestScanThatCouldNotReadItsInputIsIncomplete(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"settings.py": "DEBUG = True\n"})
	// A FIFO named on the command line: unreadable as a file, as root too.
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.py"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if code, _, stderr := runCLI(t, dir, "scan", "pipe.py"); code != exitError || !strings.Contains(stderr, "incomplete") {
		t.Errorf("exit %d, want %d with a word on the incomplete scan\n%s", code, exitError, stderr)
	}
	if code, _, stderr := runCLI(t, dir, "scan", "pipe.py", "--allow-unreadable"); code != exitClean {
		t.Errorf("with --allow-unreadable: exit %d, want %d\n%s", code, exitClean, stderr)
	}
	if code, _, stderr := runCLI(t, dir, "scan", "settings.py"); code != exitClean {
		t.Errorf("a readable file: exit %d, want %d\n%s", code, exitClean, stderr)
	}
}
