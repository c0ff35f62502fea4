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
	// Named reports whether the caller said what the value is
	// (Options.Named).
	Named bool
	// Conclusive, when Match is nil, says that no candidate signed the
	// value as what the caller named it: the value was named, and has the
	// layout of a kind named. Unnamed, it is never conclusive: a site signs
	// values of its own (signed cookies, signing.dumps with a salt of the
	// application's) with salts Verify cannot guess.
	Conclusive bool
	// Likely names the kinds, by Kind.Name, that the value's layout
	// suggests it is, the likeliest first, for telling the user how to
	// name it.
	Likely []string
}

// Verify tells which of keys, if any, signed value as Django signs one of
// the kinds Kinds(opt) lists. The error says why opt names no kind, as
// Kinds does, or is a *MalformedError saying why the value is of none of
// the kinds. Verify compares
// signatures in constant time, and keeps no key.
func Verify(value string, keys []string, opt Options) (Result, error) {
	kinds, err := Kinds(opt)
	if err != nil {
		return Result{}, err
	}
	v, err := parse(value)
	if err != nil {
		return Result{}, err
	}
	res := Result{Layout: v.describe(), Named: opt.Named(), Likely: v.likely()}
	for _, k := range kinds {
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
	res.Conclusive = res.Named && len(res.Tried) > 0
	return res, nil
}

// likely names the kinds the value's layout suggests, the likeliest
// first. Any timestamped value may be a signed cookie or a TimestampSigner
// value, whatever it holds.
func (v *value) likely() []string {
	switch {
	case v.has(legacyHash):
		return []string{"messages"}
	case v.has(object):
		return []string{"session", "messages", "dumps", "cookie", "timestamp"}
	case v.has(jsonText):
		return []string{"messages", "cookie", "timestamp"}
	case v.has(timestamped):
		return []string{"cookie", "timestamp"}
	}
	return []string{"signer"}
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
