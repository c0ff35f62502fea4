package detect

import (
	"bytes"
	"strings"

	"github.com/djguard/djguard/internal/pystr"
)

// maxLiteral bounds how far a string literal is followed. A Django key is 50
// characters; a longer literal is not one, and the bound keeps the detector
// linear on adversarial input (a quote never closed, repeated anchors).
const maxLiteral = 4096

// span is a value found in the text: b[start:end] is its source, value what
// the application sees after quotes and escapes.
type span struct {
	start, end int
	value      string
	quoted     bool
	computed   bool // value is computed by an expression ('x' * 50), not written
}

// parseQuoted parses a string literal at b[i:]: Python's optional r/u/b/f
// prefixes, single, double and triple quotes, and \" or \' quotes of Python
// source embedded in a JSON string (notebooks). It reports ok=false when
// there is no literal at i, or it is an f-string with a replacement field
// (computed at run time), or it does not close within maxLiteral bytes.
func parseQuoted(b []byte, i int) (s span, next int, ok bool) {
	q, ok := scanQuoted(b, i)
	if !ok {
		return span{}, q.next, false
	}
	if q.fstring && bytes.IndexByte(b[q.start:q.end], '{') >= 0 {
		return span{}, q.next, false
	}
	return span{start: q.start, end: q.end, quoted: true, value: unescape(b[q.start:q.end], q.raw)}, q.next, true
}

// parsePyQuoted is parseQuoted for Python source: the value is the string
// Python makes of the literal, with all of Python's escapes undone (\x76,
// \u0076, octal, a backslash that joins the next line on) and, in a bytes
// literal, \x and octal escapes as single bytes. A literal Python would
// refuse or that needs Unicode's names (\N{...}) keeps the escapes
// parseQuoted keeps.
func parsePyQuoted(b []byte, i int) (s span, next int, ok bool) {
	q, ok := scanQuoted(b, i)
	if !ok {
		return span{}, q.next, false
	}
	if q.fstring && bytes.IndexByte(b[q.start:q.end], '{') >= 0 {
		return span{}, q.next, false
	}
	return span{start: q.start, end: q.end, quoted: true, value: pyUnescape(b[q.start:q.end], q)}, q.next, true
}

// pyUnescape undoes Python's escapes in the literal q's content v.
func pyUnescape(v []byte, q quoted) string {
	if q.raw || bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	unescape := pystr.Unescape
	if q.bytes {
		unescape = pystr.UnescapeBytes
	}
	if s, ok := unescape(string(v)); ok {
		return s
	}
	return unescapeQuotes(v)
}

// skipQuoted is parseQuoted for readers that step over a literal and
// never read it: the same answer, without building the value.
func skipQuoted(b []byte, i int) (next int, ok bool) {
	q, ok := scanQuoted(b, i)
	if ok && q.fstring && bytes.IndexByte(b[q.start:q.end], '{') >= 0 {
		return q.next, false
	}
	return q.next, ok
}

// quoted is where scanQuoted found a literal: its content is b[start:end],
// and next is the first byte after its closing quote.
type quoted struct {
	start, end, next int
	raw, fstring     bool // raw: backslashes are kept as written
	bytes            bool // a bytes literal, b'...'
}

// scanQuoted finds the extent of the string literal at b[i:] (see
// parseQuoted) without building its value, for the readers that only step
// over literals; on failure, next is where the scan stopped.
func scanQuoted(b []byte, i int) (q quoted, ok bool) {
	p := i
	for p < len(b) && p-i < 2 && isPrefixLetter(b[p]) {
		p++
	}
	if p > i {
		if p >= len(b) || !(isQuote(b[p]) || b[p] == '\\') {
			return quoted{next: i}, false
		}
		q.raw = bytes.ContainsAny(b[i:p], "rR")
		q.fstring = bytes.ContainsAny(b[i:p], "fF")
		q.bytes = bytes.ContainsAny(b[i:p], "bB")
		i = p
	}
	if i >= len(b) {
		return quoted{next: i}, false
	}
	var open []byte
	switch {
	case b[i] == '\\' && i+1 < len(b) && isQuote(b[i+1]):
		open = b[i : i+2]
	case i+2 < len(b) && isQuote(b[i]) && b[i+1] == b[i] && b[i+2] == b[i]:
		open = b[i : i+3]
	case isQuote(b[i]):
		open = b[i : i+1]
	default:
		return quoted{next: i}, false
	}
	q.start = i + len(open)
	limit := min(len(b), q.start+maxLiteral)
	multiline := len(open) == 3
	escapes := len(open) != 2 && !q.raw
	j := q.start
	for j < limit {
		c := b[j]
		if c == '\n' && !multiline {
			return quoted{next: j}, false
		}
		if c == open[0] && (len(open) == 1 || bytes.HasPrefix(b[j:], open)) {
			break
		}
		if c == '\\' && escapes {
			// An escaped line end joins the next line on, a CRLF one too.
			if bytes.HasPrefix(b[j+1:], []byte("\r\n")) {
				j++
			}
			j += 2
			continue
		}
		j++
	}
	if j >= limit {
		return quoted{next: j}, false
	}
	q.end, q.next = j, j+len(open)
	q.raw = q.raw || len(open) == 2
	return q, true
}

func isQuote(c byte) bool { return c == '"' || c == '\'' }

func isPrefixLetter(c byte) bool {
	switch c {
	case 'r', 'R', 'u', 'U', 'b', 'B', 'f', 'F':
		return true
	}
	return false
}

// unescape undoes the backslash escapes that can occur in a key: \\, \'
// and \". Other escapes are kept as written; a Django key has none. It
// serves every syntax but Python's (see pyUnescape), whose escapes differ
// from Python's and from one another.
func unescape(v []byte, raw bool) string {
	if raw || bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	return unescapeQuotes(v)
}

// unescapeQuotes undoes \\, \' and \" and keeps every other escape.
func unescapeQuotes(v []byte) string {
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) && (v[i+1] == '\\' || isQuote(v[i+1])) {
			i++
		}
		out = append(out, v[i])
	}
	return string(out)
}

// parseBare takes an unquoted value at b[i:]: up to white space, or up to
// a stop byte (the quote that encloses a whole "KEY=value" item, a comma or
// bracket in flow syntax). The trailing \r of a CRLF line is never part of
// it.
func parseBare(b []byte, i int, stops string) (span, bool) {
	j := i
	limit := min(len(b), i+maxLiteral)
	for j < limit {
		c := b[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || strings.IndexByte(stops, c) >= 0 {
			break
		}
		j++
	}
	if j == i || j >= limit {
		return span{}, false
	}
	return span{start: i, end: j, value: string(b[i:j])}, true
}
