package detect

import (
	"bytes"
	"sort"
	"strings"
)

// markdownSyntax is prose: Markdown, reStructuredText and plain text, where
// keys are pasted into code blocks and sentences. Values are read as in a
// file of unknown syntax: quoted after a key's name, or bare only when they
// look like a Django key, since a bare word in a sentence is mostly prose
// ("set SECRET_KEY = your-own-value"). Inside a fenced code block that
// says it holds a .env file or shell (```env, ```bash), lines are read as
// such a file reads them: SECRET_KEY=change-me there is a value.
var markdownSyntax = &syntax{dashInNames: true, bare: bareKeyShaped, forms: []form{(*doc).fenced}}

// fenceSyntaxes are the info strings of fenced code blocks whose lines are
// read in another syntax.
var fenceSyntaxes = map[string]*syntax{
	"env": dotenvSyntax, "dotenv": dotenvSyntax, ".env": dotenvSyntax,
	"bash": shellSyntax, "sh": shellSyntax, "shell": shellSyntax, "zsh": shellSyntax,
	"console": shellSyntax, "shell-session": shellSyntax, "sh-session": shellSyntax, "shellsession": shellSyntax,
}

// fence is a fenced code block: content from start to end, in syntax syn.
type fence struct {
	start, end int
	syn        *syntax
}

// fenced handles a name inside a fenced code block of a syntax of its own
// (see fenceSyntaxes), reading it as a file of that syntax would.
func (d *doc) fenced(ts, te int, _ role, _ string) bool {
	if d.fences == nil {
		d.fences = findFences(d.b)
	}
	k := sort.Search(len(d.fences), func(j int) bool { return d.fences[j].end > ts })
	if k == len(d.fences) || d.fences[k].start > ts {
		return false
	}
	outer := d.syn
	d.syn = d.fences[k].syn
	if r := d.roleOf(ts, te); r != roleNone {
		d.named(ts, te, r)
	}
	d.syn = outer
	return true
}

// findFences returns the fenced code blocks of a Markdown text whose info
// string names a syntax of fenceSyntaxes, in order; never nil, so that it
// is computed once per file. A block opens with three or more backticks
// or tildes at a line's start (after blanks, as in a list) and closes with
// a line of at least as many of the same; one never closed runs to the
// end of the text.
func findFences(b []byte) []fence {
	out := []fence{}
	var open *fence
	var mark byte
	var count int
	lineDone := 0 // the end of the line of the last mark looked at
	for _, at := range fenceMarks(b) {
		if at < lineDone {
			continue // a mark before it on its line: it does not start it
		}
		ls := lineStart(b, at, 0)
		if len(bytes.TrimLeft(b[ls:at], " \t")) != 0 {
			lineDone = lineEnd(b, at, len(b))
			continue // the fence does not start its line
		}
		n := at
		for n < len(b) && b[n] == b[at] {
			n++
		}
		le := lineEnd(b, n, len(b))
		lineDone = le
		if open == nil {
			mark, count = b[at], n-at
			info := strings.ToLower(strings.TrimSpace(string(b[n:le])))
			if i := strings.IndexAny(info, " \t{"); i >= 0 {
				info = info[:i]
			}
			open = &fence{start: le, end: len(b), syn: fenceSyntaxes[info]}
			continue
		}
		if b[at] != mark || n-at < count || len(bytes.TrimSpace(b[n:le])) != 0 {
			continue
		}
		open.end = ls
		if open.syn != nil {
			out = append(out, *open)
		}
		open = nil
	}
	if open != nil && open.syn != nil {
		out = append(out, *open)
	}
	return out
}

// fenceMarks returns, in order, where each run of three or more backticks
// or tildes starts.
func fenceMarks(b []byte) []int {
	var at []int
	for _, m := range [][]byte{[]byte("```"), []byte("~~~")} {
		for _, i := range indexAll(b, m, nil) {
			if i == 0 || b[i-1] != m[0] {
				at = append(at, i)
			}
		}
	}
	sort.Ints(at)
	return at
}
