package detect

import (
	"regexp"
	"strings"

	"github.com/djguard/djguard/keygen"
)

// templateField matches the fields of the usual templating styles: {{ x }},
// {% x %}, ${X}, ${{ x }}, {name}, {obj.call(1)}, {0} and {}. A random key
// of printable characters may hold a brace, but hardly one of these.
var templateField = regexp.MustCompile(`\{\{|\{%|\$\{|\{[0-9]*\}|\{[A-Za-z_][A-Za-z0-9_.\[\]()'",:!]*\}`)

// isPlaceholder reports whether a value is a template or a reference to be
// filled in later rather than a key: {{ secret_key }}, {{ cookiecutter.x }},
// ${{ secrets.X }}, ${VAR}, $VAR, <your-key>, %(name)s, %s, __SECRET__,
// $(command ...) and `command ...`. Braces, angle brackets and spaces never
// occur in Django's alphabet, so none of these rules can swallow a
// Django-made key. A template field inside a value is looked for only when
// the value is not random (random says so): a random key of printable
// characters holds "{a}" now and then. An elision ("...", "xxx") stands
// for a value left out, unless the file's values are used as written
// (asWritten: a tool's configuration, where "..." is what it sets).
func isPlaceholder(v string, random, asWritten bool) bool {
	switch {
	case !random && strings.IndexByte(v, '{') >= 0 && templateField.MatchString(v):
		return true
	case len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>':
		return true // <your-key>, and ERB's <%= ... %>
	case len(v) >= 2 && v[0] == '$' && isIdentifier(strings.TrimSuffix(v[1:], "$")):
		return true // $VAR, and the IDE macro $VAR$
	case strings.HasPrefix(v, "$(") && strings.HasSuffix(v, ")") && strings.ContainsAny(v, " \t"):
		return true
	case len(v) >= 2 && v[0] == '`' && v[len(v)-1] == '`':
		return true
	case v == "%s" || v == "%r" || isNamedPercentFormat(v):
		return true
	case len(v) > 4 && strings.HasPrefix(v, "__") && strings.HasSuffix(v, "__") && isIdentifier(v):
		return true
	case !asWritten && isElision(v):
		return true
	case strings.Contains(v, "***REMOVED***"):
		return true // what git filter-repo --replace-text leaves
	}
	switch strings.ToLower(v) {
	case "none", "null", "~", "true", "false", "nil", "undefined":
		return true
	}
	return false
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// isElision matches a value that only stands for one left out: "...",
// "…", "***", "xxxx". A lone "x" or "xx" is no elision but a value
// typed to get going ({"secret_key": "x"}): weak, and reported.
func isElision(v string) bool {
	xs := 0
	for _, r := range v {
		if !strings.ContainsRune(".…*xX", r) {
			return false
		}
		if r == 'x' || r == 'X' {
			xs++
		}
	}
	return xs < len(v) || xs >= 3
}

// isNamedPercentFormat matches Python's %(name)s, %(name)r and %(name)d.
func isNamedPercentFormat(v string) bool {
	if len(v) < 5 || !strings.HasPrefix(v, "%(") {
		return false
	}
	end := strings.IndexByte(v, ')')
	return end > 2 && end == len(v)-2 && isIdentifier(v[2:end]) && strings.IndexByte("srd", v[len(v)-1]) >= 0
}

// verdict is what a recogniser decided about a value it found.
type verdict struct {
	class    Class
	severity Severity
}

// judge decides what a literal held by a key-named variable is: nothing (a
// placeholder, an empty value, another service's credential), an insecure
// startproject key, or a hardcoded key or fallback, high or low.
//
// A value that looks random is a real secret and high, whatever its
// length: Django's deploy check (W009) calls a key under 50 characters
// weak, but committed it is still a leak (the report notes W009). Low is
// for values that are no secret at all: words, placeholders, sentinels,
// repeated characters (weak-key when W009 rejects them).
//
// The name's role sets the bar: a name that only sometimes holds a Django
// key (roleProfile) needs a Django-shaped value; a project's own key name
// in a settings module (roleRandom) needs a random-looking value of any
// alphabet. A computed value ('x' * 50) is what the application sees, so
// it is never taken for a placeholder; a value asWritten (see
// syntax.asWritten) is never taken for an elision.
func judge(v string, computed, asWritten bool, class Class, r role) (verdict, bool) {
	if strings.TrimSpace(v) == "" || isOtherServiceValue(v) {
		return verdict{}, false
	}
	shaped := djangoShaped(v)
	random := shaped || randomLooking(v) || pronounceable(v)
	if !computed && isPlaceholder(v, random, asWritten) {
		return verdict{}, false
	}
	if strings.HasPrefix(v, keygen.InsecurePrefix) {
		return insecureVerdict(v[len(keygen.InsecurePrefix):]), true
	}
	switch {
	case r == roleProfile && !shaped, r == roleRandom && !random:
		return verdict{}, false
	case !random && isPattern(v):
		// .*/SECRET_KEY: part of a sed or regex replacing the key, read
		// as its value.
		return verdict{}, false
	case random && !mentionsSecret(v):
		// A value that names what it stands for (SET_SECRET_KEY_HERE,
		// s3cr3t) is a sentinel or a typed password, however random its
		// letters look: no random draw spells "secret".
		return verdict{class, High}, true
	case class != HardcodedFallback && keygen.Weak(v):
		return verdict{WeakKey, Low}, true
	}
	return verdict{class, Low}, true
}

// isPattern reports whether v holds regular-expression syntax: .* or .+,
// a character class, or a sed command.
func isPattern(v string) bool {
	return strings.Contains(v, ".*") || strings.Contains(v, ".+") || strings.Contains(v, "[^") ||
		strings.HasPrefix(v, "s/") || strings.HasPrefix(v, "s|")
}

// mentionsSecret reports whether v spells "secret" in any case, also with
// digits for letters (s3cr3t); it allocates nothing, since it runs on
// every value under a key's name.
func mentionsSecret(v string) bool {
	const word = "secret"
	for i := 0; i+len(word) <= len(v); i++ {
		j := 0
		for j < len(word) && unleet(toLower(v[i+j])) == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// otherServicePrefixes start the keys of services that write their own
// mark into them: a Stripe, Slack or GitHub key under a secret_key name is
// that service's, and its own scanners' business.
var otherServicePrefixes = []string{
	"sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_", "whsec_",
	"xoxb-", "xoxp-", "xoxa-", "ghp_", "gho_", "github_pat_", "glpat-", "AKIA", "AIza",
	"SG.", "key-", "shpss_", "sq0csp-",
}

// isOtherServiceValue reports whether v carries another service's mark.
func isOtherServiceValue(v string) bool {
	for _, p := range otherServicePrefixes {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}
