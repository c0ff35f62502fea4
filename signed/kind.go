// Package signed knows the values Django signs with SECRET_KEY, as Django
// 3.2 to 6.0 sign them: the cookie of the signed_cookies session backend,
// the messages cookie (and the older formats Django 3.2 and 4.0 still
// read), request.get_signed_cookie values, and signing.dumps,
// TimestampSigner and Signer tokens. Given a value and candidate keys, it
// tells which key signed it, offline. It never prints, and never returns
// a key: the caller names keys by their position.
package signed

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is one thing Django signs with SECRET_KEY, as Django signs it.
type Kind struct {
	// Name is short and stable, for tests and machines: "session",
	// "messages", "messages-3.1", "messages-legacy", "cookie", "dumps",
	// "timestamp", "signer".
	Name string
	// Description says what the kind is, for a person, in a few words
	// without parentheses.
	Description string
	// releases say which Django releases make or read the kind's values,
	// signed with SHA-256 and with SHA-1, after the word Django (see
	// Match.Releases).
	releases releases
	// salt is the Signer's salt; Django appends "signer" to it to derive
	// the HMAC key (signing.Signer.signature).
	salt string
	// cookieKey: the signer comes from signing.get_cookie_signer, whose key
	// is "django.http.cookies" followed by SECRET_KEY.
	cookieKey bool
	// layout is how the kind's values are laid out; a value is tried as
	// every kind whose layout it has.
	layout layout
	// shape is what the kind's payloads look like: it makes the kind
	// likely, never a condition of trying it.
	shape shape
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

// Options says what the caller knows of where a value came from. A value
// is named when one of its fields is set: Verify then tries only the kinds
// named, and a value no candidate signed as one of them rules each
// candidate out. Unnamed, it tries every kind it knows with its default
// salt, and a no-match rules out nothing, since a site signs values of its
// own with salts Verify cannot guess.
type Options struct {
	// Kind names the kind of the value, by one of Names; "messages" names
	// the messages cookie in each format Django has written.
	Kind string
	// CookieName is the name of the cookie a request.get_signed_cookie
	// value came from: Django salts the signature with it. Given without
	// Kind, it names the kind "cookie".
	CookieName string
	// Salt is the salt the application passes: to get_signed_cookie
	// (after the cookie name), or to signing.dumps, TimestampSigner or
	// Signer. Given alone, it names the value as one of those three
	// signed with it.
	Salt string
}

// Named reports whether opt says what the value is.
func (opt Options) Named() bool {
	return opt.Kind != "" || opt.CookieName != "" || opt.Salt != ""
}

// Names lists the names of the kinds, as Options.Kind takes them.
func Names() []string {
	return []string{"session", "messages", "messages-3.1", "messages-legacy", "cookie", "dumps", "timestamp", "signer"}
}

// Which releases make and read each kind's values, by algorithm: every
// release signed with SHA-1 until 3.1, which made SHA-256 the default of
// the new DEFAULT_HASHING_ALGORITHM; 3.1 and 3.2 still accept SHA-1, and
// 4.0 neither makes nor accepts it (release notes of 3.1 and 4.0).
var (
	anyRelease = releases{
		sha256: "3.1 and later",
		sha1:   "3.0 and earlier, or 3.1 and 3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1'",
	}
	messagesReleases = releases{
		sha256: "3.2 and later",
		sha1:   "3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1'",
	}
	messages31Releases = releases{
		sha256: "3.1 wrote it; 3.2 and 4.0 still read it",
		sha1:   "3.1 wrote it with DEFAULT_HASHING_ALGORITHM = 'sha1'; 3.2 still reads it",
	}
	messagesLegacyReleases = releases{
		sha1: "3.0 and earlier wrote it, always with SHA-1; 3.1 and 3.2 still read it",
	}
)

// releases name Django releases, after the word Django, by the algorithm
// of the signature.
type releases struct{ sha256, sha1 string }

// The kinds whose salts Django fixes.
var (
	sessionKind = Kind{Name: "session", Description: "the session cookie of the signed_cookies session backend",
		releases: anyRelease, salt: sessionSalt, layout: timestamped, shape: base64Text}
	messagesKind = Kind{Name: "messages", Description: "the messages cookie of CookieStorage or the default FallbackStorage",
		releases: messagesReleases, salt: messagesSalt, cookieKey: true, layout: timestamped, shape: base64Text}
	messages31Kind = Kind{Name: "messages-3.1", Description: "the messages cookie in Django 3.1's format",
		releases: messages31Releases, salt: messagesSalt, cookieKey: true, layout: timestamped, shape: jsonList}
	messagesLegacyKind = Kind{Name: "messages-legacy", Description: "the messages cookie in the format before Django 3.1",
		releases: messagesLegacyReleases, layout: legacyHash}
)

// Kinds lists the kinds opt names (when it names none, every kind with
// Django's default salts), in the order Verify tries them. Verify may try
// more, those a cookie's name suggests, but only these can rule a key out.
// The error says why opt names no kind: an unknown name, or a cookie name
// or salt that the kind named does not take.
func Kinds(opt Options) ([]Kind, error) {
	if opt.Kind == "" && opt.CookieName != "" {
		opt.Kind = "cookie"
	}
	if opt.CookieName != "" && opt.Kind != "cookie" {
		return nil, fmt.Errorf("a cookie name goes with kind cookie, a value the site reads with request.get_signed_cookie; kind %s takes none", opt.Kind)
	}
	switch opt.Kind {
	case "":
		if opt.Salt != "" {
			// signing.dumps and TimestampSigner sign alike: which of
			// the two a match names is told by the value's shape.
			return []Kind{dumpsKind(opt.Salt), timestampKind(opt.Salt), signerKind(opt.Salt)}, nil
		}
		return []Kind{sessionKind, messagesKind, messages31Kind, messagesLegacyKind,
			dumpsKind(""), timestampKind(""), signerKind("")}, nil
	case "cookie":
		if opt.CookieName == "" {
			return nil, errors.New("kind cookie needs the cookie's name: Django salts the signature with it")
		}
		return []Kind{cookieKind(opt.CookieName, opt.Salt)}, nil
	case "dumps":
		return []Kind{dumpsKind(opt.Salt)}, nil
	case "timestamp":
		return []Kind{timestampKind(opt.Salt)}, nil
	case "signer":
		return []Kind{signerKind(opt.Salt)}, nil
	}
	fixed := map[string][]Kind{
		"session":         {sessionKind},
		"messages":        {messagesKind, messages31Kind, messagesLegacyKind},
		"messages-3.1":    {messages31Kind},
		"messages-legacy": {messagesLegacyKind},
	}
	kinds, ok := fixed[opt.Kind]
	switch {
	case !ok:
		return nil, fmt.Errorf("no kind is named %s; the kinds are %s", quote(opt.Kind), strings.Join(Names(), ", "))
	case opt.Salt != "":
		return nil, fmt.Errorf("kind %s takes no salt: Django fixes it", opt.Kind)
	}
	return kinds, nil
}

// cookieKind is a cookie named name that the site reads with
// request.get_signed_cookie(name, salt=salt).
func cookieKind(name, salt string) Kind {
	return Kind{Name: "cookie",
		Description: "a signed cookie named " + quote(name) + saltNote(salt) + ", as request.get_signed_cookie reads it",
		releases:    anyRelease, salt: name + salt, cookieKey: true, layout: timestamped}
}

// dumpsKind is signing.dumps, or sign_object on a TimestampSigner, with
// salt, or with its default salt for "".
func dumpsKind(salt string) Kind {
	k := saltedKind("dumps", "a signing.dumps value", dumpsSalt, timestamped, salt)
	k.shape = base64Text
	return k
}

// timestampKind is TimestampSigner with salt, or its default salt for "".
func timestampKind(salt string) Kind {
	return saltedKind("timestamp", "a TimestampSigner value", timestampSignerSalt, timestamped, salt)
}

// signerKind is Signer with salt, or its default salt for "".
func signerKind(salt string) Kind {
	return saltedKind("signer", "a Signer value", signerSalt, plain, salt)
}

// saltedKind is a signer any Django release makes, with salt, or with
// defaultSalt for "".
func saltedKind(name, what, defaultSalt string, l layout, salt string) Kind {
	k := Kind{Name: name, Description: what + saltOrDefault(salt), releases: anyRelease, salt: salt, layout: l}
	if salt == "" {
		k.salt = defaultSalt
	}
	return k
}

func saltOrDefault(salt string) string {
	if salt == "" {
		return " with the default salt"
	}
	return saltNote(salt)
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
