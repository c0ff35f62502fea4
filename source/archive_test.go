package source

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// TestScanFindsKeysInAWheelAndAnSdist builds a package's wheel and sdist
// with Python's own tools (setuptools and wheel, offline), its settings
// module holding a key, and scans the dist directory: the key is found in
// each archive, at the member's path and line.
func TestScanFindsKeysInAWheelAndAnSdist(t *testing.T) {
	py := testenv.PythonWith(t, "wheel", "python3-wheel")
	key := testenv.FakeKey("packaged")
	dir := testenv.WriteTree(t, map[string]string{
		"setup.py":                "from setuptools import setup\nsetup(name='shopapp', version='1.0', packages=['shopapp'])\n",
		"shopapp/__init__.py":     "",
		"shopapp/settings.py":     "DEBUG = False\nSECRET_KEY = '" + key + "'\n",
		"shopapp/views.py":        "def index(request):\n    return None\n",
		"shopapp/static/logo.txt": "logo\n",
	})
	cmd := exec.Command(py, "setup.py", "-q", "sdist", "bdist_wheel")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("setup.py sdist bdist_wheel: %v\n%s", err, out)
	}
	res, err := ScanTree(context.Background(), TreeOptions{Paths: []string{filepath.Join(dir, "dist")}, Dir: dir, Detector: detect.NewDetector(nil)})
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	for _, f := range res.Findings {
		if f.Secret == key {
			at = append(at, strings.TrimPrefix(f.Path, filepath.ToSlash(dir)+"/")+":"+strconv.Itoa(f.Line))
		}
	}
	slices.Sort(at)
	want := []string{"dist/shopapp-1.0-py3-none-any.whl!/shopapp/settings.py:2", "dist/shopapp-1.0.tar.gz!/shopapp-1.0/shopapp/settings.py:2"}
	if !slices.Equal(at, want) {
		t.Errorf("the key found at %q, want %q", at, want)
	}
	if res.Files < 8 {
		t.Errorf("%d files scanned: the archives' members should count", res.Files)
	}
}

// A damaged archive is named as not read; a file whose name says archive
// and whose content is not is read as any file is.
func TestScanNamesADamagedArchive(t *testing.T) {
	key := testenv.FakeKey("bomb")
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	content := "SECRET_KEY = '" + key + "'\n"
	tw.WriteHeader(&tar.Header{Name: "a/settings.py", Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg})
	tw.Write([]byte(content))
	tw.Close()
	dir := testenv.WriteTree(t, map[string]string{
		"notes.gz":    "SECRET_KEY = '" + key + "'\n", // text, whatever its name
		"broken.whl":  "PK\x03\x04 cut short",
		"project.txt": "x\n",
	})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(tarball.Bytes())
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "app.tgz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ScanTree(context.Background(), TreeOptions{Paths: []string{dir}, Dir: dir, Detector: detect.NewDetector(nil)})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Findings {
		paths = append(paths, f.Path)
	}
	slices.Sort(paths)
	if len(paths) != 2 || !strings.HasSuffix(paths[0], "app.tgz!/a/settings.py") || !strings.HasSuffix(paths[1], "notes.gz") {
		t.Errorf("found at %q", paths)
	}
	var broken bool
	for _, s := range res.NotRead {
		if strings.HasSuffix(s.Path, "broken.whl") {
			broken = true
		}
	}
	if !broken {
		t.Errorf("a damaged wheel is not named as not read: %+v", res.NotRead)
	}
}

// zipWith is a zip archive of files, in name order.
func zipWith(t *testing.T, files map[string]string) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A staged wheel is read member by member: a key its new version adds is
// reported at WHEEL!/MEMBER, one HEAD's version held already is not.
func TestScanStagedReadsWhatAWheelAdds(t *testing.T) {
	old, added := testenv.FakeKey("wheel old"), testenv.FakeKey("wheel added")
	f := testenv.NewGitRepo(t)
	f.Commit("a wheel", map[string]string{"dist/app.whl": zipWith(t, map[string]string{"app/settings.py": "SECRET_KEY = '" + old + "'\n"})})
	wheel := zipWith(t, map[string]string{
		"app/settings.py": "SECRET_KEY = '" + old + "'\n",
		"app/local.py":    "SECRET_KEY = '" + added + "'\n",
		"app/logo.png":    "\x89PNG\r\n\x1a\n\x00\x00",
	})
	if err := os.WriteFile(filepath.Join(f.Dir, "dist", "app.whl"), []byte(wheel), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Worktree.Add("dist/app.whl"); err != nil {
		t.Fatal(err)
	}
	res, err := ScanStaged(context.Background(), StagedOptions{Dir: f.Dir, Detector: detect.NewDetector(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Secret != added || res.Findings[0].Path != "dist/app.whl!/app/local.py" {
		var got []string
		for _, x := range res.Findings {
			got = append(got, x.Path)
		}
		t.Errorf("found %q, want the added key at dist/app.whl!/app/local.py alone", got)
	}
	if len(res.NotRead) != 1 || res.NotRead[0].Path != "dist/app.whl!/app/logo.png" {
		t.Errorf("not read: %+v, want the wheel's binary member", res.NotRead)
	}
}
