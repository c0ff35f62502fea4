package source

import (
	"context"
	"encoding/binary"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// utf16File encodes s as UTF-16 with a byte-order mark, as Windows
// editors save text.
func utf16File(s string, order binary.AppendByteOrder) string {
	var b []byte
	if order == binary.LittleEndian {
		b = []byte{0xFF, 0xFE}
	} else {
		b = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return string(b)
}

func TestAsTextDecodesUTF16WithAMark(t *testing.T) {
	const s = "SECRET_KEY = 'caf\u00e9 \U0001F511'\r\n"
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		got, ok := AsText([]byte(utf16File(s, order)))
		if !ok || string(got) != s {
			t.Errorf("%v: asText = %q, %v; want %q", order, got, ok, s)
		}
	}
	for _, bin := range [][]byte{{0xFF, 0xFE, 'a', 0, 0, 0}, {'a', 0, 'b', 0}, {'P', 'K', 3, 4, 0, 0}} {
		if _, ok := AsText(bin); ok {
			t.Errorf("AsText(%q) took binary content for text", bin)
		}
	}
	if got, ok := AsText([]byte("plain\n")); !ok || string(got) != "plain\n" {
		t.Errorf("asText changed plain text: %q, %v", got, ok)
	}
}

// utf32File encodes s as UTF-32 with a byte-order mark.
func utf32File(s string, order binary.AppendByteOrder) []byte {
	b := order.AppendUint32(nil, 0xFEFF)
	for _, r := range s {
		b = order.AppendUint32(b, uint32(r))
	}
	return b
}

// TestAsTextDecodesUTF32WithAMark: UTF-32 with its mark is text, as
// Python's open(path, encoding="utf-32") reads it; an invalid unit is
// U+FFFD, not a reason to drop the file.
func TestAsTextDecodesUTF32WithAMark(t *testing.T) {
	const s = "SECRET_KEY = 'caf\u00e9 \U0001F511'\r\n"
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		got, ok := AsText(utf32File(s, order))
		if !ok || string(got) != s {
			t.Errorf("%v: AsText = %q, %v; want %q", order, got, ok, s)
		}
	}
	if got, ok := AsText(append(utf32File("a", binary.LittleEndian), 0, 0, 0x11, 0, 7)); !ok || string(got) != "a\uFFFD" {
		t.Errorf("an invalid unit and a short tail: %q, %v", got, ok)
	}
}

// TestUTF16FilesAreScanned: a .env saved as UTF-16 is text, in the work
// tree and in history.
func TestUTF16FilesAreScanned(t *testing.T) {
	key := testenv.FakeKey("utf16")
	le := utf16File("DEBUG=1\r\nDJANGO_SECRET_KEY="+key+"\r\n", binary.LittleEndian)
	be := utf16File("SECRET_KEY = '"+key+"x'\n", binary.BigEndian)

	dir := testenv.WriteTree(t, map[string]string{".env": le, "conf/settings.py": be})
	res := scanDir(t, dir, TreeOptions{})
	if got := foundPaths(res); !slices.Equal(got, []string{".env", "conf/settings.py"}) {
		t.Fatalf("tree scan found %v; skipped %v", got, res.Skipped)
	}
	if res.Findings[0].Line != 2 {
		t.Errorf("the .env key is reported on line %d, want 2", res.Findings[0].Line)
	}
}

// TestEverySourceListsWhatItDidNotRead: the files the repro of issue #23
// (d10) names. UTF-32 with a mark is read; UTF-16 with no mark, a file
// that starts with NUL and one over the size limit could hold a key and
// are not read, and the tree, standard input and the index each list
// them so, by one rule, with a reason.
func TestEverySourceListsWhatItDidNotRead(t *testing.T) {
	key := testenv.FakeKey("unread")
	s := "import os\nSECRET_KEY = '" + key + "'\n"
	var u16 []byte
	for _, u := range utf16.Encode([]rune(s)) {
		u16 = binary.LittleEndian.AppendUint16(u16, u)
	}
	files := map[string]string{
		"u16.py":  string(u16),
		"u32.py":  string(utf32File(s, binary.LittleEndian)),
		"zero.py": "\x00" + s,
		"big.py":  s + strings.Repeat("#", 5000) + "\n",
	}
	want := map[string]string{"u16.py": "binary", "zero.py": "binary", "big.py": "over the 4 KiB limit"}
	check := func(source string, found []detect.Finding, notRead []Skip) {
		t.Helper()
		if len(found) != 1 || found[0].Path != "u32.py" {
			t.Errorf("%s: %d findings, want the key in u32.py", source, len(found))
		}
		got := skipReasons(notRead)
		for name, why := range want {
			if !strings.HasPrefix(got[name], why) {
				t.Errorf("%s: %s not read for %q, want %q", source, name, got[name], why)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: not read: %v", source, got)
		}
	}
	const limit = 4 << 10

	f := testenv.NewGitRepo(t)
	stage(f, files)
	tree := scanDir(t, f.Dir, TreeOptions{MaxFileSize: limit})
	check("tree", tree.Findings, tree.NotRead)
	if tree.Unread != 0 {
		t.Errorf("tree: %d unread, want none: not reading binary files is no incomplete scan", tree.Unread)
	}

	st, err := ScanStaged(context.Background(), StagedOptions{Dir: f.Dir, MaxFileSize: limit})
	if err != nil {
		t.Fatal(err)
	}
	check("staged", st.Findings, st.NotRead)

	var found []detect.Finding
	var notRead []Skip
	for _, name := range slices.Sorted(maps.Keys(files)) {
		res, err := ScanReader(strings.NewReader(files[name]), name, TreeOptions{Dir: f.Dir, MaxFileSize: limit})
		if err != nil {
			t.Fatal(err)
		}
		if res.Unread != 0 {
			t.Errorf("stdin %s: %d unread, want none", name, res.Unread)
		}
		found, notRead = append(found, res.Findings...), append(notRead, res.NotRead...)
	}
	check("stdin", found, notRead)
}
