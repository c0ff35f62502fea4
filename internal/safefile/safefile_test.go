package safefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func writeText(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestCreateRefusesAnExistingFileOrLink(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "keys.env")
	if err := Create(p, Private, writeText("one")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != Private {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if err := Create(p, Private, writeText("two")); err == nil {
		t.Error("Create wrote over an existing file")
	}
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(victim, link)
	if err := Create(link, Private, writeText("x")); err == nil {
		t.Error("Create wrote through a symbolic link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the link's target holds %q", b)
	}
}

func TestReplaceMakesTheFilePrivateAndWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	os.WriteFile(p, []byte("old"), 0o644)
	if err := Replace(p, Private, writeText("new")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(p)
	if b, _ := os.ReadFile(p); string(b) != "new" || info.Mode().Perm() != Private {
		t.Errorf("after Replace: %q, mode %v", b, info.Mode().Perm())
	}
	boom := errors.New("boom")
	if err := Replace(p, Private, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("a failed Replace left %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed Replace left %d files", len(entries))
	}
	// A device is written in place.
	if err := Replace(os.DevNull, Private, writeText("x")); err != nil {
		t.Errorf("Replace(/dev/null): %v", err)
	}
}

// FuzzWrite: whatever the content, and whatever was there before, the
// file holds exactly the content, with the mode asked for, and nothing
// else is left in its directory.
func FuzzWrite(f *testing.F) {
	f.Add([]byte("literal:key==>***REMOVED***\n"), []byte("old"), true)
	f.Add([]byte{}, []byte{}, false)
	f.Add([]byte("\x00\xff\n\r"), []byte("a longer file that was there before"), true)
	f.Fuzz(func(t *testing.T, content, before []byte, existed bool) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		if existed {
			os.WriteFile(p, before, 0o644)
		}
		write := func(w io.Writer) error { _, err := w.Write(content); return err }
		if err := Replace(p, Private, write); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		info, _ := os.Stat(p)
		entries, _ := os.ReadDir(dir)
		if string(got) != string(content) || info.Mode().Perm() != Private || len(entries) != 1 {
			t.Errorf("Replace: %q, mode %v, %d files", got, info.Mode().Perm(), len(entries))
		}
		q := filepath.Join(dir, "new")
		if err := Create(q, Private, write); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(q); string(got) != string(content) {
			t.Errorf("Create: %q", got)
		}
	})
}

// TestReplaceRemovesTheCopiesAKilledReplaceLeft: a Replace killed before
// its rename leaves a private copy (a report with keys) beside the file;
// the next Replace of that file removes it, and nothing that only looks
// like one.
func TestReplaceRemovesTheCopiesAKilledReplaceLeft(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	write := func(name string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("old"), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, name), mode)
		old := time.Now().Add(-2 * leftoverAge)
		os.Chtimes(filepath.Join(dir, name), old, old)
	}
	write(".report.json.djguard-123456", Private)
	// One written to a moment ago may be another djguard's, still writing.
	if err := os.WriteFile(filepath.Join(dir, ".report.json.djguard-99"), []byte("new"), Private); err != nil {
		t.Fatal(err)
	}
	write(".report.json.djguard-notdigits", Private)
	write(".report.json.djguard-77", 0o644)
	write(".other.json.djguard-1", Private)
	if err := Replace(p, Private, writeText("new")); err != nil {
		t.Fatal(err)
	}
	for name, kept := range map[string]bool{
		"report.json":                    true,
		".report.json.djguard-123456":    false,
		".report.json.djguard-99":        true,
		".report.json.djguard-notdigits": true,
		".report.json.djguard-77":        true,
		".other.json.djguard-1":          true,
	} {
		if _, err := os.Lstat(filepath.Join(dir, name)); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", name, err == nil, kept)
		}
	}
}
