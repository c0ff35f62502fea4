package testenv

import (
	_ "embed"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

//go:embed django_signed.py
var djangoSignedScript string

// SignedCase is one value Django signed, as django_signed.py describes it.
type SignedCase struct {
	Kind string `json:"kind"`
	// Value is the value as Django reads it; Coded is the same as the
	// Set-Cookie header and a browser show it (quoted when it holds
	// characters a cookie may not).
	Value string `json:"value"`
	Coded string `json:"coded"`
	// Header is, for a value that travels in a cookie, the Set-Cookie
	// header line Django writes for it; "" for a token.
	Header string `json:"header"`
	// Key is the index of the key that signed it.
	Key        int    `json:"key"`
	Algorithm  string `json:"algorithm"`
	CookieName string `json:"cookie_name"`
	Salt       string `json:"salt"`
}

// DjangoSigned has Debian's Django (python3-django) sign a value of each
// kind djguard checks, with SHA-256 and SHA-1, with each of the first two
// keys as SECRET_KEY; each value is read back by Django before it is
// returned. Without Django the test is skipped, or failed when
// DJGUARD_REQUIRE_TOOLS is set.
func DjangoSigned(t testing.TB, keys ...string) []SignedCase {
	t.Helper()
	py := PythonWith(t, "django", "python3-django")
	in, err := json.Marshal(map[string][]string{"keys": keys})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", djangoSignedScript)
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("Django could not sign the test values: %v\n%s", err, stderr.String())
	}
	var cases []SignedCase
	if err := json.Unmarshal(out, &cases); err != nil {
		t.Fatalf("read what Django signed: %v", err)
	}
	return cases
}

// Forms are the ways a user may copy a case's value: as Django reads it,
// as a browser shows it, and, for a cookie, as the Set-Cookie header line,
// that header's value, and NAME=value as a Cookie header holds it.
func (c SignedCase) Forms() []string {
	forms := []string{c.Value, c.Coded}
	if c.Header != "" {
		setCookie := strings.TrimPrefix(c.Header, "Set-Cookie: ")
		nameValue, _, _ := strings.Cut(setCookie, "; ")
		forms = append(forms, c.Header, setCookie, nameValue)
	}
	return forms
}
