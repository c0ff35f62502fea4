package detect

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// jsonSyntax is JSON: "SECRET_KEY": "...", Heroku's app.json, dumpdata
// fixtures. Values are always quoted; a value may be base64 of the key.
var jsonSyntax = &syntax{dashInNames: true, bare: bareNever, configLike: true, base64Values: true, jsonStrings: true}

// objectValue reads Heroku's app.json form, "SECRET_KEY": {"value": "..."},
// looking for "value" only inside this entry's braces; p is at the '{'.
func (d *doc) objectValue(p int) *span {
	end := min(len(d.b), p+256)
	if c := bytes.IndexByte(d.b[p:end], '}'); c >= 0 {
		end = p + c
	}
	if i := bytes.Index(d.b[p:end], []byte(`"value"`)); i >= 0 {
		if c := skipBlanks(d.b, p+i+len(`"value"`)); c < len(d.b) && d.b[c] == ':' {
			return d.value(skipBlanks(d.b, c+1))
		}
	}
	return nil
}

// pair handles {"name": "SECRET_KEY", "value": "..."}, the shape of a
// dumpdata fixture of a settings model.
func (d *doc) pair(p int, r role, name string, anchor int) {
	p = skipBlanks(d.b, p)
	for _, key := range []string{`"value"`, `'value'`} {
		if bytes.HasPrefix(d.b[p:], []byte(key)) {
			c := skipBlanks(d.b, p+len(key))
			if c < len(d.b) && d.b[c] == ':' {
				d.claim(d.value(skipBlanks(d.b, c+1)), HardcodedKey, r, name, anchor)
			}
			return
		}
	}
}

// jsonItemValue is parseBare for a "KEY=value" item held in a JSON string
// (a notebook's printed output, a JSON list of KEY=value items), whose
// text is what a program sees once the string's escapes are undone: the
// value is that text, and it ends where that text has white space (the
// \n of a printed line) or where the quote q that opened the item closes:
// the JSON string's own ", or the \" or ' of Python source held in it.
func jsonItemValue(b []byte, i int, q string) (span, bool) {
	var out []byte
	j := i
	limit := min(len(b), i+maxLiteral)
	for j < limit && !bytes.HasPrefix(b[j:], []byte(q)) {
		c := b[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		if c != '\\' {
			out = append(out, c)
			j++
			continue
		}
		r, n := jsonEscape(b[j:])
		if n == 0 || unicode.IsSpace(r) || unicode.IsControl(r) {
			break
		}
		out = utf8.AppendRune(out, r)
		j += n
	}
	if j == i || j >= limit {
		return span{}, false
	}
	return span{start: i, end: j, value: string(out)}, true
}

// jsonEscape reads the JSON escape at the start of b and returns the
// character it stands for and its length, or a length of 0 when b starts
// with no escape JSON knows (or a \u of half a surrogate pair, which no
// key holds).
func jsonEscape(b []byte) (rune, int) {
	if len(b) < 2 {
		return 0, 0
	}
	if i := strings.IndexByte(`"\/bfnrt`, b[1]); i >= 0 {
		return rune("\"\\/\b\f\n\r\t"[i]), 2
	}
	if b[1] != 'u' || len(b) < 6 {
		return 0, 0
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, 0
	}
	return rune(n), 6
}
