// Package prompt reads a value a person types at a terminal without
// showing it: raw mode, and a line editor of its own for what raw mode
// leaves to the reader.
package prompt

import (
	"bufio"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/term"
)

// Hide puts the terminal on fd in raw mode until restore is called:
// it shows nothing typed, and hands over each key as it is pressed, so a
// value pasted there is never shown and is not cut at the 4,095
// characters a terminal keeps of a line it edits itself.
func Hide(fd int) (restore func(), err error) {
	state, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	return func() { term.Restore(fd, state) }, nil
}

// ErrInterrupted is Ctrl-C pressed while a hidden value was typed.
var ErrInterrupted = errors.New("interrupted")

// Keys a terminal in raw mode hands over as they are.
const (
	keyInterrupt = 0x03 // Ctrl-C
	keyEOF       = 0x04 // Ctrl-D
	keyBackspace = 0x08
	keyKillLine  = 0x15 // Ctrl-U
	keyEscape    = 0x1b
	keyDelete    = 0x7f
)

// ReadLine reads one line typed at a terminal in raw mode, of at most max
// bytes: Enter ends it, Backspace and Ctrl-U edit it, Ctrl-C interrupts,
// and Ctrl-D ends it (on an empty line, with io.EOF). Escape sequences,
// such as the arrow keys' and a bracketed paste's, are dropped.
func ReadLine(r io.Reader, max int) (string, error) {
	br := bufio.NewReader(r)
	var line []byte
	for {
		c, err := br.ReadByte()
		if err == io.EOF && len(line) > 0 {
			return string(line), nil
		}
		if err != nil {
			return "", err
		}
		switch {
		case c == '\r' || c == '\n':
			return string(line), nil
		case c == keyInterrupt:
			return "", ErrInterrupted
		case c == keyEOF && len(line) == 0:
			return "", io.EOF
		case c == keyEOF:
			return string(line), nil
		case c == keyBackspace || c == keyDelete:
			_, size := utf8.DecodeLastRune(line)
			line = line[:len(line)-size]
		case c == keyKillLine:
			line = line[:0]
		case c == keyEscape:
			skipEscape(br)
		case c < ' ':
			// Another control key: no value holds one.
		default:
			if len(line) == max {
				return "", ErrTooLong
			}
			line = append(line, c)
		}
	}
}

// ErrTooLong is a line longer than ReadLine takes.
var ErrTooLong = errors.New("the line is too long")

// skipEscape drops the rest of an escape sequence: a CSI or SS3 sequence
// up to its final byte, or the one character after ESC.
func skipEscape(br *bufio.Reader) {
	c, err := br.ReadByte()
	if err != nil || c != '[' && c != 'O' {
		return
	}
	for {
		c, err := br.ReadByte()
		if err != nil || c >= 0x40 && c <= 0x7e {
			return
		}
	}
}
