package fix

import (
	"bytes"
	"sort"
	"strings"

	"github.com/djguard/djguard/internal/multimatch"
)

// What the dry run's diff must not show. A key's value is not always what
// the source spells (an escape, pieces that Python joins, a line
// continuation), and a literal split over lines puts part of the key on
// each. So the diff hides keys by place — every byte of a literal that
// holds one, on every line it spans — and then, for copies elsewhere, by
// text: the value, its spelling, and the pieces of that spelling.

// secretSpan is where a leaked value sits in a file's text.
type secretSpan struct {
	start, end int
	secret     string // the value as the application sees it
}

// hiddenText is text to hide wherever it shows: a value or a spelling of
// one (shown redacted), or a piece of a spelling (shown as an ellipsis).
type hiddenText struct {
	text, secret string
	piece        bool
}

// minPiece is the shortest piece of a split literal that is hidden by
// text: shorter runs are too common to hide everywhere, and the literal's
// own lines are hidden by place anyway.
const minPiece = 8

// hideWhole hides a value, and its spelling in source when that differs.
func (p *Plan) hideWhole(secret, spelling string) {
	p.hidden = append(p.hidden, hiddenText{text: secret, secret: secret})
	if spelling != secret && spelling != "" {
		p.hidden = append(p.hidden, hiddenText{text: spelling, secret: secret})
	}
	for _, piece := range strings.FieldsFunc(spelling, isLiteralBreak) {
		if len(piece) >= minPiece && piece != secret {
			p.hidden = append(p.hidden, hiddenText{text: piece, piece: true})
		}
	}
}

// isLiteralBreak is a byte that separates the pieces of a literal's
// spelling: quotes, white space and the backslash of an escape or a line
// continuation.
func isLiteralBreak(r rune) bool {
	return strings.ContainsRune("'\"\\ \t\r\n", r)
}

// masker returns the function that turns a file's lines into what the
// diff shows: nil when secrets are shown.
func (p *Plan) masker(redact func(string) string) func(b []byte, spans []secretSpan) [][]byte {
	if redact == nil {
		return func(b []byte, _ []secretSpan) [][]byte { return splitKeep(b) }
	}
	hidden := append([]hiddenText(nil), p.hidden...)
	// Longest first, so that a piece never breaks up a whole spelling.
	sort.SliceStable(hidden, func(i, j int) bool { return len(hidden[i].text) > len(hidden[j].text) })
	texts := make([]string, len(hidden))
	for i, h := range hidden {
		texts[i] = h.text
	}
	// The matcher tells which texts a line holds, so that each line is
	// searched once rather than once per text: a module of thousands of
	// keys has thousands of lines and thousands of texts.
	m := multimatch.New(texts)
	return func(b []byte, spans []secretSpan) [][]byte {
		lines := splitKeep(hideSpans(b, spans, redact))
		var found []int
		for i, l := range lines {
			found = m.Find(l, found)
			p.maskWork += len(l) + len(found)
			for _, j := range found {
				h := hidden[j]
				text := []byte(h.text)
				if !bytes.Contains(l, text) {
					continue // a longer text around it went first
				}
				shown := "…"
				if !h.piece {
					shown = oneLine(redact(h.secret))
				}
				l = bytes.ReplaceAll(l, text, []byte(shown))
			}
			lines[i] = l
		}
		return lines
	}
}

// hideSpans replaces every span's bytes: on its first line by the
// redacted value, on later lines (after their indentation) by "…". Line
// ends are kept, so the text has as many lines as before.
func hideSpans(b []byte, spans []secretSpan, redact func(string) string) []byte {
	if len(spans) == 0 {
		return b
	}
	var out bytes.Buffer
	pos := 0
	for _, s := range mergeSpans(spans) {
		out.Write(b[pos:s.start])
		first := true
		for seg := s.start; seg < s.end; {
			lineEnd := seg + bytes.IndexByte(b[seg:s.end], '\n')
			if lineEnd < seg {
				lineEnd = s.end
			}
			text := bytes.TrimSuffix(b[seg:lineEnd], []byte("\r"))
			indent := len(text) - len(bytes.TrimLeft(text, " \t"))
			if first {
				indent = 0
			}
			out.Write(text[:indent])
			switch {
			case first:
				out.WriteString(oneLine(redact(s.secret)))
			case len(text) > indent:
				out.WriteString("…")
			}
			first = false
			out.Write(b[seg+len(text) : lineEnd])
			if lineEnd < s.end {
				out.WriteByte('\n')
			}
			seg = lineEnd + 1
		}
		pos = s.end
	}
	out.Write(b[pos:])
	return out.Bytes()
}

// mergeSpans sorts spans and joins those that overlap, so that no byte is
// replaced twice.
func mergeSpans(spans []secretSpan) []secretSpan {
	out := append([]secretSpan(nil), spans...)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// oneLine keeps a redaction on one line: a value may hold a line break
// (a continuation inside a literal), and the diff's lines must stay lines.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}

// mapSpans follows spans of a text through cuts (sorted, not
// overlapping) to the text they make; what a cut replaces is gone, and a
// span a cut splits becomes two.
func mapSpans(spans []secretSpan, cuts []cut) []secretSpan {
	var out []secretSpan
	sh := newShifter(cuts)
	for _, s := range spans {
		// The cuts that end before the span only move it.
		k := sh.before(s.start)
		cur, shift := s.start, sh.sums[k]
		for _, c := range cuts[k:] {
			if c.end <= cur {
				shift += len(c.text) - (c.end - c.start)
				continue
			}
			if c.start >= s.end {
				break
			}
			if c.start > cur {
				out = append(out, secretSpan{cur + shift, c.start + shift, s.secret})
			}
			shift += len(c.text) - (c.end - c.start)
			cur = max(cur, c.end)
		}
		if cur < s.end {
			out = append(out, secretSpan{cur + shift, s.end + shift, s.secret})
		}
	}
	return out
}
