package leaked

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

func write(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A report's key counts only when the report shows it whole and it has the
// fingerprint the report gives; the first place a key was seen is named.
func TestReadReportKeepsOnlyKeysThatMatchTheirFingerprint(t *testing.T) {
	a, b := testenv.FakeKey("a"), testenv.FakeKey("b")
	rep := `{"version": 1, "findings": [
	  {"path": "s.py", "line": 3, "fingerprint": "` + detect.Fingerprint(a) + `", "secret": "` + a + `", "redacted": false, "commit": "0123456789abcdef0123"},
	  {"path": "t.py", "line": 9, "fingerprint": "` + detect.Fingerprint(a) + `", "secret": "` + a + `", "redacted": false},
	  {"path": "u.py", "line": 1, "fingerprint": "` + detect.Fingerprint(b) + `", "secret": "` + b[:4] + `…", "redacted": true},
	  {"path": "v.py", "line": 2, "fingerprint": "ffff", "secret": "forged", "redacted": false}]}`
	set, err := ReadReport(write(t, "r.json", rep), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 3 {
		t.Fatalf("%d keys, want 3 (one per fingerprint)", len(set.Keys))
	}
	if k := set.Keys[0]; k.Secret != a || k.Where != "s.py:3 in commit 0123456789ab" || strings.Join(k.Files, ",") != "s.py,t.py" {
		t.Errorf("first key: %+v", k)
	}
	if set.Keys[1].Secret != "" || set.Keys[2].Secret != "" {
		t.Error("a redacted key, or one whose fingerprint is not its own, was kept as a secret")
	}
	if _, err := ReadReport(write(t, "x.json", `{"version": 2}`), "x.json"); err == nil {
		t.Error("a report of another version was read")
	}
}

func TestReadKeyFileReadsEachLineEveryWayItMayBeMeant(t *testing.T) {
	k := testenv.FakeKey("fallback")
	set, err := ReadKeyFile(write(t, "keys.txt", "\ufeff  '"+k+"',  # old\r\n\nplain-key-value\n"), "keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	if set.Listed != 2 {
		t.Errorf("Listed %d, want 2 lines", set.Listed)
	}
	if _, ok := set.ByFingerprint(detect.Fingerprint(k)); !ok {
		t.Error("the Python string's value is not a candidate")
	}
	if _, ok := set.ByFingerprint(detect.Fingerprint("plain-key-value")); !ok {
		t.Error("a plain line is not a candidate")
	}
	if _, err := ReadKeyFile(write(t, "empty.txt", "\n \n"), "empty.txt"); err == nil {
		t.Error("a file of blank lines was read as keys")
	}
}
