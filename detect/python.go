package detect

import (
	"bytes"
	"strings"
)

// pythonSyntax is Python source: settings modules, conftest, scripts. An
// unquoted value is an expression, never a literal; a literal may be
// parenthesised, split over lines, or the default of a call.
var pythonSyntax = &syntax{bare: bareNever, python: true}

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
	if s := d.pythonValue(p); s != nil {
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

// pythonValue reads the right-hand side of a Python assignment: a literal,
// possibly parenthesised and split over lines as implicitly concatenated
// pieces.
func (d *doc) pythonValue(p int) *span {
	p = skipBlanks(d.b, p)
	for n := 0; n < 4 && p < len(d.b) && d.b[p] == '('; n++ {
		p = skipSpace(d.b, p+1)
	}
	first, next, ok := parseQuoted(d.b, p)
	if !ok {
		return nil
	}
	whole := first
	var joined strings.Builder
	joined.WriteString(first.value)
	for n := 0; n < 8; n++ {
		q := skipSpace(d.b, next)
		piece, after, ok := parseQuoted(d.b, q)
		if !ok {
			break
		}
		joined.WriteString(piece.value)
		whole.end = piece.end
		next = after
	}
	whole.value = joined.String()
	// 'x' * 50: a literal repeated, as some settings pad a weak key to
	// Django's length.
	if q := skipBlanks(d.b, next); q+1 < len(d.b) && d.b[q] == '*' && d.b[q+1] != '*' {
		q = skipBlanks(d.b, q+1)
		n, end := 0, q
		for end < len(d.b) && end-q < 4 && d.b[end] >= '0' && d.b[end] <= '9' {
			n = n*10 + int(d.b[end]-'0')
			end++
		}
		if end > q && n > 0 && n*len(whole.value) <= maxLiteral {
			whole.value = strings.Repeat(whole.value, n)
			whole.end = end
			whole.computed = true
		}
	}
	return &whole
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
	s, next, ok := parseQuoted(d.b, skipSpace(d.b, q+1))
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
				return d.pythonValue(eq + 1)
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
