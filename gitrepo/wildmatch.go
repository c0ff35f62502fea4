package gitrepo

import "strings"

// wildmatch matches text against a glob pattern the way git matches the
// conditions of includeIf (gitdir:, onbranch:), that is with its wildmatch
// in pathname mode: '*' and '?' never match '/', "**" between slashes (or
// at either end) matches any number of directories, [...] is a class
// (with ! or ^ to negate, ranges and [:alpha:]-style names; a name git
// does not know makes the pattern match nothing), and a backslash quotes
// the next character (one that ends the pattern matches nothing). fold is
// git's WM_CASEFOLD, quirks included: the text's ASCII letters and the
// pattern's unquoted ones outside classes compare in lower case, ranges
// and [:upper:] or [:lower:] match either case, but a capital quoted or
// alone in a class matches nothing.
func wildmatch(pattern, text string, fold bool) bool {
	m := matcher{p: pattern, t: text, fold: fold}
	return m.match(0, 0)
}

// Wildmatch matches text against a glob pattern as git's wildmatch does
// with WM_PATHNAME, the way git matches .gitignore patterns that hold a
// slash (and, on a name with no slash, those that hold none): '*' and '?'
// never match '/', "**" between slashes matches any number of
// directories, [...] is a class, a backslash quotes. It is case-sensitive,
// as git is unless core.ignoreCase is set.
func Wildmatch(pattern, text string) bool { return wildmatch(pattern, text, false) }

type matcher struct {
	p, t string
	fold bool
	// seen holds the (pattern, text) positions already tried and failed,
	// which keeps patterns with many stars from taking exponential time.
	seen map[[2]int]bool
}

func (m *matcher) match(pi, ti int) bool {
	if m.seen[[2]int{pi, ti}] {
		return false
	}
	ok := m.try(pi, ti)
	if !ok {
		if m.seen == nil {
			// Made on the first failure only: most matches of patterns
			// with no star never fail back.
			m.seen = map[[2]int]bool{}
		}
		m.seen[[2]int{pi, ti}] = true
	}
	return ok
}

// lower folds an ASCII capital when the match folds case.
func (m *matcher) lower(c byte) byte {
	if m.fold {
		return lowerASCII(c)
	}
	return c
}

func (m *matcher) try(pi, ti int) bool {
	p, t := m.p, m.t
	for pi < len(p) {
		switch p[pi] {
		case '*':
			return m.star(pi, ti)
		case '?':
			if ti == len(t) || t[ti] == '/' {
				return false
			}
		case '[':
			if ti == len(t) {
				return false
			}
			n, ok := class(p[pi:], m.lower(t[ti]), m.fold)
			if !ok {
				return false
			}
			pi += n
			ti++
			continue
		case '\\':
			// Git compares the quoted character as it is, unfolded.
			if pi+1 == len(p) || ti == len(t) || m.lower(t[ti]) != p[pi+1] {
				return false
			}
			pi++
		default:
			if ti == len(t) || m.lower(t[ti]) != m.lower(p[pi]) {
				return false
			}
		}
		pi++
		ti++
	}
	return ti == len(t)
}

// star matches the run of stars at p[pi] and what follows it.
func (m *matcher) star(pi, ti int) bool {
	p, t := m.p, m.t
	start := pi
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	wholeComponent := (start == 0 || p[start-1] == '/') && (pi == len(p) || p[pi] == '/')
	if pi-start >= 2 && wholeComponent {
		if pi == len(p) {
			return true // a trailing "**" takes everything left
		}
		// "**/" matches no directory, or any number of them.
		if m.match(pi+1, ti) {
			return true
		}
		for k := ti; k < len(t); k++ {
			if t[k] == '/' && m.match(pi+1, k+1) {
				return true
			}
		}
		return false
	}
	for k := ti; ; k++ {
		if m.match(pi, k) {
			return true
		}
		if k == len(t) || t[k] == '/' {
			return false
		}
	}
}

// class matches c, the text's character already folded when fold is
// set, against the bracket expression that starts p. It returns the
// expression's length and whether the character matched; an expression
// with no closing bracket or an unknown class name matches nothing.
func class(p string, c byte, fold bool) (int, bool) {
	if c == '/' {
		return 0, false
	}
	i := 1
	negate := i < len(p) && (p[i] == '!' || p[i] == '^')
	if negate {
		i++
	}
	matched := false
	for first := true; ; first = false {
		if i >= len(p) {
			return 0, false
		}
		if p[i] == ']' && !first {
			break
		}
		if p[i] == '[' && i+1 < len(p) && p[i+1] == ':' {
			// Git reads a name up to the first ']', which must follow
			// ':'; otherwise the '[' is itself.
			end := strings.IndexByte(p[i+2:], ']')
			if end < 0 {
				return 0, false
			}
			if end >= 1 && p[i+2+end-1] == ':' {
				in, known := namedClass(p[i+2:i+2+end-1], c, fold)
				if !known {
					return 0, false
				}
				matched = matched || in
				i += 2 + end + 1
				continue
			}
		}
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		i++
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi := p[i+1]
			if hi == '\\' && i+2 < len(p) {
				i++
				hi = p[i+1]
			}
			i += 2
			up := c
			if fold && c >= 'a' && c <= 'z' {
				up = c - 'a' + 'A'
			}
			if lo <= c && c <= hi || lo <= up && up <= hi {
				matched = true
			}
			continue
		}
		if c == lo {
			matched = true
		}
	}
	return i + 1, matched != negate
}

// namedClass reports whether c is in the class [:name:], and whether git
// knows the name. Under fold, [:upper:] takes lower-case letters too, as
// git's does (the text is already folded).
func namedClass(name string, c byte, fold bool) (in, known bool) {
	switch name {
	case "alnum":
		return isAlpha(c) || isDigit(c), true
	case "alpha":
		return isAlpha(c), true
	case "digit":
		return isDigit(c), true
	case "lower":
		return c >= 'a' && c <= 'z', true
	case "upper":
		return isUpper(c) || fold && c >= 'a' && c <= 'z', true
	case "space":
		return isSpace(c) || c == '\n', true // git's isspace, without '\v' and '\f'
	case "blank":
		return c == ' ' || c == '\t', true
	case "xdigit":
		return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F', true
	case "punct":
		return c > ' ' && c < 0x7f && !isAlpha(c) && !isDigit(c), true
	case "cntrl":
		return c < ' ' || c == 0x7f, true
	case "graph":
		return c > ' ' && c < 0x7f, true
	case "print":
		return c >= ' ' && c < 0x7f, true
	}
	return false, false
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
