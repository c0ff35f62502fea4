package pystr

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLiteralReadsAFallbacksEntry(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		ok         bool
	}{
		{`'old-key'`, "old-key", true},
		{`'old-key',`, "old-key", true},
		{`"old-key" ,  # rotated in May`, "old-key", true},
		{`u'old-key'`, "old-key", true},
		{`'it\'s \\ "x"'`, `it's \ "x"`, true},
		{`"tab\there\x41\101\u00e9\U0001F600"`, "tab\there" + "AA\u00e9\U0001F600", true},
		{`'unknown \d escape'`, `unknown \d escape`, true},
		{`r'raw\n\'kept'`, `raw\n\'kept`, true},
		{`'x' + 'y'`, "", false},
		{`'unclosed`, "", false},
		{`r'ends in a backslash\'`, "", false},
		{`'''triple'''`, "", false},
		{`b'bytes'`, "", false},
		{`'short \x4'`, "", false},
		{`'a surrogate \ud800'`, "", false},
		{`'a name \N{BULLET}'`, "", false},
		{`old-key`, "", false},
		{`'old-key' # no comma`, "old-key", true},
		{`'old-key' trailing`, "", false},
	} {
		got, ok := Literal(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

// pyRepr writes s as a Python str literal in quote q, escaping as a
// program might: some characters as \xNN, \uNNNN or \UNNNNNNNN, others
// as they are.
func pyRepr(s string, q byte, seed int) string {
	var b strings.Builder
	b.WriteByte(q)
	for i, r := range s {
		switch {
		case r == '\\' || r == rune(q):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || (i+seed)%3 == 0 && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case (i+seed)%3 == 1 && r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		case (i+seed)%5 == 2:
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// FuzzLiteral: whatever the line, Literal does not panic, and a string
// written as a Python literal, with a comma and a comment after it as in
// SECRET_KEY_FALLBACKS, reads back as itself.
func FuzzLiteral(f *testing.F) {
	for _, s := range []string{"old-key", "it's", `back\slash`, "tab\there", "é😀", "#x", "',"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, seed int) {
		Literal(s)
		Unescape(s)
		if !utf8.ValidString(s) {
			return
		}
		for _, q := range []byte{'\'', '"'} {
			line := pyRepr(s, q, seed&0xff) + ",  # rotated"
			got, ok := Literal(line)
			if !ok || got != s {
				t.Errorf("Literal(%q) = %q, %v; want %q", line, got, ok, s)
			}
		}
	})
}

// TestUnescapeReadsWhatPythonReads: the bodies of literals split over
// lines and of bytes literals, with the values python3 gives them.
func TestUnescapeReadsWhatPythonReads(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		bytes      bool
		want       string
	}{
		{"a backslash at a line end joins the lines", "abc\\\ndef", false, "abcdef"},
		{"after a CRLF line end too", "abc\\\r\ndef", false, "abcdef"},
		{"and after a lone CR", "abc\\\rdef", false, "abcdef"},
		{"a hex escape", `\x76key`, false, "vkey"},
		{"an escaped backslash before a line end is no join", "abc\\\\\ndef", false, "abc\\\ndef"},
		{"in bytes, \\x is one byte", `\xff\x41`, true, "\xffA"},
		{"in bytes, octal past \\377 keeps its low byte", `\777`, true, "\xff"},
		{"in bytes, \\u is no escape", `\u0041`, true, `\u0041`},
		{"in bytes, \\N is no escape", `\N{BULLET}`, true, `\N{BULLET}`},
		{"in bytes, a line end is joined", "a\\\nb", true, "ab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unescape := Unescape
			if tc.bytes {
				unescape = UnescapeBytes
			}
			got, ok := unescape(tc.body)
			if !ok || got != tc.want {
				t.Errorf("%q: %q, %v; want %q", tc.body, got, ok, tc.want)
			}
		})
	}
}
