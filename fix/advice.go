package fix

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/djguard/djguard/detect"
)

// What fix tells the user about a key in a Python module that it leaves
// alone: what to do, and the real reason it did not do it, read from the
// statement that holds the key.

// pyNotAssigned is the advice for a key that no assignment of a name holds
// (a dict entry, a call's argument).
const pyNotAssigned = `replace the literal with os.environ["DJANGO_SECRET_KEY"] (fix only rewrites module-level assignments and environment defaults)`

// pyAdvice says how to move the key of f, a finding in the Python module
// b, which fix does not rewrite, and why it does not.
func pyAdvice(b []byte, f detect.Finding) string {
	lo, hi, ok := literalBounds(b, f.Start, f.End)
	if !ok || f.Start < 0 || f.End > len(b) {
		return pyNotAssigned
	}
	head, start := statementHead(b, lo)
	if w := fallsBackWord(head); w != "" {
		return fmt.Sprintf(`delete the %q that falls back on this literal, so that an unset variable fails loudly instead of running the committed key (fix drops only a default passed to the call)`, w+" '…'")
	}
	eq := assignmentEq(head)
	if eq < 0 {
		return pyNotAssigned
	}
	targets, rhs := strings.TrimSpace(head[:eq]), head[eq+1:]
	name := strings.TrimSpace(strings.SplitN(targets, ":", 2)[0])
	read := fmt.Sprintf("os.environ[%q]", envVarFor(name))
	switch {
	case strings.ContainsAny(targets, ",") || assignmentEq(rhs) >= 0:
		return fmt.Sprintf("give %s an assignment of its own that reads %s (fix rewrites a literal only when it is the whole value of one name, and this statement assigns several)", name, read)
	case head != strings.TrimLeft(head, " \t"):
		if !inBlock(b, start+len(head)-len(strings.TrimLeft(head, " \t"))) {
			return pyNotAssigned // a keyword argument on a line of its own
		}
		return fmt.Sprintf("replace the literal with %s (fix rewrites only module-level assignments, and this one is inside a block: an if, try, with, def or class)", read)
	case fStringPrefix(rhs):
		return fmt.Sprintf("replace the f-string with %s (fix does not rewrite f-strings)", read)
	case strings.Trim(rhs, "( \t") != "" || !endsValue(b, lo, hi):
		return fmt.Sprintf("replace the whole value of %s with %s (fix rewrites a literal only when it is the whole value of an assignment, and here it is part of an expression)", name, read)
	case f.Class == detect.WeakKey:
		return fmt.Sprintf("replace the value with %s and give that variable a new key (djguard keygen --format env): Django's deploy check rejects this value (W009), and fix moves only values that are keys", read)
	case f.Class == detect.BareKey:
		return fmt.Sprintf("if this is a key, replace the literal with %s (fix rewrites only settings named as keys, such as SECRET_KEY, and %s is not one)", read, name)
	}
	return pyNotAssigned
}

// statementHead returns the text of the statement that holds the literal
// at lo, from the start of its line up to lo; when the literal opens a
// line of its own inside parentheses, from the start of the line before.
// It also returns where that line starts.
func statementHead(b []byte, lo int) (string, int) {
	ls := bytes.LastIndexByte(b[:lo], '\n') + 1
	head := string(b[ls:lo])
	if strings.Trim(head, "( \t") == "" && ls > 0 {
		prev := strings.TrimRight(string(b[:ls]), " \t\r\n")
		pls := strings.LastIndexByte(prev, '\n') + 1
		head = prev[pls:] + " " + strings.TrimSpace(head)
		ls = pls
	}
	if ls == 0 {
		head = strings.TrimPrefix(head, utf8BOM)
	}
	return head, ls
}

// inBlock reports whether the indented statement that starts at pos sits
// in a block: the nearest line above it with less indentation opens one
// (ends with ':'), rather than a call or a literal that goes on over
// lines.
func inBlock(b []byte, pos int) bool {
	lines := strings.Split(string(b[:pos]), "\n")
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	own := indent(lines[len(lines)-1])
	for i := len(lines) - 2; i >= 0; i-- {
		code := strings.TrimSpace(lines[i])
		if code == "" || strings.HasPrefix(code, "#") || indent(lines[i]) >= own {
			continue
		}
		if c := strings.Index(code, " #"); c >= 0 {
			code = strings.TrimSpace(code[:c])
		}
		return strings.HasSuffix(code, ":")
	}
	return false
}

// fallsBackWord returns "or" or "else" when head ends with that word (and
// perhaps an opening parenthesis): the literal is what the expression
// falls back on.
func fallsBackWord(head string) string {
	t := strings.TrimRight(head, "( \t")
	for _, w := range []string{"or", "else"} {
		if rest, ok := strings.CutSuffix(t, w); ok && (rest == "" || strings.ContainsAny(rest[len(rest)-1:], " \t)]}'\"")) {
			return w
		}
	}
	return ""
}

// assignmentEq returns where the first assignment's = sits in s, outside
// brackets and strings; -1 when there is none. ==, <=, >=, != and := do
// not count, nor a keyword argument's = inside a call.
func assignmentEq(s string) int {
	at := -1
	topLevel(s, func(i, depth int) bool {
		if s[i] != '=' || depth != 0 {
			return true
		}
		next := i+1 < len(s) && s[i+1] == '='
		after := i > 0 && strings.IndexByte("=<>!:+-*/%&|^@", s[i-1]) >= 0
		if next || after {
			return true
		}
		at = i
		return false
	})
	return at
}

// fStringPrefix reports whether rhs, the text before a literal's quote,
// ends with a prefix that makes it an f-string.
func fStringPrefix(rhs string) bool {
	end := len(rhs)
	start := end
	for start > 0 && strings.IndexByte("rRfFbBuU", rhs[start-1]) >= 0 && end-start < 2 {
		start--
	}
	return strings.ContainsAny(rhs[start:end], "fF") && (start == 0 || !isIdent(rhs[start-1]))
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
