// Package pystr reads Python string literals as Python does: the one
// reader of them for what djguard is given as Python text outside the
// detector (a key file's SECRET_KEY_FALLBACKS entries).
package pystr

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Literal reads line as one Python string literal, in single or
// double quotes, with an optional r or u prefix, followed by nothing but an
// optional comma and a comment: how an entry of SECRET_KEY_FALLBACKS is
// written. It returns the string Python makes of it.
func Literal(line string) (string, bool) {
	raw := false
	switch {
	case strings.HasPrefix(line, "r"), strings.HasPrefix(line, "R"):
		raw, line = true, line[1:]
	case strings.HasPrefix(line, "u"), strings.HasPrefix(line, "U"):
		line = line[1:]
	}
	if line == "" || line[0] != '\'' && line[0] != '"' {
		return "", false
	}
	quote := line[0]
	end := -1
	for i := 1; i < len(line) && end < 0; i++ {
		switch line[i] {
		case '\\':
			// Even in a raw string, a backslash keeps the quote after
			// it from closing the string.
			i++
		case quote:
			end = i
		}
	}
	if end < 0 || end == 1 && len(line) > 2 && line[2] == quote {
		// Unclosed, or a triple-quoted string.
		return "", false
	}
	rest := strings.TrimSpace(line[end+1:])
	rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
	if rest != "" && !strings.HasPrefix(rest, "#") {
		return "", false
	}
	body := line[1:end]
	if raw {
		return body, true
	}
	return Unescape(body)
}

// Unescape undoes the escapes of a Python str literal's body. An
// escape Python does not know keeps its backslash, as Python does; one it
// refuses (a short \x, a code point past U+10FFFF) or that cannot be
// encoded as UTF-8 (a surrogate), or \N{...}, which needs Unicode's names,
// leaves no string. A backslash at the end of a line joins the next line
// on, as in Python, whatever the line end (\n, \r\n or \r).
func Unescape(body string) (string, bool) {
	return unescape(body, false)
}

// UnescapeBytes is Unescape for the body of a bytes literal (b'...'):
// \x and octal escapes stand for one byte each, not a character, and \u,
// \U and \N are not escapes there, so they keep their backslash.
func UnescapeBytes(body string) (string, bool) {
	return unescape(body, true)
}

func unescape(body string, bytes bool) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 == len(body) {
			b.WriteByte(body[i])
			continue
		}
		i++
		c := body[i]
		if simple := strings.IndexByte("\\'\"abfnrtv", c); simple >= 0 {
			b.WriteByte("\\'\"\a\b\f\n\r\t\v"[simple])
			continue
		}
		if c == '\n' || c == '\r' {
			if c == '\r' && i+1 < len(body) && body[i+1] == '\n' {
				i++
			}
			continue
		}
		var digits, base int
		switch {
		case c >= '0' && c <= '7':
			digits, base = octalRun(body[i:]), 8
			i--
		case c == 'x':
			digits, base = 2, 16
		case c == 'u' && !bytes:
			digits, base = 4, 16
		case c == 'U' && !bytes:
			digits, base = 8, 16
		case c == 'N' && !bytes:
			return "", false
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
			continue
		}
		if i+1+digits > len(body) {
			return "", false
		}
		n, err := strconv.ParseUint(body[i+1:i+1+digits], base, 32)
		r := rune(n)
		switch {
		case err != nil:
			return "", false
		case bytes:
			// Python keeps the low byte of an octal escape past \377.
			b.WriteByte(byte(n))
		case !utf8.ValidRune(r):
			return "", false
		default:
			b.WriteRune(r)
		}
		i += digits
	}
	return b.String(), true
}

// octalRun counts the octal digits, at most three, that s starts with.
func octalRun(s string) int {
	n := 0
	for n < len(s) && n < 3 && s[n] >= '0' && s[n] <= '7' {
		n++
	}
	return n
}
