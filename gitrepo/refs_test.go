package gitrepo

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
)

const (
	hashA = "1111111111111111111111111111111111111111"
	hashB = "2222222222222222222222222222222222222222"
)

func gitDir(t *testing.T, files map[string]string) billy.Filesystem {
	t.Helper()
	fs := memfs.New()
	if _, ok := files["HEAD"]; !ok {
		files["HEAD"] = "ref: refs/heads/main\n"
	}
	for name, content := range files {
		if err := util.WriteFile(fs, name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return fs
}

// What git reads as refs passes; what git refuses, or calls a broken
// ref, is an error that names the file.
func TestCheckRefsRefusesWhatGitRefuses(t *testing.T) {
	header := "# pack-refs with: peeled fully-peeled sorted \n"
	cases := []struct {
		name  string
		files map[string]string
		bad   string // in the error; "" for no error
	}{
		{"loose refs and packed-refs as git writes them", map[string]string{
			"refs/heads/main": hashA + "\n", "refs/remotes/origin/HEAD": "ref: refs/remotes/origin/main\n",
			"packed-refs": header + hashA + " refs/tags/v1\n^" + hashB + "\n" + hashB + " refs/heads/old\n",
		}, ""},
		{"no packed-refs, a ref being written, and a dot file", map[string]string{"refs/heads/main": hashA + "\n", "refs/heads/main.lock": "", "refs/heads/.DS_Store": "\x00"}, ""},
		{"an empty packed-refs", map[string]string{"packed-refs": ""}, ""},
		{"a packed-refs without a header", map[string]string{"packed-refs": hashA + " refs/heads/main\n"}, ""},
		{"packed-refs cut in its header", map[string]string{"packed-refs": header[:44]}, "packed-refs line 1 is cut short"},
		{"packed-refs cut in a ref's line", map[string]string{"packed-refs": header + hashA + " refs/hea"}, "packed-refs line 2 is cut short"},
		{"packed-refs cut in an object name", map[string]string{"packed-refs": header + hashA[:20] + "\n"}, "packed-refs line 2 is not a ref"},
		{"a peeled line after no ref", map[string]string{"packed-refs": header + "^" + hashA + "\n"}, "packed-refs line 2 gives a peeled object name"},
		{"a header that is not first", map[string]string{"packed-refs": hashA + " refs/heads/main\n" + header}, "packed-refs line 2 is not a ref"},
		{"a loose ref holding garbage", map[string]string{"refs/heads/main": "garbage\n"}, "refs/heads/main"},
		{"an empty loose ref", map[string]string{"refs/tags/v1": ""}, "refs/tags/v1"},
		{"a loose ref cut in its object name", map[string]string{"refs/heads/main": hashA[:39]}, "refs/heads/main"},
		{"a symbolic ref to nothing", map[string]string{"refs/heads/main": "ref: \n"}, "refs/heads/main"},
		{"a HEAD holding garbage", map[string]string{"HEAD": "\x00\x00"}, "HEAD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckRefs(gitDir(t, c.files))
			switch {
			case c.bad == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case c.bad != "" && (!errors.Is(err, ErrBrokenRefs) || !strings.Contains(err.Error(), c.bad)):
				t.Errorf("err = %v, want one about %q", err, c.bad)
			}
		})
	}
}

// A reflog's lines may be of any length: a stash entry's message can be
// megabytes, and every entry after it counts as much as those before.
func TestReflogReadsLinesOfAnyLength(t *testing.T) {
	zero := strings.Repeat("0", 40)
	log := zero + " " + hashA + " A <a@b> 1 +0000\tOn main: " + strings.Repeat("m", 200000) + "\n" +
		"garbage\n" +
		hashA + " " + hashB + " A <a@b> 2 +0000\tOn main: key\n" +
		hashB + " " + hashA + " A <a@b> 3 +0000\tno line end"
	fs := gitDir(t, map[string]string{"logs/refs/stash": log, "logs/HEAD": "", "worktrees/wt/logs/HEAD": ""})
	objs, bad, err := Reflog(fs, "logs/refs/stash")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].String() != hashA || objs[1].String() != hashB || bad != 1 {
		t.Errorf("objects %v, %d bad lines; want %s and %s, and 1 bad line", objs, bad, hashA[:8], hashB[:8])
	}
	names, err := Reflogs(fs)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, " ") != "logs/HEAD worktrees/wt/logs/HEAD logs/refs/stash" {
		t.Errorf("reflogs: %q", names)
	}
}
