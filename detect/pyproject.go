package detect

import "bytes"

// pyprojectSyntax is pyproject.toml: TOML whose tables set, for other
// tools, the environment that tests and tasks run in (pytest-env's
// [tool.pytest_env] and env = ["D:NAME=value"], hatch's env-vars, poe's
// env). A value there is what the tool sets, as written: "..." or "xxx"
// is that value, not one left out.
var pyprojectSyntax = &syntax{dashInNames: true, bare: bareAlways, configLike: true, asWritten: true,
	forms: []form{(*doc).pytestEnvItem, (*doc).inlineTable}}

// pytestEnvItem handles pytest-env's "D:NAME=value" and "R:NAME=value"
// items (D: sets a default, R: skips the expansion of {VAR}): the flags
// stand between the item's quote and the name.
func (d *doc) pytestEnvItem(ts, te int, r role, name string) bool {
	i := ts
	for i >= 2 && ts-i < 4 && d.b[i-1] == ':' && (d.b[i-2] == 'D' || d.b[i-2] == 'R') {
		i -= 2
	}
	if i == ts || i == 0 || !isQuote(d.b[i-1]) || te >= len(d.b) || d.b[te] != '=' {
		return false
	}
	if s, ok := parseBare(d.b, te+1, string(d.b[i-1:i])); ok {
		d.claim(&s, HardcodedKey, r, name, ts)
	}
	return true
}

// inlineTable handles NAME = { value = "...", ... }, pytest-env's table
// form: the value is its value key's, and a table without one holds none.
func (d *doc) inlineTable(ts, te int, r role, name string) bool {
	p := skipBlanks(d.b, te)
	if p >= len(d.b) || d.b[p] != '=' {
		return false
	}
	p = skipBlanks(d.b, p+1)
	if p >= len(d.b) || d.b[p] != '{' {
		return false
	}
	end := lineEnd(d.b, p, p+512) // an inline table stands on one line
	for a := p + 1; a < end; a++ {
		if a = skipBlanks(d.b, a); a >= end {
			break
		}
		if bytes.HasPrefix(d.b[a:end], []byte("value")) {
			if eq := skipBlanks(d.b, a+len("value")); eq < end && d.b[eq] == '=' {
				d.claim(d.value(skipBlanks(d.b, eq+1)), HardcodedKey, r, name, ts)
				return true
			}
		}
		a = skipArgument(d.b, a, end)
		if a >= end || d.b[a] != ',' {
			break
		}
	}
	return true
}
