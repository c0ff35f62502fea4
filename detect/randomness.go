package detect

import (
	"math"
	"strings"
	"unicode"
)

// randomness weighs a value against the model of real text in
// textmodel_table.go: the log-likelihood ratio, in bits per character,
// between "drawn uniformly from the alphabet its characters span" and
// "written by a person or a program as text". A random key scores about
// +3; words, identifiers, slugs, paths and query strings score below 0,
// because their pairs of characters are the common ones of text.
func randomness(v string) float64 {
	return randomnessAs(v, alphabetSize(v))
}

// randomnessAs is randomness against a uniform draw from an alphabet of
// this size.
func randomnessAs(v string, alphabet int) float64 {
	if len(v) < 2 {
		return 0
	}
	// Text in capitals (SET_YOUR_KEY_HERE) is still text: with no lower
	// case letter, pairs are looked up in lower case, where the model has
	// seen far more of them.
	fold := strings.IndexFunc(v, unicode.IsLower) < 0
	cost, n := 0, 0
	for i := 1; i < len(v); i++ {
		a, b := v[i-1], v[i]
		if fold {
			a, b = toLower(a), toLower(b)
		}
		if a == ' ' || b == ' ' {
			continue // no pair of text crosses a space
		}
		cost += int(textCost[textState(a)][textState(b)])
		n++
	}
	if n == 0 {
		return 0
	}
	return float64(cost)/4/float64(n) - math.Log2(float64(alphabet))
}

// deleet undoes the digit-for-letter spelling of passwords (s3cr3t_k3y):
// a value that reads as text once undone was typed by a person. It is
// weighed against the alphabet of the value as written, so that hex does
// not lose its randomness by turning into letters.
func deleet(v string) string {
	b := []byte(v)
	for i, c := range b {
		b[i] = unleet(c)
	}
	return string(b)
}

// unleet is deleet for one byte.
func unleet(c byte) byte {
	switch c {
	case '0':
		return 'o'
	case '1':
		return 'i'
	case '3':
		return 'e'
	case '4', '@':
		return 'a'
	case '5', '$':
		return 's'
	case '7':
		return 't'
	}
	return c
}

// textState is a byte's state in textCost.
func textState(c byte) int {
	if c > ' ' && c < 0x7f {
		return int(c - '!')
	}
	return len(textCost) - 1
}

// alphabetSize is the size of the alphabet a generator of v would have
// drawn from: hex when v is only hex digits, else the classes it spans
// (lower case, upper case, digits) and the symbols it holds.
func alphabetSize(v string) int {
	var lower, upper, digit, hexLetters, other bool
	var symbols [128]bool
	nsym := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
			if c > 'f' {
				hexLetters = true
			}
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		case c < 128:
			if !symbols[c] {
				symbols[c] = true
				nsym++
			}
		default:
			other = true
		}
	}
	if lower && digit && !upper && !hexLetters && nsym == 0 && !other {
		return 16
	}
	size := nsym
	if lower {
		size += 26
	}
	if upper {
		size += 26
	}
	if digit {
		size += 10
	}
	if other {
		size += 64
	}
	return max(size, 2)
}

func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// keyboardRows are the rows of a QWERTY keyboard: a value typed by walking
// along them (asdfghjkl, qwerty123) is no random draw.
var keyboardRows = [...]string{"1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./"}

// keyboardWalk reports whether most pairs of v are neighbours on a
// keyboard row; in a random draw few are.
func keyboardWalk(v string) bool {
	walk := 0
	for i := 1; i < len(v); i++ {
		a, b := toLower(v[i-1]), toLower(v[i])
		for _, row := range keyboardRows {
			if j := strings.IndexByte(row, a); j >= 0 && (j > 0 && row[j-1] == b || j+1 < len(row) && row[j+1] == b) {
				walk++
				break
			}
		}
	}
	return walk*2 >= len(v)
}

// homeRow is the home row's letters, where the fingers rest.
const homeRow = "asdfghjkl"

// homeRowMash reports whether v was typed by drumming the home row
// (jdkslafjdksla, fjdkls@#fjsa): nearly all its characters are letters and
// nearly all of those are of the home row. A random draw gives a home-row
// letter about once in three letters; with 24 letters or more, one in
// which 85 % are of the home row comes less than once in a million draws.
// keyboardWalk misses such a value, whose pairs are seldom neighbours.
func homeRowMash(v string) bool {
	letters, home := 0, 0
	for i := 0; i < len(v); i++ {
		c := toLower(v[i])
		if c >= 'a' && c <= 'z' {
			letters++
			if strings.IndexByte(homeRow, c) >= 0 {
				home++
			}
		}
	}
	return letters >= 24 && letters*4 >= len(v)*3 && home*20 >= letters*17
}

// isShouted reports whether v is a placeholder shouted between marks:
// !!!SET MY_KEY!!!, ***CHANGE ME***, ##REPLACE_THIS##. Its core, between
// runs of marks at both ends, is capitals, digits, blanks and word
// separators, with no lower-case letter; a generated key of mixed case
// has none of that shape, and one of Django's alphabet has no capital.
func isShouted(v string) bool {
	i, j := 0, len(v)
	for i < j && isMark(v[i]) {
		i++
	}
	for j > i && isMark(v[j-1]) {
		j--
	}
	if i == 0 || j == len(v) || i == j {
		return false
	}
	capitals := 0
	for k := i; k < j; k++ {
		switch c := v[k]; {
		case c >= 'A' && c <= 'Z':
			capitals++
		case c >= '0' && c <= '9' || c == ' ' || c == '_' || c == '-' || c == '.' || c == ':':
		default:
			return false
		}
	}
	return capitals >= 3
}

// isMark reports whether c is a mark that people wrap placeholders in.
func isMark(c byte) bool {
	return strings.IndexByte("!#*?~=^+%@<>[]()|", c) >= 0
}
