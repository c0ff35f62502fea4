package signed

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"slices"
	"strings"
	"time"
)

// Match says who signed a value, and how.
type Match struct {
	Kind Kind
	// Key is the index, in the candidates given to Verify, of the key that
	// signed the value.
	Key int
	// Algorithm is "sha256" or "sha1". Django 3.0 and earlier sign with
	// SHA-1 only; 3.1 and 3.2 with SHA-256 unless DEFAULT_HASHING_ALGORITHM
	// is "sha1", and accept SHA-1 either way; 4.0 and later neither make
	// nor accept SHA-1 signatures.
	Algorithm string
	// SignedAt is when the value was signed, by its TimestampSigner
	// timestamp; zero for kinds that carry none.
	SignedAt time.Time
}

// Releases says which Django releases make (or read) a value of the
// match's kind signed with its algorithm, after the word Django.
func (m *Match) Releases() string {
	if m.Algorithm == "sha1" {
		return m.Kind.releases.sha1
	}
	return m.Kind.releases.sha256
}

// Doubt is why a value no candidate signed does not rule them out.
type Doubt int

const (
	// NoDoubt: the value was named, and is what it was named as far as
	// its layout and shape tell: no candidate signed it.
	NoDoubt Doubt = iota
	// NotNamed: the caller did not say what the value is, and a site
	// signs values of its own with salts Verify cannot guess.
	NotNamed
	// NotLaidOut: the value is not laid out or shaped as the kinds named
	// write their values.
	NotLaidOut
	// OtherCookie: the value came as NAME=value, and that cookie is not
	// what the value was named: a cookie name other than the one given,
	// or Django's sessionid or messages cookie named another kind.
	OtherCookie
	// SeveralCookies: the value is a Cookie header holding several
	// cookies, not one value.
	SeveralCookies
	// DjangoCookie: the cookie name given is that of Django's session or
	// messages cookie, which request.get_signed_cookie does not read, and
	// the value was not named kind cookie outright.
	DjangoCookie
)

// Result is what Verify found out about a value.
type Result struct {
	// Match is who signed the value; nil when no candidate key did.
	Match *Match
	// Tried lists the kinds Verify tried with every candidate key: those
	// named (all, unnamed) whose layout the value has, and those the
	// cookie names in sight suggest, which can find a key but never rule
	// one out.
	Tried []Kind
	// Layout describes the value's shape in words.
	Layout string
	// Conclusive, when Match is nil, says that no candidate signed the
	// value as what the caller named it: Doubt is NoDoubt.
	Conclusive bool
	// Doubt, when Match is nil, says why the value rules no candidate out.
	Doubt Doubt
	// CookieName is the name of the cookie the value came as, when it
	// was pasted as NAME=value; "" otherwise.
	CookieName string
	// Likely names the kinds, by Kind.Name, that the value's layout
	// suggests it is, the likeliest first, for telling the user how to
	// name it.
	Likely []string
}

// Verify tells which of keys, if any, signed text as Django signs one of
// the kinds Kinds(opt) lists. The text is a value, or a cookie as a Cookie
// or Set-Cookie header gives it (NAME=value, and attributes), each tried.
// The error says why opt names no kind, as Kinds does, or is a
// *MalformedError saying why the value is of none of the kinds. Verify
// compares signatures in constant time, and keeps no key.
func Verify(text string, keys []string, opt Options) (Result, error) {
	named, err := Kinds(opt)
	if err != nil {
		return Result{}, err
	}
	p, err := read(text)
	if err != nil {
		return Result{}, err
	}
	first := p.readings[0].v
	res := Result{Layout: first.describe(), Likely: first.likely(), CookieName: p.cookie}
	for _, k := range withHints(named, opt, p) {
		if p.has(k.layout) {
			res.Tried = append(res.Tried, k)
		}
	}
	if m := match(res.Tried, p, keys); m != nil {
		res.Match = m
		return res, nil
	}
	res.Doubt = doubt(named, opt, p)
	res.Conclusive = res.Doubt == NoDoubt
	return res, nil
}

// withHints adds to the kinds named those the names in sight suggest: a
// pasted NAME=value's cookie (as a signed cookie, when the value is not
// named), Django's session or messages cookie by its name. They can find
// the key that signed a value; they never make a no-match conclusive.
func withHints(named []Kind, opt Options, p *pasted) []Kind {
	kinds := append([]Kind(nil), named...)
	add := func(more ...Kind) {
		for _, k := range more {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	for _, name := range []string{p.cookie, opt.CookieName} {
		switch name {
		case sessionCookie:
			add(sessionKind)
		case messagesCookie:
			add(messagesKind, messages31Kind, messagesLegacyKind)
		}
	}
	if p.cookie != "" && p.cookie != sessionCookie && p.cookie != messagesCookie && !opt.Named() {
		add(cookieKind(p.cookie, ""))
	}
	return kinds
}

// match finds the kind and key that signed a reading of p. Kinds that
// sign alike (the messages cookie of 3.1 and of 3.2, signing.dumps and
// TimestampSigner with one salt) are told apart by shape: the likely ones
// are tried first.
func match(kinds []Kind, p *pasted, keys []string) *Match {
	for _, likely := range []bool{true, false} {
		for _, r := range p.readings {
			for _, k := range kinds {
				if !r.v.has(k.layout) || r.v.looks(k.shape) != likely {
					continue
				}
				if i := signer(k, r.v, keys); i >= 0 {
					m := &Match{Kind: k, Key: i, Algorithm: r.v.algorithm}
					switch k.layout {
					case legacyHash:
						m.Algorithm = "sha1"
					case timestamped:
						m.SignedAt = r.v.signedAt
					}
					return m
				}
			}
		}
	}
	return nil
}

// signer returns the index of the key that signed v as kind k, or -1.
func signer(k Kind, v *value, keys []string) int {
	for i, key := range keys {
		if k.signs(v, key) {
			return i
		}
	}
	return -1
}

// doubt says why no candidate signing p as the kinds named rules the
// candidates out, or NoDoubt.
func doubt(named []Kind, opt Options, p *pasted) Doubt {
	switch {
	case !opt.Named():
		return NotNamed
	case p.several:
		return SeveralCookies
	case opt.Kind == "" && (opt.CookieName == sessionCookie || opt.CookieName == messagesCookie):
		return DjangoCookie
	case cookieDisagrees(named, opt, p.cookie):
		return OtherCookie
	}
	// A value Django writes is laid out and shaped as its kind's are,
	// whatever its payload holds (Verify reads none).
	for _, r := range p.readings {
		for _, k := range named {
			if r.v.has(k.layout) && r.v.looks(k.shape) {
				return NoDoubt
			}
		}
	}
	return NotLaidOut
}

// cookieDisagrees reports whether the cookie a value came as is another
// than what it was named: not the cookie name given, or Django's session
// or messages cookie named as another kind.
func cookieDisagrees(named []Kind, opt Options, cookie string) bool {
	switch {
	case cookie == "":
		return false
	case opt.CookieName != "":
		return cookie != opt.CookieName
	case cookie == sessionCookie:
		return !slices.Contains(named, sessionKind)
	case cookie == messagesCookie:
		return !slices.ContainsFunc(named, isMessages)
	}
	return false
}

func isMessages(k Kind) bool { return k.salt == messagesSalt || k.layout == legacyHash }

// likely names the kinds the value's layout and shape suggest, the
// likeliest first. Any timestamped value may be a signed cookie or a
// TimestampSigner value, whatever it holds.
func (v *value) likely() []string {
	switch {
	case v.has(legacyHash):
		return []string{"messages"}
	case v.looks(base64Text):
		return []string{"session", "messages", "dumps", "cookie", "timestamp"}
	case v.looks(jsonList):
		return []string{"messages", "cookie", "timestamp"}
	case v.has(timestamped):
		return []string{"cookie", "timestamp"}
	}
	return []string{"signer"}
}

// describe says how the value is laid out, as specifically as it can.
func (v *value) describe() string {
	switch {
	case v.has(legacyHash):
		return "hash$data, as the messages cookie before Django 3.1"
	case v.looks(base64Text) && strings.HasPrefix(v.payload, "."):
		return "compressed base64:timestamp:signature, as signing.dumps writes it"
	case v.looks(base64Text):
		return "base64:timestamp:signature, as signing.dumps writes it"
	case v.looks(jsonList):
		return "JSON:timestamp:signature"
	case v.has(timestamped):
		return "value:timestamp:signature"
	}
	return "value:signature"
}

// signs reports whether key signed v as kind k signs.
func (k Kind) signs(v *value, key string) bool {
	if k.layout == legacyHash {
		// CookieStorage._legacy_hash: salted_hmac("django.contrib.messages",
		// value).hexdigest(), SHA-1 being salted_hmac's default then.
		want := saltedHMAC(sha1.New, messagesSalt, key, v.hashed)
		got, err := hex.DecodeString(v.digest)
		return err == nil && hmac.Equal(got, want)
	}
	return hmac.Equal([]byte(v.signature), []byte(k.signature(v, key)))
}

// signature is Signer.signature: base64_hmac(salt + "signer", value, key),
// with the hash the value's signature was made with.
func (k Kind) signature(v *value, key string) string {
	if k.cookieKey {
		key = cookieKeyPrefix + key
	}
	h := sha256.New
	if v.algorithm == "sha1" {
		h = sha1.New
	}
	return base64.RawURLEncoding.EncodeToString(saltedHMAC(h, k.salt+"signer", key, v.signed))
}

// saltedHMAC is django.utils.crypto.salted_hmac: HMAC of value under the
// key hash(keySalt + secret), with the same hash function.
func saltedHMAC(h func() hash.Hash, keySalt, secret, value string) []byte {
	d := h()
	d.Write([]byte(keySalt + secret))
	mac := hmac.New(h, d.Sum(nil))
	mac.Write([]byte(value))
	return mac.Sum(nil)
}
