package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
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
		{"Ctrl-C", "abc\x03\r", "", errInterrupted},
		{"too long", strings.Repeat("a", 11) + "\r", "", errTooLong},
	} {
		got, err := readTyped(strings.NewReader(tc.typed), 10)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}

// TestVerifySignedHidesWhatIsTypedAtATerminal: at a terminal, verify stops
// it from showing what is typed before it asks for the value, and puts it
// back after, whatever was typed.
func TestVerifySignedHidesWhatIsTypedAtATerminal(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": "predictable-secret\n"})
	for _, tc := range []struct {
		typed string
		code  int
		says  string
	}{
		{"foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0\r", exitFindings, "LISTED KEY IN USE"},
		{"foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0\x03", exitError, "interrupted"},
		{"\r", exitError, "no value was typed"},
	} {
		var stdout, stderr bytes.Buffer
		var events []string
		e := env{
			stdin: strings.NewReader(tc.typed), stdinTTY: true, stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, dir: dir,
			hideTyping: func() (func(), error) {
				events = append(events, "hidden at "+stderr.String())
				return func() { events = append(events, "restored") }, nil
			},
		}
		code := run(context.Background(), []string{"verify", "--signed", "-", "--key-file", "keys.txt", "--kind", "signer"}, e)
		out := stdout.String() + stderr.String()
		if code != tc.code || !strings.Contains(out, tc.says) || !strings.Contains(stderr.String(), "(it is not shown)") {
			t.Errorf("%q: exit %d\n%s", tc.typed, code, out)
		}
		if strings.Join(events, "; ") != "hidden at ; restored" {
			t.Errorf("%q: the terminal was %q: hidden before the prompt, restored after", tc.typed, events)
		}
		if strings.Contains(out, "jZQoX_FtSO70") {
			t.Errorf("%q: the value was shown:\n%s", tc.typed, out)
		}
	}
}
