package prompt

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadTypedEditsALineAsATerminalWould(t *testing.T) {
	for _, tc := range []struct {
		name, typed, want string
		err               error
	}{
		{"Enter", "abc\rnext line", "abc", nil},
		{"a newline", "abc\n", "abc", nil},
		{"Backspace and Delete", "abx\x08c\x7f\x7fbc\r", "abc", nil},
		{"Backspace over a multibyte character", "ab\u00e9\x7fc\r", "abc", nil},
		{"Ctrl-U", "wrong\x15abc\r", "abc", nil},
		{"arrow keys", "a\x1b[Db\x1bOAc\r", "abc", nil},
		{"a bracketed paste", "\x1b[200~abc\x1b[201~\r", "abc", nil},
		{"another control key", "a\tb\x00c\r", "abc", nil},
		{"end of input", "abc", "abc", nil},
		{"Ctrl-D after text", "abc\x04", "abc", nil},
		{"Ctrl-D alone", "\x04", "", io.EOF},
		{"Ctrl-C", "abc\x03\r", "", ErrInterrupted},
		{"too long", strings.Repeat("a", 11) + "\r", "", ErrTooLong},
	} {
		got, err := ReadLine(strings.NewReader(tc.typed), 10)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}

// TestVerifySignedHidesWhatIsTypedAtATerminal: at a terminal, verify stops
// it from showing what is typed before it asks for the value, and puts it
// back after, whatever was typed.
