//go:build integration

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// signedFlags are the flags that say what a case's value is.
func signedFlags(c testenv.SignedCase) []string {
	flags := []string{"--kind", c.Kind}
	if c.CookieName != "" {
		flags = append(flags, "--cookie-name", c.CookieName)
	}
	if c.Salt != "" {
		flags = append(flags, "--salt", c.Salt)
	}
	return flags
}

// leakedProject writes a settings module holding key and the JSON reports
// of its scan: report.json redacted, full.json with --show-secrets.
func leakedProject(t *testing.T, key string) string {
	t.Helper()
	dir := testenv.WriteTree(t, map[string]string{"mysite/settings.py": "SECRET_KEY = '" + key + "'\n"})
	for name, args := range map[string][]string{
		"report.json": {"scan", "mysite", "--format", "json"},
		"full.json":   {"scan", "mysite", "--format", "json", "--show-secrets"},
	} {
		code, out, stderr := runCLI(t, dir, args...)
		if code != exitFindings {
			t.Fatalf("scan: exit %d, %s", code, stderr)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestVerifySignedTellsWhichKeySignedWhatDjangoSigned drives verify --signed
// with every kind of value Debian's Django signs, as Django reads it, as a
// browser shows the cookie and as headers give it. Named with --kind (and --cookie-name and
// --salt): signed by the leaked key, it exits 1 and names the key's
// fingerprint; signed by the new key, 0; tampered, never 1. Not named: a
// value with Django's default salt signed by the leaked key still exits 1,
// and any other exits 2, saying how to name it — never 0, since a value
// with a salt of the site's own may be signed by the leaked key. Neither
// the key nor the value is printed whole.
func TestVerifySignedTellsWhichKeySignedWhatDjangoSigned(t *testing.T) {
	leaked, fresh := testenv.FakeKey("signed-leaked"), testenv.FakeKey("signed-fresh")
	cases := testenv.DjangoSigned(t, leaked, fresh)
	dir := leakedProject(t, leaked)
	fp := detect.Fingerprint(leaked)
	for _, c := range cases {
		for _, form := range c.Forms() {
			for _, named := range []bool{true, false} {
				args := []string{"--against", "full.json"}
				if named {
					args = append(args, signedFlags(c)...)
				}
				name := fmt.Sprintf("%s/%s/%s/named %v", c.Kind, c.Algorithm, form[:min(12, len(form))], named)
				code, stdout, stderr := verifySignedIn(t, dir, form, args...)
				out := stdout + stderr
				if leaks(out, leaked) || leaks(out, fresh) || len(form) > 16 && strings.Contains(out, form) {
					t.Errorf("%s: the output shows the key or the value:\n%s", name, out)
				}
				// Not named, a signed cookie pasted with its name is
				// tried as that cookie, without a salt.
				finds := c.Key == 0 && (named || c.Salt == "" && (c.CookieName == "" || strings.HasPrefix(form, c.CookieName+"=") || strings.HasPrefix(form, "Set-Cookie: "+c.CookieName+"=")))
				switch {
				case finds:
					if code != exitFindings || !strings.Contains(stdout, "LEAKED KEY IN USE: the leaked key with fingerprint "+fp+", first seen at mysite/settings.py:1") {
						t.Errorf("%s, signed by the leaked key: exit %d\n%s", name, code, out)
					}
					if c.Algorithm == "sha1" && !strings.Contains(stdout, "HMAC-SHA1") {
						t.Errorf("%s: the algorithm is not named:\n%s", name, stdout)
					}
					// No release after 3.2 signs with SHA-1, and none
					// before 3.1 with SHA-256.
					_, releases, _ := strings.Cut(stdout, "(Django ")
					releases, _, _ = strings.Cut(releases, ").")
					if c.Algorithm == "sha1" && (strings.Contains(releases, " and later") || !strings.Contains(stdout, "4.0 and later neither make nor accept")) ||
						c.Algorithm == "sha256" && (releases == "" || strings.Contains(releases, "earlier") || strings.Contains(stdout, "SHA-1")) {
						t.Errorf("%s: the releases named do not fit %s:\n%s", name, c.Algorithm, stdout)
					}
				case named:
					if code != exitClean || !strings.HasPrefix(stdout, "ok: ") {
						t.Errorf("%s, signed by the new key: exit %d, want 0\n%s", name, code, out)
					}
				default:
					if code != exitError || stdout != "" || !strings.Contains(stderr, "rules out no key") || !strings.Contains(stderr, "run again with --") {
						t.Errorf("%s, signed by key %d: exit %d, want 2 and how to name it\n%s", name, c.Key, code, out)
					}
				}
			}
		}
		if code, _, _ := verifySignedIn(t, dir, tamper(c.Value), append([]string{"--against", "full.json"}, signedFlags(c)...)...); code == exitFindings {
			t.Errorf("%s/%s: a tampered value matched", c.Kind, c.Algorithm)
		}
	}
}

// TestVerifySignedReadsACookieAsCopiedFromAHeader: the messages cookie
// copied from the Set-Cookie header, as the rotation steps say, is found
// signed by the leaked key whether named or not; and a cookie name that is
// Django's own never rules a key out.
func TestVerifySignedReadsACookieAsCopiedFromAHeader(t *testing.T) {
	leaked, fresh := testenv.FakeKey("header-leaked"), testenv.FakeKey("header-fresh")
	cases := testenv.DjangoSigned(t, leaked, fresh)
	dir := leakedProject(t, leaked)
	for key, want := range []int{exitFindings, exitError} {
		messages := firstOf(t, cases, "messages", key)
		nameValue, _, _ := strings.Cut(messages.Header, "; ")
		for _, tc := range []struct {
			name, form string
			args       []string
		}{
			{"NAME=value", strings.TrimPrefix(nameValue, "Set-Cookie: "), nil},
			{"the Set-Cookie header", messages.Header, nil},
			{"--cookie-name messages", messages.Value, []string{"--cookie-name", "messages"}},
			{"NAME=value named a session", strings.TrimPrefix(nameValue, "Set-Cookie: "), []string{"--kind", "session"}},
		} {
			code, stdout, stderr := verifySignedIn(t, dir, tc.form, append([]string{"--against", "full.json"}, tc.args...)...)
			if code != want || want == exitError && !strings.Contains(stderr, "--kind messages") {
				t.Errorf("%s, signed by key %d: exit %d, want %d\n%s%s", tc.name, key, code, want, stdout, stderr)
			}
		}
		code, stdout, stderr := verifySignedIn(t, dir, messages.Header, "--against", "full.json", "--kind", "messages")
		if code != []int{exitFindings, exitClean}[key] || leaks(stdout+stderr, messages.Value) {
			t.Errorf("the Set-Cookie header, named, signed by key %d: exit %d\n%s%s", key, code, stdout, stderr)
		}
	}
}

// tamper changes the case of the first letter of what a value signs.
func tamper(s string) string {
	from := strings.IndexByte(s, '$') + 1
	for i := from; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return s[:i] + string(c^0x20) + s[i+1:]
		}
	}
	return s + "x"
}

// firstOf returns the first case of a kind signed by key with SHA-256.
func firstOf(t *testing.T, cases []testenv.SignedCase, kind string, key int) testenv.SignedCase {
	t.Helper()
	for _, c := range cases {
		if c.Kind == kind && c.Key == key && c.Algorithm == "sha256" {
			return c
		}
	}
	t.Fatalf("Django signed no %s value with key %d", kind, key)
	return testenv.SignedCase{}
}

// TestVerifySignedWithARedactedReport: a report made without
// --show-secrets holds fingerprints only; verify reads the keys again from
// the files it names, and says what to do when they are gone.
func TestVerifySignedWithARedactedReport(t *testing.T) {
	leaked, fresh := testenv.FakeKey("redacted-leaked"), testenv.FakeKey("redacted-fresh")
	cases := testenv.DjangoSigned(t, leaked, fresh)
	session := firstOf(t, cases, "session", 0)
	dir := leakedProject(t, leaked)
	if code, stdout, _ := verifySignedIn(t, dir, session.Value, "--against", "report.json"); code != exitFindings || !strings.Contains(stdout, "LEAKED KEY IN USE") {
		t.Errorf("the key still in its file: exit %d, %q", code, stdout)
	}
	// From a subdirectory the report's paths are not the working
	// directory's: they are the report's own.
	if code, stdout, stderr := verifySignedIn(t, filepath.Join(dir, "mysite"), session.Value, "--against", "../report.json"); code != exitFindings || !strings.Contains(stdout, "LEAKED KEY IN USE") {
		t.Errorf("from a subdirectory: exit %d, %q %q", code, stdout, stderr)
	}
	os.WriteFile(filepath.Join(dir, "mysite", "settings.py"), []byte("SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"), 0o644)
	code, stdout, stderr := verifySignedIn(t, dir, session.Value, "--against", "report.json")
	if code != exitError || stdout != "" || !strings.Contains(stderr, "--show-secrets") || !strings.Contains(stderr, "--history") {
		t.Errorf("the key gone from its file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, _ := verifySignedIn(t, dir, session.Value, "--against", "full.json"); code != exitFindings {
		t.Errorf("a report with the keys: exit %d", code)
	}
}

func TestVerifySignedAgainstHistory(t *testing.T) {
	leaked, fresh := testenv.FakeKey("history-leaked"), testenv.FakeKey("history-fresh")
	cases := testenv.DjangoSigned(t, leaked, fresh)
	dir, _ := leakThenFix(t, leaked)
	for key, want := range []int{exitFindings, exitClean} {
		messages := firstOf(t, cases, "messages", key)
		code, stdout, stderr := verifySignedIn(t, dir, messages.Coded, "--history", "--kind", "messages")
		if code != want {
			t.Errorf("messages cookie signed by key %d: exit %d, want %d\n%s%s", key, code, want, stdout, stderr)
		}
		if want == exitFindings && !strings.Contains(stdout, "in commit ") {
			t.Errorf("the commit is not named: %q", stdout)
		}
	}
}

// TestVerifySignedRecognisesAFallbackKey: Django 4.1 and later sign with
// SECRET_KEY and accept SECRET_KEY_FALLBACKS; listing the fallbacks in
// --key-file tells whether one of them signed a value, and which. (Debian's
// Django 3.2 has no fallbacks: the value is signed with the key that, on a
// later Django, would be listed there.)
func TestVerifySignedRecognisesAFallbackKey(t *testing.T) {
	current, fallback, other := testenv.FakeKey("fb-current"), testenv.FakeKey("fb-old"), testenv.FakeKey("fb-other")
	cases := testenv.DjangoSigned(t, fallback, current)
	dir := testenv.WriteTree(t, map[string]string{
		// CRLF line ends and blank lines, as an editor on Windows leaves them.
		"fallbacks.txt": other + "\r\n\r\n" + fallback + "\r\n",
	})
	for _, kind := range []string{"session", "messages", "cookie", "dumps"} {
		c := firstOf(t, cases, kind, 0)
		code, stdout, stderr := verifySignedIn(t, dir, c.Coded, append([]string{"--key-file", "fallbacks.txt"}, signedFlags(c)...)...)
		if code != exitFindings || !strings.Contains(stdout, "the key on line 3 of fallbacks.txt (fingerprint "+detect.Fingerprint(fallback)+")") {
			t.Errorf("%s signed by the fallback: exit %d\n%s%s", kind, code, stdout, stderr)
		}
		if leaks(stdout+stderr, fallback) || leaks(stdout+stderr, other) {
			t.Errorf("%s: a key was printed", kind)
		}
		c = firstOf(t, cases, kind, 1)
		if code, stdout, stderr := verifySignedIn(t, dir, c.Coded, append([]string{"--key-file", "fallbacks.txt"}, signedFlags(c)...)...); code != exitClean || !strings.HasPrefix(stdout, "ok: none of the 2 keys in fallbacks.txt") {
			t.Errorf("%s signed by the current key: exit %d\n%s%s", kind, code, stdout, stderr)
		}
	}
}
