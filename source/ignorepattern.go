package source

import (
	"strings"

	"github.com/djguard/djguard/gitrepo"
)

// The patterns of one ignore file, matched as git's dir.c matches them
// (parse_path_pattern, match_basename, match_pathname), and bucketed so
// that a path is tried against the few patterns that could match it, not
// against them all: a tree of n files under m patterns costs about n + m,
// not n times m.

// ignorePattern is one line of an ignore file, parsed as git parses it.
type ignorePattern struct {
	text     string // the pattern, without '!', a trailing '/' or (for a path) a leading '/'
	literal  int    // how many bytes at its start hold no wildcard (git's nowildcardlen)
	negative bool   // '!': a match re-includes
	dirOnly  bool   // a trailing '/': matches directories only
	baseName bool   // no '/': matches the last component of a path at any depth
	endsWith bool   // a basename pattern "*literal"
}

// patternList is an ignore file's patterns in order (the last that
// matches decides), with indexes of which could match a path.
type patternList struct {
	pats []ignorePattern
	// Candidate patterns by index, ascending, keyed by what a path they
	// match must have: its last component (byName), the end of its last
	// component (bySuffix, for "*.ext"; suffixLens lists the key lengths),
	// its whole self (byPath), its first component (byFirst, for a path
	// pattern whose literal start holds one). Any other pattern is in rest.
	byName, bySuffix, byPath, byFirst map[string][]int32
	suffixLens                        []int
	rest                              []int32
}

// compilePatterns parses the lines of an ignore file as git reads them: a
// UTF-8 byte-order mark before the first line and a CR before each line
// end dropped, blank lines and lines starting with '#' skipped, trailing
// spaces dropped unless quoted with a backslash.
func compilePatterns(lines []string) *patternList {
	l := &patternList{byName: map[string][]int32{}, bySuffix: map[string][]int32{}, byPath: map[string][]int32{}, byFirst: map[string][]int32{}}
	suffixLen := map[int]bool{}
	for i, line := range lines {
		if i == 0 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		p, ok := parsePattern(trimTrailingSpaces(line))
		if !ok {
			continue
		}
		at := int32(len(l.pats))
		l.pats = append(l.pats, p)
		switch key, bucket := p.bucket(); bucket {
		case "name":
			l.byName[key] = append(l.byName[key], at)
		case "suffix":
			l.bySuffix[key] = append(l.bySuffix[key], at)
			if !suffixLen[len(key)] {
				suffixLen[len(key)] = true
				l.suffixLens = append(l.suffixLens, len(key))
			}
		case "path":
			l.byPath[key] = append(l.byPath[key], at)
		case "first":
			l.byFirst[key] = append(l.byFirst[key], at)
		default:
			l.rest = append(l.rest, at)
		}
	}
	return l
}

// trimTrailingSpaces drops trailing spaces, but not one quoted with a
// backslash, as git's trim_trailing_spaces does.
func trimTrailingSpaces(s string) string {
	end := len(s)
	for end > 0 && s[end-1] == ' ' {
		end--
	}
	if end < len(s) {
		// A backslash run of odd length quotes the first space dropped.
		n := 0
		for i := end - 1; i >= 0 && s[i] == '\\'; i-- {
			n++
		}
		if n%2 == 1 {
			end++
		}
	}
	return s[:end]
}

// parsePattern parses a line as git's parse_path_pattern does.
func parsePattern(s string) (ignorePattern, bool) {
	var p ignorePattern
	if strings.HasPrefix(s, "!") {
		p.negative, s = true, s[1:]
	}
	if strings.HasSuffix(s, "/") {
		p.dirOnly, s = true, s[:len(s)-1]
	}
	if s == "" {
		return p, false
	}
	p.baseName = !strings.Contains(s, "/")
	if !p.baseName && s[0] == '/' {
		s = s[1:] // anchors the pattern, which a '/' inside does anyway
	}
	p.text, p.literal = s, literalLen(s)
	p.endsWith = p.baseName && len(s) > 1 && s[0] == '*' && literalLen(s[1:]) == len(s)-1
	return p, true
}

// literalLen is how many bytes at the start of s hold no wildcard
// (git's simple_length): up to the first '*', '?', '[' or '\'.
func literalLen(s string) int {
	if i := strings.IndexAny(s, `*?[\`); i >= 0 {
		return i
	}
	return len(s)
}

// bucket says which index of a patternList holds p, and under what key.
func (p ignorePattern) bucket() (key, kind string) {
	switch {
	case p.baseName && p.literal == len(p.text):
		return p.text, "name"
	case p.endsWith:
		return p.text[1:], "suffix"
	case p.baseName:
		return "", "rest"
	case p.literal == len(p.text):
		return p.text, "path"
	}
	// "**/name" matches what the basename pattern "name" matches.
	if rest, ok := strings.CutPrefix(p.text, "**/"); ok && rest != "" && literalLen(rest) == len(rest) && !strings.Contains(rest, "/") {
		return rest, "name"
	}
	if i := strings.IndexByte(p.text[:p.literal], '/'); i > 0 {
		return p.text[:i], "first"
	}
	return "", "rest"
}

// matches reports whether p matches rel (slash-separated, relative to the
// ignore file's directory), whose last component is base.
func (p ignorePattern) matches(rel, base string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if p.baseName {
		switch {
		case p.literal == len(p.text):
			return base == p.text
		case p.endsWith:
			return strings.HasSuffix(base, p.text[1:])
		}
		return gitrepo.Wildmatch(p.text, base)
	}
	if p.literal > 0 {
		if !strings.HasPrefix(rel, p.text[:p.literal]) {
			return false
		}
		if p.literal == len(p.text) {
			return len(rel) == p.literal
		}
		return gitrepo.Wildmatch(p.text[p.literal:], rel[p.literal:])
	}
	return gitrepo.Wildmatch(p.text, rel)
}

// match returns the last pattern that matches rel, if any: its
// negative says whether the match re-includes rel rather than ignores it.
func (l *patternList) match(rel string, isDir bool) (p ignorePattern, ok bool) {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	best := int32(-1)
	try := func(candidates []int32) {
		for k := len(candidates) - 1; k >= 0 && candidates[k] > best; k-- {
			if l.pats[candidates[k]].matches(rel, base, isDir) {
				best = candidates[k]
				return
			}
		}
	}
	try(l.byName[base])
	for _, n := range l.suffixLens {
		if n <= len(base) {
			try(l.bySuffix[base[len(base)-n:]])
		}
	}
	try(l.byPath[rel])
	if i := strings.IndexByte(rel, '/'); i > 0 {
		try(l.byFirst[rel[:i]])
	}
	try(l.rest)
	if best < 0 {
		return ignorePattern{}, false
	}
	return l.pats[best], true
}
