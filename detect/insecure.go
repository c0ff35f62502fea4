package detect

import (
	"bytes"
	"strings"

	"github.com/djguard/djguard/keygen"
)

// insecurePrefix starts every key startproject writes (Django 3.2 and
// later): anywhere it stands, what follows is a development key.
var insecurePrefix = []byte(keygen.InsecurePrefix)

// insecureRun claims each django-insecure- key in a run: the prefix and
// the key characters after it, up to the next prefix; in a compose file,
// as Compose passes them ($$ as $).
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
		if rest := d.composeUnescape(string(d.b[start+len(insecurePrefix) : end])); rest != "" {
			d.out = append(d.out, candidate{
				span:    span{start: start, end: end, value: keygen.InsecurePrefix + rest},
				verdict: d.severityInTests(insecureVerdict(rest)),
				anchor:  start,
			})
		}
		s = end
	}
}

// insecureVerdict grades the part of a django-insecure- key after the
// prefix: a random-looking rest is a real development key (high); a short
// or word-like rest is a placeholder in docs or tests (low).
func insecureVerdict(rest string) verdict {
	if len(rest) >= 30 && keygen.UniqueChars(rest) >= 15 && !looksLikePlaceholder(rest) {
		return verdict{InsecureKey, High}
	}
	return verdict{InsecureKey, Low}
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

// placeholderWords mark the rest of a django-insecure- key that someone
// wrote to be replaced (django-insecure-change-me-...): such a key is low.
var placeholderWords = []string{
	"change", "replace", "your", "example", "dummy", "placeholder", "fake",
	"sample", "secret-key-here", "secret_key_here", "notsecret", "not-secret",
	"not_secret", "insecure", "xxxxx", "todo", "fixme", "test", "dev",
}

func looksLikePlaceholder(v string) bool {
	l := strings.ToLower(v)
	for _, w := range placeholderWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}
