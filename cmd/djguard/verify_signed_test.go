package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/signed"
)

// verifySignedIn runs djguard verify --signed - in dir with value on
// standard input.
func verifySignedIn(t *testing.T, dir, value string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"verify", "--signed", "-"}, args...), env{
		stdin: strings.NewReader(value + "\n"), stdout: &stdout, stderr: &stderr,
		getenv: func(string) string { return "" }, rand: testenv.Rand(t.Name()), dir: dir,
	})
	return code, stdout.String(), stderr.String()
}

// TestVerifySignedSaysHowToNameAValue: a value not named gets the kinds its
// layout suggests, the likeliest first, each with its flags; named as what
// it cannot be laid out as, it exits 2 too.
func TestVerifySignedSaysHowToNameAValue(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": testenv.FakeKey("naming") + "\n"})
	sig := strings.Repeat("A", 43)
	for _, tc := range []struct {
		name, value string
		args        []string
		first       string
	}{
		{"a signing.dumps layout", "eyJhIjoxfQ:1xVgWt:" + sig, nil, "--kind session"},
		{"a JSON list", "[1,2]:1xVgWt:" + sig, nil, "--kind messages"},
		{"a timestamped value", "dark mode:1xVgWt:" + sig, nil, "--cookie-name NAME"},
		{"a signed value", "dark mode:" + sig, nil, "--kind signer"},
		{"named as what its layout cannot be", "dark mode:" + sig, []string{"--kind", "session"}, "not how Django writes the session cookie"},
	} {
		code, stdout, stderr := verifySignedIn(t, dir, tc.value, append([]string{"--key-file", "keys.txt"}, tc.args...)...)
		first := strings.Index(stderr, "--")
		if code != exitError || stdout != "" || first < 0 || !strings.Contains(stderr, tc.first) || tc.args == nil && !strings.HasPrefix(stderr[first:], tc.first) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q first", tc.name, code, stdout, stderr, tc.first)
		}
	}
}

func TestVerifySignedRefusesBadInput(t *testing.T) {
	key := testenv.FakeKey("bad-input")
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": key + "\n", "empty.txt": "\n\n"})
	sig := strings.Repeat("A", 43)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		says        string
	}{
		{"an empty standard input", "", []string{"--key-file", "keys.txt"}, "held no value"},
		{"two lines", "a:" + sig + "\nb:" + sig, []string{"--key-file", "keys.txt"}, "more than one line"},
		{"a key file with no key", "a:" + sig, []string{"--key-file", "empty.txt"}, "holds no key"},
		{"a missing key file", "a:" + sig, []string{"--key-file", "none.txt"}, "none.txt"},
		{"no source of keys", "a:" + sig, nil, "give one of --against"},
		{"--env with --signed", "a:" + sig, []string{"--key-file", "keys.txt", "--env", "K"}, "one at a time"},
		{"an argument without --history", "a:" + sig, []string{"--key-file", "keys.txt", "repo"}, "only --history takes an argument"},
		{"an unknown kind", "a:" + sig, []string{"--key-file", "keys.txt", "--kind", "sessions"}, "no kind is named 'sessions'"},
		{"a salt for the session cookie", "a:" + sig, []string{"--key-file", "keys.txt", "--kind", "session", "--salt", "x"}, "takes no salt"},
		{"kind cookie without its name", "a:" + sig, []string{"--key-file", "keys.txt", "--kind", "cookie"}, "needs the cookie's name"},
	} {
		code, stdout, stderr := verifySignedIn(t, dir, tc.stdin, tc.args...)
		if code != exitError || stdout != "" || !strings.Contains(stderr, tc.says) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.name, code, stdout, stderr)
		}
	}
	// A value typed on the command line works, with a note, and is shown
	// only shortened.
	value := "this-is-no-signed-value-at-all"
	code, _, stderr := runCLI(t, dir, "verify", "--signed", value, "--key-file", "keys.txt")
	if code != exitError || !strings.Contains(stderr, "shell's history") || strings.Contains(stderr, value) {
		t.Errorf("a value on the command line: exit %d, %q", code, stderr)
	}
	code, stdout, _ := runCLI(t, dir, "help", "verify")
	if code != exitClean || !strings.Contains(stdout, "--signed") || !strings.Contains(stdout, "--cookie-name") || !strings.Contains(stdout, "--kind session") {
		t.Errorf("help: %q", stdout)
	}
	for _, kind := range signed.Names() {
		if !strings.Contains(stdout, kind) {
			t.Errorf("help does not name kind %s", kind)
		}
	}
}

// endless stands for a terminal: reading past the line the person typed
// would wait for them forever.
type endless struct{ t *testing.T }

func (r endless) Read([]byte) (int, error) {
	r.t.Error("verify read past the line typed at the terminal")
	return 0, io.EOF
}

// TestVerifySignedReadsOneLineFromATerminal: at a terminal, verify asks for
// the value and takes the line ended by Enter. The value is Django's own
// example, tests/signing/tests.py's Signer(key="predictable-secret").
func TestVerifySignedReadsOneLineFromATerminal(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": "predictable-secret\n"})
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"verify", "--signed", "-", "--key-file", "keys.txt"}, env{
		stdin: io.MultiReader(strings.NewReader("foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0\n"), endless{t}), stdinTTY: true,
		stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, dir: dir,
	})
	if code != exitFindings || !strings.Contains(stderr.String(), "paste the value") || !strings.Contains(stdout.String(), "line 1 of keys.txt") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}
