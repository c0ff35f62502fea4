package detect

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/djguard/djguard/keygen"
)

var insecurePrefix = []byte(keygen.InsecurePrefix)

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

// insecureRun claims each django-insecure- key in a run: the prefix and
// the key characters after it, up to the next prefix.
func (d *doc) insecureRun(s, e int) {
	for s < e {
		i := bytes.Index(d.b[s:e], insecurePrefix)
		if i < 0 {
			return
		}
		start := s + i
		end := start + len(insecurePrefix)
		if next := bytes.Index(d.b[end:e], insecurePrefix); next >= 0 {
			end += next
		} else {
			end = e
		}
		end = min(end, start+maxLiteral)
		if rest := string(d.b[start+len(insecurePrefix) : end]); rest != "" {
			d.out = append(d.out, candidate{
				span:    span{start: start, end: end, value: string(d.b[start:end])},
				verdict: d.severityInTests(insecureVerdict(rest)),
				anchor:  start,
			})
		}
		s = end
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

// b64InsecurePrefix is "django-insecure" in base64, as it starts a
// base64-encoded startproject key (a Kubernetes Secret's data:).
var b64InsecurePrefix = []byte("ZGphbmdvLWluc2VjdXJl")

// findEncodedInsecure claims base64-encoded django-insecure- keys anywhere.
func (d *doc) findEncodedInsecure() {
	for off := 0; ; {
		i := bytes.Index(d.b[off:], b64InsecurePrefix)
		if i < 0 {
			return
		}
		start := off + i
		end := start
		for end < len(d.b) && end-start < maxLiteral && isBase64Byte(d.b[end]) {
			end++
		}
		off = end
		run := string(d.b[start:end])
		dec, err := base64.StdEncoding.DecodeString(run)
		if err != nil {
			dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(run, "="))
		}
		if err != nil || !bytes.HasPrefix(dec, insecurePrefix) {
			continue
		}
		k := len(insecurePrefix)
		for k < len(dec) && keyAlphabet[dec[k]] {
			k++
		}
		v := d.severityInTests(insecureVerdict(string(dec[len(insecurePrefix):k])))
		d.out = append(d.out, candidate{span: span{start: start, end: end, value: string(dec[:k])}, verdict: v, anchor: start})
	}
}

func isBase64Byte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// severityInTests lowers a context-free finding in a test file to low: a
// key with no name there is most often a deny-list of known-bad keys or a
// fixture, still worth a look but not a failed build.
func (d *doc) severityInTests(v verdict) verdict {
	if d.test {
		v.severity = Low
	}
	return v
}
