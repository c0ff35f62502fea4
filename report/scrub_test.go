package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// The scrubber redacts what is a secret, where it stands: a random key
// wherever it is, a guessable low value only as a whole token (its edges
// may be Django's punctuation), and a weak key, a word, not in the words
// of a summary; a weak value the text itself assigns to a key is.
func TestScrubberRedactsSecretsOnlyWhereTheyStand(t *testing.T) {
	key := testenv.FakeKey("where it stands")
	low := "local-dev-key-not-for-prod"
	edged := "=dev+key="
	r := &Report{Findings: []detect.Finding{
		{Secret: key, Class: detect.HardcodedKey, Severity: detect.High},
		{Secret: "test", Class: detect.WeakKey, Severity: detect.Low},
		{Secret: low, Class: detect.HardcodedFallback, Severity: detect.Low},
		{Secret: edged, Class: detect.HardcodedKey, Severity: detect.Low},
		{Secret: key[25:] + "QQQQ", Class: detect.HardcodedKey, Severity: detect.High},
	}}
	s := r.scrubber(Options{})
	for _, tc := range []struct{ name, in, want string }{
		{"a weak key is a word in a summary",
			"Only test against one version of Python, latest testing",
			"Only test against one version of Python, latest testing"},
		{"a weak key assigned in the summary itself",
			"set SECRET_KEY = 'test' in test settings",
			"set SECRET_KEY = '" + Redact("test") + "' in test settings"},
		{"a weak key assigned on a later line, after non-ASCII text",
			"test\nétude: SECRET_KEY = 'test' test",
			"test\nétude: SECRET_KEY = '" + Redact("test") + "' test"},
		{"a random key inside a longer word",
			"X" + key + "Y", "X" + Redact(key) + "Y"},
		{"a low value as a token",
			"use " + low + ", for now", "use " + Redact(low) + ", for now"},
		{"a low value inside longer words",
			"my" + low + "s " + low + "x", "my" + low + "s " + low + "x"},
		{"a low value that starts and ends with punctuation",
			"a" + edged + "b", "a" + Redact(edged) + "b"},
		{"overlapping secrets redacted as one",
			key + "QQQQ", Redact(key + "QQQQ")},
	} {
		if got := s.scrub(tc.in); got != tc.want {
			t.Errorf("%s: scrub(%q)\n got %q\nwant %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestWholeToken(t *testing.T) {
	for _, tc := range []struct {
		text, token string
		want        bool
	}{
		{"test", "test", true},
		{"a test b", "test", true},
		{"KEY=test;", "test", true},
		{"'test'", "test", true},
		{"test-case", "test", true},
		{"(test)", "test", true},
		{"latest", "test", false},
		{"testing", "test", false},
		{"test_settings", "test", false},
		{"test2", "test", false},
		{"étest", "test", false},
		{"x-!ab!-x", "-!ab!-", true},
	} {
		i := strings.Index(tc.text, tc.token)
		if got := wholeToken(tc.text, i, i+len(tc.token)); got != tc.want {
			t.Errorf("wholeToken(%q, %q) = %v, want %v", tc.text, tc.token, got, tc.want)
		}
	}
}

// A typed value is redacted in messages when djguard's own rules call it
// a key, of Django's alphabet or another; a path, a branch or a name is
// quoted whole, however long. A secret registered as one (a key read from
// a file, a signed value) is redacted whatever it looks like.
func TestTypedRedactsOnlyWhatLooksLikeAKey(t *testing.T) {
	key := testenv.FakeKey("typed")
	hex := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	base64 := "Zm9vYmFyLXNlY3JldC1rZXktZm9yLWRqYW5nbw8Rq2Lw="
	secret := "value-from-a-key-file"
	shown := []string{
		"/tmp/reports-for-the-security-review/djguard-report-of-today.json",
		"feature/a-very-long-branch-name-for-testing-djguard-messages",
		"origin/dependabot/pip/django-4.2.11",
		"DJANGO_SECRET_KEY_PRODUCTION",
		"../settings/production_settings.py",
	}
	hidden := []string{key, "django-insecure-" + key, "--output=/tmp/" + key + "/r.json", hex, base64, key + `\"`}
	var buf bytes.Buffer
	w := NewTyped(&buf)
	w.Add(TypedValues(append(append([]string{}, shown...), hidden...))...)
	w.AddSecret(secret)
	var msg strings.Builder
	for _, v := range append(append([]string{secret}, shown...), hidden...) {
		msg.WriteString("djguard: bad value " + v + " (quoted: " + strings.Trim(fmtQ(v), `"`) + ")\n")
	}
	if _, err := w.Write([]byte(msg.String())); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, v := range shown {
		if !strings.Contains(out, "bad value "+v+" ") {
			t.Errorf("%q is cut:\n%s", v, out)
		}
	}
	for _, v := range append(hidden, secret) {
		if strings.Contains(out, v) || strings.Contains(out, strings.Trim(fmtQ(v), `"`)) {
			t.Errorf("%q is printed whole:\n%s", v, out)
		}
	}
}

func fmtQ(s string) string { return strconv.Quote(s) }
