package detect

import (
	"bytes"
	"strings"
)

// dotenvSyntax is .env files, read as python-dotenv and django-environ
// read them: NAME=value or export NAME=value, where an unquoted value runs
// to the end of the line and " #" starts a comment, so a value may hold
// ';', '&' or '#'.
var dotenvSyntax = &syntax{dashInNames: true, bare: bareAlways, lineValues: true, configLike: true}

// shellSyntax is shell scripts (and .envrc, Procfile): a bare value ends
// at white space or ';', '#' after white space starts a comment, and
// ${NAME:-default} gives a default.
var shellSyntax = &syntax{dashInNames: true, bare: bareAlways, bareStops: ";", configLike: true, hashComments: true}

// lineValue reads an unquoted .env value at p: the rest of the line, less
// a comment (white space, then '#') and trailing white space.
func lineValue(b []byte, p int) (span, bool) {
	end := lineEnd(b, p, p+maxLiteral)
	if end == p+maxLiteral {
		return span{}, false // longer than any key: not a value we read
	}
	for i := p + 1; i < end; i++ {
		if b[i] == '#' && (b[i-1] == ' ' || b[i-1] == '\t') {
			end = i
			break
		}
	}
	for end > p && (b[end-1] == ' ' || b[end-1] == '\t' || b[end-1] == '\r') {
		end--
	}
	if end == p {
		return span{}, false
	}
	return span{start: p, end: end, value: string(b[p:end])}, true
}

// shellDefault handles ${NAME:-value} and its kin (${NAME-value},
// ${NAME:=value}, ${NAME=value}): a literal the shell uses when the
// variable is unset. Compose files and CI YAML use the same expansion, so
// it is tried in every syntax.
func (d *doc) shellDefault(ts, te int, r role, name string) bool {
	if ts < 2 || d.b[ts-1] != '{' || d.b[ts-2] != '$' {
		return false
	}
	p := te
	for _, op := range []string{":-", ":=", "-", "="} {
		if bytes.HasPrefix(d.b[p:], []byte(op)) {
			p += len(op)
			end := bytes.IndexByte(d.b[p:min(len(d.b), p+maxLiteral)], '}')
			if end < 0 {
				return true
			}
			v := string(d.b[p : p+end])
			if strings.ContainsAny(v, "\n\r") {
				return true
			}
			d.claim(&span{start: p, end: p + end, value: v}, HardcodedFallback, r, name, ts)
			return true
		}
	}
	return false
}
