package shell

import (
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

// unquote reads a word as a POSIX shell reads one made of plain
// characters and single-quoted parts, and says whether it is such a word.
func unquote(w string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(w); {
		switch {
		case w[i] == '\'':
			j := strings.IndexByte(w[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			b.WriteString(w[i+1 : i+1+j])
			i += j + 2
		case w[i] == '\\' && i+1 < len(w) && w[i+1] == '\'':
			b.WriteByte('\'')
			i += 2
		case strings.IndexByte(plain, w[i]) >= 0:
			b.WriteByte(w[i])
			i++
		default:
			return "", false
		}
	}
	return b.String(), true
}

var cases = []string{
	"", "plan.txt", "/tmp/out;x/plan.txt", "it's", "''", "a b", "$(touch pwned)", "`id`", "~root",
	"x\x1b]0;title\x07", "-n", "a\nb", "*.py", "back\\slash", "ünïcode", "#comment", "!event", "=cmd", "a=b",
}

func FuzzQuote(f *testing.F) {
	for _, c := range cases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Quote(s)
		got, ok := unquote(q)
		if !ok || got != s {
			t.Errorf("Quote(%q) = %q, which reads back as %q (word: %v)", s, q, got, ok)
		}
		if s != "" && q == s && strings.Trim(s, plain) != "" {
			t.Errorf("Quote(%q) left special characters unquoted", s)
		}
	})
}

// A real shell reads each quoted word back as the string, one word.
func TestQuoteReadsBackInSh(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, s := range cases {
		if !utf8.ValidString(s) {
			continue
		}
		out, err := exec.Command(sh, "-c", "printf '%s|' "+Quote(s)).Output()
		if err != nil || string(out) != s+"|" {
			t.Errorf("sh read %q (quoted %q) as %q, %v", s, Quote(s), out, err)
		}
	}
	if Quote("plan.txt") != "plan.txt" || Quote("/a/b-c_d.txt") != "/a/b-c_d.txt" {
		t.Error("a plain path is quoted")
	}
	if Quote("=cmd") == "=cmd" {
		t.Error("a word that starts with = is left for zsh to expand")
	}
}
