package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// file is a member to put in a test archive; a link when link is set.
type file struct {
	name, content, link string
}

func tarOf(t *testing.T, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.content)), Typeflag: tar.TypeReg}
		if f.link != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, f.link, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if f.link == "" {
			tw.Write([]byte(f.content))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f.content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

func zstdOf(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := zstd.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

// walked walks an archive and returns "path=content" or "path: why" for
// each member, and the walk's error.
func walked(t *testing.T, name string, data []byte, lim Limits) ([]string, error) {
	t.Helper()
	var got []string
	err := Walk(name, FormatOf(name), bytes.NewReader(data), int64(len(data)), lim, func(m Member) error {
		if m.Content == nil {
			got = append(got, m.Path+": "+m.NotRead)
		} else {
			got = append(got, m.Path+"="+string(m.Content))
		}
		return nil
	})
	return got, err
}

func TestWalkReadsEveryFormatsMembers(t *testing.T) {
	files := []file{{name: "pkg/settings.py", content: "SECRET_KEY = 'x'\n"}, {name: "pkg/__init__.py", content: ""}, {name: "./README", content: "hi\n"}}
	tarball := tarOf(t, files...)
	want := []string{"a!/pkg/settings.py=SECRET_KEY = 'x'\n", "a!/pkg/__init__.py=", "a!/README=hi\n"}
	for name, data := range map[string][]byte{
		"app.whl":     zipOf(t, files...),
		"app.tar":     tarball,
		"app.tar.gz":  gzipOf(t, tarball),
		"app.tgz":     gzipOf(t, tarball),
		"app.tar.zst": zstdOf(t, tarball),
	} {
		got, err := walked(t, name, data, Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		w := make([]string, len(want))
		for i, x := range want {
			w[i] = name + strings.TrimPrefix(x, "a")
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: got %q, want %q", name, got, w)
		}
	}
	got, err := walked(t, "settings.py.gz", gzipOf(t, []byte("KEY = 1\n")), Limits{})
	if err != nil || !slices.Equal(got, []string{"settings.py.gz!/settings.py=KEY = 1\n"}) {
		t.Errorf("a gzip file: %q, %v", got, err)
	}
}

func TestWalkOpensArchivesInsideArchivesToADepth(t *testing.T) {
	inner := tarOf(t, file{name: "deep.py", content: "deep\n"})
	middle := zipOf(t, file{name: "x/inner.tar", content: string(inner)}, file{name: "m.py", content: "m\n"})
	outer := gzipOf(t, tarOf(t, file{name: "dist/app.whl", content: string(middle)}))
	got, err := walked(t, "sdist.tgz", outer, Limits{})
	want := []string{"sdist.tgz!/dist/app.whl!/x/inner.tar!/deep.py=deep\n", "sdist.tgz!/dist/app.whl!/m.py=m\n"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("three levels: got %q, %v; want %q", got, err, want)
	}
	got, err = walked(t, "sdist.tgz", outer, Limits{MaxDepth: 2})
	if err != nil || len(got) != 2 || !strings.Contains(got[0], "inner.tar: an archive inside 2 levels") {
		t.Errorf("past the depth: got %q, %v", got, err)
	}
	got, err = walked(t, "sdist.tgz", outer, Limits{MaxNested: 100})
	if err != nil || len(got) != 1 || !strings.Contains(got[0], "app.whl: a zip of") {
		t.Errorf("a nested zip over its limit: got %q, %v", got, err)
	}
}

func TestWalkNamesWhatItDoesNotRead(t *testing.T) {
	data := tarOf(t,
		file{name: "../../etc/cron.d/evil", content: "x"},
		file{name: "/etc/passwd", content: "x"},
		file{name: "link", link: "/etc/shadow"},
		file{name: "loop", link: "loop"},
		file{name: "big.py", content: strings.Repeat("x", 100)},
		file{name: "ok.py", content: "ok"},
	)
	got, err := walked(t, "a.tar", data, Limits{MaxMember: 50})
	want := []string{
		"a.tar!/etc/cron.d/evil: its path leaves the archive (an absolute path or ..): not read",
		"a.tar!/etc/passwd: its path leaves the archive (an absolute path or ..): not read",
		"a.tar!/big.py: 100 bytes, over the 50-byte limit",
		"a.tar!/ok.py=ok",
	}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

func TestWalkRefusesBombsAndFloods(t *testing.T) {
	zeros := make([]byte, 8<<20)
	bomb := gzipOf(t, tarOf(t, file{name: "a.py", content: "a"}, file{name: "zeros", content: string(zeros)}, file{name: "b.py", content: "b"}))
	got, err := walked(t, "bomb.tgz", bomb, Limits{MaxInflated: 4 << 20})
	if !errors.Is(err, ErrBomb) || !strings.Contains(err.Error(), "bomb.tgz") {
		t.Errorf("a layer inflating past the bound: %v", err)
	}
	if len(got) != 1 || got[0] != "bomb.tgz!/a.py=a" {
		t.Errorf("the members before the refusal: %q", got)
	}
	var many []file
	for i := range 150 {
		many = append(many, file{name: strings.Repeat("d/", i%5) + "f.py", content: "x"})
	}
	if _, err := walked(t, "many.zip", zipOf(t, many...), Limits{MaxMembers: 100}); !errors.Is(err, ErrTooManyMembers) {
		t.Errorf("150 members with a limit of 100: %v", err)
	}
	if got, err := walked(t, "many.zip", zipOf(t, many...), Limits{}); err != nil || len(got) != 150 {
		t.Errorf("150 members: %d read, %v", len(got), err)
	}
}

func TestWalkSaysAnArchiveIsDamaged(t *testing.T) {
	good := gzipOf(t, tarOf(t, file{name: "a.py", content: strings.Repeat("a", 5000)}))
	for name, data := range map[string][]byte{
		"cut.tgz":  good[:len(good)/2],
		"junk.tgz": []byte("not gzip at all"),
		"junk.zip": []byte("PK not a zip"),
	} {
		_, err := walked(t, name, data, Limits{})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want an error naming it", name, err)
		}
	}
}

func TestWalkEndsWithTheCallersError(t *testing.T) {
	stop := errors.New("enough")
	inner := zipOf(t, file{name: "a.py", content: "a"}, file{name: "b.py", content: "b"})
	data := tarOf(t, file{name: "in.zip", content: string(inner)}, file{name: "c.py", content: "c"})
	n := 0
	err := Walk("x.tar", Tar, bytes.NewReader(data), int64(len(data)), Limits{}, func(m Member) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("got %v after %d members, want the callback's own error after 1", err, n)
	}
}

func TestWalkStreamReadsOnce(t *testing.T) {
	data := gzipOf(t, tarOf(t, file{name: "a.py", content: "a"}))
	var got []string
	err := WalkStream("layer", TarGzip, io.MultiReader(bytes.NewReader(data)), Limits{}, func(m Member) error {
		got = append(got, m.Path)
		return nil
	})
	if err != nil || !slices.Equal(got, []string{"layer!/a.py"}) {
		t.Errorf("got %q, %v", got, err)
	}
	if err := WalkStream("x.zip", Zip, bytes.NewReader(nil), Limits{}, func(Member) error { return nil }); err == nil {
		t.Error("a zip read as a stream: no error")
	}
}

// A member whose name says archive and whose bytes do not start as one is
// read as the file it is.
func TestWalkReadsAMemberThatIsNoArchiveAsAFile(t *testing.T) {
	data := tarOf(t, file{name: "notes.gz", content: "SECRET_KEY = 'x'\n"}, file{name: "inner.zip", content: "plain text\n"})
	got, err := walked(t, "a.tar", data, Limits{})
	want := []string{"a.tar!/notes.gz=SECRET_KEY = 'x'\n", "a.tar!/inner.zip=plain text\n"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}

// The count of entries is read from a zip's end record, and from the
// zip64 one past 65,535 entries, before the directory is read into memory.
func TestZipEntriesReadsTheDirectorysCount(t *testing.T) {
	for _, n := range []int{0, 3, 70000} {
		var files []file
		for i := range n {
			files = append(files, file{name: strconv.Itoa(i)})
		}
		data := zipOf(t, files...)
		got, ok := zipEntries(bytes.NewReader(data), int64(len(data)))
		if !ok || got != uint64(n) {
			t.Errorf("%d entries: read %d, %v", n, got, ok)
		}
	}
	if _, ok := zipEntries(bytes.NewReader([]byte("no zip here")), 11); ok {
		t.Error("a count read from what is no zip")
	}
}
