package report

import (
	"bytes"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/djguard/djguard/detect"
)

// Typed is a writer for djguard's messages that redacts the secrets among
// the values the user typed, however the message came to quote them
// (flag's own errors, git revisions, file names built from them): a key
// pasted into the wrong flag (--since, --env, a config value) must not end
// up in a terminal's scrollback or a CI log. Every other value — a path, a
// branch, a variable's name — is quoted whole, as typed: a message about
// it, or a command it builds (git fetch, git filter-repo), is of no use cut.
type Typed struct {
	w      io.Writer
	mu     sync.Mutex
	values []string // longest first
}

// NewTyped returns a Typed writer to w.
func NewTyped(w io.Writer) *Typed { return &Typed{w: w} }

// Add registers values the user typed: those that look like a key by
// djguard's own rules (see looksLikeKey) are redacted from then on.
func (s *Typed) Add(values ...string) {
	var keys []string
	for _, v := range values {
		if looksLikeKey(v) {
			keys = append(keys, v)
		}
	}
	s.AddSecret(keys...)
}

// AddSecret registers values that are secrets whatever they look like (a
// key read from a file, a signed value): each is redacted from then on.
func (s *Typed) AddSecret(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v != "" {
			s.values = append(s.values, v)
		}
	}
	sort.SliceStable(s.values, func(i, j int) bool { return len(s.values[i]) > len(s.values[j]) })
}

// looksLikeKey reports whether djguard's detector reports v as a key, at
// high severity: as the value of SECRET_KEY in a .env file, where any
// random-looking value counts, whatever its alphabet (hex, base64, a
// password generator's), or with no context at all, where a Django key
// inside a longer value counts (--output=/tmp/KEY). A path, a branch or a
// variable's name is read as words there (low at most) and is no key.
func looksLikeKey(v string) bool {
	if v == "" {
		return false
	}
	for _, f := range detect.Detect("typed.txt", []byte(v)) {
		if f.Severity == detect.High {
			return true
		}
	}
	// A .env line ends at a line break and reads a leading quote as a
	// quoted value's: each line is judged, bare.
	for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.Trim(line, " \t'\"")
		for _, f := range detect.Detect(".env", []byte("SECRET_KEY="+line+"\n")) {
			if f.Severity == detect.High {
				return true
			}
		}
	}
	return false
}

func (s *Typed) Write(p []byte) (int, error) {
	s.mu.Lock()
	values := s.values
	s.mu.Unlock()
	out := p
	for _, v := range values {
		// A message may quote the value Go-style (%q), escapes and all.
		q := strconv.Quote(v)
		escaped := q[1 : len(q)-1]
		if !bytes.Contains(out, []byte(v)) && !bytes.Contains(out, []byte(escaped)) {
			continue
		}
		short := []byte(Redact(v))
		if escaped != v {
			out = bytes.ReplaceAll(out, []byte(escaped), short)
		}
		out = bytes.ReplaceAll(out, []byte(v), short)
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// TypedValues returns the values in a command line: each argument, and
// the value of a --flag=value, and the name of an unknown --flag (flag's
// error quotes it without its dashes).
func TypedValues(args []string) []string {
	var out []string
	for _, a := range args {
		out = append(out, a)
		if name, value, ok := strings.Cut(strings.TrimLeft(a, "-"), "="); ok && strings.HasPrefix(a, "-") {
			out = append(out, name, value)
		} else if strings.HasPrefix(a, "-") {
			out = append(out, strings.TrimLeft(a, "-"))
		}
	}
	return out
}
