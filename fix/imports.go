package fix

import (
	"bytes"
	"strings"
)

// utf8BOM is the byte-order mark some editors put first in a UTF-8 file.
// Python reads it only there: nothing may come before it.
const utf8BOM = "\ufeff"

// importCut inserts "import os" where imports go: after a byte-order
// mark, a module docstring, comments and __future__ imports, before the
// first other import, with the file's own line end.
func importCut(b []byte) cut {
	if rest, ok := bytes.CutPrefix(b, []byte(utf8BOM)); ok {
		c := importCut(rest)
		c.start += len(utf8BOM)
		c.end += len(utf8BOM)
		return c
	}
	eol := "\n"
	if bytes.Contains(b, []byte("\r\n")) {
		eol = "\r\n"
	}
	lines := splitKeep(b)
	at := 0
	inDoc := ""
	for i, l := range lines {
		t := strings.TrimSpace(string(l))
		switch {
		case inDoc != "":
			if strings.Contains(t, inDoc) {
				inDoc = ""
				at = i + 1
			}
			continue
		case strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, `'''`):
			q := t[:3]
			if i == 0 || at == i {
				if strings.Count(t, q) >= 2 {
					at = i + 1
				} else {
					inDoc = q
				}
				continue
			}
		case t == "" || strings.HasPrefix(t, "#"):
			if at == i {
				at = i + 1
			}
			continue
		case strings.HasPrefix(t, "from __future__"):
			at = i + 1
			continue
		}
		break
	}
	offset := 0
	for _, l := range lines[:at] {
		offset += len(l)
	}
	text := "import os" + eol
	if at >= len(lines) && len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
		text = eol + text
	}
	return cut{start: offset, end: offset, text: text}
}
