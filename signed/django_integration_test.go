//go:build integration

package signed

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/djguard/djguard/internal/testenv"
)

// TestVerifyValuesDjangoSigned checks every kind against values Debian's
// Django signed just now, with SHA-256 and with SHA-1, each as Django
// reads it, as a browser shows the cookie and as headers give it, named in
// each way a caller
// may name it: the key that signed it is found, another key is not (and,
// the value named, that rules it out), and a tampered value matches no
// key.
func TestVerifyValuesDjangoSigned(t *testing.T) {
	keys := []string{testenv.FakeKey("signed-0"), testenv.FakeKey("signed-1")}
	other := testenv.FakeKey("signed-other")
	start := time.Now().Add(-time.Minute)
	cases := testenv.DjangoSigned(t, keys...)
	seen := map[string]bool{}
	for _, c := range cases {
		seen[c.Kind+"/"+c.Algorithm] = true
		for _, opt := range namings(c) {
			for _, form := range c.Forms() {
				name := fmt.Sprintf("%s/%s/%+v/%s", c.Kind, c.Algorithm, opt, shorten(form))
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
				if err != nil || res.Match != nil || res.Conclusive != opt.Named() {
					t.Errorf("%s: another key: %+v, conclusive %v, %v", name, res.Match, res.Conclusive, err)
				}
				if res, err := Verify(tamper(form), keys, opt); res.Match != nil {
					t.Errorf("%s: tampered, it matched %+v (%v)", name, res.Match, err)
				}
			}
		}
	}
	for _, kind := range Names() {
		for _, alg := range []string{"sha256", "sha1"} {
			if !seen[kind+"/"+alg] && !(kind == "messages-legacy" && alg == "sha256") {
				t.Errorf("Django signed no %s value with %s", kind, alg)
			}
		}
	}
}

// namings are the ways of saying what a case's value is that find its
// key: by its kind (and cookie name and salt), by its cookie name or salt
// alone, and, for a value with Django's default salt, not at all.
func namings(c testenv.SignedCase) []Options {
	opts := []Options{{Kind: c.Kind, CookieName: c.CookieName, Salt: c.Salt}}
	switch {
	case c.CookieName != "":
		opts = append(opts, Options{CookieName: c.CookieName, Salt: c.Salt})
	case c.Salt != "":
		opts = append(opts, Options{Salt: c.Salt})
	default:
		opts = append(opts, Options{})
	}
	if strings.HasPrefix(c.Kind, "messages-") {
		opts = append(opts, Options{Kind: "messages"})
	}
	return opts
}

// TestVerifyNeverRulesOutAKeyForAValueNotNamed: values Django signs with a
// salt of the application's (django-allauth's signing.dumps(pk,
// salt="account"), a TimestampSigner's, a signed cookie's) are laid out as
// those with Django's own salts. Signed by a candidate key, unnamed, they
// match none of the kinds tried, and that must not read as ruling the key
// out.
func TestVerifyNeverRulesOutAKeyForAValueNotNamed(t *testing.T) {
	keys := []string{testenv.FakeKey("unnamed-0"), testenv.FakeKey("unnamed-1")}
	for _, c := range testenv.DjangoSigned(t, keys...) {
		if c.Salt == "" && c.CookieName == "" {
			continue
		}
		res, err := Verify(c.Value, keys, Options{})
		if err != nil || res.Match != nil || res.Conclusive || res.Doubt != NotNamed {
			t.Errorf("%s with salt %q, cookie %q, unnamed: match %+v, conclusive %v, %v", c.Kind, c.Salt, c.CookieName, res.Match, res.Conclusive, err)
		}
	}
}

// tamper changes the case of the first letter of what a value signs. None
// of the values Django signed for the tests holds "=".
func tamper(s string) string {
	// Past a cookie's name (which is not signed) and a hex digest.
	from := max(strings.IndexByte(s, '='), strings.IndexByte(s, '$')) + 1
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
