package report

import (
	"fmt"
	"io"
	"time"
)

// Gap is an object a history audit could not read: its kind (commit,
// tree, blob), hash, and the path it stands at, if known.
type Gap struct{ Kind, Hash, Path string }

// HistoryWarnings writes where a history audit could not see everything:
// the commits a shallow clone is cut at, and the objects missing (the
// first ten, or all), from a partial clone or, when damaged, from a
// repository that should hold them.
func HistoryWarnings(w io.Writer, shallow []string, missing []Gap, damaged, all bool) {
	ew := &errWriter{w: w}
	if n := len(shallow); n > 0 {
		ew.printf("djguard: warning: this is a shallow clone: history is cut at %s (%s); older commits were not audited. Run 'git fetch --unshallow' for a full audit.\n",
			plural(n, "commit"), abbreviate(shallow, 3))
	}
	n := len(missing)
	if n == 0 {
		return
	}
	why := "this partial clone does not hold them"
	if damaged {
		why = "damage: the repository should hold them"
	}
	many := "objects are"
	if n == 1 {
		many = "object is"
	}
	ew.printf("djguard: warning: %d %s missing (%s); they were not scanned:\n", n, many, why)
	limit := 10
	if all {
		limit = n
	}
	for i, m := range missing {
		if i == limit {
			ew.printf("  ... and %d more (-v lists them all)\n", n-limit)
			break
		}
		where := ""
		if m.Path != "" {
			where = " at " + Printable(Scrub(m.Path))
		}
		ew.printf("  %s %s%s\n", m.Kind, m.Hash, where)
	}
}

// HistoryNotes writes, one warning each, what else a history audit was
// asked to see and could not (history.Result's Notes).
func HistoryNotes(w io.Writer, notes []string) {
	ew := &errWriter{w: w}
	for _, n := range notes {
		ew.printf("djguard: warning: %s\n", Printable(Scrub(n)))
	}
}

// abbreviate lists the first n hashes, shortened as git shortens them.
func abbreviate(hashes []string, n int) string {
	out := ""
	for i, h := range hashes {
		if i == n {
			return out + ", ..."
		}
		if i > 0 {
			out += ", "
		}
		out += h[:min(len(h), 12)]
	}
	return out
}

// Progress draws one status line of a history audit on a terminal.
type Progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

// NewProgress starts a status line on w, a terminal.
func NewProgress(w io.Writer) *Progress { return &Progress{w: w, start: time.Now()} }

// Update redraws the line, at most ten times a second.
func (p *Progress) Update(done, total, bytes int64) {
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	mbps := float64(bytes) / 1e6 / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\rdjguard: %d/%d objects, %.0f MB/s ", done, total, mbps)
	p.drawn = true
}

// Clear erases the line; a nil Progress has none.
func (p *Progress) Clear() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
