package signed

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/djguard/djguard/internal/testenv"
)

// TestVerifyValuesDjangoSigned checks every kind against values Debian's
// Django signed just now, with SHA-256 and with SHA-1, each as Django
// reads it and as a browser shows the cookie: the key that signed it is
// found, another key is not, and a tampered value matches no key.
func TestVerifyValuesDjangoSigned(t *testing.T) {
	keys := []string{testenv.FakeKey("signed-0"), testenv.FakeKey("signed-1")}
	other := testenv.FakeKey("signed-other")
	start := time.Now().Add(-time.Minute)
	cases := testenv.DjangoSigned(t, keys...)
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.Kind+"/"+c.Algorithm] = true
		opt := Options{CookieName: c.CookieName, Salt: c.Salt}
		for _, form := range []string{c.Value, c.Coded} {
			name := c.Kind + "/" + c.Algorithm + "/" + shorten(form)
			res, err := Verify(form, []string{other, keys[0], keys[1]}, opt)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			m := res.Match
			if m == nil || m.Kind.Name != c.Kind || m.Key != c.Key+1 || m.Algorithm != c.Algorithm {
				t.Errorf("%s: match %+v, want kind %s, key %d", name, m, c.Kind, c.Key+1)
				continue
			}
			hasTime := c.Kind != "signer" && c.Kind != "messages-legacy"
			if hasTime != !m.SignedAt.IsZero() || hasTime && (m.SignedAt.Before(start.Truncate(time.Second)) || m.SignedAt.After(time.Now())) {
				t.Errorf("%s: signed at %v", name, m.SignedAt)
			}
			res, err = Verify(form, []string{other}, opt)
			if err != nil || res.Match != nil {
				t.Errorf("%s: another key: %+v, %v", name, res.Match, err)
			}
			if res, err := Verify(tamper(form), keys, opt); res.Match != nil {
				t.Errorf("%s: tampered, it matched %+v (%v)", name, res.Match, err)
			}
		}
	}
	for _, k := range Kinds(Options{CookieName: "c"}) {
		for _, alg := range []string{"sha256", "sha1"} {
			if !seen[k.Name+"/"+alg] && !(k.Name == "messages-legacy" && alg == "sha256") {
				t.Errorf("Django signed no %s value with %s", k.Name, alg)
			}
		}
	}
}

// tamper changes the case of the first letter of what a value signs.
func tamper(s string) string {
	from := 0
	if i := strings.IndexByte(s, '$'); i >= 0 {
		from = i + 1
	}
	for i, r := range s[from:] {
		if unicode.IsLetter(r) && r < unicode.MaxASCII {
			i += from
			return s[:i] + string(r^0x20) + s[i+1:]
		}
	}
	return s + "x"
}

// shorten names a case by the start of its value.
func shorten(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}
