package detect

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/djguard/djguard/keygen"
)

// everyKindOfName are file names of every syntax and kind: a quiet text must
// give no finding under any of them.
var everyKindOfName = []string{
	"app/settings.py", "app/views.py", "tests/test_app.py", ".env", "config.yml", "docker-compose.yml",
	"Dockerfile", "Makefile", "data.json", "notebook.ipynb", "README.md", "setup.cfg", "pom.xml",
	"default.nix", "pyproject.toml", "deploy.sh", "schema.graphql", "yarn.lock",
}

// quietPieces build texts that hold what the quiet test looks for — names
// that are keys' and names that are not, runs that are keys and runs that
// are not, the base64 prefix, compose's $$ — and the bytes around them.
func quietPieces(r *rand.Rand) string {
	key := func() string {
		k, _ := keygen.Generate(keySource, keygen.Length)
		return k
	}
	switch r.IntN(24) {
	case 0:
		return "SECRET_KEY"
	case 1:
		return "SECRET"
	case 2:
		return "_KEY"
	case 3:
		return "secret"
	case 4:
		return "clientSecret"
	case 5:
		return "ecret"
	case 6:
		return key()
	case 7:
		return key() + key() // too long to be judged, until cut
	case 8:
		return strings.Repeat("0123456789abcdef", 4) // a hash
	case 9:
		return "$$"
	case 10:
		return base64.StdEncoding.EncodeToString([]byte("django-insecure-" + key()))
	case 11:
		return "django-insecure-"
	case 12:
		return "-"
	case 13:
		return "_"
	case 14:
		return " = "
	case 15:
		return "'"
	case 16:
		return "\n"
	case 17:
		return "djguard:allow"
	case 18:
		return key()[:25]
	case 19:
		return "MYAPP_SIGNING_KEY"
	case 20:
		return "SECRET_KEY_FALLBACKS"
	case 21:
		return "KEY"
	case 22:
		return "key"
	}
	return "value "
}

// keySource makes the keys of the texts; seeded, so that a failure can be
// run again.
var keySource = rand.NewChaCha8([32]byte{'q', 'u', 'i', 'e', 't'})

func quietText(r *rand.Rand, n int) []byte {
	var b strings.Builder
	for range n {
		b.WriteString(quietPieces(r))
	}
	return []byte(b.String())
}

// edit makes a new text from base as a git delta does — copies of ranges
// of base and inserted bytes — and returns it with its changes as the
// history audit has them: the inserted ranges, and the points where two
// copies from places of base that were apart meet.
func edit(r *rand.Rand, base []byte) ([]byte, []Change) {
	var out []byte
	var changed []Change
	prevEnd := -1
	for range 1 + r.IntN(6) {
		if len(base) > 0 && r.IntN(3) > 0 {
			off := r.IntN(len(base))
			if r.IntN(2) == 0 && prevEnd >= 0 && prevEnd < len(base) {
				off = prevEnd // carry on where the last copy ended
			}
			n := 1 + r.IntN(len(base)-off)
			if len(out) > 0 && off != prevEnd {
				changed = append(changed, Change{len(out), len(out)})
			}
			out = append(out, base[off:off+n]...)
			prevEnd = off + n
			continue
		}
		ins := quietText(r, 1+r.IntN(3))
		changed = appendChange(changed, Change{len(out), len(out) + len(ins)})
		out = append(out, ins...)
		prevEnd = -1
	}
	return out, changed
}

func appendChange(cs []Change, c Change) []Change {
	if k := len(cs) - 1; k >= 0 && cs[k].End >= c.Start {
		cs[k].End = max(cs[k].End, c.End)
		return cs
	}
	return append(cs, c)
}

func TestQuietTextsHaveNoFindingUnderAnyName(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dets := []*Detector{nil, NewDetector([]string{"MYAPP_SIGNING_KEY"})}
	quiet := 0
	for i := range 4000 {
		text := quietText(r, 1+r.IntN(8))
		for _, det := range dets {
			if !det.Quiet(text) {
				continue
			}
			quiet++
			for _, name := range everyKindOfName {
				if fs := det.Detect(name, text); len(fs) > 0 {
					t.Fatalf("text %d is quiet, but under %s it gives %d findings, the first %s at line %d",
						i, name, len(fs), fs[0].Class, fs[0].Line)
				}
			}
		}
	}
	if quiet < 1000 {
		t.Fatalf("only %d of 8000 texts were quiet: the test tells little", quiet)
	}
}

// TestQuietAfterAnEditIsQuiet: for texts made from quiet ones as deltas
// make them, the test that reads only what touches the changes answers
// as the test of the whole text does.
func TestQuietAfterAnEditIsQuiet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	dets := []*Detector{nil, NewDetector([]string{"MYAPP_SIGNING_KEY", "odd.name"})}
	tried, loud := 0, 0
	for i := 0; tried < 20000; i++ {
		det := dets[i%2]
		base := quietText(r, 1+r.IntN(10))
		if !det.Quiet(base) {
			continue
		}
		tried++
		text, changed := edit(r, base)
		whole := det.Quiet(text)
		if !whole {
			loud++
		}
		if got := det.QuietAfter(text, changed); got != whole {
			t.Fatalf("edit %d: QuietAfter says %v, Quiet says %v\nbase %q\ntext %q\nchanges %v", i, got, whole, base, text, changed)
		}
	}
	if loud < 2000 {
		t.Fatalf("only %d of %d edits made a text other than quiet: the test tells little", loud, tried)
	}
}

func TestQuietAfterSeesWhatAnEditMakes(t *testing.T) {
	key, err := keygen.Generate(keySource, keygen.Length)
	if err != nil {
		t.Fatal(err)
	}
	lock := bytes.Repeat([]byte("  resolved \"https://registry.example/pkg.tgz#"+strings.Repeat("0123456789abcdef", 4)+"\"\n"), 50)
	var none *Detector
	if !none.Quiet(lock) {
		t.Fatal("a lockfile of hashes is not quiet")
	}
	mid := bytes.LastIndexByte(lock[:len(lock)/2], '\n') + 1 // a line's start
	with := func(parts ...string) []byte {
		return []byte(string(lock[:mid]) + strings.Join(parts, "") + string(lock[mid:]))
	}
	cases := []struct {
		name    string
		text    []byte
		changed []Change
		quiet   bool
	}{
		{"a line of the same kind added", with("  resolved \"x#" + strings.Repeat("fedcba9876543210", 4) + "\"\n"), []Change{{mid, mid + 84}}, true},
		{"a key added", with(key + "\n"), []Change{{mid, mid + len(key) + 1}}, false},
		{"SECRET_KEY made where two copies meet", []byte("x SECRET" + "_KEY y"), []Change{{8, 8}}, false},
		{"a name with dashes made where two copies meet", []byte("django-secret-" + "key: x"), []Change{{14, 14}}, false},
		{"a name's first half changed", []byte("x SECRET_KEY y"), []Change{{2, 3}}, false},
		{"a key's end changed", []byte("'" + key + "'"), []Change{{50, 51}}, false},
		{"a long run cut at the start", []byte(key + "'"), nil, false},
		{"the base64 prefix across a change point", []byte(base64.StdEncoding.EncodeToString([]byte("django-insecure-" + key))), []Change{{10, 10}}, false},
		// The look before this one read 64 bytes either side of each
		// change, in windows that did not overlap: a name across the
		// edge between two windows was in neither (wagtail's history
		// held such a version).
		{"a name across the edge of two changes' windows", []byte(strings.Repeat("x = 1\n", 27) + "SECRET_KEY = 'x'\n" + strings.Repeat("y = 2\n", 20)), []Change{{100, 101}, {168, 168}}, false},
		{"a hash's digit changed", with(), []Change{{mid + 40, mid + 41}}, true},
	}
	// A project's name may be shorter than any of Django's.
	short := NewDetector([]string{"KEY"})
	if got := short.QuietAfter([]byte("a b KEY = 'c'"), []Change{{5, 6}}); got {
		t.Error("QuietAfter: a project's three-letter name, changed, was not seen")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := none.QuietAfter(c.text, c.changed); got != c.quiet {
				t.Errorf("QuietAfter = %v, want %v", got, c.quiet)
			}
			if got := none.Quiet(c.text); got != c.quiet {
				t.Errorf("Quiet = %v, want %v", got, c.quiet)
			}
		})
	}
}

// FuzzQuietAfter checks, for quiet texts and edits of them, that the test
// of what touches the changes answers as the test of the whole text.
func FuzzQuietAfter(f *testing.F) {
	f.Add([]byte("x = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'\n"), uint64(1))
	f.Add([]byte("SECRET-\nKEY clientSecret $$ ZGphbmdvLWluc2VjdXJl"), uint64(2))
	f.Fuzz(func(t *testing.T, base []byte, seed uint64) {
		var none *Detector
		if !none.Quiet(base) {
			return
		}
		text, changed := edit(rand.New(rand.NewPCG(seed, 0)), base)
		if got, want := none.QuietAfter(text, changed), none.Quiet(text); got != want {
			t.Fatalf("QuietAfter says %v, Quiet says %v\nbase %q\ntext %q\nchanges %v", got, want, base, text, changed)
		}
	})
}

// TestAWitnessMakesAnyTextHoldingItLoud: the piece Witness returns keeps
// any text it is put in from being quiet, whatever stands around it.
func TestAWitnessMakesAnyTextHoldingItLoud(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	dets := []*Detector{nil, NewDetector([]string{"MYAPP_SIGNING_KEY"})}
	for checked, i := 0, 0; checked < 5000; i++ {
		det := dets[i%2]
		text := quietText(r, 1+r.IntN(8))
		w, at, quiet := det.Witness(text)
		if quiet != det.Quiet(text) {
			t.Fatalf("text %d: Witness and Quiet disagree", i)
		}
		if w == nil {
			continue
		}
		checked++
		if !bytes.Equal(text[at:at+len(w)], w) {
			t.Fatalf("text %d: the witness %q does not stand at %d", i, w, at)
		}
		other := append(append(quietText(r, r.IntN(4)), w...), quietText(r, r.IntN(4))...)
		if det.Quiet(other) {
			t.Fatalf("text %d: %q holds the witness %q of %q, and is quiet", i, other, w, text)
		}
	}
}
