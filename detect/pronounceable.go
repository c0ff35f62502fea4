package detect

// pwgen's default passwords are pronounceable: syllables drawn from a
// fixed set of consonant and vowel elements, a capital now and then at an
// element's start and a digit now and then between elements
// (aeFiereoHeev9ru...). Their pairs of characters are those of text, so
// randomness calls them typed; yet they are drawn at random, and the
// grammar that makes them is strict enough that text hardly ever follows
// it: a consonant element is always followed by a vowel one, so English
// clusters (str, nd, ck, ll) never occur.

// pwgen's elements (pw_phonemes.c).
var (
	pwConsonants = []string{"b", "c", "ch", "d", "f", "g", "gh", "h", "j", "k", "l", "m", "n", "ng", "p", "ph", "qu", "r", "s", "sh", "t", "th", "v", "w", "x", "y", "z"}
	pwVowels     = []string{"a", "ae", "ah", "ai", "e", "ee", "ei", "i", "ie", "o", "oh", "oo", "u"}
)

// minPronounceableLen is the shortest pwgen password taken for a key:
// pwgen's own default is 8 characters, a key is asked for at 32 and up.
const minPronounceableLen = 32

// pwState is where a pwgen password stands after an element: what the
// last element was, and whether it is the first since a digit (pwgen
// writes a digit only after the second element of a run).
type pwState uint8

const (
	pwStart      pwState = iota // at the start, or after a digit
	pwConsonant                 // after a consonant element
	pwVowel                     // after a single vowel that followed no vowel
	pwVowelEnd                  // after a vowel pair or two vowels: a consonant comes next
	pwFirstShift = 4            // added to a state while only one element stands since the start
)

// pronounceable reports whether v is a password pwgen makes by default:
// at least minPronounceableLen letters and digits, with a capital and a
// digit, eight different letters or more, and readable from start to end as
// pwgen's grammar writes it.
func pronounceable(v string) bool {
	if len(v) < minPronounceableLen || len(v) > maxProfileLen {
		return false
	}
	var seen [26]bool
	letters, capital, digit := 0, false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= 'A' && c <= 'Z':
			capital = true
			c += 'a' - 'A'
		case c >= '0' && c <= '9':
			digit = true
			continue
		default:
			return false
		}
		if !seen[c-'a'] {
			seen[c-'a'] = true
			letters++
		}
	}
	if !capital || !digit || letters < 8 {
		return false
	}
	return pwParses(v)
}

// pwParses reports whether v can be read as pwgen's grammar writes it. It
// follows every reading at once: reach[i] is the set of states in which
// some reading of v[:i] ends.
func pwParses(v string) bool {
	reach := make([]uint16, len(v)+1)
	reach[0] = 1 << pwStart
	for i := 0; i < len(v); i++ {
		for s := pwState(0); s < 8; s++ {
			if reach[i]&(1<<s) == 0 {
				continue
			}
			if c := v[i]; c >= '0' && c <= '9' {
				// A digit only after the second element of a run.
				if s != pwStart && s < pwFirstShift {
					reach[i+1] |= 1 << pwStart
				}
				continue
			}
			for _, e := range pwConsonants {
				if next, ok := pwStep(v, i, e, s, true); ok {
					reach[i+len(e)] |= 1 << next
				}
			}
			for _, e := range pwVowels {
				if next, ok := pwStep(v, i, e, s, false); ok {
					reach[i+len(e)] |= 1 << next
				}
			}
		}
	}
	return reach[len(v)] != 0
}

// pwStep tries the element e at v[i:] in state s, and returns the state
// after it.
func pwStep(v string, i int, e string, s pwState, consonant bool) (pwState, bool) {
	if i+len(e) > len(v) {
		return 0, false
	}
	for k := 0; k < len(e); k++ {
		c := v[i+k]
		if c >= 'A' && c <= 'Z' {
			// pwgen capitalises only an element's first letter, and only a
			// consonant's or a run's first element's.
			if k > 0 || !consonant && s != pwStart {
				return 0, false
			}
			c += 'a' - 'A'
		}
		if c != e[k] {
			return 0, false
		}
	}
	first := s == pwStart
	base := s
	if base >= pwFirstShift {
		base -= pwFirstShift
	}
	var next pwState
	switch {
	case consonant:
		if base == pwConsonant || first && (e == "gh" || e == "ng") {
			return 0, false // a consonant follows a vowel; gh and ng never start
		}
		next = pwConsonant
	case base == pwConsonant || first:
		next = pwVowel
		if len(e) == 2 {
			next = pwVowelEnd
		}
	case base == pwVowel && len(e) == 1:
		next = pwVowelEnd // a second single vowel, then a consonant
	default:
		return 0, false
	}
	if first {
		next += pwFirstShift
	}
	return next, true
}
