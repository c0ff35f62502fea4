package history

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/policy"
)

func wheelWith(t *testing.T, files map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range slices.Sorted(mapsKeys(files)) {
		w, _ := zw.Create(name)
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func sdistWith(t *testing.T, files map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	for _, name := range slices.Sorted(mapsKeys(files)) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[name]))
	}
	tw.Close()
	gz.Close()
	return b.String()
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestScanHistoryReadsCommittedArchives: a wheel and an sdist committed to
// git hold keys in their members; the audit finds each at
// ARCHIVE!/MEMBER with the commit that brought it, the whole audit and
// the audit of a range alike, and leaves out a key the range's start held
// in the same archive.
func TestScanHistoryReadsCommittedArchives(t *testing.T) {
	f := testenv.NewGitRepo(t)
	old, inWheel, inSdist := testenv.FakeKey("old"), testenv.FakeKey("wheel"), testenv.FakeKey("sdist")
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	base := f.Commit("an old wheel", map[string]string{"dist/app-0.9-py3-none-any.whl": wheelWith(t, map[string]string{"app/settings.py": settingsWith(old)})})
	wheel := f.Commit("a new wheel", map[string]string{"dist/app-1.0-py3-none-any.whl": wheelWith(t, map[string]string{"app/__init__.py": "", "app/settings.py": settingsWith(inWheel)})})
	sdist := f.Commit("an sdist", map[string]string{"dist/app-1.0.tar.gz": sdistWith(t, map[string]string{"app-1.0/app/local.py": settingsWith(inSdist), "app-1.0/setup.py": "x = 1\n"})})
	whole := scanOf(f, Options{})
	want := map[string]string{
		old:     "dist/app-0.9-py3-none-any.whl!/app/settings.py " + base.String(),
		inWheel: "dist/app-1.0-py3-none-any.whl!/app/settings.py " + wheel.String(),
		inSdist: "dist/app-1.0.tar.gz!/app-1.0/app/local.py " + sdist.String(),
	}
	for _, fd := range whole.Findings {
		if got := fd.Path + " " + fd.Origin.Commit; got != want[fd.Secret] {
			t.Errorf("found at %q, want %q", got, want[fd.Secret])
		}
		line := strings.Count(settingsWith(fd.Secret)[:strings.Index(settingsWith(fd.Secret), fd.Secret)], "\n") + 1
		if fd.Line != line || !fd.Origin.InHead {
			t.Errorf("%s: line %d, in HEAD %v; want line %d, in HEAD", fd.Path, fd.Line, fd.Origin.InHead, line)
		}
	}
	if len(whole.Findings) != 3 {
		t.Errorf("%d findings, want the 3 keys", len(whole.Findings))
	}
	ranged, wholeRange := bothAudits(t, Options{Repo: f.Dir, Range: base.String()})
	sameFindings(t, "the range after the old wheel", ranged, wholeRange)
	if got := secrets(ranged); len(got) != 2 || slices.Contains(got, old) {
		t.Errorf("the range found %d secrets, want the two it brought", len(got))
	}
	if _, err := Scan(context.Background(), Options{Repo: f.Dir, Range: "HEAD~1"}); err != nil {
		t.Fatal(err)
	}
}

// The policy's excludes hold inside archives as outside, in both audits
// alike: excluding an archive excludes its members, and a member excluded
// by its own path holds no secret that "came in before" a range.
func TestArchiveMembersFollowThePolicyInBothAudits(t *testing.T) {
	key := testenv.FakeKey("member excluded")
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	base := f.Commit("a vendored wheel whose tests hold the key", map[string]string{
		"vendor/lib.whl": wheelWith(t, map[string]string{"tests/settings.py": settingsWith(key)}),
	})
	f.Commit("the key in the app", map[string]string{"app/settings.py": settingsWith(key)})
	inTests := &policy.Policy{Exclude: func(p string) bool { return strings.Contains(p, "!/tests/") }}
	ranged, whole := bothAudits(t, Options{Repo: f.Dir, Range: base.String(), Policy: inTests})
	sameFindings(t, "a member excluded by its path", ranged, whole)
	if got := secrets(ranged); len(got) != 1 || got[0] != key {
		t.Errorf("the range found %d secrets, want the key the app brought", len(got))
	}
	wheels := &policy.Policy{Exclude: func(p string) bool { return strings.HasSuffix(p, ".whl") }}
	if got := secrets(scanOf(f, Options{Policy: wheels})); len(got) != 1 {
		t.Errorf("with wheels excluded, the whole audit found %d secrets, want the app's alone", len(got))
	} else if fs := scanOf(f, Options{Policy: wheels}).Findings; strings.Contains(fs[0].Path, ".whl") {
		t.Errorf("with wheels excluded, the key is reported in %s", fs[0].Path)
	}
	ranged, whole = bothAudits(t, Options{Repo: f.Dir, Range: "HEAD~2", Policy: wheels})
	sameFindings(t, "wheels excluded", ranged, whole)
}

// One blob under two names, an archive's and a name of no archive, is read
// as an archive under the first: the range audit finds what the whole
// audit finds.
func TestRangeAuditReadsABlobAsEachNameSays(t *testing.T) {
	key := testenv.FakeKey("copied wheel")
	f := testenv.NewGitRepo(t)
	base := f.Commit("start", map[string]string{"README.md": "demo\n"})
	wheel := wheelWith(t, map[string]string{"app/settings.py": settingsWith(key)})
	f.Commit("a wheel and its copy", map[string]string{"dist/app-copy": wheel, "dist/app.whl": wheel})
	ranged, whole := bothAudits(t, Options{Repo: f.Dir, Range: base.String()})
	sameFindings(t, "a wheel and its copy", ranged, whole)
	if got := secrets(ranged); len(got) != 1 {
		t.Errorf("the range found %d secrets, want the wheel's key", len(got))
	}
}
