package gitrepo

import (
	"bytes"
	"fmt"
	"strings"
)

// configVar is one variable set in a git configuration file.
type configVar struct {
	section    string // lower case; "" before any section header
	subsection string // as written; "" for none
	key        string // lower case
	value      string
	// bare marks "key" alone, without "=": a boolean true with no value,
	// which git refuses where it wants a path.
	bare bool
	line int
}

// parseConfig reads a git configuration file (git-config(1),
// "CONFIGURATION FILE") as git 2.39 does: [section] and
// [section "subsection"] headers, "key = value" lines with quotes,
// escapes, comments and continued lines. It returns the variables in the
// order written, and an error naming the line for anything git would
// refuse too. Git reads a variable before any section header, under a
// name with no section, so that is no error.
func parseConfig(data []byte) ([]configVar, error) {
	p := &configParser{data: bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), line: 1}
	if err := p.parse(); err != nil {
		return nil, fmt.Errorf("bad config line %d: %w", p.line, err)
	}
	return p.vars, nil
}

type configParser struct {
	data                []byte
	pos, line           int
	section, subsection string
	vars                []configVar
}

// next returns the next byte, with CRLF read as LF; at the end it returns
// a newline and false.
func (p *configParser) next() (byte, bool) {
	if p.pos >= len(p.data) {
		return '\n', false
	}
	c := p.data[p.pos]
	p.pos++
	if c == '\r' && p.pos < len(p.data) && p.data[p.pos] == '\n' {
		c = '\n'
		p.pos++
	}
	if c == '\n' {
		p.line++
	}
	return c, true
}

// unread steps back over a byte next returned, other than a newline.
func (p *configParser) unread() { p.pos-- }

// isSpace is git's isspace: unlike C's, it leaves out '\v' and '\f'.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r'
}

func isKeyChar(c byte) bool {
	return c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isAlpha(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *configParser) parse() error {
	comment := false
	for {
		c, ok := p.next()
		switch {
		case !ok:
			return nil
		case c == '\n':
			comment = false
		case comment || isSpace(c):
		case c == '#' || c == ';':
			comment = true
		case c == '[':
			if err := p.header(); err != nil {
				return err
			}
		case isAlpha(c):
			p.unread()
			if err := p.variable(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected %q", c)
		}
	}
}

// header reads a section header after its "[". Git also takes the old
// form [section.subsection], whose subsection is case-insensitive.
func (p *configParser) header() error {
	var name []byte
	for {
		c, ok := p.next()
		switch {
		case !ok || c == '\n':
			return fmt.Errorf("unterminated section header")
		case c == ']':
			if len(name) == 0 {
				return fmt.Errorf("empty section name")
			}
			sec, sub, _ := strings.Cut(strings.ToLower(string(name)), ".")
			p.section, p.subsection = sec, sub
			return nil
		case isSpace(c):
			if len(name) == 0 {
				return fmt.Errorf("empty section name")
			}
			sub, err := p.subsectionName()
			if err != nil {
				return err
			}
			p.section, p.subsection = strings.ToLower(string(name)), sub
			return nil
		case isKeyChar(c) || c == '.':
			name = append(name, c)
		default:
			return fmt.Errorf("%q in a section name", c)
		}
	}
}

// subsectionName reads ` "name"]`, where a backslash takes the next
// character as it is.
func (p *configParser) subsectionName() (string, error) {
	c, _ := p.next()
	for isSpace(c) {
		c, _ = p.next()
	}
	if c != '"' {
		return "", fmt.Errorf("a subsection name must be quoted")
	}
	var sub []byte
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			return "", fmt.Errorf("unterminated subsection name")
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			if c, ok = p.next(); !ok || c == '\n' {
				return "", fmt.Errorf("unterminated subsection name")
			}
		}
		sub = append(sub, c)
	}
	if c, _ := p.next(); c != ']' {
		return "", fmt.Errorf("no ] after the subsection name")
	}
	return string(sub), nil
}

// variable reads "key", "key = value" to the end of its line.
func (p *configParser) variable() error {
	v := configVar{section: p.section, subsection: p.subsection, line: p.line}
	var key []byte
	c, _ := p.next()
	for isKeyChar(c) {
		key = append(key, c)
		c, _ = p.next()
	}
	v.key = strings.ToLower(string(key))
	for c == ' ' || c == '\t' {
		c, _ = p.next()
	}
	switch c {
	case '\n':
		v.bare = true
	case '=':
		value, err := p.value()
		if err != nil {
			return err
		}
		v.value = value
	default:
		return fmt.Errorf("%q after the name %s", c, key)
	}
	p.vars = append(p.vars, v)
	return nil
}

// value reads a value up to the end of its line, as git does: outer
// spaces dropped, inner runs of blanks kept as spaces, quotes removed,
// escapes \n \t \b \\ \" decoded, a backslash at the end of a line
// continuing it, and a # or ; outside quotes starting a comment.
func (p *configParser) value() (string, error) {
	var out []byte
	quoted, comment, spaces := false, false, 0
	for {
		c, _ := p.next()
		switch {
		case c == '\n':
			if quoted {
				return "", fmt.Errorf("unterminated quote")
			}
			return string(out), nil
		case comment:
		case isSpace(c) && !quoted:
			if len(out) > 0 {
				spaces++
			}
		case (c == '#' || c == ';') && !quoted:
			comment = true
		default:
			for ; spaces > 0; spaces-- {
				out = append(out, ' ')
			}
			switch c {
			case '"':
				quoted = !quoted
			case '\\':
				e, err := p.escape()
				if err != nil {
					return "", err
				}
				if e >= 0 {
					out = append(out, byte(e))
				}
			default:
				out = append(out, c)
			}
		}
	}
}

// escape decodes the character after a backslash; -1 is a continued line.
// At the end of the file git reads a newline, so a backslash there
// continues the value into nothing.
func (p *configParser) escape() (int, error) {
	c, _ := p.next()
	switch {
	case c == '\n':
		return -1, nil
	case c == 't':
		return '\t', nil
	case c == 'b':
		return '\b', nil
	case c == 'n':
		return '\n', nil
	case c == '\\' || c == '"':
		return int(c), nil
	}
	return 0, fmt.Errorf("unknown escape \\%c", c)
}
