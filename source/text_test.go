package source

import (
	"encoding/binary"
	"slices"
	"testing"
	"unicode/utf16"

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
	for _, bin := range [][]byte{{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, {'P', 'K', 3, 4, 0, 0}} {
		if _, ok := AsText(bin); ok {
			t.Errorf("AsText(%q) took binary content for text", bin)
		}
	}
	if got, ok := AsText([]byte("plain\n")); !ok || string(got) != "plain\n" {
		t.Errorf("asText changed plain text: %q, %v", got, ok)
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
