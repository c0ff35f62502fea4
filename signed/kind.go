// Package signed knows the values Django signs with SECRET_KEY, as Django
// 3.2 to 6.0 sign them: the cookie of the signed_cookies session backend,
// the messages cookie (and the older formats Django 3.2 and 4.0 still
// read), request.get_signed_cookie values, and signing.dumps,
// TimestampSigner and Signer tokens. Given a value and candidate keys, it
// tells which key signed it, offline. It never prints, and never returns
// a key: the caller names keys by their position.
package signed

import "strings"

// Kind is one thing Django signs with SECRET_KEY, as Django signs it.
type Kind struct {
	// Name is short and stable, for tests and machines: "session",
	// "messages", "messages-3.1", "messages-legacy", "cookie", "dumps",
	// "timestamp", "signer".
	Name string
	// Description says what the kind is, for a person, in a few words
	// without parentheses.
	Description string
	// Django says which releases write or read it, after the word Django.
	Django string
	// salt is the Signer's salt; Django appends "signer" to it to derive
	// the HMAC key (signing.Signer.signature).
	salt string
	// cookieKey: the signer comes from signing.get_cookie_signer, whose key
	// is "django.http.cookies" followed by SECRET_KEY.
	cookieKey bool
	// layout is the shape of the kind's values; a value is tried as the
	// kinds whose layout it has.
	layout layout
}

// Salts Django fixes (django/core/signing.py, django/contrib/sessions/
// backends/signed_cookies.py, django/contrib/messages/storage/cookie.py).
const (
	sessionSalt         = "django.contrib.sessions.backends.signed_cookies"
	messagesSalt        = "django.contrib.messages"
	dumpsSalt           = "django.core.signing"
	timestampSignerSalt = "django.core.signing.TimestampSigner"
	signerSalt          = "django.core.signing.Signer"
	// cookieKeyPrefix is what get_cookie_signer puts before SECRET_KEY.
	cookieKeyPrefix = "django.http.cookies"
)

// Options says what the caller knows of where a value came from.
type Options struct {
	// CookieName is the name of the cookie a request.get_signed_cookie
	// value came from: Django salts the signature with it. "" tries no
	// signed cookie.
	CookieName string
	// Salt is the salt the application passes: to get_signed_cookie
	// (after the cookie name), or to signing.dumps, TimestampSigner or
	// Signer, which are then tried with it as well as with their defaults.
	Salt string
}

// Kinds lists the kinds Verify tries for opt, in the order it tries them.
func Kinds(opt Options) []Kind {
	kinds := []Kind{
		{Name: "session", Description: "the session cookie of the signed_cookies session backend",
			Django: "3.2 and later", salt: sessionSalt, layout: object},
		{Name: "messages", Description: "the messages cookie of CookieStorage or the default FallbackStorage",
			Django: "3.2 and later", salt: messagesSalt, cookieKey: true, layout: object},
		{Name: "messages-3.1", Description: "the messages cookie in Django 3.1's format",
			Django: "3.1 wrote it; 3.2 and 4.0 still read it", salt: messagesSalt, cookieKey: true, layout: jsonText},
		{Name: "messages-legacy", Description: "the messages cookie in the format before Django 3.1",
			Django: "3.0 and earlier wrote it; 3.1 and 3.2 still read it", layout: legacyHash},
	}
	if opt.CookieName != "" {
		kinds = append(kinds, Kind{Name: "cookie",
			Description: "a signed cookie named " + quote(opt.CookieName) + saltNote(opt.Salt) + ", as request.get_signed_cookie reads it",
			Django:      "3.2 and later", salt: opt.CookieName + opt.Salt, cookieKey: true, layout: timestamped})
	}
	kinds = append(kinds,
		Kind{Name: "dumps", Description: "a signing.dumps value with the default salt",
			Django: "3.2 and later", salt: dumpsSalt, layout: timestamped},
		Kind{Name: "timestamp", Description: "a TimestampSigner value with the default salt",
			Django: "3.2 and later", salt: timestampSignerSalt, layout: timestamped},
		Kind{Name: "signer", Description: "a Signer value with the default salt",
			Django: "3.2 and later", salt: signerSalt, layout: plain},
	)
	if opt.Salt != "" {
		kinds = append(kinds,
			Kind{Name: "dumps", Description: "a signing.dumps or TimestampSigner value with salt " + quote(opt.Salt),
				Django: "3.2 and later", salt: opt.Salt, layout: timestamped},
			Kind{Name: "signer", Description: "a Signer value with salt " + quote(opt.Salt),
				Django: "3.2 and later", salt: opt.Salt, layout: plain},
		)
	}
	return dedupe(kinds)
}

// dedupe drops a kind that signs exactly as an earlier one (a --salt equal
// to a default), so that a match names the more specific kind.
func dedupe(kinds []Kind) []Kind {
	type how struct {
		salt      string
		cookieKey bool
		layout    layout
	}
	seen := map[how]bool{}
	out := kinds[:0]
	for _, k := range kinds {
		h := how{k.salt, k.cookieKey, k.layout}
		if seen[h] {
			continue
		}
		seen[h] = true
		out = append(out, k)
	}
	return out
}

func saltNote(salt string) string {
	if salt == "" {
		return ""
	}
	return " with salt " + quote(salt)
}

// quote shows a name or salt in single quotes, as Python would write it.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}
