package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/rotation"
)

// palette holds the colours of the text report; all plain when colour is
// off.
type palette struct {
	path, high, low, dim, key *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		path: color.New(color.Bold),
		high: color.New(color.FgRed, color.Bold),
		low:  color.New(color.FgYellow),
		dim:  color.New(color.Faint),
		key:  color.New(color.FgGreen),
	}
	for _, c := range []*color.Color{p.path, p.high, p.low, p.dim, p.key} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// Text writes one block per finding (where, what, the redacted secret and,
// when the scan fails, its replacement), a summary line, and, when the scan
// fails, the rotation steps once (in CI, where to make a key instead).
func Text(w io.Writer, r *Report, opt Options) error {
	p := newPalette(opt.Color)
	ew := &errWriter{w: w}
	failing := r.Failing()
	scrub := r.scrubber(opt)
	for _, f := range r.Findings {
		sev := p.low
		if f.Severity == detect.High {
			sev = p.high
		}
		ew.printf("%s  %s %s\n", p.path.Sprintf("%s:%d:%d", Printable(scrub.name(f.Path)), f.Line, f.Column), sev.Sprint(f.Severity), f.Class)
		ew.printf("    %s\n", describe(f))
		if o := f.Origin; o != nil {
			if o.Author == "" && o.Date.IsZero() {
				// What no commit holds (a blob a tag names) has no author.
				ew.printf("    introduced   %s: %s\n", shortCommit(o.Commit), Printable(scrub.scrub(o.Summary)))
			} else {
				ew.printf("    introduced   %s by %s on %s: %s\n", shortCommit(o.Commit), Printable(scrub.name(o.Author)), o.Date.Format("2006-01-02"), Printable(scrub.scrub(o.Summary)))
			}
			ew.printf("    history      in %s; %s; paths: %s\n", plural(o.CommitCount, "commit"), headState(o.InHead), Printable(strings.Join(scrub.nameList(o.Paths), ", ")))
		}
		ew.printf("    secret       %s  %s\n", secretText(f, opt), p.dim.Sprintf("fingerprint %s", f.Fingerprint))
		if k := r.Replacements[f.Fingerprint]; k != "" && failing > 0 {
			ew.printf("    replacement  %s\n", p.key.Sprint(k))
		}
		ew.printf("\n")
	}
	ew.printf("%s\n", Summary(r))
	switch {
	case failing == 0 || opt.Quiet:
	case opt.CI:
		ew.printf("\n%s\n", ciAdvice)
	default:
		steps := r.Rotation
		if steps == "" {
			steps = rotation.Steps(nil)
		}
		ew.printf("\n%s", steps)
	}
	return ew.err
}

// ciAdvice stands for the replacement keys and rotation steps in a CI log.
const ciAdvice = `Rotate each failing key: make a new one with 'djguard keygen' where the key
is set (a key printed in a CI log is no secret), and follow the rotation steps
'djguard scan' prints outside CI.`

// Summary is the report's one-line summary: how many findings, of which
// severity, in what, and how many fail.
func Summary(r *Report) string {
	high, low := r.count()
	scope := plural(r.Files, "file")
	if h := r.History; h != nil {
		scope = fmt.Sprintf("%s of history (%s scanned)", plural(h.Commits, "commit"), plural(h.Blobs, "candidate blob"))
	}
	if len(r.Findings) == 0 {
		return fmt.Sprintf("djguard: no Django secret keys found in %s.", scope)
	}
	return fmt.Sprintf("djguard: %s (%d high, %d low) in %s; %d at or above the failing severity.",
		plural(len(r.Findings), "finding"), high, low, scope, r.Failing())
}

// errWriter keeps the first write error so that a report is a sequence of
// prints with one check at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func headState(in bool) string {
	if in {
		return "still in HEAD"
	}
	return "no longer in HEAD"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
