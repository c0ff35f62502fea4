package signed

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// layout is the shape of a signed value.
type layout int

const (
	// plain is Signer.sign: "value:signature".
	plain layout = iota
	// timestamped is TimestampSigner.sign: "value:timestamp:signature".
	timestamped
	// object is sign_object and signing.dumps: a timestamped value whose
	// value is URL-safe base64 (after "." when zlib-compressed) of JSON
	// or, for sessions before Django 5.0, of a pickle.
	object
	// jsonText is a timestamped value whose value is a JSON list as it
	// is: the messages cookie of Django 3.1.
	jsonText
	// legacyHash is "hexdigest$JSON": the messages cookie before 3.1.
	legacyHash
)

func (l layout) String() string {
	switch l {
	case plain:
		return "value:signature"
	case timestamped:
		return "value:timestamp:signature"
	case object:
		return "base64 JSON:timestamp:signature, as signing.dumps writes it"
	case jsonText:
		return "JSON:timestamp:signature"
	case legacyHash:
		return "hash$JSON"
	}
	return "unknown"
}

// value is a signed value taken apart.
type value struct {
	layouts map[layout]bool
	// signed is what the HMAC covers: everything before the last ":" (or,
	// for legacyHash, the JSON after "$").
	signed string
	// signature is the signature as the value carries it.
	signature string
	// algorithm is "sha256" or "sha1", told by the signature's length.
	algorithm string
	// signedAt is the TimestampSigner's timestamp, when there is one.
	signedAt time.Time
	// payload is what was signed, without the timestamp.
	payload string
}

func (v *value) has(l layout) bool { return v.layouts[l] }

// Signature lengths in Django's encoding: URL-safe base64 without padding.
const (
	sha256Chars = 43 // 32 bytes
	sha1Chars   = 27 // 20 bytes
)

// maxTimestampChars bounds a base62 timestamp so that it fits an int64;
// Django's, seconds since 1970, are 6 characters until the year 3700.
const maxTimestampChars = 10

// maxInflated bounds what a compressed payload may inflate to, in bytes,
// when telling its layout: Django caps cookies far below it.
const maxInflated = 1 << 20

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
	if v, ok := parseLegacyHash(s); ok {
		return v, nil
	}
	cut := strings.LastIndexByte(s, ':')
	if cut < 0 {
		return nil, malformed("it has no ':' before a signature")
	}
	v := &value{layouts: map[layout]bool{plain: true}, signed: s[:cut], signature: s[cut+1:], payload: s[:cut]}
	switch {
	case len(v.signature) == sha256Chars && isBase64URL(v.signature):
		v.algorithm = "sha256"
	case len(v.signature) == sha1Chars && isBase64URL(v.signature):
		v.algorithm = "sha1"
	default:
		return nil, malformed("the part after the last ':' is not an HMAC-SHA256 or HMAC-SHA1 signature as Django writes one (%d or %d URL-safe base64 characters)", sha256Chars, sha1Chars)
	}
	if p, ts, ok := cutLast(v.signed, ':'); ok {
		if t, ok := decodeBase62(ts); ok {
			v.layouts[timestamped] = true
			v.payload, v.signedAt = p, time.Unix(t, 0).UTC()
			if isObject(p) {
				v.layouts[object] = true
			}
			if strings.HasPrefix(p, "[") && json.Valid([]byte(p)) {
				v.layouts[jsonText] = true
			}
		}
	}
	return v, nil
}

// parseLegacyHash reads the messages cookie of Django 3.0 and earlier:
// 40 hex digits, "$", and the JSON list they sign.
func parseLegacyHash(s string) (*value, bool) {
	hash, data, ok := strings.Cut(s, "$")
	if !ok || len(hash) != 40 || !isLowerHex(hash) || !json.Valid([]byte(data)) {
		return nil, false
	}
	return &value{layouts: map[layout]bool{legacyHash: true}, signed: data, signature: hash, algorithm: "sha1", payload: data}, true
}

func cutLast(s string, sep byte) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

// isObject reports whether p is what sign_object writes: URL-safe base64
// without padding, after "." when zlib-compressed, of JSON or a pickle.
func isObject(p string) bool {
	compressed := strings.HasPrefix(p, ".")
	p = strings.TrimPrefix(p, ".")
	if p == "" || !isBase64URL(p) {
		return false
	}
	data, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return false
	}
	if compressed {
		r, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return false
		}
		data, err = io.ReadAll(io.LimitReader(r, maxInflated+1))
		if err != nil || len(data) > maxInflated {
			return false
		}
	}
	// A pickle starts with the PROTO opcode and a protocol number: the
	// sessions' PickleSerializer, deprecated in 4.1 and removed in 5.0.
	if len(data) >= 2 && data[0] == 0x80 && data[1] >= 2 && data[1] <= 5 {
		return true
	}
	return json.Valid(data)
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
