//go:build integration && unix

package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// ptyScript runs a command on a new pseudo-terminal, waits for its prompt,
// types the line given and prints all the terminal showed, then the exit
// code on a line of its own.
const ptyScript = `
import os, pty, sys
line, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
shown = b""
def read():
    global shown
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    shown += chunk
    return bool(chunk)
while b"press Enter" not in shown and read():
    pass
data = line.encode() + b"\r"
while data:
    data = data[os.write(fd, data):]
while read():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode(errors="replace") + "\nexit %d\n" % os.waitstatus_to_exitcode(status))
`

// TestVerifySignedDoesNotEchoAtATerminal: a value pasted at a terminal is
// a credential, so the terminal does not show it as it is typed; and a
// cookie longer than the 4,095 characters a terminal keeps of a line it
// edits itself (a Set-Cookie header of a 4 KB session) is read whole.
func TestVerifySignedDoesNotEchoAtATerminal(t *testing.T) {
	python := testenv.Tool(t, "python3")
	key := testenv.FakeKey("pty")
	var long testenv.SignedCase
	for _, c := range testenv.DjangoSigned(t, key) {
		if len(c.Header) > len(long.Header) {
			long = c
		}
	}
	// With the attributes a browser's Set-Cookie may add.
	longHeader := long.Header + "; Secure; Priority=High; Partitioned"
	if len(longHeader) <= 4095 {
		t.Fatalf("Django signed no cookie longer than a terminal's line (%d)", len(longHeader))
	}
	bin := buildDjguard(t)
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": key + "\n"})
	for _, tc := range []struct{ name, typed, kind string }{
		{"a Signer value", "foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0", "signer"},
		{"a Set-Cookie header of 4 KB", longHeader, long.Kind},
	} {
		dir := dir
		if tc.kind == "signer" {
			// Django's own example: tests/signing/tests.py's
			// Signer(key="predictable-secret").
			dir = testenv.WriteTree(t, map[string]string{"keys.txt": "predictable-secret\n"})
		}
		cmd := exec.Command(python, "-c", ptyScript, tc.typed, bin, "verify", "--signed", "-", "--key-file", "keys.txt", "--kind", tc.kind)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		shown := string(out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, shown)
		}
		if middle := tc.typed[len(tc.typed)/2:][:16]; strings.Contains(shown, middle) {
			t.Errorf("%s: the terminal showed the value as it was typed:\n%s", tc.name, shown)
		}
		if !strings.Contains(shown, "it is not shown") || !strings.Contains(shown, "LISTED KEY IN USE") || !strings.HasSuffix(shown, "exit 1\n") {
			t.Errorf("%s: the value typed at a terminal was not read as it should be:\n%s", tc.name, shown)
		}
	}
}
