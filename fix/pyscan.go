package fix

// topLevel calls visit for each byte of Python source s that lies outside
// string literals and comments, with the depth of brackets it sits in
// (counted before an opening bracket, after a closing one), until visit
// returns false. Escapes in literals are honoured; triple quotes read as
// an empty literal and a one-quoted one, which is enough for the short
// expressions fix takes apart.
func topLevel(s string, visit func(i, depth int) bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"':
			quote = c
			continue
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			continue
		case c == ')' || c == ']' || c == '}':
			depth--
		}
		if !visit(i, depth) {
			return
		}
		if c == '(' || c == '[' || c == '{' {
			depth++
		}
	}
}
