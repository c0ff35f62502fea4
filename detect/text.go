package detect

import "bytes"

// indexAll appends the offsets of every needle in b to into. It searches
// in windows of searchWindow bytes: for a text this short bytes.Index uses
// its vectorised search at once, while on long text it first hunts for the
// needle's first byte, which for "ecret" is the commonest letter of code and
// costs three times as much.
func indexAll(b, needle []byte, into []int) []int {
	indexEach(b, needle, func(i int) bool {
		into = append(into, i)
		return true
	})
	return into
}

// indexEach calls found with each offset of needle in b, in order, as
// indexAll finds them, until found returns false.
func indexEach(b, needle []byte, found func(int) bool) {
	n := len(needle)
	for off := 0; off+n <= len(b); off += searchWindow - n + 1 {
		w := b[off:min(len(b), off+searchWindow)]
		for base := 0; base+n <= len(w); {
			i := bytes.Index(w[base:], needle)
			if i < 0 {
				break
			}
			if !found(off + base + i) {
				return
			}
			base += i + n
		}
	}
}

// searchWindow is the text length up to which bytes.Index searches with
// SIMD directly (bytealg.MaxBruteForce on amd64).
const searchWindow = 64

// containsWindowed is bytes.Contains searched in searchWindow-byte windows
// (see indexAll).
func containsWindowed(b, needle []byte) bool {
	n := len(needle)
	for off := 0; off+n <= len(b); off += searchWindow - n + 1 {
		if bytes.Contains(b[off:min(len(b), off+searchWindow)], needle) {
			return true
		}
	}
	return false
}

// skipBlanks skips spaces and tabs.
func skipBlanks(b []byte, p int) int {
	for p < len(b) && (b[p] == ' ' || b[p] == '\t') {
		p++
	}
	return p
}

// skipSpace skips white space across lines, and a line continuation
// backslash, a little way: enough for a value on the next line, not so far
// that a stray name pulls in an unrelated literal.
func skipSpace(b []byte, p int) int {
	limit := min(len(b), p+256)
	for p < limit {
		switch b[p] {
		case ' ', '\t', '\n', '\r':
			p++
		case '\\':
			if p+1 < len(b) && (b[p+1] == '\n' || b[p+1] == '\r') {
				p++
				continue
			}
			return p
		default:
			return p
		}
	}
	return p
}

// lineStart returns where the line holding offset i starts, looking back
// no further than floor: callers bound it so that long lines (minified
// files) cost no more than short ones.
func lineStart(b []byte, i, floor int) int {
	floor = max(floor, 0)
	return floor + bytes.LastIndexByte(b[floor:i], '\n') + 1
}

// lineEnd returns where the line holding offset i ends, looking no further
// than ceiling.
func lineEnd(b []byte, i, ceiling int) int {
	ceiling = min(ceiling, len(b))
	if j := bytes.IndexByte(b[i:ceiling], '\n'); j >= 0 {
		return i + j
	}
	return ceiling
}

// skipArgument moves past one argument to the ',' or ')' that ends it,
// stepping over nested brackets and string literals. Past maxNesting open
// brackets it gives up and returns limit: no argument that holds or hides a
// key nests that deep, and the bound keeps a file of repeated "f(f(f(" from
// making every anchor read its whole window.
func skipArgument(b []byte, p, limit int) int {
	depth := 0
	for p < limit {
		if !argumentByte[b[p]] {
			p++
			continue
		}
		switch c := b[p]; c {
		case '(', '[', '{':
			if depth++; depth > maxNesting {
				return limit
			}
		case ')', ']', '}':
			if depth == 0 {
				return p
			}
			depth--
		case ',':
			if depth == 0 {
				return p
			}
		case '"', '\'':
			if next, ok := skipQuoted(b, p); ok {
				p = next
				continue
			}
		}
		p++
	}
	return p
}

// maxNesting bounds how many brackets deep the readers of Python
// expressions follow an argument or a value.
const maxNesting = 8

// argumentByte marks the bytes skipArgument acts on; it steps over any
// other byte without a second look.
var argumentByte = byteSet("()[]{},\"'")

func byteSet(s string) (set [256]bool) {
	for i := 0; i < len(s); i++ {
		set[s[i]] = true
	}
	return set
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
