package report

import (
	"fmt"
	"strings"

	"github.com/djguard/djguard/detect"
)

// analysed is where a forge shows a finding: on the files of the commit
// it analysed (HEAD, checked out; a pull request's merge commit). SARIF,
// GitHub annotations and GitLab Code Quality place findings there, and
// the text and JSON reports describe the introducing commit instead.
type analysed struct {
	detect.Location
	// gone says that HEAD does not hold the secret: the location is line 1
	// of the file the introducing commit had it in, with no columns, a
	// stand-in the message explains, so that no other line is marked.
	gone bool
}

// analysedPlace returns where a forge shows f. A history audit's finding
// stands where HEAD holds the secret, not at the introducing commit's
// line, which in HEAD may hold anything (a key on line 7 of HEAD's file
// was shown on line 2). Other findings stand where they were found.
func analysedPlace(f detect.Finding) analysed {
	switch o := f.Origin; {
	case o == nil:
		return analysed{Location: detect.Location{Path: f.Path, Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn}}
	case o.Head != nil:
		return analysed{Location: *o.Head}
	}
	return analysed{Location: detect.Location{Path: f.Path, Line: 1}, gone: true}
}

// goneNote says, for a finding HEAD no longer holds, where the commit that
// added it had it, and why it is shown at line 1; "" for any other.
func (p analysed) goneNote(f detect.Finding, scrub *scrubber) string {
	if !p.gone {
		return ""
	}
	c := shortCommit(f.Origin.Commit)
	switch {
	case strings.HasPrefix(f.Path, "(") && strings.HasSuffix(f.Path, "-message)"):
		// history's (commit-message) and (tag-message): no file holds it.
		return fmt.Sprintf(" In no file: shown at line 1. The message of %s holds it, line %d.", c, f.Line)
	case strings.HasPrefix(f.Path, "refs/"):
		return fmt.Sprintf(" Not in HEAD's files, so shown at line 1: %s holds it at line %d (object %s, which no commit holds).", scrub.name(f.Path), f.Line, c)
	}
	return fmt.Sprintf(" Not in HEAD's files, so shown at line 1: commit %s added it at %s line %d.",
		c, scrub.name(f.Path), f.Line)
}
