package detect

// call handles a key name given as the first argument of a call and
// claims a literal default: os.environ.get("SECRET_KEY", "..."),
// os.getenv(K, "..."), env(K, default="..."), env.str(K, "..."),
// config(K, default="...") and config(K, "..."), os.environ.setdefault(K,
// "..."), and any helper of the same shape. open is where the name's quote
// opens and p is at the ',' or ')' after its closing quote. It reports
// whether the name was a call's first argument at all.
func (d *doc) call(open, p int, r role, name string) bool {
	q := open - 1
	for n := 0; q >= 0 && n < 64 && isSpaceByte(d.b[q]); n++ {
		q--
	}
	if q < 0 || d.b[q] != '(' {
		return false
	}
	fe := q
	for fe > 0 && (d.b[fe-1] == ' ' || d.b[fe-1] == '\t') {
		fe--
	}
	fs := fe
	for fs > 0 && fe-fs < 128 && (isIdentByte(d.b[fs-1]) || d.b[fs-1] == '.') {
		fs--
	}
	if fs == fe {
		return false // a parenthesised tuple, not a call
	}
	if d.b[p] == ')' {
		// No default: a safe read, unless the expression goes on with
		// one: os.environ.get(K) or "...".
		d.claim(d.orElse(p+1), HardcodedFallback, r, name, open)
		return true
	}
	limit := min(len(d.b), p+512)
	p++
	for arg := 1; arg < 8 && p < limit; arg++ {
		p = skipSpace(d.b, p)
		if p >= limit {
			return true
		}
		if d.b[p] == ')' {
			d.claim(d.orElse(p+1), HardcodedFallback, r, name, open)
			return true
		}
		ks := p
		for p < limit && isIdentByte(d.b[p]) {
			p++
		}
		if p > ks {
			eq := skipBlanks(d.b, p)
			if eq+1 < len(d.b) && d.b[eq] == '=' && d.b[eq+1] != '=' {
				if string(d.b[ks:p]) == "default" {
					d.claim(d.callValue(eq+1), HardcodedFallback, r, name, open)
					return true
				}
				p = eq + 1
			} else {
				p = ks
			}
		}
		if p == ks && arg == 1 {
			// The second positional argument is the default in every
			// reader of this shape that takes one.
			if s := d.callValue(p); s != nil {
				d.claim(s, HardcodedFallback, r, name, open)
				return true
			}
		}
		p = skipArgument(d.b, p, limit)
		if p < limit && d.b[p] == ')' {
			d.claim(d.orElse(p+1), HardcodedFallback, r, name, open)
			return true
		}
		if p >= limit || d.b[p] != ',' {
			return true
		}
		p++
	}
	return true
}

// orElse finds a literal that a Python expression falls back on when what
// it read is empty: the X of "... or X" and "... if ... else X", at the
// expression's own level, before its logical line ends. p is where the
// expression goes on; nil means no such literal.
func (d *doc) orElse(p int) *span {
	if !d.syn.python {
		return nil
	}
	limit := min(len(d.b), p+512)
	depth := 0
	for p < limit {
		if !orElseByte[d.b[p]] {
			p++
			continue
		}
		switch c := d.b[p]; {
		case c == '(' || c == '[' || c == '{':
			if depth++; depth > maxNesting {
				return nil
			}
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				return nil // the end of an enclosing call or literal
			}
			depth--
		case c == '\n' && depth == 0:
			return nil
		case c == '#':
			return nil
		case isQuote(c):
			if next, ok := skipQuoted(d.b, p); ok {
				p = next
				continue
			}
		case depth == 0 && (c == 'o' || c == 'e') && (p == 0 || !isIdentByte(d.b[p-1])):
			for _, word := range []string{"or", "else"} {
				w := p + len(word)
				if w < len(d.b) && string(d.b[p:w]) == word && !isIdentByte(d.b[w]) {
					if s := d.pythonValue(w, false); s != nil {
						return s
					}
				}
			}
		}
		p++
	}
	return nil
}

// orElseByte marks the bytes orElse acts on.
var orElseByte = byteSet("()[]{}\n#'\"oe")

// callValue reads a literal argument: a Python literal in Python files,
// a quoted string anywhere else.
func (d *doc) callValue(p int) *span {
	if d.syn.python {
		return d.pythonValue(p, true)
	}
	if s, _, ok := parseQuoted(d.b, skipBlanks(d.b, p)); ok {
		return &s
	}
	return nil
}
