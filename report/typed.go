package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// shortValue is the longest value typed by the user that djguard's
// messages may quote whole; a longer one is shown as a short prefix and
// its length, as Redact shows a secret. A key pasted into the wrong
// flag (--since, --env, a config value) must not end up in a terminal's
// scrollback or a CI log.
const shortValue = 16

// Typed is a writer for djguard's messages that shortens every value
// the user typed, however the message came to quote it (flag's own errors,
// git revisions, file names built from it).
type Typed struct {
	w      io.Writer
	mu     sync.Mutex
	values []typedValue // longest first
}

// typedValue is a value typed, and the directory a relative path in it
// would be taken from.
type typedValue struct{ text, dir string }

// NewTyped returns a Typed writer to w.
func NewTyped(w io.Writer) *Typed { return &Typed{w: w} }

// Add registers values to shorten: those over shortValue characters.
// One that is the path of an existing file when a message is written is
// shown whole (a path is what a message about it must show, and no key is
// one), so that a file djguard has just written, such as --purge-plan's,
// is named as typed.
func (s *Typed) Add(dir string, values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if utf8.RuneCountInString(v) <= shortValue {
			continue
		}
		s.values = append(s.values, typedValue{v, dir})
	}
	sort.Slice(s.values, func(i, j int) bool { return len(s.values[i].text) > len(s.values[j].text) })
}

func isExistingPath(dir, p string) bool {
	if !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	_, err := os.Lstat(p)
	return err == nil
}

func (s *Typed) Write(p []byte) (int, error) {
	s.mu.Lock()
	values := s.values
	s.mu.Unlock()
	out := p
	for _, tv := range values {
		v := tv.text
		// A message may quote the value Go-style (%q), escapes and all.
		q := strconv.Quote(v)
		escaped := q[1 : len(q)-1]
		if !bytes.Contains(out, []byte(v)) && !bytes.Contains(out, []byte(escaped)) || isExistingPath(tv.dir, v) {
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
