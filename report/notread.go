package report

import (
	"fmt"
	"strings"
)

// NotRead is a file a scan did not read though it could hold a key
// (binary, over the size limit, damaged in the index), and why.
type NotRead struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// notReadNamed is how many files the not-read line names before it
// counts the rest.
const notReadNamed = 5

// NotReadLine is the line that names what a scan did not read, for
// stderr beside a text report: how many files, the short reasons ("binary,
// over the 10 MiB limit"), and the first few names, escaped for the
// terminal; "" when the scan read everything.
func NotReadLine(r *Report, opt Options) string {
	if len(r.NotRead) == 0 {
		return ""
	}
	var why, names []string
	seen := map[string]bool{}
	for i, n := range r.notRead(r.scrubber(opt)) {
		if short := shortReason(n.Reason); !seen[short] {
			seen[short] = true
			why = append(why, short)
		}
		if i < notReadNamed {
			names = append(names, Printable(n.Path))
		}
	}
	more := ""
	if extra := len(r.NotRead) - len(names); extra > 0 {
		more = fmt.Sprintf(" and %d more (-v lists them)", extra)
	}
	return fmt.Sprintf("djguard: %s not read (%s): %s%s", plural(len(r.NotRead), "file"), Printable(strings.Join(why, ", ")), strings.Join(names, ", "), more)
}

// shortReason is a reason's first words: up to its first parenthesis or
// colon ("over the 10 MiB limit (--max-file-size): 12 MB" reads "over
// the 10 MiB limit").
func shortReason(reason string) string {
	if i := strings.IndexAny(reason, "(:"); i > 0 {
		reason = reason[:i]
	}
	return strings.TrimSpace(reason)
}

// notRead is the report's list of files not read, their names scrubbed:
// a file named after a key the scan found elsewhere does not print it.
func (r *Report) notRead(scrub *scrubber) []NotRead {
	if len(r.NotRead) == 0 {
		return nil
	}
	out := make([]NotRead, len(r.NotRead))
	for i, n := range r.NotRead {
		out[i] = NotRead{Path: scrub.name(n.Path), Reason: n.Reason}
	}
	return out
}
