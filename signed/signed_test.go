package signed

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestVerifyDjangoDocumentedValues checks values that Django's own tests
// and documentation print, made by Django releases other than the 3.2 the
// CI runs: tests/signing/tests.py of 4.2 and 5.0 (test_valid_sep,
// test_works_with_non_ascii_keys, test_positional_arguments, which signs
// with SHA-1 and separator "/": the signature does not depend on the
// separator) and docs/topics/signing.txt of 6.0 (Signer(key=...)).
func TestVerifyDjangoDocumentedValues(t *testing.T) {
	for _, tc := range []struct {
		name, value, key, salt, algorithm string
	}{
		{"4.2 test_valid_sep", "foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0", "predictable-secret", "", "sha256"},
		{"4.2 test_works_with_non_ascii_keys", "foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU", "\xe7", "", "sha256"},
		{"4.2 test_positional_arguments, SHA-1 and a salt", "xyz:zzdO_8rk-NGnm8jNasXRTF2P5kY", "secret", "somesalt", "sha1"},
		{"6.0 signing docs, Signer(key=...)", "My string:o3DrrsT6JRB73t-HDymfDNbTSxfMlom2d8TiUlb1hWY", "my-other-secret", "", "sha256"},
		{"the same, percent-encoded", "My%20string%3Ao3DrrsT6JRB73t-HDymfDNbTSxfMlom2d8TiUlb1hWY", "my-other-secret", "", "sha256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{Salt: tc.salt}
			res, err := Verify(tc.value, []string{"not-this-one", tc.key}, opt)
			if err != nil {
				t.Fatal(err)
			}
			if m := res.Match; m == nil || m.Key != 1 || m.Kind.Name != "signer" || m.Algorithm != tc.algorithm || !m.SignedAt.IsZero() {
				t.Fatalf("match %+v, want the second key, a %s Signer value", res.Match, tc.algorithm)
			}
			if res, _ := Verify(tc.value, []string{"not-this-one"}, opt); res.Match != nil {
				t.Errorf("another key matched: %+v", res.Match)
			}
			tampered := strings.Replace(tc.value, tc.value[:1], strings.ToUpper(tc.value[:1])+"x", 1)
			if res, _ := Verify(tampered, []string{tc.key}, opt); res.Match != nil {
				t.Errorf("a tampered value matched: %+v", res.Match)
			}
		})
	}
}

func TestVerifyRefusesWhatDjangoDoesNotSign(t *testing.T) {
	sig := strings.Repeat("A", sha256Chars)
	for _, tc := range []struct{ name, value, why string }{
		{"empty", "", "empty"},
		{"blank", " \t\n", "empty"},
		{"a session id of the database backend", "k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8", "no ':'"},
		{"a signature too short", "hello:1xVgWt:abc", "not an HMAC"},
		{"a signature of the wrong length", "hello:" + sig + "A", "not an HMAC"},
		{"a signature outside URL-safe base64", "hello:" + strings.Repeat("+", sha256Chars), "not an HMAC"},
		{"padded base64", "hello:" + sig[:sha256Chars-1] + "=", "not an HMAC"},
		{"nothing after the colon", "hello:", "not an HMAC"},
		{"not UTF-8", "hel\xfflo:" + sig, "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(tc.value, []string{"k"}, Options{})
			var bad *MalformedError
			if !errors.As(err, &bad) || !strings.Contains(bad.Reason, tc.why) {
				t.Errorf("error %v, want one saying %q", err, tc.why)
			}
		})
	}
}

// TestVerifySaysWhenItCannotRuleAKeyOut: a value no candidate signed rules
// the candidates out only when the caller said what it is, and it has the
// layout of what they said.
func TestVerifySaysWhenItCannotRuleAKeyOut(t *testing.T) {
	sig := strings.Repeat("A", sha256Chars)
	dumps, json31, legacy := "eyJhIjoxfQ:1xVgWt:"+sig, `["x"]:1xVgWt:`+sig, strings.Repeat("a", 40)+`$["x"]`
	for _, tc := range []struct {
		name, value string
		opt         Options
		conclusive  bool
		tried       string
	}{
		{"signing.dumps, unnamed", dumps, Options{}, false, "session messages messages-3.1 dumps timestamp signer"},
		{"a Django 3.1 messages cookie, unnamed", json31, Options{}, false, "session messages messages-3.1 dumps timestamp signer"},
		{"a messages cookie before 3.1, unnamed", legacy, Options{}, false, "messages-legacy"},
		{"a messages cookie before 3.1 holding no JSON", strings.Repeat("a", 40) + "$not json", Options{Kind: "messages"}, true, "messages-legacy"},
		{"a timestamped value, unnamed", "dark:1xVgWt:" + sig, Options{}, false, "session messages messages-3.1 dumps timestamp signer"},
		{"named a session cookie", dumps, Options{Kind: "session"}, true, "session"},
		// A payload that is base64 of nothing djguard reads (zlib of
		// garbage, a serializer of the site's own) is a session cookie's.
		{"named a session cookie, whatever its payload holds", ".AAAA:1xVgWt:" + sig, Options{Kind: "session"}, true, "session"},
		{"named a session cookie, but not base64", "dark mode:1xVgWt:" + sig, Options{Kind: "session"}, false, "session"},
		{"named a messages cookie, in the 3.1 format", json31, Options{Kind: "messages"}, true, "messages messages-3.1"},
		{"named a messages cookie, in the format before 3.1", legacy, Options{Kind: "messages"}, true, "messages-legacy"},
		{"named by its cookie name", "dark:1xVgWt:" + sig, Options{CookieName: "theme"}, true, "cookie"},
		{"a cookie name tries the cookie alone", dumps, Options{CookieName: "theme"}, true, "cookie"},
		{"named by its salt", "dark:" + sig, Options{Salt: "s"}, true, "signer"},
		{"a salt tries signing.dumps, TimestampSigner and Signer", dumps, Options{Salt: "s"}, true, "dumps timestamp signer"},
		{"named a kind whose layout it lacks", "dark:" + sig, Options{Kind: "session"}, false, ""},
		{"named a messages cookie, but laid out as none", "dark:" + sig, Options{Kind: "messages"}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Verify(tc.value, []string{"k"}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var tried []string
			for _, k := range res.Tried {
				tried = append(tried, k.Name)
			}
			if res.Match != nil || res.Conclusive != tc.conclusive || (res.Doubt != NotNamed) != tc.opt.Named() || strings.Join(tried, " ") != tc.tried {
				t.Errorf("match %v, conclusive %v, doubt %v, tried %q; want conclusive %v, tried %q", res.Match, res.Conclusive, res.Doubt, tried, tc.conclusive, tc.tried)
			}
			if len(res.Likely) == 0 {
				t.Error("no kind is likely")
			}
		})
	}
}

func TestKindsFollowTheOptions(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "session=" + sessionSalt + " messages=" + messagesSalt + " messages-3.1=" + messagesSalt + " messages-legacy= " +
			"dumps=" + dumpsSalt + " timestamp=" + timestampSignerSalt + " signer=" + signerSalt},
		{Options{Kind: "messages"}, "messages=" + messagesSalt + " messages-3.1=" + messagesSalt + " messages-legacy="},
		{Options{Kind: "session"}, "session=" + sessionSalt},
		{Options{CookieName: "theme"}, "cookie=theme"},
		{Options{Kind: "cookie", CookieName: "theme", Salt: "ui"}, "cookie=themeui"},
		{Options{Salt: "ui"}, "dumps=ui timestamp=ui signer=ui"},
		{Options{Kind: "dumps"}, "dumps=" + dumpsSalt},
		{Options{Kind: "timestamp", Salt: "reset"}, "timestamp=reset"},
		{Options{Kind: "signer", Salt: "unsubscribe"}, "signer=unsubscribe"},
	} {
		kinds, err := Kinds(tc.opt)
		var got []string
		for _, k := range kinds {
			got = append(got, k.Name+"="+k.salt)
		}
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%+v: %q, %v; want %q", tc.opt, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		opt  Options
		says string
	}{
		{Options{Kind: "sessions"}, "no kind is named 'sessions'"},
		{Options{Kind: "cookie"}, "needs the cookie's name"},
		{Options{Kind: "session", CookieName: "sessionid"}, "a cookie name goes with kind cookie"},
		{Options{Kind: "dumps", CookieName: "x"}, "a cookie name goes with kind cookie"},
		{Options{Kind: "messages", Salt: "x"}, "takes no salt"},
	} {
		if _, err := Kinds(tc.opt); err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%+v: %v, want an error saying %q", tc.opt, err, tc.says)
		}
	}
}

func TestTimestampsReadAsDjangoWritesThem(t *testing.T) {
	for _, tc := range []struct {
		ts   string
		unix int64
	}{
		{"0", 0}, {"z", 61}, {"10", 62},
		// The TimestampSigner examples of Django's 6.0 and 3.2 docs.
		{"1stLqR", 1727246991}, {"1QaUZC", 1309014878},
	} {
		got, ok := decodeBase62(tc.ts)
		if !ok || got != tc.unix {
			t.Errorf("%s: %d, %v; want %d", tc.ts, got, ok, tc.unix)
		}
	}
	for _, bad := range []string{"", "-1", "1.5", "zzzzzzzzzzz"} {
		if _, ok := decodeBase62(bad); ok {
			t.Errorf("%q read as a timestamp", bad)
		}
	}
	sig := strings.Repeat("A", sha1Chars)
	v, err := parse("hello:1stLqR:" + sig)
	if err != nil || !v.signedAt.Equal(time.Unix(1727246991, 0)) || v.algorithm != "sha1" {
		t.Errorf("parse: %+v, %v", v, err)
	}
}

// TestUnquoteCookieAsPython: http.cookies._unquote, the reading Django
// applies to every cookie it gets.
func TestUnquoteCookieAsPython(t *testing.T) {
	for in, want := range map[string]string{
		`plain:value`:          `plain:value`,
		`"quoted"`:             `quoted`,
		`"a\054b\073c"`:        `a,b;c`,
		`"\"x\" \\ y"`:         `"x" \ y`,
		`"caf\351"`:            "caf\u00e9",
		`"\400"`:               `400`,
		`"ends\"`:              `ends\`,
		`"`:                    `"`,
		`"unquoted at one end`: `"unquoted at one end`,
	} {
		if got := unquoteCookie(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func FuzzVerify(f *testing.F) {
	sig := strings.Repeat("A", sha256Chars)
	for _, s := range []string{
		"eyJhIjoxfQ:1xVgWt:" + sig, ".eJwNjjtuQ0EQw:1xVgWt:" + sig, `"[\"x\054y\"]:1xVgWt:` + sig + `"`,
		strings.Repeat("a", 40) + `$["x"]`, "dark:" + sig, `"\400\"`, ":::",
		"messages=eyJhIjoxfQ:1xVgWt:" + sig, `Set-Cookie: prefs="a\073b:1xVgWt:` + sig + `"; Path=/; HttpOnly`, "a=1; b=dark:" + sig,
	} {
		f.Add(s, "theme", "")
	}
	f.Fuzz(func(t *testing.T, value, cookie, salt string) {
		res, err := Verify(value, []string{"k0", "k1"}, Options{CookieName: cookie, Salt: salt})
		if err != nil {
			var bad *MalformedError
			if !errors.As(err, &bad) || res.Match != nil {
				t.Fatalf("error %v with result %+v", err, res)
			}
			return
		}
		if m := res.Match; m != nil && (m.Key < 0 || m.Key > 1 || m.Algorithm == "") {
			t.Fatalf("bad match %+v", m)
		}
	})
}
