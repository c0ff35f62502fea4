//go:build integration

package main

import (
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// TestVerifySignedReadsAKeyFileAsItIsPasted: SECRET_KEY_FALLBACKS entries
// pasted with their quotes and commas, a key holding quotes and a
// backslash, and a file that starts with a UTF-8 byte order mark: each
// key is found, named by its line, and never printed.
func TestVerifySignedReadsAKeyFileAsItIsPasted(t *testing.T) {
	quoted := `it's-"old"\` + testenv.FakeKey("keyfile-quoted")[:30]
	fallback := testenv.FakeKey("keyfile-fallback")
	cases := testenv.DjangoSigned(t, quoted, fallback)
	python := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(quoted)
	dir := testenv.WriteTree(t, map[string]string{
		"fallbacks.py.txt": "\ufeff" + testenv.FakeKey("keyfile-other") + "\r\n" +
			"    '" + python + "',  # rotated in May\r\n" +
			`    "` + fallback + `",` + "\r\n",
		"bom.txt": "\ufeff" + fallback + "\n",
	})
	for _, tc := range []struct {
		file  string
		key   int
		where string
	}{
		{"fallbacks.py.txt", 0, "line 2 of fallbacks.py.txt, read as a Python string (fingerprint " + detect.Fingerprint(quoted) + ")"},
		{"fallbacks.py.txt", 1, "line 3 of fallbacks.py.txt, read as a Python string (fingerprint " + detect.Fingerprint(fallback) + ")"},
		{"bom.txt", 1, "line 1 of bom.txt (fingerprint " + detect.Fingerprint(fallback) + ")"},
	} {
		session := firstOf(t, cases, "session", tc.key)
		code, stdout, stderr := verifySignedIn(t, dir, session.Value, "--key-file", tc.file, "--kind", "session")
		if code != exitFindings || !strings.Contains(stdout, "the key on "+tc.where) {
			t.Errorf("%s, key %d: exit %d, want the key on %s\n%s%s", tc.file, tc.key, code, tc.where, stdout, stderr)
		}
		if leaks(stdout+stderr, quoted) || leaks(stdout+stderr, fallback) {
			t.Errorf("%s: a key was printed:\n%s%s", tc.file, stdout, stderr)
		}
	}
	// Three lines, three keys, however many ways each reads.
	other := firstOf(t, testenv.DjangoSigned(t, testenv.FakeKey("keyfile-new")), "session", 0)
	if code, stdout, stderr := verifySignedIn(t, dir, other.Value, "--key-file", "fallbacks.py.txt", "--kind", "session"); code != exitClean || !strings.HasPrefix(stdout, "ok: none of the 3 keys in fallbacks.py.txt") {
		t.Errorf("signed by another key: exit %d\n%s%s", code, stdout, stderr)
	}
}
