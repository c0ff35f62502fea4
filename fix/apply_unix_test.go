//go:build unix

package fix

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestApplyKeepsModes: a .env fix creates is 0600 whatever the umask; a
// file that exists keeps its mode, setuid, setgid and sticky bits too.
func TestApplyKeepsModes(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	root, p := site(t, map[string]string{".gitignore": "*.pyc\n"})
	set := func(name string, mode fs.FileMode) {
		if err := os.Chmod(filepath.Join(root, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	set(siteSettings, 0o750|fs.ModeSetgid|fs.ModeSetuid)
	set(".gitignore", 0o664|fs.ModeSticky)
	root2, p2 := site(t, map[string]string{".env": "DEBUG=1\n"})
	os.Chmod(filepath.Join(root2, ".env"), 0o604)
	for _, pl := range []*Plan{p, p2} {
		if err := pl.Apply(newKey(t)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		root, name string
		want       fs.FileMode
	}{
		{root, siteSettings, 0o750 | fs.ModeSetgid | fs.ModeSetuid},
		{root, ".gitignore", 0o664 | fs.ModeSticky},
		{root, ".env", 0o600},
		{root2, ".env", 0o604},
	} {
		info, err := os.Stat(filepath.Join(tc.root, tc.name))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky); got != tc.want {
			t.Errorf("%s: mode %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestApplyKeepsOwners: run as root, fix gives each file it replaces its
// old owner, and a file it creates the owner of its directory.
func TestApplyKeepsOwners(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	root, p := site(t, map[string]string{".gitignore": "*.pyc\n"})
	for name, id := range map[string]int{siteSettings: 4242, ".gitignore": 4343, ".": 4444} {
		if err := os.Chown(filepath.Join(root, name), id, id+1); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]int{siteSettings: 4242, ".gitignore": 4343, ".env": 4444} {
		info, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		st := info.Sys().(*syscall.Stat_t)
		if int(st.Uid) != id || int(st.Gid) != id+1 {
			t.Errorf("%s: owner %d:%d, want %d:%d", name, st.Uid, st.Gid, id, id+1)
		}
	}
}

// TestApplyRefusesAFileWithHardLinks: replacing a file that has other
// names would cut them off from the fix, and writing it in place could
// leave it half-written: fix refuses before writing anything.
func TestApplyRefusesAFileWithHardLinks(t *testing.T) {
	root, p := site(t, nil)
	before := read(t, root, siteSettings)
	if err := os.Link(filepath.Join(root, siteSettings), filepath.Join(root, "settings-copy.py")); err != nil {
		t.Fatal(err)
	}
	err := p.Apply(newKey(t))
	if err == nil || !strings.Contains(err.Error(), "hard link") || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err = %v, want a refusal naming the hard link", err)
	}
	if read(t, root, siteSettings) != before || read(t, root, "settings-copy.py") != before {
		t.Error("a linked file changed")
	}
	for _, name := range []string{".env", ".gitignore"} {
		if _, err := os.Stat(filepath.Join(root, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
}
