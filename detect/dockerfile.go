package detect

import "bytes"

// dockerfileSyntax is a Dockerfile or Containerfile: ENV NAME=value (one
// or several on a line, continued with \) and the legacy ENV NAME value.
var dockerfileSyntax = &syntax{dashInNames: true, bare: bareAlways, bareStops: ";", configLike: true, buildConfig: true,
	forms: []form{(*doc).legacyEnv}}

// legacyEnv handles a Dockerfile's ENV NAME value (no equals sign).
func (d *doc) legacyEnv(ts, te int, r role, name string) bool {
	ls := lineStart(d.b, ts, ts-256)
	head := bytes.TrimLeft(d.b[ls:ts], " \t")
	if len(head) < 4 || !bytes.EqualFold(head[:3], []byte("ENV")) || len(bytes.TrimSpace(head[3:])) != 0 {
		return false
	}
	if te >= len(d.b) || (d.b[te] != ' ' && d.b[te] != '\t') {
		return false
	}
	p := skipBlanks(d.b, te)
	if p < len(d.b) && d.b[p] == '=' {
		return false
	}
	d.claim(d.value(p), HardcodedKey, r, name, ts)
	return true
}
