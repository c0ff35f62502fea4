package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// TestApplyRemovesTheCopiesAnInterruptedRunLeft: a fix --write killed
// between linking a new file into place and removing its temporary name,
// or before putting a copy in place, leaves copies git does not ignore.
// The next run removes those that hold nothing their file lacks, names
// the others, and touches nothing else.
func TestApplyRemovesTheCopiesAnInterruptedRunLeft(t *testing.T) {
	ignoreRules := ".env\n.env.djguard-tmp-*\n"
	root, _ := site(t, map[string]string{".gitignore": ignoreRules})
	at := func(name string) string { return filepath.Join(root, filepath.FromSlash(name)) }
	write := func(name, content string) {
		if err := os.WriteFile(at(name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The .gitignore linked into place, its temporary name not removed.
	if err := os.Link(at(".gitignore"), at(".gitignore.djguard-tmp-1919668763")); err != nil {
		t.Fatal(err)
	}
	// A .env copy with a key never put in place, a module's copy cut
	// short at creation, a copy holding a line its file lacks, and files
	// that are not fix's copies at all.
	write(".env.djguard-tmp-42", "DJANGO_SECRET_KEY='"+testenv.FakeKey("never used")+"'\n")
	write("mysite/.settings.py.djguard-tmp-7", "")
	write(".gitignore.djguard-tmp-8", ignoreRules+"precious\n")
	write("notes.djguard-tmp-draft", "mine\n")
	// A virtualenv named env: the .env copy is still .env's.
	if err := os.Mkdir(at("env"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(".env.djguard-tmp-", "mine too\n")

	p, err := Make(root, detect.Detect(siteSettings, []byte(read(t, root, siteSettings))))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(p.Notes, "\n"), "interrupted djguard fix --write"); n != 4 {
		t.Errorf("the dry run names %d copies, want 4: %q", n, p.Notes)
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	for name, kept := range map[string]bool{
		".gitignore.djguard-tmp-1919668763": false,
		".env.djguard-tmp-42":               false,
		"mysite/.settings.py.djguard-tmp-7": false,
		".gitignore.djguard-tmp-8":          true,
		"notes.djguard-tmp-draft":           true,
		".env.djguard-tmp-":                 true,
		".gitignore":                        true,
		".env":                              true,
	} {
		if _, err := os.Lstat(at(name)); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", name, err == nil, kept)
		}
	}
	notes := strings.Join(p.Notes, "\n")
	if !strings.Contains(notes, ".gitignore.djguard-tmp-8 is a copy of .gitignore an interrupted djguard fix --write left, and holds lines .gitignore lacks") ||
		strings.Count(notes, "removed ") != 3 {
		t.Errorf("notes: %q", p.Notes)
	}

	// With nothing left to fix, a copy is still removed.
	os.Remove(at(".gitignore.djguard-tmp-8"))
	if err := os.Link(at(".env"), at(".env.djguard-tmp-5")); err != nil {
		t.Fatal(err)
	}
	p, err = Make(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(at(".env.djguard-tmp-5")); err == nil {
		t.Errorf("a second name of .env was kept by a run with nothing to fix")
	}
}
