package detect

import (
	"bytes"
	"strings"
)

// pythonSyntax is Python source: settings modules, conftest, scripts. An
// unquoted value is an expression, never a literal; a literal may be
// parenthesised, split over lines, or the default of a call.
var pythonSyntax = &syntax{bare: bareNever, python: true, pyEscapes: true}

// pythonAssigned claims the literal on the right of NAME = ...: a
// django-environ scheme default, a default= argument, or the literal
// itself.
func (d *doc) pythonAssigned(p int, r role, name string, anchor int, class Class) {
	if s := d.schemeDefault(p); s != nil {
		d.claim(s, HardcodedFallback, r, name, anchor)
		return
	}
	if s := d.callDefault(p); s != nil {
		d.claim(s, HardcodedFallback, r, name, anchor)
		return
	}
	if s := d.pythonValue(p, d.inBrackets(anchor)); s != nil {
		d.claim(s, class, r, name, anchor)
		return
	}
	d.claim(d.orElse(p), HardcodedFallback, r, name, anchor)
}

// annotated handles NAME: type = value in Python; NAME: with no assignment
// on the line is left alone. A lowercase annotated name is a
// settings-class field (pydantic, dataclasses): its value is a default that
// the environment overrides.
func (d *doc) annotated(p int, r role, name string, anchor int) {
	class := HardcodedKey
	if name != normName(name) {
		class = HardcodedFallback
		if n := normName(name); r == roleProfile && (n == "SECRET_KEY" || n == "DJANGO_SECRET_KEY") {
			r = roleKey // a settings class's secret_key field is Django's key
		}
	}
	end := lineEnd(d.b, p, p+256)
	eq := bytes.IndexByte(d.b[p:end], '=')
	if eq < 0 {
		return
	}
	p += eq
	if p+1 < len(d.b) && d.b[p+1] == '=' {
		return
	}
	d.assigned(p+1, r, name, anchor, class)
}

// pythonValue reads a Python expression at p whose value is a string
// constant and returns the value Python gives it: a literal, or literals
// joined as Python joins them, written side by side ('abc' 'def'), added
// ('abc' + 'def') or repeated ('x' * 50), perhaps in parentheses. Blanks
// and backslash-continued line ends may stand between the pieces; line
// ends and comments too where the expression stands inside brackets
// (nested, or a parenthesis of its own), as Python allows. When the
// expression goes on with anything but a literal ('abc' + suffix), the
// value is the literal part before it: what the file itself holds.
func (d *doc) pythonValue(p int, nested bool) *span {
	p = pyGap(d.b, p, nested)
	for n := 0; n < 4 && p < len(d.b) && d.b[p] == '('; n++ {
		nested = true
		p = pyGap(d.b, p+1, nested)
	}
	whole, next, ok := d.pythonTerm(p, nested)
	if !ok {
		return nil
	}
	for n := 0; n < 8; n++ {
		q := pyGap(d.b, next, nested)
		if q+1 >= len(d.b) || d.b[q] != '+' || d.b[q+1] == '=' {
			break
		}
		t, after, ok := d.pythonTerm(pyGap(d.b, q+1, nested), nested)
		if !ok {
			break
		}
		whole.value += t.value
		whole.end = t.end
		whole.computed = whole.computed || t.computed
		next = after
	}
	return &whole
}

// pythonTerm reads one term of pythonValue's sum: literals side by side,
// perhaps repeated ('x' * 50, as some settings pad a weak key to Django's
// length). next is where the term ends.
func (d *doc) pythonTerm(p int, nested bool) (s span, next int, ok bool) {
	if n, lit, ok := d.countFirst(p, nested); ok {
		// 50 * 'x': the count written first.
		s, next, ok = d.pythonTerm(lit, nested)
		if !ok || s.computed || n*len(s.value) > maxLiteral {
			return span{}, p, false
		}
		s.value = strings.Repeat(s.value, n)
		s.start, s.computed = p, true
		return s, next, true
	}
	s, next, ok = d.literal(p)
	if !ok {
		return span{}, p, false
	}
	var joined strings.Builder
	joined.WriteString(s.value)
	for n := 0; n < 8; n++ {
		piece, after, ok := d.literal(pyGap(d.b, next, nested))
		if !ok {
			break
		}
		joined.WriteString(piece.value)
		s.end = piece.end
		next = after
	}
	s.value = joined.String()
	if q := pyGap(d.b, next, nested); q+1 < len(d.b) && d.b[q] == '*' && d.b[q+1] != '*' {
		q = pyGap(d.b, q+1, nested)
		n, end := 0, q
		for end < len(d.b) && end-q < 4 && d.b[end] >= '0' && d.b[end] <= '9' {
			n = n*10 + int(d.b[end]-'0')
			end++
		}
		if end > q && n > 0 && n*len(s.value) <= maxLiteral {
			s.value = strings.Repeat(s.value, n)
			s.end = end
			s.computed = true
			next = end
		}
	}
	return s, next, true
}

// countFirst reads the "50 *" of 50 * 'x' at p: a count of up to four
// digits, a '*' (not '**'), and where the literal it repeats starts.
func (d *doc) countFirst(p int, nested bool) (n, lit int, ok bool) {
	end := p
	for end < len(d.b) && end-p < 4 && d.b[end] >= '0' && d.b[end] <= '9' {
		n = n*10 + int(d.b[end]-'0')
		end++
	}
	if end == p || n == 0 || end < len(d.b) && isIdentByte(d.b[end]) {
		return 0, p, false
	}
	q := pyGap(d.b, end, nested)
	if q+1 >= len(d.b) || d.b[q] != '*' || d.b[q+1] == '*' {
		return 0, p, false
	}
	return n, pyGap(d.b, q+1, nested), true
}

// pyGap skips what may stand between two tokens of one Python expression:
// blanks, and a backslash that continues the line (after \n, \r\n or \r);
// inside brackets also line ends and comments. Like skipSpace it goes only
// a little way, so that a stray name never pulls in a distant literal.
func pyGap(b []byte, p int, nested bool) int {
	limit := min(len(b), p+256)
	for p < limit {
		switch b[p] {
		case ' ', '\t', '\f':
			p++
		case '\n', '\r':
			if !nested {
				return p
			}
			p++
		case '#':
			if !nested {
				return p
			}
			p = lineEnd(b, p, limit)
		case '\\':
			switch {
			case bytes.HasPrefix(b[p+1:], []byte("\r\n")):
				p += 3
			case p+1 < len(b) && (b[p+1] == '\n' || b[p+1] == '\r'):
				p += 2
			default:
				return p
			}
		default:
			return p
		}
	}
	return p
}

// inBrackets tells whether the name at anchor, given a value with '=',
// stands inside brackets (a keyword argument, settings.configure(
// SECRET_KEY=...)), where its value may go on over lines, or starts a
// statement, where a line end ends it and a literal on the next line
// (an attribute's docstring) is no part of it. It looks at the name's own
// line and the line before: a name that starts its line continues the
// line before when that ends with an opening bracket or a comma.
func (d *doc) inBrackets(anchor int) bool {
	s := anchor
	for s > 0 && anchor-s < 128 && (isIdentByte(d.b[s-1]) || strings.IndexByte(".[]'\"", d.b[s-1]) >= 0) {
		s--
	}
	s = skipBlanksBack(d.b, s)
	if s > 0 && d.b[s-1] != '\n' {
		return true
	}
	for n := 0; s > 0 && n < 256 && isSpaceByte(d.b[s-1]); n++ {
		s--
	}
	return s > 0 && strings.IndexByte("([{,", d.b[s-1]) >= 0
}

// literal reads the string literal at p with the escapes of the file's
// syntax: Python's own in Python source.
func (d *doc) literal(p int) (span, int, bool) {
	if d.syn.pyEscapes {
		return parsePyQuoted(d.b, p)
	}
	return parseQuoted(d.b, p)
}

// schemeDefault reads the default of a django-environ scheme entry,
// NAME=(cast, "literal"), as in environ.Env(DJANGO_SECRET_KEY=(str, "...")).
func (d *doc) schemeDefault(p int) *span {
	p = skipBlanks(d.b, p)
	if p >= len(d.b) || d.b[p] != '(' {
		return nil
	}
	p = skipSpace(d.b, p+1)
	q := p
	for q < len(d.b) && (isIdentByte(d.b[q]) || d.b[q] == '.') {
		q++
	}
	if q == p {
		return nil
	}
	q = skipSpace(d.b, q)
	if q >= len(d.b) || d.b[q] != ',' {
		return nil
	}
	s, next, ok := d.literal(skipSpace(d.b, q+1))
	if !ok {
		return nil
	}
	if c := skipSpace(d.b, next); c >= len(d.b) || (d.b[c] != ')' && d.b[c] != ',') {
		return nil
	}
	return &s
}

// callDefault reads a literal default= argument of a call on the right of
// an assignment: pydantic's Field(default="..."), and any reader of the
// same shape.
func (d *doc) callDefault(p int) *span {
	p = skipBlanks(d.b, p)
	q := p
	for q < len(d.b) && q-p < 128 && (isIdentByte(d.b[q]) || d.b[q] == '.') {
		q++
	}
	if q == p || q >= len(d.b) || d.b[q] != '(' {
		return nil
	}
	limit := min(len(d.b), q+512)
	for a := q + 1; a < limit; {
		a = skipSpace(d.b, a)
		if bytes.HasPrefix(d.b[a:], []byte("default")) {
			eq := skipBlanks(d.b, a+len("default"))
			if eq < len(d.b) && d.b[eq] == '=' && eq+1 < len(d.b) && d.b[eq+1] != '=' {
				return d.pythonValue(eq+1, true)
			}
		}
		a = skipArgument(d.b, a, limit)
		if a >= limit || d.b[a] != ',' {
			return nil
		}
		a++
	}
	return nil
}
