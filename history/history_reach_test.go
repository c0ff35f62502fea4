package history

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/policy"
)

// Everything a clone holds that a ref or a reflog reaches is audited, by
// every way git reaches it: each case plants one key that only that way
// reaches, and the audit must find it.
func TestScanHistoryAuditsEverythingARefOrAReflogReaches(t *testing.T) {
	cases := []struct {
		name  string
		plant func(f *testenv.GitRepo, key string)
		path  string // where the finding stands
	}{
		{"a stash entry older than a reflog line over 64 KiB", plantBehindALongReflogLine, ".env"},
		{"a commit amended away, in HEAD's reflog", plantInHeadsReflog, ".env"},
		{"a lightweight tag of a blob", func(f *testenv.GitRepo, key string) {
			setRef(f, "refs/tags/keyblob", writeBlob(f, settingsWith(key)))
		}, "refs/tags/keyblob"},
		{"an annotated tag of a blob", func(f *testenv.GitRepo, key string) {
			setRef(f, "refs/tags/keyblob", writeTag(f, "keyblob", writeBlob(f, settingsWith(key)), plumbing.BlobObject, "a blob"))
		}, "refs/tags/keyblob"},
		{"a lightweight tag of a tree", func(f *testenv.GitRepo, key string) {
			blob := writeBlob(f, settingsWith(key))
			setRef(f, "refs/tags/keytree", writeTree(f, object.TreeEntry{Name: "settings.py", Mode: 0o100644, Hash: blob}))
		}, "refs/tags/keytree:settings.py"},
		{"a commit only 17 nested annotated tags reach", plantUnderNestedTags, "settings.py"},
		{"a commit's message", func(f *testenv.GitRepo, key string) {
			f.Commit("temporarily set SECRET_KEY = '"+key+"'", nil)
		}, "(commit-message)"},
		{"an annotated tag's message", func(f *testenv.GitRepo, key string) {
			head, _ := f.Repo.Head()
			setRef(f, "refs/tags/v1", writeTag(f, "v1", head.Hash(), plumbing.CommitObject, "release\n\nSECRET_KEY = '"+key+"'\n"))
		}, "(tag-message)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := testenv.NewGitRepo(t)
			key := testenv.FakeKey(c.name)
			f.Commit("start", map[string]string{"README.md": "demo\n"})
			c.plant(f, key)
			res := scanOf(f, Options{})
			if got := secrets(res); !slices.Equal(got, []string{key}) {
				t.Fatalf("found %d secrets, want the planted one", len(got))
			}
			if fd := res.Findings[0]; fd.Path != c.path || fd.Origin == nil || len(fd.Origin.Commit) != 40 {
				t.Errorf("found at %q, want %q, with the object that brings it in", fd.Path, c.path)
			}
		})
	}
}

// plantBehindALongReflogLine makes three stash entries as git stash does,
// the oldest with a message of 70,000 bytes and the key in the middle one:
// a reader of lines of at most 64 KiB stops at the first and never reaches
// the key.
func plantBehindALongReflogLine(f *testenv.GitRepo, key string) {
	base, _ := f.Repo.Head()
	var lines []string
	prev := plumbing.ZeroHash
	for i, files := range []map[string]string{{"a.txt": "one\n"}, {".env": "DJANGO_SECRET_KEY=" + key + "\n"}, {"a.txt": "two\n", ".env": ""}} {
		h := f.Commit("WIP", files)
		msg := "On master: entry"
		if i == 0 {
			msg = "On master: " + strings.Repeat("m", 70000)
		}
		lines = append(lines, prev.String()+" "+h.String()+" Dev <dev@example.com> 1577840400 +0000\t"+msg)
		prev = h
		setRef(f, "refs/heads/master", base.Hash())
	}
	setRef(f, "refs/stash", prev)
	writeLog(f, "logs/refs/stash", lines)
}

// plantInHeadsReflog commits a key and moves the branch back past it, as
// 'git commit --amend' or 'git reset' do: only HEAD's reflog holds it.
func plantInHeadsReflog(f *testenv.GitRepo, key string) {
	base, _ := f.Repo.Head()
	h := f.Commit("add a key", map[string]string{".env": "DJANGO_SECRET_KEY=" + key + "\n"})
	setRef(f, "refs/heads/master", base.Hash())
	writeLog(f, "logs/HEAD", []string{
		plumbing.ZeroHash.String() + " " + base.Hash().String() + " Dev <dev@example.com> 1577840400 +0000\tcommit (initial): start",
		base.Hash().String() + " " + h.String() + " Dev <dev@example.com> 1577844000 +0000\tcommit: add a key",
		h.String() + " " + base.Hash().String() + " Dev <dev@example.com> 1577847600 +0000\treset: moving to HEAD~",
	})
}

// plantUnderNestedTags commits a key on a branch, deletes the branch, and
// leaves the commit under 17 annotated tags, each of the one before.
func plantUnderNestedTags(f *testenv.GitRepo, key string) {
	base, _ := f.Repo.Head()
	h := f.Commit("add a key", map[string]string{"settings.py": settingsWith(key)})
	setRef(f, "refs/heads/master", base.Hash())
	typ := plumbing.CommitObject
	for i := range 17 {
		h = writeTag(f, "t"+string(rune('a'+i)), h, typ, "x")
		typ = plumbing.TagObject
	}
	setRef(f, "refs/tags/deep", h)
}

func setRef(f *testenv.GitRepo, name string, h plumbing.Hash) {
	f.T.Helper()
	if err := f.Repo.Storer.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
		f.T.Fatal(err)
	}
}

func writeLog(f *testenv.GitRepo, name string, lines []string) {
	f.T.Helper()
	p := filepath.Join(f.Dir, ".git", filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		f.T.Fatal(err)
	}
}

func writeBlob(f *testenv.GitRepo, content string) plumbing.Hash {
	f.T.Helper()
	o := f.Repo.Storer.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	w.Write([]byte(content))
	w.Close()
	h, err := f.Repo.Storer.SetEncodedObject(o)
	if err != nil {
		f.T.Fatal(err)
	}
	return h
}

func writeTree(f *testenv.GitRepo, entries ...object.TreeEntry) plumbing.Hash {
	f.T.Helper()
	o := f.Repo.Storer.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(o); err != nil {
		f.T.Fatal(err)
	}
	h, err := f.Repo.Storer.SetEncodedObject(o)
	if err != nil {
		f.T.Fatal(err)
	}
	return h
}

func writeTag(f *testenv.GitRepo, name string, target plumbing.Hash, typ plumbing.ObjectType, msg string) plumbing.Hash {
	f.T.Helper()
	tag := &object.Tag{Name: name, Target: target, TargetType: typ, Message: msg,
		Tagger: object.Signature{Name: "Dev", Email: "dev@example.com", When: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	o := f.Repo.Storer.NewEncodedObject()
	if err := tag.Encode(o); err != nil {
		f.T.Fatal(err)
	}
	h, err := f.Repo.Storer.SetEncodedObject(o)
	if err != nil {
		f.T.Fatal(err)
	}
	return h
}

// A reflog entry whose object the repository no longer holds is not
// damage (reflogs are kept apart from objects) but is not passed over in
// silence either: the audit says so in its notes.
func TestScanHistoryNotesReflogEntriesItCannotFollow(t *testing.T) {
	f := testenv.NewGitRepo(t)
	h := f.Commit("start", map[string]string{"README.md": "demo\n"})
	gone := "0123456789012345678901234567890123456789"
	writeLog(f, "logs/HEAD", []string{
		plumbing.ZeroHash.String() + " " + gone + " Dev <dev@example.com> 1577840400 +0000\tcommit: pruned",
		gone + " " + h.String() + " Dev <dev@example.com> 1577840400 +0000\treset",
		"not a reflog line",
	})
	res := scanOf(f, Options{})
	if len(res.Missing) != 0 || res.Commits != 1 {
		t.Errorf("%d missing objects, %d commits: a pruned reflog entry is no damage", len(res.Missing), res.Commits)
	}
	if len(res.Notes) != 2 || !strings.Contains(res.Notes[0], "1 object") || !strings.Contains(res.Notes[1], "1 line") {
		t.Errorf("notes: %q", res.Notes)
	}
}

// A repository whose refs git cannot read is an error, not an audit of
// the refs that are left: packed-refs cut inside its header (git: fatal:
// unterminated line), or a loose ref holding garbage.
func TestScanHistoryRefusesDamagedRefs(t *testing.T) {
	for name, damage := range map[string]func(dir string){
		"packed-refs cut in its header": func(dir string) {
			packRefs(t, dir)
			os.WriteFile(filepath.Join(dir, ".git", "packed-refs"), []byte("# pack-refs with: peeled fully-pe"), 0o644)
		},
		"a loose ref holding garbage": func(dir string) {
			os.WriteFile(filepath.Join(dir, ".git", "refs", "heads", "master"), []byte("garbage\n"), 0o644)
		},
		"an empty loose ref": func(dir string) {
			os.WriteFile(filepath.Join(dir, ".git", "refs", "heads", "master"), nil, 0o644)
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := testenv.NewGitRepo(t)
			f.Commit("add settings", map[string]string{"settings.py": settingsWith(testenv.FakeKey("refs"))})
			damage(f.Dir)
			if _, err := git.PlainOpen(f.Dir); err != nil {
				t.Fatalf("go-git no longer opens the repository (%v): the test needs it to", err)
			}
			_, err := Scan(t.Context(), Options{Repo: f.Dir})
			if err == nil || !strings.Contains(err.Error(), "refs") {
				t.Errorf("err = %v, want the damaged refs named", err)
			}
		})
	}
}

// Files in refs/ that git passes over, a dot file or a lock, are no refs
// to the audit either: not damage, not missing commits.
func TestScanHistoryPassesOverWhatGitPassesOverInRefs(t *testing.T) {
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	heads := filepath.Join(f.Dir, ".git", "refs", "heads")
	os.WriteFile(filepath.Join(heads, ".DS_Store"), []byte("\x00\x00"), 0o644)
	os.WriteFile(filepath.Join(heads, "topic.lock"), []byte(strings.Repeat("0", 40)+"\n"), 0o644)
	res := scanOf(f, Options{})
	if len(res.Missing) != 0 || res.Commits != 1 {
		t.Errorf("%d missing objects, %d commits", len(res.Missing), res.Commits)
	}
}

// The policy's excludes hold for a tagged tree's paths as for a commit's.
func TestScanHistoryExcludesInATaggedTree(t *testing.T) {
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	key := testenv.FakeKey("tagged tree excluded")
	blob := writeBlob(f, settingsWith(key))
	setRef(f, "refs/tags/keytree", writeTree(f, object.TreeEntry{Name: "fixtures", Mode: 0o040000, Hash: writeTree(f, object.TreeEntry{Name: "settings.py", Mode: 0o100644, Hash: blob})}))
	excluded := &policy.Policy{Exclude: func(p string) bool { return strings.Contains(filepath.ToSlash(p), "fixtures/") }}
	if got := secrets(scanOf(f, Options{Policy: excluded})); len(got) != 0 {
		t.Errorf("found %d secrets under an excluded directory of a tagged tree", len(got))
	}
	if got := secrets(scanOf(f, Options{})); len(got) != 1 {
		t.Errorf("found %d secrets without the exclude, want 1", len(got))
	}
}
