package detect

import (
	"bytes"
	"math"
	"strings"
)

// keyAlphabet is Django's key alphabet as a lookup table.
var keyAlphabet = func() (t [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)") {
		t[c] = true
	}
	return t
}()

func isKeySymbol(c byte) bool {
	return strings.IndexByte("!@#$%^&*(-_=+)", c) >= 0
}

// The bare-key profile. Each threshold was set against 200,000 keys from
// Python's secrets module, where a Django key's minima were: entropy 4.19
// bits per character (0.01st percentile 4.33), 21 distinct characters
// (0.01st percentile 24), 1 symbol type (0.01st percentile 3), 0 digits
// (0.01st percentile 1). TestBareProfileAcceptsDjangoKeys checks the miss
// rate with a simulation; TestBareProfileRejects checks look-alikes.
const (
	minEntropy     = 4.25
	minUnique      = 23
	minSymbolTypes = 3
	minDigits      = 1
	// An ascending step (next byte is this byte plus one) happens about
	// once per random key; the alphabet itself and sorted runs are all
	// steps.
	maxAscending = 8
	// minProfileLen and maxProfileLen bound what is judged at all: a key
	// from get_random_secret_key is 50 characters; keys made longer on
	// purpose are accepted up to maxProfileLen.
	minProfileLen = 50
	maxProfileLen = 100
)

// djangoShaped reports whether s has the profile of a key made by Django's
// get_random_secret_key: only characters of Django's alphabet, and the
// entropy, variety, symbols and digits a random draw from it has.
func djangoShaped(s string) bool {
	if len(s) < minProfileLen || len(s) > maxProfileLen {
		return false
	}
	var counts [256]int
	var symbolTypes, digits, ascending, unique int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !keyAlphabet[c] {
			return false
		}
		if counts[c] == 0 {
			unique++
			if isKeySymbol(c) {
				symbolTypes++
			}
		}
		counts[c]++
		if c >= '0' && c <= '9' {
			digits++
		}
		if i > 0 && c == s[i-1]+1 {
			ascending++
		}
	}
	if unique < minUnique || symbolTypes < minSymbolTypes || digits < minDigits || ascending > maxAscending {
		return false
	}
	return entropy(counts[:], len(s)) >= minEntropy
}

// entropy is the Shannon entropy in bits per character of a string with
// these byte counts.
func entropy(counts []int, n int) float64 {
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(n)
			h -= p * math.Log2(p)
		}
	}
	return h
}

// randomLooking reports whether v looks machine-generated in any alphabet:
// secrets.token_urlsafe, printable ASCII, letters and digits. Random text
// of 32 characters or more from an alphabet of 36 or more has an entropy of
// 4.5 bits per character or more; words, sentences, paths and URLs stay
// well under it.
func randomLooking(v string) bool {
	if len(v) < 32 || len(v) > 512 || strings.Contains(v, "://") {
		return false
	}
	var counts [256]int
	unique := 0
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return false
		}
		if counts[v[i]] == 0 {
			unique++
		}
		counts[v[i]]++
	}
	return unique >= 20 && entropy(counts[:], len(v)) >= 4.5
}

// findRuns looks at every run of Django's key alphabet long enough to be
// a generated key (minProfileLen): a run that holds django-insecure- gives
// insecure-key claims, any other run is judged against the bare-key
// profile. A run of at least minProfileLen characters must cover one of the
// offsets minProfileLen-1, 2*minProfileLen-1, ..., so only those are looked
// at: on ordinary text this reads a fraction of the bytes. Shorter
// django-insecure- values are found where a key name gives them context.
func (d *doc) findRuns() {
	b := d.b
	covered := 0 // bytes before this offset belong to runs already judged
	for i := minProfileLen - 1; i < len(b); i += minProfileLen {
		if i < covered || !keyAlphabet[b[i]] {
			continue
		}
		e := i + 1
		for e < len(b) && keyAlphabet[b[e]] {
			e++
		}
		// Only as far left as a run of minProfileLen needs.
		s := i
		for s > 0 && e-s < minProfileLen && keyAlphabet[b[s-1]] {
			s--
		}
		if e-s < minProfileLen {
			covered = e
			continue
		}
		for s > 0 && keyAlphabet[b[s-1]] {
			s--
		}
		covered = e
		if bytes.Contains(b[s:e], insecurePrefix) {
			d.insecureRun(s, e)
		} else if e-s <= maxProfileLen+len("secret_key=") {
			d.bareRun(s, e)
		}
	}
}

// bareRun judges one run; a leading NAME= or NAME: that the alphabet lets
// into the run (key=..., --secret=...) is cut off first.
func (d *doc) bareRun(s, e int) {
	if eq := bytes.IndexByte(d.b[s:e], '='); eq >= 0 && e-(s+eq+1) >= minProfileLen {
		if v := string(d.b[s+eq+1 : e]); djangoShaped(v) {
			d.out = append(d.out, candidate{span: span{start: s + eq + 1, end: e, value: v}, verdict: d.severityInTests(verdict{BareKey, High}), anchor: s})
			return
		}
	}
	if v := string(d.b[s:e]); djangoShaped(v) {
		d.out = append(d.out, candidate{span: span{start: s, end: e, value: v}, verdict: d.severityInTests(verdict{BareKey, High}), anchor: s})
	}
}
