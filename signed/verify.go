package signed

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"time"
)

// Match says who signed a value, and how.
type Match struct {
	Kind Kind
	// Key is the index, in the candidates given to Verify, of the key that
	// signed the value.
	Key int
	// Algorithm is "sha256" or "sha1". Django 3.1 and 3.2 sign with SHA-1
	// when DEFAULT_HASHING_ALGORITHM is "sha1", and accept SHA-1
	// signatures made before 3.1; Django 4.0 and later accept neither.
	Algorithm string
	// SignedAt is when the value was signed, by its TimestampSigner
	// timestamp; zero for kinds that carry none.
	SignedAt time.Time
}

// Result is what Verify found out about a value.
type Result struct {
	// Match is who signed the value; nil when no candidate key did.
	Match *Match
	// Tried lists the kinds whose layout the value has: Verify tried each
	// with every candidate key.
	Tried []Kind
	// Layout describes the value's shape in words.
	Layout string
	// Conclusive, when Match is nil, says that the kinds tried cover the
	// value: its layout shows it is one of them (a session or messages
	// cookie, a signing.dumps value), or the caller named its salt. When
	// false the value may be of a kind Verify was not told about, such as
	// a signed cookie whose name was not given, so no key is ruled out.
	Conclusive bool
}

// Verify tells which of keys, if any, signed value as Django signs one of
// the kinds Kinds(opt) lists. The error, a *MalformedError, says why the
// value is of none of them. Verify compares signatures in constant time,
// and keeps no key.
func Verify(value string, keys []string, opt Options) (Result, error) {
	v, err := parse(value)
	if err != nil {
		return Result{}, err
	}
	res := Result{Layout: v.describe()}
	for _, k := range Kinds(opt) {
		if !v.has(k.layout) {
			continue
		}
		res.Tried = append(res.Tried, k)
		for i, key := range keys {
			if k.signs(v, key) {
				m := &Match{Kind: k, Key: i, Algorithm: v.algorithm}
				if k.layout != plain && k.layout != legacyHash {
					m.SignedAt = v.signedAt
				}
				res.Match = m
				return res, nil
			}
		}
	}
	res.Conclusive = v.has(object) || v.has(jsonText) || v.has(legacyHash) || opt.CookieName != "" || opt.Salt != ""
	return res, nil
}

// describe names the most specific layout the value has.
func (v *value) describe() string {
	for _, l := range []layout{legacyHash, object, jsonText, timestamped, plain} {
		if v.has(l) {
			return l.String()
		}
	}
	return "unknown"
}

// signs reports whether key signed v as kind k signs.
func (k Kind) signs(v *value, key string) bool {
	if k.layout == legacyHash {
		// CookieStorage._legacy_hash: salted_hmac("django.contrib.messages",
		// value).hexdigest(), SHA-1 being salted_hmac's default then.
		want := saltedHMAC(sha1.New, messagesSalt, key, v.signed)
		got, err := hex.DecodeString(v.signature)
		return err == nil && hmac.Equal(got, want)
	}
	if k.cookieKey {
		key = cookieKeyPrefix + key
	}
	h := sha256.New
	if v.algorithm == "sha1" {
		h = sha1.New
	}
	// Signer.signature: base64_hmac(salt + "signer", value, key).
	want := base64.RawURLEncoding.EncodeToString(saltedHMAC(h, k.salt+"signer", key, v.signed))
	return hmac.Equal([]byte(v.signature), []byte(want))
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
