package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/policy"
)

// GitHub writes the report as GitHub Actions workflow commands: an error
// annotation on the file and line of each finding that fails the scan, in
// the checked-out commit's files (analysedPlace), so that the failed job
// and the pull request's files show what and where without code scanning. Findings below --fail-on get none: GitHub shows
// only the first few annotations of a step. Like SARIF it carries no
// replacement key: job logs are read by many.
func GitHub(w io.Writer, r *Report, opt Options) error {
	ew := &errWriter{w: w}
	scrub := r.scrubber(opt)
	for _, f := range r.Findings {
		if !policy.Fails(f, r.FailOn) {
			continue
		}
		at := analysedPlace(f)
		props := fmt.Sprintf("file=%s,line=%d", commandProperty(scrub.name(at.Path)), at.Line)
		if !at.gone {
			props += fmt.Sprintf(",col=%d,endLine=%d,endColumn=%d", at.Column, max(at.EndLine, at.Line), at.EndColumn)
		}
		props += ",title=" + commandProperty(fmt.Sprintf("djguard: %s (%s)", f.Class, f.Severity))
		ew.printf("::error %s::%s\n", props, commandData(annotation(f, at, opt, scrub)))
	}
	return ew.err
}

// annotation is a finding's message in an annotation: what it is, where it
// came from, and the one next step.
func annotation(f detect.Finding, at analysed, opt Options, scrub *scrubber) string {
	msg := fmt.Sprintf("%s: %s (fingerprint %s).", describe(f), secretText(f, opt), f.Fingerprint)
	if o := f.Origin; o != nil {
		msg += fmt.Sprintf(" Added in commit %s %q.", shortCommit(o.Commit), scrub.scrub(o.Summary))
	}
	return msg + at.goneNote(f, scrub) + " " + nextStep(f)
}

// nextStep is the one thing to do about a finding in a CI job: the key is
// in a pushed branch (or a built image), so it is leaked and is rotated; a
// weak key is replaced.
func nextStep(f detect.Finding) string {
	if f.Class == detect.WeakKey {
		return "Give each deployment its own key from the environment (djguard keygen makes one); mark a placeholder with a djguard:allow comment."
	}
	if f.Image != nil {
		return "Rotate it: anyone who pulled the image has it (djguard help rotation); rebuild with the key passed at run time or as a build secret, and delete the pushed tags that hold it."
	}
	return "Rotate it: it is pushed, so it is leaked (djguard help rotation); move the key to the environment (djguard fix --write)."
}

// commandData escapes a workflow command's message as the runner reads it.
// The log shows the message in a terminal-like view: other control
// characters are escaped as the text report escapes them.
func commandData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(Printable(s))
}

// commandProperty escapes a workflow command's property value, where ":"
// and "," also end the value. A control character other than a line break
// is percent-encoded too, which the runner leaves as it is: such a path
// matches no file, and reaches no terminal raw.
func commandProperty(s string) string {
	s = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "%%%02X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// summaryRows caps the job summary's table: GitHub keeps at most 1 MiB of
// a step's summary, and the annotations and the report list every finding.
const summaryRows = 200

// JobSummary writes the Markdown a GitHub job summary shows: how many
// findings, a table of where they are, and the next step.
func JobSummary(w io.Writer, r *Report, opt Options) error {
	ew := &errWriter{w: w}
	failing := r.Failing()
	switch {
	case len(r.Findings) == 0:
		ew.printf("### djguard: no Django secret keys found\n")
		return ew.err
	case failing > 0:
		ew.printf("### djguard: %d Django secret key finding(s) failing the job\n\n", failing)
	default:
		ew.printf("### djguard: %d finding(s) below --fail-on, none failing the job\n\n", len(r.Findings))
	}
	rows := r.Findings
	if failing > 0 {
		rows = slices.DeleteFunc(slices.Clone(rows), func(f detect.Finding) bool { return !policy.Fails(f, r.FailOn) })
	}
	scrub := r.scrubber(opt)
	ew.printf("| File | Line | Finding | Severity | Commit |\n|---|---|---|---|---|\n")
	for i, f := range rows {
		if i == summaryRows {
			ew.printf("\n%d more in the annotations and the report.\n", len(rows)-summaryRows)
			break
		}
		commit := ""
		if f.Origin != nil {
			commit = "`" + shortCommit(f.Origin.Commit) + "`"
		}
		ew.printf("| %s | %d | %s | %s | %s |\n", markdownCell(scrub.name(f.Path)), f.Line, f.Class, f.Severity, commit)
	}
	ew.printf("\n**Next step:** %s\n", summaryNextStep(rows))
	return ew.err
}

// summaryNextStep is the one next step for the whole job.
func summaryNextStep(rows []detect.Finding) string {
	for _, f := range rows {
		if f.Class != detect.WeakKey && f.Image != nil {
			return "a key in an image is leaked to everyone who pulled it. Rotate it (`djguard help rotation`), rebuild with the key passed at run time or as a build secret, and delete the pushed tags that hold it."
		}
		if f.Class != detect.WeakKey {
			return "a key that reached this branch is leaked. Rotate it (`djguard help rotation`), then move it to the environment (`djguard fix --write`)."
		}
	}
	return "replace each weak key with one from the environment (`djguard keygen` makes one); mark a placeholder with a `djguard:allow` comment."
}

// markdownCell shows a file name in a table cell as code, escaped for the
// terminal-free reader too: no control character, no cell break.
func markdownCell(s string) string {
	s = strings.NewReplacer("|", `\|`, "`", "'").Replace(Printable(s))
	return "`" + s + "`"
}
