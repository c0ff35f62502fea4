package signed

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// layout is how a signed value is laid out: it decides the kinds a value
// is tried as.
type layout int

const (
	// plain is Signer.sign: "value:signature".
	plain layout = iota
	// timestamped is TimestampSigner.sign: "value:timestamp:signature".
	timestamped
	// legacyHash is "hexdigest$data": the messages cookie before 3.1.
	legacyHash
)

// shape is what the payload of a timestamped value looks like. It decides
// no check: every kind whose layout a value has is tried, whatever its
// payload holds, since a site may sign what djguard cannot read (a
// serializer of its own, a payload that inflates to megabytes). The shape
// only says which kinds are likely, for describing the value and for
// advice.
type shape int

const (
	// anyText is any payload.
	anyText shape = iota
	// base64Text is what sign_object and signing.dumps write: URL-safe
	// base64 without padding, after "." when zlib-compressed.
	base64Text
	// jsonList is a JSON list as it is: the messages cookie of Django 3.1.
	jsonList
)

// value is a signed value taken apart. It may read two ways: as Signer
// writes it, and as the messages cookie before 3.1.
type value struct {
	layouts map[layout]bool
	// signed is what the HMAC covers: everything before the last ":".
	signed string
	// signature is the signature as the value carries it.
	signature string
	// algorithm is "sha256" or "sha1", told by the signature's length.
	algorithm string
	// signedAt is the TimestampSigner's timestamp, when there is one.
	signedAt time.Time
	// payload is what was signed, without the timestamp.
	payload string
	// hashed and digest are the legacyHash reading: the data after "$"
	// and the hex digest before it.
	hashed, digest string
}

func (v *value) has(l layout) bool { return v.layouts[l] }

// looks reports whether the value's payload has shape s.
func (v *value) looks(s shape) bool {
	switch s {
	case base64Text:
		return v.has(timestamped) && isBase64Payload(v.payload)
	case jsonList:
		return v.has(timestamped) && strings.HasPrefix(v.payload, "[")
	}
	return true
}

// Signature lengths in Django's encoding: URL-safe base64 without padding.
const (
	sha256Chars = 43 // 32 bytes
	sha1Chars   = 27 // 20 bytes
)

// maxTimestampChars bounds a base62 timestamp so that it fits an int64;
// Django's, seconds since 1970, are 6 characters until the year 3700.
const maxTimestampChars = 10

// MalformedError says why a value is not one Django signs with a key.
type MalformedError struct {
	Reason string
}

func (e *MalformedError) Error() string { return e.Reason }

func malformed(format string, args ...any) error {
	return &MalformedError{Reason: fmt.Sprintf(format, args...)}
}

// parse takes a value apart. It accepts the value as a browser shows a
// cookie: Python's http.cookies quotes one that holds characters a cookie
// may not, and Django unquotes it before checking the signature. A value
// with no ':' but a %3A is taken as percent-encoded.
func parse(s string) (*value, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, malformed("the value is empty")
	}
	if !utf8.ValidString(s) {
		return nil, malformed("the value is not UTF-8 text")
	}
	s = unquoteCookie(s)
	if !strings.Contains(s, ":") && strings.Contains(strings.ToLower(s), "%3a") {
		// Copied from a tool that percent-encodes cookies: Django's
		// separator comes through as %3A.
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
	}
	v := &value{layouts: map[layout]bool{}}
	if hash, data, ok := strings.Cut(s, "$"); ok && len(hash) == 40 && isLowerHex(hash) {
		// CookieStorage._legacy_decode: whatever follows the first "$" is
		// what the hex digest signs.
		v.layouts[legacyHash] = true
		v.hashed, v.digest = data, hash
	}
	if err := v.readSigner(s); err != nil {
		if v.has(legacyHash) {
			return v, nil
		}
		return nil, err
	}
	return v, nil
}

// readSigner reads s as Signer and TimestampSigner write a value.
func (v *value) readSigner(s string) error {
	cut := strings.LastIndexByte(s, ':')
	if cut < 0 {
		return malformed("it has no ':' before a signature")
	}
	signed, signature := s[:cut], s[cut+1:]
	switch {
	case len(signature) == sha256Chars && isBase64URL(signature):
		v.algorithm = "sha256"
	case len(signature) == sha1Chars && isBase64URL(signature):
		v.algorithm = "sha1"
	default:
		return malformed("the part after the last ':' is not an HMAC-SHA256 or HMAC-SHA1 signature as Django writes one (%d or %d URL-safe base64 characters)", sha256Chars, sha1Chars)
	}
	v.layouts[plain] = true
	v.signed, v.signature, v.payload = signed, signature, signed
	if p, ts, ok := cutLast(signed, ':'); ok {
		if t, ok := decodeBase62(ts); ok {
			v.layouts[timestamped] = true
			v.payload, v.signedAt = p, time.Unix(t, 0).UTC()
		}
	}
	return nil
}

func cutLast(s string, sep byte) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// isBase64Payload reports whether p is laid out as sign_object writes it:
// URL-safe base64 without padding, after "." when zlib-compressed. It
// decodes nothing: the shape is enough to describe a value.
func isBase64Payload(p string) bool {
	p = strings.TrimPrefix(p, ".")
	// No length leaves 1 over 4 in base64 without padding.
	return p != "" && len(p)%4 != 1 && isBase64URL(p)
}

// decodeBase62 reads a TimestampSigner timestamp: base 62 with digits,
// then upper case, then lower case (django.utils.baseconv.base62 in 3.2,
// signing.b62_encode from 4.0 on, the same alphabet).
func decodeBase62(s string) (int64, bool) {
	if s == "" || len(s) > maxTimestampChars {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case c >= 'A' && c <= 'Z':
			d = int64(c-'A') + 10
		case c >= 'a' && c <= 'z':
			d = int64(c-'a') + 36
		default:
			return 0, false
		}
		n = n*62 + d
	}
	return n, true
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// unquoteCookie undoes the quoting of Python's http.cookies, which Django
// uses to write cookies and to read them back: a value in double quotes
// holds \ooo octal escapes (first digit 0 to 3) for the characters a
// cookie may not carry, and a backslash before any other character stands
// for that character. Anything else is returned as it is.
func unquoteCookie(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '\\' || i+1 == len(s):
			b.WriteByte(s[i])
		case i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			// A code point from 0 to 255, which Python encodes as UTF-8
			// when it signs the text.
			b.WriteRune(rune(s[i+1]-'0')<<6 | rune(s[i+2]-'0')<<3 | rune(s[i+3]-'0'))
			i += 3
		default:
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
