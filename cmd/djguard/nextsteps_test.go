package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/djguard/djguard/internal/testenv"
)

// The text report of a one-finding scan fits on a 25-line, 80-column
// terminal with its next steps, which fit what was found: a key in no
// commit is only moved out of the code; a committed one, or one whose
// commit cannot be told, is rotated, with the full steps by reference.
func TestNextStepsFitTheSituationAndTheScreen(t *testing.T) {
	key := testenv.FakeKey("next steps")
	settings := "SECRET_KEY = '" + key + "'\n"
	g := testenv.NewGitRepo(t)
	g.Commit("start", map[string]string{"README.md": "app\n"})
	if err := os.WriteFile(filepath.Join(g.Dir, "settings.py"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(what string, vars map[string]string, wantLeaked bool) {
		t.Helper()
		code, out, _ := runCLIEnv(t, g.Dir, vars, "scan", "settings.py")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != exitFindings || len(lines) > 25 {
			t.Errorf("%s: exit %d, %d lines:\n%s", what, code, len(lines), out)
		}
		for _, l := range lines {
			if utf8.RuneCountInString(l) > 80 {
				t.Errorf("%s: a line of %d characters: %q", what, utf8.RuneCountInString(l), l)
			}
		}
		leaked := strings.Contains(out, "leaked to everyone with a clone") && strings.Contains(out, "djguard help rotation")
		moved := strings.Contains(out, "in no commit yet") && strings.Contains(out, "djguard fix")
		if leaked != wantLeaked || moved == wantLeaked || strings.Contains(out, "How to rotate") {
			t.Errorf("%s: leaked %v, moved %v, want leaked %v:\n%s", what, leaked, moved, wantLeaked, out)
		}
	}
	check("a key in no commit", nil, false)
	check("a key in no commit, in CI", map[string]string{"CI": "true"}, false)
	g.Commit("settings", map[string]string{"settings.py": settings})
	check("a committed key", nil, true)
	check("a committed key, in CI", map[string]string{"CI": "true"}, true)
	// Committed elsewhere in the file's history but edited since: HEAD's
	// version holds it, so it is leaked though the work tree moved on.
	if err := os.WriteFile(filepath.Join(g.Dir, "settings.py"), []byte("# edited\n"+settings), 0o644); err != nil {
		t.Fatal(err)
	}
	check("a committed key in an edited file", nil, true)

	outside := testenv.WriteTree(t, map[string]string{"settings.py": settings})
	code, out, _ := runCLI(t, outside, "scan", "settings.py")
	if code != exitFindings || !strings.Contains(out, "leaked to everyone with a clone") {
		t.Errorf("outside a repository, where no commit can be read: exit %d:\n%s", code, out)
	}
}
