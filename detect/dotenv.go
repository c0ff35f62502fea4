package detect

import (
	"bytes"
	"strings"
)

// dotenvSyntax is .env files and shell: NAME=value, export NAME=value, a
// bare value up to white space or ';', and ${NAME:-default}.
var dotenvSyntax = &syntax{name: "dotenv", dashInNames: true, bare: bareAlways, bareStops: ";", configLike: true}

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
