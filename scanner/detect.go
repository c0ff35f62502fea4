package scanner

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// allowMarker on a finding's line, in a comment of any syntax, drops the
// finding: the user has looked and judged it not a leak.
var allowMarker = []byte("djguard:allow")

// Detect finds the Django secret keys in one file's content. name is the
// file's path; its name and extension say how values are written there
// (Python, .env, YAML, JSON, INI/TOML, Dockerfile, notebook). Content may be
// any bytes: invalid UTF-8 and CRLF line ends are read as they come.
// Findings are ordered by position, and no two overlap.
func Detect(name string, content []byte) []Finding {
	d := doc{b: content, kind: kindOf(name)}
	d.findNamed()
	d.findInsecure()
	d.findBare()
	if len(d.out) == 0 {
		return nil
	}
	kept := d.resolve()
	return d.findings(name, kept)
}

// resolve keeps, where claims overlap, the most specific one (see
// Class.rank), preferring a claim that knows the variable's name, and drops
// claims on lines marked djguard:allow.
func (d *doc) resolve() []candidate {
	c := d.out
	sort.SliceStable(c, func(i, j int) bool {
		if ri, rj := c[i].class.rank(), c[j].class.rank(); ri != rj {
			return ri < rj
		}
		if (c[i].name != "") != (c[j].name != "") {
			return c[i].name != ""
		}
		return c[i].start < c[j].start
	})
	var kept []candidate
	for _, x := range c {
		if overlapsAny(x, kept) || d.allowed(x) {
			continue
		}
		kept = append(kept, x)
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

func overlapsAny(x candidate, kept []candidate) bool {
	for _, k := range kept {
		if x.start < k.end && k.start < x.end || x.start == k.start {
			return true
		}
	}
	return false
}

func (d *doc) allowed(x candidate) bool {
	for _, at := range []int{x.start, x.anchor} {
		ls, le := lineStart(d.b, at), lineEnd(d.b, at)
		if bytes.Contains(d.b[ls:le], allowMarker) {
			return true
		}
	}
	return false
}

// findings turns kept claims, ordered by start, into Findings with lines
// and columns, walking the content once.
func (d *doc) findings(name string, kept []candidate) []Finding {
	var pos position
	out := make([]Finding, 0, len(kept))
	for _, k := range kept {
		line, col := pos.at(d.b, k.start)
		endPos := pos // a copy: the next start may lie before this end
		endLine, endCol := endPos.at(d.b, k.end)
		out = append(out, Finding{
			Path:        name,
			Line:        line,
			Column:      col,
			EndLine:     endLine,
			EndColumn:   endCol,
			Start:       k.start,
			End:         k.end,
			Class:       k.class,
			Severity:    k.severity,
			Name:        k.name,
			Secret:      k.value,
			Fingerprint: Fingerprint(k.value),
		})
	}
	return out
}

// position walks forward through content counting lines.
type position struct {
	off, line, lineStart int
}

// at returns the 1-based line and character column of offset i, which must
// not lie before the last offset asked for.
func (p *position) at(b []byte, i int) (line, col int) {
	if p.line == 0 {
		p.line = 1
	}
	for {
		j := bytes.IndexByte(b[p.off:i], '\n')
		if j < 0 {
			break
		}
		p.off += j + 1
		p.line++
		p.lineStart = p.off
	}
	p.off = i
	return p.line, utf8.RuneCount(b[p.lineStart:i]) + 1
}
