package signed

import (
	"errors"
	"strings"
	"testing"
)

func TestCookieHeaderReadsOneCookieOrNone(t *testing.T) {
	for _, tc := range []struct {
		text, want string
		several    bool
	}{
		{"sessionid=abc", "sessionid=abc", false},
		{"Set-Cookie: messages=x:y; expires=Tue, 08 Dec 2026 03:18:00 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax", "messages=x:y", false},
		{"set-cookie:theme=dark;secure;", "theme=dark", false},
		{`prefs="wide\073 \"tall\"; x"; Path=/`, `prefs="wide\073 \"tall\"; x"`, false},
		{"Cookie: csrftoken=a; sessionid=b", "csrftoken=a sessionid=b", true},
		{"a=1; b=2", "a=1 b=2", true},
		{"foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0", "", false},
		{"My string:o3DrrsT6JRB73t", "", false},
		{"two words=x", "", false},
		{"=x", "", false},
		{"a=", "", false},
		{`m="unfinished; Path=/`, "", false},
		{"a=1; stray", "", false},
		{"a=1; Path", "", false},
	} {
		cookies, several := cookieHeader(tc.text)
		var got []string
		for _, c := range cookies {
			got = append(got, c.name+"="+c.value)
		}
		if strings.Join(got, " ") != tc.want || several != tc.several {
			t.Errorf("%s: %q, several %v; want %q, %v", tc.text, got, several, tc.want, tc.several)
		}
	}
}

// TestVerifyDoubtsWhatACookieHeaderContradicts: a cookie's name, pasted
// with its value, can say the value is not what it was named; then no key
// is ruled out, though a key that signed it as that cookie is still found.
func TestVerifyDoubtsWhatACookieHeaderContradicts(t *testing.T) {
	key := "k"
	sign := func(k Kind, payload string) string {
		v := &value{signed: payload + ":1xVgWt", algorithm: "sha256"}
		return v.signed + ":" + k.signature(v, key)
	}
	messages := sign(messagesKind, "W1siX19qc29uX21lc3NhZ2UiXV0")
	theme := sign(cookieKind("theme", ""), "dark")
	for _, tc := range []struct {
		name, text string
		opt        Options
		found      bool
		doubt      Doubt
	}{
		{"the messages cookie pasted as such, named", "messages=" + messages, Options{Kind: "messages"}, true, NoDoubt},
		{"the messages cookie pasted as such, not named", "messages=" + messages, Options{}, true, NoDoubt},
		{"the messages cookie named as a session", "messages=" + messages, Options{Kind: "session"}, true, NoDoubt},
		{"the messages cookie named a signed cookie by its name", messages, Options{CookieName: "messages"}, true, NoDoubt},
		{"a signed cookie pasted with its name, not named", "theme=" + theme, Options{}, true, NoDoubt},
		{"a signed cookie pasted with its name", "Set-Cookie: theme=" + theme + "; Path=/", Options{CookieName: "theme"}, true, NoDoubt},
		{"another key, named", "messages=" + messages, Options{Kind: "messages"}, false, NoDoubt},
		{"another key, named as a session", "messages=" + messages, Options{Kind: "session"}, false, OtherCookie},
		{"another key, named by another cookie name", "theme=" + theme, Options{CookieName: "mode"}, false, OtherCookie},
		{"another key, Django's cookie named as a signed cookie", messages, Options{CookieName: "messages"}, false, DjangoCookie},
		{"another key, a signed cookie named so outright", "messages=" + theme, Options{Kind: "cookie", CookieName: "messages"}, false, NoDoubt},
		{"another key, several cookies", "csrftoken=x; messages=" + messages, Options{Kind: "messages"}, false, SeveralCookies},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := []string{"other", key}
			if !tc.found {
				keys = keys[:1]
			}
			res, err := Verify(tc.text, keys, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if (res.Match != nil) != tc.found || !tc.found && (res.Doubt != tc.doubt || res.Conclusive != (tc.doubt == NoDoubt)) {
				t.Errorf("match %+v, doubt %v, conclusive %v; want found %v, doubt %v", res.Match, res.Doubt, res.Conclusive, tc.found, tc.doubt)
			}
			if tc.found && res.Match.Key != 1 {
				t.Errorf("match %+v", res.Match)
			}
		})
	}
}

// TestVerifySaysWhyACookieIsNoSignedValue: a cookie pasted with its name is
// refused for what its value lacks, not for the header around it.
func TestVerifySaysWhyACookieIsNoSignedValue(t *testing.T) {
	_, err := Verify("Set-Cookie: sessionid=k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8; Path=/", []string{"k"}, Options{})
	var bad *MalformedError
	if !errors.As(err, &bad) || !strings.Contains(bad.Reason, "no ':'") {
		t.Errorf("%v, want the reason the database backend's session id is no signed value", err)
	}
}
