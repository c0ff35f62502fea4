package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
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
// fails, the few next steps that fit what was found: the findings stay on
// the screen, and the full rotation steps are 'djguard help rotation'.
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
		if im := f.Image; im != nil {
			ew.printf("    image        %s\n", Printable(imagePlace(im, scrub)))
		}
		ew.printf("    secret       %s\n", secretText(f, opt))
		ew.printf("    fingerprint  %s\n", p.dim.Sprint(f.Fingerprint))
		if k := r.Replacements[f.Fingerprint]; k != "" && failing > 0 {
			ew.printf("    replacement  %s\n", p.key.Sprint(k))
		}
		ew.printf("\n")
	}
	ew.printf("%s\n", Summary(r))
	if failing > 0 && !opt.Quiet {
		ew.printf("\n%s", nextSteps(r, opt))
	}
	return ew.err
}

// nextSteps is what to do about the failing findings, in at most eight
// lines: a key that never reached a commit is only moved out of the code;
// a committed one is leaked to every clone and is rotated first.
func nextSteps(r *Report, opt Options) string {
	fresh := "the replacement above"
	if opt.CI {
		// A key printed in a CI log is no secret: none is printed there.
		fresh = "from 'djguard keygen'"
	}
	if r.History == nil && r.Uncommitted {
		return fmt.Sprintf(`Next: these keys are in no commit yet. Keep them out of git: 'djguard fix
--write' moves each from settings into an untracked .env (or read it yourself:
SECRET_KEY = os.environ[%q]). Not a secret? Add a comment with
djguard:allow on its line.
`, keygen.EnvName)
	}
	if r.fromImage() {
		return fmt.Sprintf(`Next: a key in an image is leaked to everyone who pulled it. For each failing key:
  1. Rotate it: put a fresh key (%s) where the deployment
     reads it, and redeploy. Never list it in SECRET_KEY_FALLBACKS.
  2. Rebuild without it: pass it at run time (an environment variable), or at
     build time as a build secret (RUN --mount=type=secret), never ENV or ARG.
  3. Delete the pushed tags that hold it from every registry.
`, fresh)
	}
	return fmt.Sprintf(`Next: a committed key is leaked to everyone with a clone. For each failing key:
  1. Rotate it: put a fresh key (%s) where the deployment
     reads it, and redeploy. Never list the old key in SECRET_KEY_FALLBACKS:
     Django would go on accepting what it signs.
  2. Move it out of the code: 'djguard fix --write' puts it in an ignored .env.
'djguard help rotation' prints every step for this project's Django.
`, fresh)
}

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
	return fmt.Sprintf("djguard: %s (%d high, %d low) in %s; %d %s the scan (--fail-on %s).",
		plural(len(r.Findings), "finding"), high, low, scope, r.Failing(), verb(r.Failing(), "fails", "fail"), failOnName(r.FailOn))
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

// verb is the verb's form for a subject of n.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// imagePlace says where in an image a secret stands: the config field, or
// the layer and the step that made it, and whether a later layer deletes
// the file.
func imagePlace(im *detect.ImagePlace, scrub *scrubber) string {
	var b strings.Builder
	if im.Layer == "" {
		fmt.Fprintf(&b, "the image config's %s", im.Field)
	} else {
		fmt.Fprintf(&b, "layer %s", shortDigest(im.Layer))
	}
	if plats := strings.Join(im.Platforms, ", "); plats != "" {
		fmt.Fprintf(&b, " (%s)", plats)
	}
	if im.Step != "" {
		// Redacted before it is cut short: a key the cut splits would no
		// longer be redacted as a whole.
		fmt.Fprintf(&b, ", made by: %s", shortStep(scrub.scrub(im.Step)))
	}
	if im.Deleted {
		b.WriteString("; a later layer deletes the file, but this layer still holds it")
	}
	return b.String()
}

// shortDigest is a layer digest's algorithm and first 12 hex digits.
func shortDigest(d string) string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || len(hex) <= 12 {
		return d
	}
	return alg + ":" + hex[:12]
}

// shortStep keeps a history step to one line of at most 100 characters.
func shortStep(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 100 {
		return string(r[:99]) + "…"
	}
	return s
}

// fromImage reports whether the report's findings come from a container
// image.
func (r *Report) fromImage() bool {
	return len(r.Findings) > 0 && r.Findings[0].Image != nil
}
