package history

import (
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// onlyFinding returns the one finding of res.
func onlyFinding(t *testing.T, res *Result) detect.Finding {
	t.Helper()
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(res.Findings))
	}
	return res.Findings[0]
}

// A pull request adds a key on line 4 of settings.py, then a later commit
// inserts five lines above it: the finding still describes the commit that
// added it (line 4), and Head says where the analysed commit, HEAD, has
// it (line 9), which is where a forge shows it.
func TestHeadLocatesAKeyWhereThePullRequestLeavesIt(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("pull-request")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	f.Checkout("feature", true)
	f.Commit("add settings", map[string]string{"mysite/settings.py": settingsWith(key)})
	f.Commit("imports", map[string]string{"mysite/settings.py": strings.Repeat("import sys\n", 5) + settingsWith(key)})
	fd := onlyFinding(t, scanOf(f, Options{Range: "master"}))
	if fd.Line != 4 || fd.Path != "mysite/settings.py" {
		t.Errorf("finding at %s:%d, want the introducing commit's mysite/settings.py:4", fd.Path, fd.Line)
	}
	want := detect.Location{Path: "mysite/settings.py", Line: 9, Column: fd.Column, EndLine: 9, EndColumn: fd.EndColumn}
	if o := fd.Origin; !o.InHead || o.Head == nil || *o.Head != want {
		t.Errorf("in HEAD %v at %+v, want %+v", o.InHead, o.Head, want)
	}
}

// A key removed before HEAD has no place in HEAD.
func TestHeadIsNilForAKeyHeadNoLongerHolds(t *testing.T) {
	f, removed, _, _, kept, _ := buildHistory(t)
	for _, fd := range scanOf(f, Options{}).Findings {
		o := fd.Origin
		switch fd.Secret {
		case removed:
			if o.InHead || o.Head != nil {
				t.Errorf("removed key: in HEAD %v at %+v", o.InHead, o.Head)
			}
		case kept:
			if o.Head == nil || o.Head.Path != "docker-compose.yml" || o.Head.Line != 4 {
				t.Errorf("kept key: at %+v, want docker-compose.yml line 4", o.Head)
			}
		}
	}
}

// Where HEAD holds the key in several places, Head is the file the
// introducing commit had it in, if HEAD still has it there, and the first
// place in it; otherwise the first file by path.
func TestHeadPrefersTheIntroducingFileThenTheFirstPlace(t *testing.T) {
	key := testenv.FakeKey("several")
	t.Run("kept in the introducing file and copied", func(t *testing.T) {
		f := testenv.NewGitRepo(t)
		f.Commit("add", map[string]string{"z/settings.py": settingsWith(key)})
		f.Commit("copy", map[string]string{
			"a/settings.py": settingsWith(key),
			"z/settings.py": "# top\n" + settingsWith(key) + "OTHER = '" + key + "'\n",
		})
		o := onlyFinding(t, scanOf(f, Options{})).Origin
		if o.Head == nil || o.Head.Path != "z/settings.py" || o.Head.Line != 5 {
			t.Errorf("at %+v, want z/settings.py line 5", o.Head)
		}
	})
	t.Run("moved", func(t *testing.T) {
		f := testenv.NewGitRepo(t)
		f.Commit("add", map[string]string{"old/settings.py": settingsWith(key)})
		f.Commit("move", map[string]string{
			"old/settings.py":      "",
			"new/settings.py":      "\n\n" + settingsWith(key),
			"new/settings/prod.py": settingsWith(key),
		})
		fd := onlyFinding(t, scanOf(f, Options{}))
		if o := fd.Origin; fd.Path != "old/settings.py" || o.Head == nil || o.Head.Path != "new/settings.py" || o.Head.Line != 6 {
			t.Errorf("finding at %s, HEAD at %+v, want new/settings.py line 6", fd.Path, o.Head)
		}
	})
}

// An audit that leaves HEAD out (one other branch) reads HEAD's version of
// the files that hold findings, and only those: the rest of HEAD's tree
// is neither scanned nor listed as not read.
func TestHeadOutsideTheAuditIsReadOnlyWhereFindingsAre(t *testing.T) {
	f := testenv.NewGitRepo(t)
	key := testenv.FakeKey("other-branch")
	f.Commit("add", map[string]string{"settings.py": settingsWith(key)})
	f.Checkout("other", true)
	f.Commit("other", map[string]string{"b.txt": "b\n"})
	f.Checkout("master", false)
	f.Commit("move down", map[string]string{"settings.py": "\n\n" + settingsWith(key)})
	f.Commit("more", map[string]string{"big/a.py": "A = 1\n", "big/b.py": "B = 2\n"})
	res := scanOf(f, Options{Branch: "other"})
	fd := onlyFinding(t, res)
	if o := fd.Origin; fd.Line != 4 || !o.InHead || o.Head == nil || o.Head.Line != 6 {
		t.Errorf("finding at line %d, in HEAD %v at %+v; want line 4, and line 6 in HEAD", fd.Line, o.InHead, o.Head)
	}
	if len(res.Skipped) != 0 || res.Blobs != 1 {
		t.Errorf("HEAD's other files were looked at: %d blobs scanned, skipped %v", res.Blobs, res.Skipped)
	}
}
