package hooks

import "strings"

// wildmatch matches text against a glob pattern the way git matches the
// conditions of includeIf (gitdir:, onbranch:), that is with its wildmatch
// in pathname mode: '*' and '?' never match '/', "**" between slashes (or
// at either end) matches any number of directories, [...] is a class
// (with ! or ^ to negate, ranges and [:alpha:]-style names), and a
// backslash quotes the next character. fold compares ASCII letters
// without case.
func wildmatch(pattern, text string, fold bool) bool {
	if fold {
		pattern, text = strings.ToLower(pattern), strings.ToLower(text)
	}
	m := matcher{p: pattern, t: text, seen: map[[2]int]bool{}}
	return m.match(0, 0)
}

type matcher struct {
	p, t string
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
		m.seen[[2]int{pi, ti}] = true
	}
	return ok
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
			n, ok := class(p[pi:], t, ti)
			if !ok {
				return false
			}
			pi += n
			ti++
			continue
		case '\\':
			if pi+1 < len(p) {
				pi++
			}
			fallthrough
		default:
			if ti == len(t) || t[ti] != p[pi] {
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

// class matches t[ti] against the bracket expression that starts p. It
// returns the expression's length and whether the character matched; an
// expression with no closing bracket matches nothing.
func class(p, t string, ti int) (int, bool) {
	if ti == len(t) || t[ti] == '/' {
		return 0, false
	}
	c := t[ti]
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
			if end := strings.Index(p[i+2:], ":]"); end >= 0 {
				matched = matched || namedClass(p[i+2:i+2+end], c)
				i += 2 + end + 2
				continue
			}
		}
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		i++
		hi := lo
		if i+1 < len(p) && p[i] == '-' && p[i+1] != ']' {
			hi = p[i+1]
			if hi == '\\' && i+2 < len(p) {
				i++
				hi = p[i+1]
			}
			i += 2
		}
		if lo <= c && c <= hi {
			matched = true
		}
	}
	return i + 1, matched != negate
}

func namedClass(name string, c byte) bool {
	switch name {
	case "alnum":
		return isAlpha(c) || c >= '0' && c <= '9'
	case "alpha":
		return isAlpha(c)
	case "digit":
		return c >= '0' && c <= '9'
	case "lower":
		return c >= 'a' && c <= 'z'
	case "upper":
		return c >= 'A' && c <= 'Z'
	case "space":
		return c == ' ' || c >= '\t' && c <= '\r'
	case "blank":
		return c == ' ' || c == '\t'
	case "xdigit":
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	case "punct":
		return c > ' ' && c < 0x7f && !isAlpha(c) && !(c >= '0' && c <= '9')
	case "cntrl":
		return c < ' ' || c == 0x7f
	case "graph":
		return c > ' ' && c < 0x7f
	case "print":
		return c >= ' ' && c < 0x7f
	}
	return false
}
