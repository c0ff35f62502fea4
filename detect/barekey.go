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

var keySymbols = func() (t [256]bool) {
	for _, c := range []byte("!@#$%^&*(-_=+)") {
		t[c] = true
	}
	return t
}()

// The bare-key profile. Each threshold is set so that, with the randomness
// test added (minBareRandomness), fewer than 1 in 100,000 keys from
// get_random_secret_key are missed; TestSimulatedDjangoKeysPassTheBareProfile
// checks that with a million simulated keys. In 200,000 keys the minima
// were: entropy 4.19 bits per character (0.01st percentile 4.33), 21
// distinct characters (0.01st percentile 24), 1 symbol type (0.01st
// percentile 3). What tells a key from text is its randomness and the
// structure vetoes; these only rule out what is plainly no draw.
const (
	minEntropy     = 4.0
	minUnique      = 19
	minSymbolTypes = 2
	// An ascending step (next byte is this byte plus one) happens about
	// once per random key; the alphabet itself and sorted runs are all
	// steps.
	maxAscending = 8
	// minProfileLen and maxProfileLen bound what is judged at all: a key
	// from get_random_secret_key is 50 characters; keys made longer on
	// purpose are accepted up to maxProfileLen.
	minProfileLen = 50
	maxProfileLen = 100
	// minBareRandomness is the randomness (bits per character over text,
	// see randomness.go) a bare key must have: in a million Django keys the
	// lowest was about 1.5, while hyphen-joined words, anchors, lockfile
	// names and query strings score below 0.5.
	minBareRandomness = 1.0
)

// A random-looking value of any alphabet under a key's name: at least
// minRandomLen characters, minRandomUnique distinct ones, and
// minRandomness bits per character over text.
const (
	minRandomLen    = 16
	minRandomUnique = 8
	minRandomness   = 0.5
)

// djangoShaped reports whether s has the profile of a key made by Django's
// get_random_secret_key: only characters of Django's alphabet, and the
// entropy, variety, symbols and randomness a random draw from it has.
func djangoShaped(s string) bool {
	if len(s) < minProfileLen || len(s) > maxProfileLen {
		return false
	}
	var counts [256]uint8 // len(s) <= maxProfileLen < 256
	var symbolTypes, ascending, unique int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !keyAlphabet[c] {
			return false
		}
		if counts[c] == 0 {
			unique++
			if keySymbols[c] {
				symbolTypes++
			}
		}
		counts[c]++
		if i > 0 && c == s[i-1]+1 {
			ascending++
		}
	}
	if unique < minUnique || symbolTypes < minSymbolTypes || ascending > maxAscending {
		return false
	}
	return runEntropy(&counts, len(s)) >= minEntropy && randomness(s) >= minBareRandomness
}

// runEntropy is entropy for a run of the key alphabet between
// minProfileLen and maxProfileLen long. It adds the same terms in the same
// order as entropy, read from a table: runs are judged by the thousand in
// lockfiles and URLs, and the logarithms were most of the cost.
func runEntropy(counts *[256]uint8, n int) float64 {
	h := 0.0
	terms := &entropyTerms[n-minProfileLen]
	for _, c := range keyChars {
		if k := counts[c]; k > 0 {
			h -= terms[k]
		}
	}
	return h
}

// keyChars is the key alphabet in byte order.
var keyChars = func() (out []byte) {
	for c := 0; c < 256; c++ {
		if keyAlphabet[c] {
			out = append(out, byte(c))
		}
	}
	return out
}()

// entropyTerms[n-minProfileLen][k] is p*log2(p) for p = k/n.
var entropyTerms = func() (t [maxProfileLen - minProfileLen + 1][maxProfileLen + 1]float64) {
	for n := minProfileLen; n <= maxProfileLen; n++ {
		for k := 1; k <= n; k++ {
			p := float64(k) / float64(n)
			t[n-minProfileLen][k] = p * math.Log2(p)
		}
	}
	return t
}()

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
// secrets.token_urlsafe, token_hex, base64 of random bytes, printable
// ASCII, letters and digits, from 16 characters up. Its pairs of
// characters must be those of a random draw rather than of text (see
// randomness), and it must not be a sorted or repeated run, a walk along
// a keyboard row or a mash of its home row, or a placeholder shouted
// between marks.
func randomLooking(v string) bool {
	if len(v) < minRandomLen || len(v) > 512 || strings.Contains(v, "://") {
		return false
	}
	var seen [128]bool
	ascending, unique := 0, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if !seen[c] {
			seen[c] = true
			unique++
		}
		if i > 0 && c == v[i-1]+1 {
			ascending++
		}
	}
	if ascending*4 > len(v) || unique < minRandomUnique || keyboardWalk(v) || homeRowMash(v) || isShouted(v) {
		return false
	}
	return randomness(v) >= minRandomness && randomnessAs(deleet(v), alphabetSize(v)) >= minRandomness
}

// findRuns looks at every run of Django's key alphabet long enough to be
// a generated key (minProfileLen): a run that holds django-insecure- gives
// insecure-key claims, any other run is judged against the bare-key
// profile. A run of at least minProfileLen characters must cover one of the
// offsets minProfileLen-1, 2*minProfileLen-1, ..., so only those are looked
// at: on ordinary text this reads a fraction of the bytes. Shorter
// django-insecure- values are found where a key name gives them context.
func (d *doc) findRuns() {
	d.findRunsIn(0, len(d.b))
}

// findRunsIn is findRuns over the runs that lie within b[lo:hi].
func (d *doc) findRunsIn(lo, hi int) {
	b := d.b
	covered := lo // bytes before this offset belong to runs already judged
	for i := lo + minProfileLen - 1; i < hi; i += minProfileLen {
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
// into the run (key=..., --secret=...) is cut off first. In a compose file
// the run is judged, and reported, as Compose passes it ($$ as $). A run with the
// structure of text that machines write (see structured) is no key,
// whatever its characters.
func (d *doc) bareRun(s, e int) {
	run := d.b[s:e]
	if eq := bytes.IndexByte(run, '='); eq >= 0 && e-(s+eq+1) >= minProfileLen {
		if v := d.composeUnescape(string(run[eq+1:])); djangoShaped(v) {
			if !isOtherCredential(run[:eq]) && !structured(run) {
				d.out = append(d.out, candidate{span: span{start: s + eq + 1, end: e, value: v}, verdict: d.severityInTests(verdict{BareKey, High}), anchor: s})
			}
			return
		}
	}
	if v := d.composeUnescape(string(run)); isBareKey(v) {
		d.out = append(d.out, candidate{span: span{start: s, end: e, value: v}, verdict: d.severityInTests(verdict{BareKey, High}), anchor: s})
	}
}

// isBareKey reports whether a whole run of the key alphabet is a key: the
// profile of a generated key, and none of the structure of machine-written
// text (structured is looked at last: few runs get that far).
func isBareKey(v string) bool {
	return djangoShaped(v) && !structured([]byte(v))
}

// structured reports whether a run of the key alphabet has a shape that
// text written by programs has and a random draw almost never does (each
// rule passes a key from get_random_secret_key with a chance under 1 in a
// million; TestSimulatedDjangoKeysPassTheBareProfile checks them
// together):
//
//   - a query string or URL fragment: two or more name=value pairs joined
//     by '&' (page=1&page_size=50, #access_token=...&state=...);
//   - a package spec with a version (babel-plugin-x@^6, where '.' ended
//     the run);
//   - a pip VCS requirement's #egg=;
//   - URL-encoded text: four or more %XX escapes of printable characters
//     (%20, %2f, %3a);
//   - a substring of six or more characters written twice
//     ($export$...$export$, a_b__c_d__...);
//   - a hash: twenty or more hex digits in a row (a lockfile's
//     path#sha1, a commit in a URL);
//   - words in parentheses: four or more groups of letters between '('
//     and ')' (PostScript's show strings, "(deriv)n(ed)e(t)", as TeX
//     writes them into a reference card; a random draw has one such group
//     in fifty).
func structured(run []byte) bool {
	return queryString(run) || packageSpec(run) || bytes.Contains(run, []byte("#egg=")) ||
		percentEscapes(run) >= 4 || repeats(run, 6) || longestHexRun(run) >= 20 || wordGroups(run) >= 4
}

// wordGroups counts the groups of one or more lower-case letters between
// '(' and ')'.
func wordGroups(run []byte) int {
	n := 0
	for i := 0; i < len(run); i++ {
		if run[i] != '(' {
			continue
		}
		j := i + 1
		for j < len(run) && run[j] >= 'a' && run[j] <= 'z' {
			j++
		}
		if j > i+1 && j < len(run) && run[j] == ')' {
			n++
			i = j
		}
	}
	return n
}

// longestHexRun is the length of the longest run of lower-case hex digits.
func longestHexRun(run []byte) int {
	longest, n := 0, 0
	for _, c := range run {
		if isHexDigit(c) {
			n++
			longest = max(longest, n)
		} else {
			n = 0
		}
	}
	return longest
}

// queryString reports whether run holds two or more name=value pairs
// joined by '&', where a name is three or more letters or '_' and a value
// holds no symbol but '-', '_' and '.'. The first pair may follow a '#'.
func queryString(run []byte) bool {
	if bytes.IndexByte(run, '&') < 0 {
		return false
	}
	parts := bytes.Split(run, []byte("&"))
	if i := bytes.LastIndexByte(parts[0], '#'); i >= 0 {
		parts[0] = parts[0][i+1:]
	}
	pairs := 0
	for _, part := range parts {
		if isQueryPair(part) {
			pairs++
		}
	}
	return pairs >= 2
}

func isQueryPair(part []byte) bool {
	eq := bytes.IndexByte(part, '=')
	if eq < 3 {
		return false
	}
	for _, c := range part[:eq] {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	for _, c := range part[eq+1:] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// packageSpec reports whether run is a package name and a version range,
// as lockfiles write them: letters, digits, '-' and '_', then '@', an
// optional '^' or '~', and digits to the end of the run.
func packageSpec(run []byte) bool {
	at := bytes.LastIndexByte(run, '@')
	if at < 1 || at+1 >= len(run) {
		return false
	}
	v := run[at+1:]
	if v[0] == '^' || v[0] == '~' {
		v = v[1:]
	}
	if len(v) == 0 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, c := range run[:at] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// percentEscapes counts the %XX escapes of printable ASCII in run (the
// lower-case hex of the key alphabet: %20 to %7e).
func percentEscapes(run []byte) int {
	n := 0
	for i := 0; i+2 < len(run); i++ {
		if run[i] == '%' && run[i+1] >= '2' && run[i+1] <= '7' && isHexDigit(run[i+2]) {
			n++
		}
	}
	return n
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
}

// repeats reports whether some substring of n bytes occurs twice in run
// without overlapping.
func repeats(run []byte, n int) bool {
	for i := 0; i+2*n <= len(run); i++ {
		if bytes.Contains(run[i+n:], run[i:i+n]) {
			return true
		}
	}
	return false
}

// otherCredentials are names of credentials that are not Django keys: a
// random value after client_secret= is an OAuth client's.
var otherCredentials = []string{
	"client_secret", "client_id", "api_key", "apikey", "api_secret", "access_token", "refresh_token",
	"token", "password", "passwd", "secret_access_key", "access_key", "private_key", "auth_token",
}

func isOtherCredential(name []byte) bool {
	n := strings.TrimLeft(strings.ToLower(string(name)), "-_")
	for _, c := range otherCredentials {
		if n == c || strings.HasSuffix(n, "_"+c) || strings.HasSuffix(n, "-"+c) {
			return true
		}
	}
	return false
}
