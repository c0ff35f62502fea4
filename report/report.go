// Package report writes scan results as text for people, JSON for
// programs and SARIF for code-scanning services. It is the one place where
// findings leave the process, so it is also where secrets are redacted.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/multimatch"
	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/policy"
)

// Report is what a scan found, ready to be written.
type Report struct {
	Findings []detect.Finding
	// Replacements maps a finding's fingerprint to a fresh key to put in
	// its place; every distinct leaked value has its own.
	Replacements map[string]string
	Files        int   // files scanned
	Bytes        int64 // bytes scanned
	Skipped      int   // files skipped, NotRead's included
	Unread       int   // files or directories that could not be read
	// NotRead are the files skipped that could hold a key: the summary
	// names them (see NotReadLine), JSON and SARIF list them.
	NotRead []NotRead
	// FailOn is the severity at or above which findings fail the scan; 0
	// means none do.
	FailOn detect.Severity
	// History is set for a history audit.
	History *HistorySummary
	// Baselined counts findings left out because the baseline accepts them.
	Baselined int
	// Uncommitted says that no failing finding of a scan of files is in
	// a commit: the keys are only moved out of the code, not rotated.
	Uncommitted bool
}

// HistorySummary says what a history audit covered.
type HistorySummary struct {
	Commits int // commits audited
	Blobs   int // distinct blobs scanned in depth
	Shallow int // commits where a shallow clone's history is cut
	Missing int // objects referred to and absent
	// Damaged says some of the missing objects cannot be missing by
	// design: the repository is no partial clone, or a commit is gone.
	Damaged bool
}

// Options change how a report is written.
type Options struct {
	// ShowSecrets prints secrets whole. Without it only their first
	// characters and length are shown.
	ShowSecrets bool
	// Color marks up the text report with ANSI colours.
	Color bool
	// Version is djguard's version, for JSON and SARIF.
	Version string
	// Quiet keeps the text report to findings and the summary.
	Quiet bool
	// CI says the report goes to a CI log, which others read: it carries
	// no replacement key and no rotation steps, only where to make a key.
	CI bool
}

// Failing counts the findings at or above FailOn (see package policy).
func (r *Report) Failing() int {
	return policy.Failing(r.Findings, r.FailOn)
}

// count returns the number of findings of each severity.
func (r *Report) count() (high, low int) {
	for _, f := range r.Findings {
		if f.Severity == detect.High {
			high++
		} else {
			low++
		}
	}
	return high, low
}

// Redact shows the first few characters of a secret and its length, never
// the whole: four characters, or a quarter of a value shorter than 16, so
// that a short weak key is not given away either.
func Redact(secret string) string {
	n := utf8.RuneCountInString(secret)
	show := 4
	if n < 16 {
		show = n / 4
	}
	prefix := []rune(secret)[:show]
	return fmt.Sprintf("%s… (%d characters)", string(prefix), n)
}

// Printable escapes what a terminal would act on rather than show, in
// text taken from files and commits (a file name may hold ESC and rewrite
// the screen, or a right-to-left override and read backwards): control
// characters and bytes that are not UTF-8 become \xNN, invisible format
// characters \uNNNN.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// scrubber redacts, unless secrets are shown, every secret in free text the
// report prints, such as a commit's summary ("hardcode SECRET_KEY=... for
// now"): the report's own secrets, and any the detector finds there. It is
// made once per report: each text is then looked up through an index of
// the secrets' first four bytes, so that a report of n findings costs n
// look-ups, not n passes over n secrets.
//
// Only secrets are redacted, and only where they stand. A high secret, a
// random value, is redacted wherever it is: inside a longer word it is
// still the whole key. A low one (a guessable value: a phrase, a
// placeholder) only where it stands as a whole token (see wholeToken). A
// weak key of the report ("test", "changeme", "secret") is a word, no
// secret, and is left in the words of a summary ("Only test against one
// version of Python", "latest") and in names (a path, an author); where
// the text itself assigns it to a key, the detector finds it there.
//
// Names taken from the repository or the user — paths, authors, ref
// names — go through name: the same, less weak keys the detector finds
// in them, and each distinct name scrubbed once.
type scrubber struct {
	show    bool
	secrets []secret            // the report's secrets, each once
	at      map[string]int      // a secret's place in secrets
	match   *multimatch.Matcher // finds secrets in a text; built at the first scrub
	names   map[string]string   // names already scrubbed
}

// secret is a value to redact, and whether it is redacted inside a longer
// word too.
type secret struct {
	text     string
	anywhere bool
}

// minScrubbed is the shortest secret, in characters, redacted in free
// text: a shorter one would redact common words.
const minScrubbed = 4

func (r *Report) scrubber(opt Options) *scrubber {
	s := newScrubber(opt.ShowSecrets)
	if s.show {
		return s
	}
	for _, f := range r.Findings {
		s.add(f)
	}
	return s
}

func newScrubber(show bool) *scrubber {
	return &scrubber{show: show, at: map[string]int{}, names: map[string]string{}}
}

// anywhere reports whether f's secret is redacted inside longer words
// too: all but low findings (words, placeholders), whose value may well be
// part of ordinary text.
func anywhere(f detect.Finding) bool {
	return f.Severity != detect.Low && f.Class != detect.WeakKey
}

// add makes f's secret one to redact. A value two findings share is
// redacted inside longer words if either says so.
func (s *scrubber) add(f detect.Finding) {
	if utf8.RuneCountInString(f.Secret) < minScrubbed || f.Class == detect.WeakKey {
		return
	}
	if i, ok := s.at[f.Secret]; ok {
		s.secrets[i].anywhere = s.secrets[i].anywhere || anywhere(f)
		return
	}
	s.at[f.Secret] = len(s.secrets)
	s.secrets = append(s.secrets, secret{f.Secret, anywhere(f)})
	s.match = nil
}

// scrub returns text with every secret in it redacted.
func (s *scrubber) scrub(text string) string {
	if s.show || text == "" {
		return text
	}
	return s.scrubIn(text, true)
}

// name returns a name from the repository or the user (a path, an
// author, a ref) with every secret in it redacted; unlike scrub, a weak
// key is left in: it is a word, and the name stays one a reader can find.
func (s *scrubber) name(text string) string {
	if s.show || text == "" {
		return text
	}
	if out, ok := s.names[text]; ok {
		return out
	}
	out := s.scrubIn(text, false)
	s.names[text] = out
	return out
}

// nameList is name for each of texts.
func (s *scrubber) nameList(texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = s.name(t)
	}
	return out
}

// scrubIn redacts in text the report's secrets, and those the detector
// finds there (weak keys only when weak is set). Where two secrets
// overlap, the stretch they cover together is redacted as one, so that
// neither is left partly whole.
func (s *scrubber) scrubIn(text string, weak bool) string {
	var spans [][2]int
	if len(s.secrets) > 0 {
		if s.match == nil {
			texts := make([]string, len(s.secrets))
			for i, sec := range s.secrets {
				texts[i] = sec.text
			}
			s.match = multimatch.New(texts)
		}
		s.match.Each(text, func(t, end int) {
			sec := s.secrets[t]
			if start := end - len(sec.text); sec.anywhere || wholeToken(text, start, end) {
				spans = append(spans, [2]int{start, end})
			}
		})
	}
	for _, f := range detect.Detect("message.txt", []byte(text)) {
		if utf8.RuneCountInString(f.Secret) < minScrubbed || !weak && f.Class == detect.WeakKey {
			continue
		}
		// Where the detector found it (a key assigned a weak value), not
		// the same word elsewhere in the text.
		if i, ok := offset(text, f.Line, f.Column); ok && strings.HasPrefix(text[i:], f.Secret) {
			spans = append(spans, [2]int{i, i + len(f.Secret)})
			continue
		}
		for i := 0; ; i++ {
			j := strings.Index(text[i:], f.Secret)
			if j < 0 {
				break
			}
			i += j
			if end := i + len(f.Secret); anywhere(f) || wholeToken(text, i, end) {
				spans = append(spans, [2]int{i, end})
			}
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	done := 0 // text[:done] is written
	for k := 0; k < len(spans); {
		start, end := spans[k][0], spans[k][1]
		for k++; k < len(spans) && spans[k][0] < end; k++ {
			end = max(end, spans[k][1])
		}
		b.WriteString(text[done:start])
		b.WriteString(Redact(text[start:end]))
		done = end
	}
	b.WriteString(text[done:])
	return b.String()
}

// offset returns the byte offset in text of line and column, both from 1,
// the column in characters, as a finding locates its secret.
func offset(text string, line, column int) (int, bool) {
	i := 0
	for ; line > 1; line-- {
		n := strings.IndexByte(text[i:], '\n')
		if n < 0 {
			return 0, false
		}
		i += n + 1
	}
	for ; column > 1; column-- {
		if i >= len(text) || text[i] == '\n' {
			return 0, false
		}
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return i, line == 1 && column >= 1
}

// wholeToken reports whether text[i:j] stands as a token of its own, not
// as part of a longer word: it neither starts nor ends inside a word.
// Words are made of letters, digits and '_'. Other punctuation, the rest
// of Django's alphabet (!@#$%^&*(-=+) included, joins no word: a secret
// may hold it, and one that starts or ends with it is a token there
// whatever stands beside it. So "KEY=test", "'test'" and "test-case"
// hold the token "test"; "latest", "testing" and "test_settings" do not.
func wholeToken(text string, i, j int) bool {
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		first, _ := utf8.DecodeRuneInString(text[i:j])
		if isWordRune(before) && isWordRune(first) {
			return false
		}
	}
	if j < len(text) {
		last, _ := utf8.DecodeLastRuneInString(text[i:j])
		after, _ := utf8.DecodeRuneInString(text[j:])
		if isWordRune(last) && isWordRune(after) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Scrub returns a name from the repository or the user (a path in a
// warning, a ref) with every secret the detector finds in it redacted,
// for text printed apart from a report's findings.
func Scrub(text string) string {
	return newScrubber(false).name(text)
}

// secretText is a finding's secret as the output shows it.
func secretText(f detect.Finding, opt Options) string {
	if opt.ShowSecrets {
		return f.Secret
	}
	return Redact(f.Secret)
}

// describe says in words what a finding is, without its value. A real
// secret that Django's deploy check would also call weak says so: it is a
// leak all the same.
func describe(f detect.Finding) string {
	s := describeClass(f)
	if f.Severity == detect.High && f.Class != detect.InsecureKey && f.Class != detect.WeakKey {
		if n := utf8.RuneCountInString(f.Secret); n < keygen.Length {
			s += fmt.Sprintf(" (%d characters: Django's deploy check also calls it weak, security.W009)", n)
		}
	}
	return s
}

func describeClass(f detect.Finding) string {
	switch f.Class {
	case detect.InsecureKey:
		return "a django-insecure- key from startproject"
	case detect.HardcodedFallback:
		return fmt.Sprintf("a literal fallback for %s: used when the variable is unset", f.Name)
	case detect.HardcodedKey:
		return fmt.Sprintf("%s set to a literal key", f.Name)
	case detect.WeakKey:
		return fmt.Sprintf("%s set to a key Django's deploy check rejects (security.W009)", nameOr(f.Name, "a secret key"))
	case detect.BareKey:
		return "a string with the profile of a Django secret key"
	}
	return string(f.Class)
}

func nameOr(name, otherwise string) string {
	if name == "" {
		return otherwise
	}
	return name
}

// PrintableWriter returns a writer that passes text on through Printable,
// line breaks and tabs kept: for commands whose whole output quotes file
// names and file content (fix's diff, verify's verdicts), so that none of
// it reaches a terminal raw. Each Write should hold whole characters, as
// fmt's writes do.
func PrintableWriter(w io.Writer) io.Writer { return printableWriter{w} }

type printableWriter struct{ w io.Writer }

func (p printableWriter) Write(b []byte) (int, error) {
	s := string(b)
	if Printable(s) == s {
		return p.w.Write(b)
	}
	var out strings.Builder
	for len(s) > 0 {
		i := strings.IndexAny(s, "\n\t")
		if i < 0 {
			out.WriteString(Printable(s))
			break
		}
		out.WriteString(Printable(s[:i]))
		out.WriteByte(s[i])
		s = s[i+1:]
	}
	if _, err := io.WriteString(p.w, out.String()); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Replacements makes one fresh key, as Django makes one, per distinct
// leaked value of findings, by fingerprint: the report's Replacements.
func Replacements(findings []detect.Finding, rand io.Reader) (map[string]string, error) {
	out := make(map[string]string)
	for _, f := range findings {
		if _, ok := out[f.Fingerprint]; ok {
			continue
		}
		k, err := keygen.Generate(rand, keygen.Length)
		if err != nil {
			return nil, fmt.Errorf("generate a replacement key: %w", err)
		}
		out[f.Fingerprint] = k
	}
	return out, nil
}
