package fix

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// A small evaluator for the path expressions settings modules pass to a
// .env loader: BASE_DIR / ".env", os.path.join(BASE_DIR, ".env"),
// Path(__file__).resolve().parent.parent, environ.Path(__file__) - 2 and
// the like, with module-level names looked up in the module. Anything
// else is unknown: fix then says what the module loads without claiming
// where it is.

// pathEval evaluates expressions in one module.
type pathEval struct {
	b    []byte // the module
	file string // its absolute path, for __file__
	// before is where the expression is used: a name is looked up in the
	// last module-level assignment before it.
	before int
	depth  int
}

// maxPathDepth bounds the names followed from one expression.
const maxPathDepth = 8

// eval returns the absolute path expr names, or false when it cannot
// tell.
func (pe *pathEval) eval(expr string) (string, bool) {
	expr = strings.TrimSpace(expr)
	if pe.depth > maxPathDepth || expr == "" {
		return "", false
	}
	if inner, ok := wrapped(expr); ok {
		return pe.eval(inner)
	}
	if i := lastTopLevel(expr, '/'); i > 0 {
		return pe.join(expr[:i], []string{expr[i+1:]})
	}
	if i := lastTopLevel(expr, '-'); i > 0 {
		n, err := strconv.Atoi(strings.TrimSpace(expr[i+1:]))
		p, ok := pe.eval(expr[:i])
		if err != nil || !ok || n < 0 || n > 32 {
			return "", false
		}
		return up(p, n), true // environ.Path(...) - n climbs n directories
	}
	if rest, ok := strings.CutSuffix(expr, ".parent"); ok {
		p, ok := pe.eval(rest)
		return filepath.Dir(p), ok
	}
	if m := parentsIndex.FindStringSubmatch(expr); m != nil {
		n, _ := strconv.Atoi(m[2])
		p, ok := pe.eval(m[1])
		return up(p, n+1), ok
	}
	if strings.HasSuffix(expr, ")") {
		return pe.call(expr)
	}
	switch {
	case expr == "__file__":
		return pe.file, true
	case isStringLiteral(expr):
		s := expr[1 : len(expr)-1]
		// A relative path is relative to the working directory, which
		// fix does not know.
		return filepath.Clean(s), filepath.IsAbs(s)
	case identifier.MatchString(expr):
		return pe.name(expr)
	}
	if m := fstringPath.FindStringSubmatch(expr); m != nil {
		return pe.join(m[1], []string{strconv.Quote(m[2])})
	}
	return "", false
}

var (
	parentsIndex = regexp.MustCompile(`^(.*)\.parents\[\s*(\d+)\s*\]$`)
	identifier   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// fstringPath matches f"{BASE_DIR}/.env".
	fstringPath = regexp.MustCompile(`^[fF]["']\{([A-Za-z_][A-Za-z0-9_]*)\}/([^"'{}]*)["']$`)
)

// call evaluates expr, which ends with a call's closing parenthesis.
func (pe *pathEval) call(expr string) (string, bool) {
	open := matchingOpen(expr)
	if open <= 0 {
		return "", false
	}
	callee, args := strings.TrimSpace(expr[:open]), splitArgs(expr[open+1:len(expr)-1])
	for _, m := range []string{".joinpath", ".path"} {
		if recv, ok := strings.CutSuffix(callee, m); ok {
			return pe.join(recv, args)
		}
	}
	for _, m := range []string{".resolve", ".absolute"} {
		if recv, ok := strings.CutSuffix(callee, m); ok && len(args) == 0 {
			return pe.eval(recv)
		}
	}
	switch callee {
	case "os.path.join":
		if len(args) > 0 {
			return pe.join(args[0], args[1:])
		}
	case "os.path.dirname":
		if len(args) == 1 {
			p, ok := pe.eval(args[0])
			return filepath.Dir(p), ok
		}
	case "str", "os.fspath", "Path", "pathlib.Path", "PurePath", "pathlib.PurePath", "environ.Path",
		"os.path.abspath", "os.path.realpath", "os.path.normpath":
		if len(args) == 1 {
			return pe.eval(args[0])
		}
	}
	return "", false
}

// join evaluates base and joins the string literals parts to it.
func (pe *pathEval) join(base string, parts []string) (string, bool) {
	p, ok := pe.eval(base)
	if !ok {
		return "", false
	}
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if !isStringLiteral(part) {
			return "", false
		}
		p = filepath.Join(p, part[1:len(part)-1])
	}
	return p, true
}

// name evaluates the last module-level assignment to name before the use.
func (pe *pathEval) name(name string) (string, bool) {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `[ \t]*(?::[^=\n]*)?=[ \t]*([^\n#]*)`)
	ms := re.FindAllSubmatchIndex(pe.b[:pe.before], -1)
	if len(ms) == 0 {
		return "", false
	}
	m := ms[len(ms)-1]
	// The value's own names are those bound before it: BASE_DIR =
	// BASE_DIR / "src" reads the earlier BASE_DIR.
	next := pathEval{b: pe.b, file: pe.file, before: m[0], depth: pe.depth + 1}
	return next.eval(string(pe.b[m[2]:m[3]]))
}

// up climbs n directories from p.
func up(p string, n int) string {
	for ; n > 0; n-- {
		p = filepath.Dir(p)
	}
	return p
}

func isStringLiteral(s string) bool {
	return len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] &&
		!strings.ContainsAny(s[1:len(s)-1], `'"\{}`)
}

// wrapped returns the inside of an expression that parentheses enclose whole.
func wrapped(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && matchingOpen(s) == 0 {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// matchingOpen returns where the parenthesis that closes s opens; -1 when
// they do not match.
func matchingOpen(s string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')', ']':
			depth++
		case '(', '[':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// lastTopLevel returns where the last op outside brackets and strings
// sits in s; -1 when there is none.
func lastTopLevel(s string, op byte) int {
	at := -1
	topLevel(s, func(i, depth int) bool {
		if s[i] == op && depth == 0 {
			at = i
		}
		return true
	})
	return at
}

// splitArgs splits a call's arguments at the commas outside brackets.
func splitArgs(s string) []string {
	var args []string
	for strings.TrimSpace(s) != "" {
		i := firstTopLevelComma(s)
		if i < 0 {
			args = append(args, strings.TrimSpace(s))
			break
		}
		args = append(args, strings.TrimSpace(s[:i]))
		s = s[i+1:]
	}
	return args
}

func firstTopLevelComma(s string) int {
	at := -1
	topLevel(s, func(i, depth int) bool {
		if s[i] == ',' && depth == 0 {
			at = i
			return false
		}
		return true
	})
	return at
}
