package fix

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
)

// How one literal in a settings module is replaced: the cut it makes, the
// module's own way of reading the environment, and the import it may need.

// cut replaces b[start:end] with text.
type cut struct {
	start, end int
	text       string
	// needsOS says that text reads os.environ through the name "os",
	// which no import before it binds: "import os" must be added.
	needsOS bool
}

func needsOSImport(cuts []cut) bool {
	for _, c := range cuts {
		if c.needsOS {
			return true
		}
	}
	return false
}

// sortCuts orders cuts by place; an insertion comes before a
// replacement that starts where it does.
func sortCuts(cuts []cut) {
	sort.Slice(cuts, func(i, j int) bool {
		if cuts[i].start != cuts[j].start {
			return cuts[i].start < cuts[j].start
		}
		return cuts[i].end < cuts[j].end
	})
}

// applyCuts makes the replacements, which must be sorted and must not
// overlap.
func applyCuts(b []byte, cuts []cut) []byte {
	var out bytes.Buffer
	pos := 0
	for _, c := range cuts {
		out.Write(b[pos:c.start])
		out.WriteString(c.text)
		pos = c.end
	}
	out.Write(b[pos:])
	return out.Bytes()
}

// reader is how a settings module reads its environment.
type reader int

const (
	readOSEnviron reader = iota // os.environ["NAME"]
	readEnviron                 // django-environ: env("NAME")
	readDecouple                // python-decouple: config("NAME")
)

type style struct {
	reader reader
	call   string // the function to call for django-environ or decouple
	// osImports are the module's imports of os (see osImports), found
	// once for all its literals; without indexed, each literal looks.
	osImports []osImport
	indexed   bool
}

var (
	environEnv  = regexp.MustCompile(`(?m)^(\w+)\s*=\s*environ\.Env\(`)
	decoupleImp = regexp.MustCompile(`(?m)^from\s+decouple\s+import\s+[^\n]*\bconfig\b`)
)

// styleOf keeps the module's own way of reading settings.
func styleOf(b []byte) style {
	if m := environEnv.FindSubmatch(b); m != nil {
		return style{reader: readEnviron, call: string(m[1])}
	}
	if decoupleImp.Match(b) {
		return style{reader: readDecouple, call: "config"}
	}
	return style{reader: readOSEnviron, osImports: osImports(b), indexed: true}
}

// osName is osName, from the imports styleOf found when it found them.
func (st style) osName(b []byte, pos int) string {
	if !st.indexed {
		return osName(b, pos)
	}
	return osNameIn(st.osImports, b, pos)
}

// osName returns the name that a module-level import before pos binds
// to the os module ("os" for import os or import os.path, the alias for
// import os as _os), or "" when none does. An import inside a block may
// not run, and one after pos runs too late, so neither counts; from os
// import environ binds no name to os.
func osName(b []byte, pos int) string {
	return osNameIn(osImports(b[:pos]), b, pos)
}

// osImport is a line of a module that binds a name to the os module.
type osImport struct {
	start, end int // the line, with its line end
	name       string
}

// osImports lists the lines of b that bind a name to the os module, in
// order, so that the os name at many places of one module is found
// without reading the module again for each (osNameIn).
func osImports(b []byte) []osImport {
	var out []osImport
	for start := 0; start < len(b); {
		end := len(b)
		if i := bytes.IndexByte(b[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		if name := importedOS(b[start:end]); name != "" {
			out = append(out, osImport{start, end, name})
		}
		start = end
	}
	return out
}

// osNameIn is osName from the module's os imports: the last before pos,
// where the line that holds pos counts only up to pos.
func osNameIn(imports []osImport, b []byte, pos int) string {
	i := sort.Search(len(imports), func(i int) bool { return imports[i].start >= pos })
	for ; i > 0; i-- {
		im := imports[i-1]
		if im.end <= pos {
			return im.name
		}
		if name := importedOS(b[im.start:pos]); name != "" {
			return name
		}
	}
	return ""
}

// importedOS returns the name one line binds to the os module, if it is
// an import statement that binds one, or "".
func importedOS(line []byte) string {
	rest, ok := bytes.CutPrefix(line, []byte("import "))
	if !ok {
		return ""
	}
	if i := bytes.IndexAny(rest, "#;"); i >= 0 {
		rest = rest[:i]
	}
	name := ""
	for _, item := range strings.Split(string(rest), ",") {
		if n := boundToOS(strings.Fields(item)); n != "" {
			name = n
		}
	}
	return name
}

// boundToOS returns the name one item of an import statement binds to
// the os module, or "".
func boundToOS(item []string) string {
	switch {
	case len(item) == 3 && item[0] == "os" && item[1] == "as":
		return item[2]
	case len(item) == 1 && (item[0] == "os" || strings.HasPrefix(item[0], "os.")):
		return "os"
	}
	return ""
}

var keyNames = map[string]bool{"SECRET_KEY": true, "DJANGO_SECRET_KEY": true}

// envVarFor names the environment variable a setting is read from.
func envVarFor(name string) string {
	if keyNames[strings.ToUpper(name)] {
		return keygen.EnvName
	}
	return strings.ToUpper(name)
}

// planLiteral plans the replacement of one finding's literal. A literal
// assigned at module level (NAME = '...') becomes a read from the
// environment; a literal default of an environment read is dropped, so
// that an unset variable fails loudly. Anything else is left to the user.
func planLiteral(b []byte, f detect.Finding, st style) (cut, string, bool) {
	lo, hi, ok := literalBounds(b, f.Start, f.End)
	if !ok {
		return cut{}, "", false
	}
	if f.Class == detect.HardcodedFallback {
		start, ok := defaultArgStart(b, lo)
		if !ok {
			return cut{}, "", false
		}
		// Without its default the call needs the variable set: it gets a
		// key in .env like a rewritten literal's.
		return cut{start: start, end: hi}, callVar(b, start), true
	}
	if !moduleAssignment(b, lo, f.Name) || !endsValue(b, lo, hi) {
		return cut{}, "", false
	}
	envVar := envVarFor(f.Name)
	c := cut{start: lo, end: hi}
	switch st.reader {
	case readEnviron, readDecouple:
		c.text = fmt.Sprintf("%s(%q)", st.call, envVar)
	default:
		name := st.osName(b, lo)
		if name == "" {
			name, c.needsOS = "os", true
		}
		c.text = fmt.Sprintf("%s.environ[%q]", name, envVar)
	}
	return c, envVar, true
}

// shifter maps places in a module to where they land once cuts (sorted,
// apart) are made. Sorted and apart, the cuts end in order too, so the
// cuts that end before a place are a prefix of them, found by binary
// search, and what they add is a sum made once: a module of thousands of
// cuts maps thousands of places without adding up every cut for each.
type shifter struct {
	cuts []cut
	sums []int // sums[i]: what cuts[:i] add to the module's length
}

func newShifter(cuts []cut) shifter {
	sums := make([]int, len(cuts)+1)
	for i, c := range cuts {
		sums[i+1] = sums[i] + len(c.text) - (c.end - c.start)
	}
	return shifter{cuts, sums}
}

// before returns how many cuts end at or before pos.
func (s shifter) before(pos int) int {
	return sort.Search(len(s.cuts), func(i int) bool { return s.cuts[i].end > pos })
}

// at maps pos to where it lands once the cuts are made.
func (s shifter) at(pos int) int {
	return pos + s.sums[s.before(pos)]
}

// readsWithDecouple reports whether the read that cut c leaves reads
// its variable through python-decouple's config, which finds a .env by
// itself, rather than from the environment.
func readsWithDecouple(b []byte, c cut, f detect.Finding, st style) bool {
	if st.reader != readDecouple {
		return false
	}
	if f.Class != detect.HardcodedFallback {
		return true // the literal became config("NAME")
	}
	open, ok := callOpen(b, c.start)
	if !ok {
		return false
	}
	callee := strings.TrimRight(string(b[:open]), " \t")
	return strings.HasSuffix(callee, st.call) && (len(callee) == len(st.call) || !isIdent(callee[len(callee)-len(st.call)-1]) && callee[len(callee)-len(st.call)-1] != '.')
}

// callOpen finds the '(' that opens the call whose arguments hold pos.
func callOpen(b []byte, pos int) (int, bool) {
	depth := 0
	for i := pos - 1; i >= 0; i-- {
		switch b[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			if depth == 0 {
				return i, b[i] == '('
			}
			depth--
		}
	}
	return 0, false
}

var envVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// callVar names the variable that the call whose arguments hold pos
// reads: its first argument, when that is a plain string literal such as
// 'DJANGO_SECRET_KEY'; "" otherwise.
func callVar(b []byte, pos int) string {
	open, ok := callOpen(b, pos)
	if !ok {
		return ""
	}
	first := string(b[open+1 : pos])
	if i := strings.IndexByte(first, ','); i >= 0 {
		first = first[:i]
	}
	first = strings.TrimSpace(first)
	if len(first) < 3 || (first[0] != '\'' && first[0] != '"') || first[len(first)-1] != first[0] {
		return ""
	}
	if name := first[1 : len(first)-1]; envVarName.MatchString(name) {
		return name
	}
	return ""
}

// literalBounds widens a finding's value span to the whole literal: its
// quotes and prefix letters, and for implicitly concatenated pieces, from
// the first piece's opening to the last's closing.
func literalBounds(b []byte, start, end int) (int, int, bool) {
	lo, hi := start, end
	for n := 0; n < 3 && lo > 0 && (b[lo-1] == '\'' || b[lo-1] == '"'); n++ {
		lo--
	}
	for n := 0; n < 3 && hi < len(b) && (b[hi] == '\'' || b[hi] == '"'); n++ {
		hi++
	}
	if lo == start || hi == end {
		return 0, 0, false
	}
	for n := 0; n < 2 && lo > 0 && strings.IndexByte("rRuUbB", b[lo-1]) >= 0; n++ {
		lo--
	}
	return lo, hi, true
}

// moduleAssignment reports whether the literal at lo is the right-hand
// side of NAME = or NAME: type = at the start of a line, possibly inside
// parentheses.
func moduleAssignment(b []byte, lo int, name string) bool {
	ls := bytes.LastIndexByte(b[:lo], '\n') + 1
	head := string(b[ls:lo])
	if ls == 0 {
		head = strings.TrimPrefix(head, utf8BOM) // a BOM is no part of the first line's code
	}
	if !strings.HasPrefix(head, name) {
		// The value may sit in parentheses on the next lines.
		prev := strings.TrimRight(string(b[:ls]), " \t\r\n")
		pls := strings.LastIndexByte(prev, '\n') + 1
		head = strings.TrimPrefix(prev[pls:], utf8BOM) + " " + strings.TrimSpace(head)
		if !strings.HasPrefix(head, name) {
			return false
		}
	}
	rest := strings.TrimSpace(head[len(name):])
	if i := strings.IndexByte(rest, ':'); i == 0 {
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return false
		}
		rest = strings.TrimSpace(rest[eq:])
	}
	if !strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "==") {
		return false
	}
	rest = strings.TrimSpace(rest[1:])
	return strings.Trim(rest, "( \t\r\n") == ""
}

// endsValue reports whether the literal at b[lo:hi] ends the value it is
// assigned: nothing but blanks, comments and the parentheses opened before
// it follow until the statement ends. In 'django-insecure-' + '...' the
// first literal is only part of the value, and replacing it alone would
// keep the rest of the key.
func endsValue(b []byte, lo, hi int) bool {
	ls := bytes.LastIndexByte(b[:lo], '\n') + 1
	head := string(b[ls:lo])
	if strings.Trim(head, "( \t") == "" && ls > 0 {
		// The value may sit in parentheses opened on the line before.
		prev := strings.TrimRight(string(b[:ls]), " \t\r\n")
		head = prev[strings.LastIndexByte(prev, '\n')+1:] + head
	}
	depth := max(0, strings.Count(head, "(")-strings.Count(head, ")"))
	for i := hi; i < len(b); i++ {
		switch c := b[i]; {
		case c == ' ' || c == '\t' || c == '\r':
		case c == '\\' && i+1 < len(b) && (b[i+1] == '\n' || b[i+1] == '\r'):
			i++
		case c == '#':
			for i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		case c == '\n' || c == ';':
			if depth == 0 {
				return true
			}
		case c == ')' && depth > 0:
			depth--
		default:
			return false
		}
	}
	return depth == 0
}

// defaultArgStart finds where the default argument that starts at lo
// begins: back over "default=" and the comma before it.
func defaultArgStart(b []byte, lo int) (int, bool) {
	i := lo
	skip := func() {
		for i > 0 && strings.IndexByte(" \t\r\n", b[i-1]) >= 0 {
			i--
		}
	}
	skip()
	if i >= len("default=") && string(b[i-len("default="):i]) == "default=" {
		i -= len("default=")
		skip()
	} else if i > 0 && b[i-1] == '=' {
		j := i - 1
		for j > 0 && strings.IndexByte(" \t", b[j-1]) >= 0 {
			j--
		}
		if j >= len("default") && string(b[j-len("default"):j]) == "default" {
			i = j - len("default")
			skip()
		}
	}
	if i == 0 || b[i-1] != ',' {
		return 0, false
	}
	return i - 1, true
}
