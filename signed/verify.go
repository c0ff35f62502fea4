package signed

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
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
	// value as what the caller named it: the value was named, and is laid
	// out and shaped as a kind named writes its values (for the session
	// and messages cookies and signing.dumps, URL-safe base64; Verify
	// reads no payload). Unnamed, it is never conclusive: a site signs
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
		if v.has(k.layout) {
			res.Tried = append(res.Tried, k)
		}
	}
	// Kinds that sign alike (the messages cookie of 3.1 and of 3.2,
	// signing.dumps and TimestampSigner with one salt) are told apart by
	// shape: the likely ones are tried first.
	for _, likely := range []bool{true, false} {
		for _, k := range res.Tried {
			if v.looks(k.shape) != likely {
				continue
			}
			if i := signer(k, v, keys); i >= 0 {
				res.Match = &Match{Kind: k, Key: i, Algorithm: v.algorithm}
				switch k.layout {
				case legacyHash:
					res.Match.Algorithm = "sha1"
				case timestamped:
					res.Match.SignedAt = v.signedAt
				}
				return res, nil
			}
		}
	}
	// Named, a value rules the candidates out as a kind it may be: one
	// laid out and shaped as the kind's values are, as every value Django
	// writes is, whatever its payload holds.
	for _, k := range res.Tried {
		res.Conclusive = res.Conclusive || res.Named && v.looks(k.shape)
	}
	return res, nil
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
