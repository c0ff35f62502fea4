// Package keygen makes Django secret keys exactly as Django's
// get_random_secret_key does: each character drawn independently and
// uniformly from Django's 50-character alphabet with a cryptographic source.
package keygen

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Alphabet is the character set of django.core.management.utils.get_random_secret_key.
const Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"

// Length is the length of a key made by get_random_secret_key, and the
// minimum length Django's deploy check (security.W009) accepts.
const Length = 50

// MaxLength bounds the length a caller may ask for; far longer keys add
// nothing and only hide mistakes such as a stray extra digit.
const MaxLength = 4096

// acceptBelow is the largest multiple of len(Alphabet) that fits in a byte.
// Bytes at or above it are rejected, so that byte % len(Alphabet) is uniform
// (no modulo bias).
const acceptBelow = 256 - 256%len(Alphabet)

// ErrTooShort is returned for a length Django's deploy check would reject.
var ErrTooShort = fmt.Errorf("a key shorter than %d characters fails Django's deploy check (security.W009)", Length)

// New returns a fresh key of Django's default length from crypto/rand.
func New() (string, error) {
	return Generate(rand.Reader, Length)
}

// Generate returns a key of the given length whose characters are drawn
// uniformly from Alphabet using bytes read from r. r must be a
// cryptographically secure source in production; tests may pass a
// deterministic one. It refuses lengths under Length and over MaxLength.
func Generate(r io.Reader, length int) (string, error) {
	if length < Length {
		return "", ErrTooShort
	}
	if length > MaxLength {
		return "", fmt.Errorf("a key of %d characters is longer than the %d djguard makes", length, MaxLength)
	}
	key := make([]byte, 0, length)
	// Rejection discards about 2% of bytes; asking for a little more than
	// needed keeps it to one read in almost every case.
	buf := make([]byte, length+length/8+8)
	for len(key) < length {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("read random bytes: %w", err)
		}
		for _, b := range buf {
			if int(b) >= acceptBelow {
				continue
			}
			key = append(key, Alphabet[int(b)%len(Alphabet)])
			if len(key) == length {
				break
			}
		}
	}
	return string(key), nil
}

// Problem says why Django's deploy check would reject a key, or "" when it
// would accept it. It applies security.W009's rules: an empty key, fewer than
// Length characters, fewer than MinUnique distinct characters, or the
// django-insecure- prefix that startproject writes.
func Problem(key string) string {
	switch {
	case key == "":
		return "the key is empty"
	case utf8.RuneCountInString(key) < Length:
		return fmt.Sprintf("the key has %d characters; Django wants at least %d", utf8.RuneCountInString(key), Length)
	case UniqueChars(key) < MinUnique:
		return fmt.Sprintf("the key has fewer than %d distinct characters", MinUnique)
	case strings.HasPrefix(key, InsecurePrefix):
		return "the key starts with " + InsecurePrefix + ", the mark of a development key made by startproject"
	}
	return ""
}

// Weak reports whether Problem has something to say about key, without
// composing the sentence: the detector asks it of every value it judges.
func Weak(key string) bool {
	return utf8.RuneCountInString(key) < Length || UniqueChars(key) < MinUnique ||
		strings.HasPrefix(key, InsecurePrefix)
}

// MinUnique is Django's SECRET_KEY_MIN_UNIQUE_CHARACTERS.
const MinUnique = 5

// InsecurePrefix is Django's SECRET_KEY_INSECURE_PREFIX.
const InsecurePrefix = "django-insecure-"

// UniqueChars counts the distinct characters of s, as Python's len(set(s))
// does for the deploy check.
func UniqueChars(s string) int {
	var ascii [2]uint64 // the usual case, counted without a map
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return uniqueRunes(s)
		}
		if ascii[c>>6]&(1<<(c&63)) == 0 {
			ascii[c>>6] |= 1 << (c & 63)
			n++
		}
	}
	return n
}

func uniqueRunes(s string) int {
	seen := make(map[rune]struct{}, len(s))
	for _, r := range s {
		seen[r] = struct{}{}
	}
	return len(seen)
}
