package detect

import "bytes"

// jsonSyntax is JSON: "SECRET_KEY": "...", Heroku's app.json, dumpdata
// fixtures. Values are always quoted; a value may be base64 of the key.
var jsonSyntax = &syntax{dashInNames: true, bare: bareNever, configLike: true, base64Values: true}

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
