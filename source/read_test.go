package source

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestReadFileReadsWhatTheFileHoldsNow: a file is read whole at the size
// it has when read, up to the limit, whatever size the walk listed; a
// large binary file is read no further than the bytes that tell it is
// binary, and a large UTF-16 file (NULs, and a byte-order mark) whole.
func TestReadFileReadsWhatTheFileHoldsNow(t *testing.T) {
	text := bytes.Repeat([]byte("DEBUG = False\n"), 10000) // 140,000 bytes
	binary := append([]byte("\x89PNG\r\n\x1a\n\x00\x00"), bytes.Repeat([]byte{1}, 200000)...)
	utf16 := append([]byte{0xFF, 0xFE}, bytes.Repeat([]byte{'x', 0}, 50000)...)
	for _, tc := range []struct {
		name    string
		content []byte
		listed  int64 // the size the walk saw
		limit   int64
		want    []byte
		binary  bool
		err     error
	}{
		{"a small file", []byte("x = 1\n"), 6, 1 << 20, []byte("x = 1\n"), false, nil},
		{"an empty file", nil, 0, 1 << 20, nil, false, nil},
		{"a large text file", text, int64(len(text)), 1 << 20, text, false, nil},
		{"a file that grew since the walk", text, 100, 1 << 20, text, false, nil},
		{"a file that shrank since the walk", []byte("x = 1\n"), 100000, 1 << 20, []byte("x = 1\n"), false, nil},
		{"a file that grew past the limit", text, 100, 1000, nil, false, errTooLarge},
		{"a large binary file", binary, int64(len(binary)), 1 << 20, nil, true, nil},
		{"a large UTF-16 file", utf16, int64(len(utf16)), 1 << 20, utf16, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(p, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			buf := new([]byte)
			got, isBinary, err := readFile(p, tc.listed, tc.limit, buf)
			if !errors.Is(err, tc.err) || isBinary != tc.binary || !bytes.Equal(got, tc.want) {
				t.Errorf("read %d bytes, binary %v, err %v; want %d bytes, binary %v, err %v", len(got), isBinary, err, len(tc.want), tc.binary, tc.err)
			}
			if tc.binary && cap(*buf) > sniffFirst {
				t.Errorf("a binary file took a buffer of %d bytes", cap(*buf))
			}
		})
	}
}

// TestScanTreeReusesNoContentBetweenFiles: files read into one reused
// buffer, one after the other, each give their own findings.
func TestScanTreeReusesNoContentBetweenFiles(t *testing.T) {
	files := map[string]string{}
	var want []string
	for i, key := range []string{"reuse-a", "reuse-b", "reuse-c", "reuse-d"} {
		name := filepath.Join("app", string(rune('a'+i))+".py")
		// Longer files first, so that a later one lands in a buffer
		// still holding an earlier one's tail.
		files[name] = settingsWith(testenv.FakeKey(key)) + string(bytes.Repeat([]byte("# padding\n"), 400-100*i))
		want = append(want, testenv.FakeKey(key))
	}
	dir := testenv.WriteTree(t, files)
	res, err := ScanTree(t.Context(), TreeOptions{Dir: dir, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Secret)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("found %d keys, want the %d written", len(got), len(want))
	}
}
