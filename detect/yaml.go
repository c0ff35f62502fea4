package detect

import (
	"bytes"
	"strings"
)

// yamlSyntax is YAML: compose files, Kubernetes manifests, Helm values, CI
// workflows. A value may be bare, quoted, a block scalar on the next line,
// base64 in a Secret's data:, or the value: of a container's env entry.
var yamlSyntax = &syntax{dashInNames: true, bare: bareAlways, bareStops: ",]}", configLike: true,
	base64Values: true, blockScalars: true, tags: true, hashComments: true,
	forms: []form{(*doc).namedEnvEntry}}

// namedEnvEntry handles a Kubernetes container's env entry, where the
// name and the value stand on two lines:
//
//   - name: DJANGO_SECRET_KEY
//     value: "..."
func (d *doc) namedEnvEntry(ts, te int, r role, name string) bool {
	ls := lineStart(d.b, ts, ts-256)
	head := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(d.b[ls:ts])), "-"))
	head = strings.TrimRight(head, "\"' ")
	if head != "name:" {
		return false
	}
	le := lineEnd(d.b, te, te+256)
	if strings.Trim(string(d.b[te:le]), "\"' \r") != "" || le >= len(d.b) {
		return false
	}
	next := skipBlanks(d.b, le+1)
	if !bytes.HasPrefix(d.b[next:], []byte("value:")) {
		return true
	}
	d.claim(d.value(skipBlanks(d.b, next+len("value:"))), HardcodedKey, r, name, ts)
	return true
}

// blockScalar reads a block scalar (NAME: | or NAME: >-) at p: its value
// is on the next line.
func (d *doc) blockScalar(p int) (*span, bool) {
	if p >= len(d.b) || (d.b[p] != '|' && d.b[p] != '>') {
		return nil, false
	}
	next := lineEnd(d.b, p, p+256) + 1
	return d.value(skipSpace(d.b, next)), true
}

// isTag reports whether the bare value s is a YAML tag such as !env NAME.
func (d *doc) isTag(s span) bool {
	return strings.HasPrefix(s.value, "!") && s.end < len(d.b) && d.b[s.end] == ' '
}
