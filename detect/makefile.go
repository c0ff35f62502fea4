package detect

import (
	"bytes"
	"strings"
)

// makefileSyntax is a Makefile: NAME = value, NAME := value, NAME ?= value
// (and ::=, :::=, +=), where the value runs to the end of the line less a
// comment, $(NAME) and ${NAME} are make's references and $$ is one $; and
// recipe lines, which are shell (docker build --build-arg NAME=value).
var makefileSyntax = &syntax{dashInNames: true, bare: bareAlways, bareStops: ";", configLike: true, hashComments: true,
	buildConfig: true, dollarEscapes: true, forms: []form{(*doc).makeAssign}}

// makeAssign handles a make variable's assignment: the name starts its
// line (perhaps after export, override or private). NAME ?= value sets
// the value only when the environment does not, so it is a fallback;
// NAME != command is the command's output.
func (d *doc) makeAssign(ts, te int, r role, name string) bool {
	ls := lineStart(d.b, ts, ts-256)
	head := d.b[ls:ts]
	if len(head) > 0 && head[0] == '\t' {
		return false // a recipe line: shell
	}
	head = bytes.TrimLeft(head, " ")
	for _, w := range []string{"export ", "override ", "private "} {
		head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(w)), " \t")
	}
	if len(head) != 0 {
		return false
	}
	p := skipBlanks(d.b, te)
	class := HardcodedKey
	switch {
	case bytes.HasPrefix(d.b[p:], []byte("!=")):
		return true
	case bytes.HasPrefix(d.b[p:], []byte("?=")):
		class = HardcodedFallback
		p += 2
	case bytes.HasPrefix(d.b[p:], []byte("+=")):
		p += 2
	case bytes.HasPrefix(d.b[p:], []byte(":::=")):
		p += 4
	case bytes.HasPrefix(d.b[p:], []byte("::=")):
		p += 3
	case bytes.HasPrefix(d.b[p:], []byte(":=")):
		p += 2
	case p < len(d.b) && d.b[p] == '=':
		p++
	default:
		return false
	}
	if r == roleList {
		return true
	}
	s, ok := makeValue(d.b, skipBlanks(d.b, p))
	if ok {
		d.claim(&s, class, r, name, ts)
	}
	return true
}

// makeValue reads a make variable's value at p: the rest of the line, up
// to a '#' that is not escaped, without trailing blanks. A value that
// refers to another variable or calls a function ($(X), ${X}, $X) is
// computed by make, and none is read.
func makeValue(b []byte, p int) (span, bool) {
	end := lineEnd(b, p, p+maxLiteral)
	if end == p+maxLiteral {
		return span{}, false
	}
	for i := p; i < end; i++ {
		if b[i] == '#' && (i == p || b[i-1] != '\\') {
			end = i
			break
		}
	}
	for end > p && (b[end-1] == ' ' || b[end-1] == '\t' || b[end-1] == '\r') {
		end--
	}
	v := string(b[p:end])
	if v == "" || strings.Contains(strings.ReplaceAll(v, "$$", ""), "$") {
		return span{}, false
	}
	return span{start: p, end: end, value: v}, true
}
