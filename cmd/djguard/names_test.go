package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/internal/testenv"
)

// A name djguard prints from the repository or the user is scrubbed like
// a commit's summary: an author named with the key that commit adds, in
// every format of scan --history, and a --stdin-name that is the key.
func TestNamesThatHoldTheKeyAreRedacted(t *testing.T) {
	key := testenv.FakeKey("author")
	f := testenv.NewGitRepo(t)
	if err := os.WriteFile(filepath.Join(f.Dir, "settings.py"), []byte("SECRET_KEY = '"+key+"'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Worktree.Add("settings.py"); err != nil {
		t.Fatal(err)
	}
	sig := &object.Signature{Name: key, Email: "k@example.com", When: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := f.Worktree.Commit("add settings", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		code, out, stderr := runCLI(t, f.Dir, "scan", "--history", "--format", format)
		if code != exitFindings {
			t.Fatalf("scan --history --format %s: exit %d\n%s", format, code, stderr)
		}
		if strings.Contains(out+stderr, key) {
			t.Errorf("scan --history --format %s prints the key whole", format)
		}
	}
	code, out, stderr := runCLIInput(t, f.Dir, nil, "SECRET_KEY = '"+key+"'\n", "scan", "-", "--stdin-name", key)
	if code != exitFindings || strings.Contains(out+stderr, key) {
		t.Errorf("scan - --stdin-name KEY: exit %d, the key whole in the output: %v", code, strings.Contains(out+stderr, key))
	}
}
