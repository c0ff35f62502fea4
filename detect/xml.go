package detect

import (
	"bytes"
	"strings"
)

// xmlSyntax is XML: IDE run configurations (.idea/**/*.xml, where
// PyCharm keeps <env name="DJANGO_SECRET_KEY" value="..."/>), .NET's
// web.config (<add key="..." value="..."/>) and the like. A key's name is
// an attribute's value, and the key is the value= attribute of the same
// element.
var xmlSyntax = &syntax{dashInNames: true, bare: bareNever, configLike: true,
	forms: []form{(*doc).xmlAttribute}}

// xmlAttribute handles name="NAME" (or key="NAME") followed, in the same
// element, by value="...".
func (d *doc) xmlAttribute(ts, te int, r role, name string) bool {
	q := d.quoteBefore(ts)
	if len(q) != 1 || te >= len(d.b) || d.b[te] != q[0] {
		return false
	}
	eq := skipBlanksBack(d.b, ts-1)
	if eq < 1 || d.b[eq-1] != '=' {
		return false
	}
	attr := skipBlanksBack(d.b, eq-1)
	if !bytes.HasSuffix(d.b[:attr], []byte("name")) && !bytes.HasSuffix(d.b[:attr], []byte("key")) {
		return false
	}
	end := min(len(d.b), te+512)
	if gt := bytes.IndexByte(d.b[te:end], '>'); gt >= 0 {
		end = te + gt
	}
	i := bytes.Index(d.b[te:end], []byte("value"))
	if i < 0 {
		return true
	}
	p := skipBlanks(d.b, te+i+len("value"))
	if p < end && d.b[p] == '=' {
		if s, _, ok := parseQuoted(d.b, skipBlanks(d.b, p+1)); ok {
			s.value = xmlEntities.Replace(s.value) // a key's & is written &amp;
			d.claim(&s, HardcodedKey, r, name, ts)
		}
	}
	return true
}

// skipBlanksBack returns the offset just after the last non-blank byte
// before i.
func skipBlanksBack(b []byte, i int) int {
	for i > 0 && (b[i-1] == ' ' || b[i-1] == '\t') {
		i--
	}
	return i
}

var xmlEntities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'")
