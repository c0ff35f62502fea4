package scanner

import (
	"bytes"

	"github.com/djguard/djguard/keygen"
)

var insecurePrefix = []byte(keygen.InsecurePrefix)

// findInsecure claims every django-insecure- key, in any file and context:
// the prefix and the run of key characters after it.
func (d *doc) findInsecure() {
	for off := 0; ; {
		i := bytes.Index(d.b[off:], insecurePrefix)
		if i < 0 {
			return
		}
		start := off + i
		end := start + len(insecurePrefix)
		for end < len(d.b) && end-start < maxLiteral && keyAlphabet[d.b[end]] {
			end++
		}
		off = end
		rest := string(d.b[start+len(insecurePrefix) : end])
		if rest == "" {
			continue // the prefix alone, as in key.startswith("django-insecure-")
		}
		d.out = append(d.out, candidate{
			span:    span{start: start, end: end, value: string(d.b[start:end])},
			verdict: insecureVerdict(rest),
			anchor:  start,
		})
	}
}

// findBare claims runs of Django's key alphabet that have a generated
// key's profile, with no context at all. A run of at least minProfileLen
// characters must cover one of the positions minProfileLen-1,
// 2*minProfileLen-1, ..., so only those are looked at: on ordinary text
// this reads a fraction of the bytes.
func (d *doc) findBare() {
	b := d.b
	covered := 0 // runs before this offset have been judged already
	for i := minProfileLen - 1; i < len(b); i += minProfileLen {
		if i < covered || !keyAlphabet[b[i]] {
			continue
		}
		s := i
		for s > 0 && i-s <= maxProfileLen && keyAlphabet[b[s-1]] {
			s--
		}
		e := i + 1
		for e < len(b) && e-s <= maxProfileLen && keyAlphabet[b[e]] {
			e++
		}
		covered = e
		tooLong := (s > 0 && keyAlphabet[b[s-1]]) || (e < len(b) && keyAlphabet[b[e]])
		if tooLong || e-s < minProfileLen {
			continue
		}
		d.bareRun(s, e)
	}
}

// bareRun judges one run; a leading NAME= or NAME: that the alphabet lets
// into the run (key=..., --secret=...) is cut off first.
func (d *doc) bareRun(s, e int) {
	if eq := bytes.IndexByte(d.b[s:e], '='); eq >= 0 && e-(s+eq+1) >= minProfileLen {
		if v := string(d.b[s+eq+1 : e]); djangoShaped(v) {
			d.out = append(d.out, candidate{span: span{start: s + eq + 1, end: e, value: v}, verdict: verdict{BareKey, High}, anchor: s})
			return
		}
	}
	if v := string(d.b[s:e]); djangoShaped(v) {
		d.out = append(d.out, candidate{span: span{start: s, end: e, value: v}, verdict: verdict{BareKey, High}, anchor: s})
	}
}
