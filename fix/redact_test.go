package fix

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/report"
)

// TestDryRunRedactsEveryLineThatHoldsPartOfAKey writes keys spelled in
// ways where the value the application sees is not what the source says
// (an escape, pieces joined by Python) and checks that the dry run's diff
// shows no half of any key, on any line.
func TestDryRunRedactsEveryLineThatHoldsPartOfAKey(t *testing.T) {
	k := testenv.FakeKey("redact")
	a, b := k[:25], k[25:]
	for _, tc := range []struct {
		name, settings string
	}{
		{"an escaped backslash", "SECRET_KEY = '" + a + `\\` + b + "'\n"},
		{"an escaped quote", "SECRET_KEY = '" + a + `\'` + b + "'\n"},
		{"pieces on one line", "SECRET_KEY = ('" + a + "' '" + b + "')\n"},
		{"pieces added", "SECRET_KEY = '" + a + "' + '" + b + "'\n"},
		{"pieces added over lines", "SECRET_KEY = (\n    '" + a + "'\n    + '" + b + "'\n)\n"},
		{"pieces over lines", "SECRET_KEY = (\n    '" + a + "'\n    '" + b + "'\n)\n"},
		{"pieces joined by a backslash", "SECRET_KEY = '" + a + "' \\\n    '" + b + "'\n"},
		{"a backslash inside the literal", "SECRET_KEY = '" + a + "\\\n" + b + "'\n"},
		{"a fallback in pieces", "import os\nSECRET_KEY = os.environ.get(\n    'DJANGO_SECRET_KEY',\n    '" + a + "'\n    '" + b + "',\n)\n"},
		{"a repeat in context", "SECRET_KEY = (\n    '" + a + "'\n    '" + b + "'\n)\n# old: '" + a + "' '" + b + "'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, findings := project(t, map[string]string{"settings.py": tc.settings})
			p, err := Make(root, findings)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Edits) == 0 {
				t.Fatalf("no edit planned for %q (findings %d)", tc.settings, len(findings))
			}
			var shown bytes.Buffer
			if err := writeDiff(&shown, p, func(string) string { return "<redacted>" }); err != nil {
				t.Fatal(err)
			}
			parts := []string{a, b, a[:12], b[len(b)-12:]}
			for i, part := range parts {
				if strings.Contains(shown.String(), part) {
					t.Errorf("the dry run shows part %d of the key:\n%s", i, hideParts(shown.String(), parts))
				}
			}
			var whole bytes.Buffer
			if err := writeDiff(&whole, p, nil); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(whole.String(), a) || !strings.Contains(whole.String(), b) {
				t.Errorf("with secrets shown, the diff lacks the key:\n%s", whole.String())
			}
		})
	}
}

// hideParts marks where parts of a key show, so that a failing test does
// not print the key it caught.
func hideParts(s string, parts []string) string {
	for i, part := range parts {
		s = strings.ReplaceAll(s, part, fmt.Sprintf("<PART %d>", i))
	}
	return s
}

// TestDryRunHidesWhatAnEnvFileHolds: the lines of an existing .env shown
// around the new variable are secrets too, whether djguard reported them
// or not (a .env that git ignores is not scanned).
func TestDryRunHidesWhatAnEnvFileHolds(t *testing.T) {
	k, other := testenv.FakeKey("leaked"), testenv.FakeKey("database")
	root, findings := project(t, map[string]string{"settings.py": "SECRET_KEY = '" + k + "'\n"})
	env := "DEBUG=1\nDATABASE_PASSWORD=\"" + other + "\"\nexport OLD_KEY='" + k + "'\n"
	if err := os.WriteFile(filepath.Join(root, ".env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	var shown bytes.Buffer
	if err := writeDiff(&shown, p, func(string) string { return "<redacted>" }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{" DATABASE_PASSWORD=\"<redacted>\"\n", " export OLD_KEY='<redacted>'\n", "+DJANGO_SECRET_KEY="} {
		if !strings.Contains(shown.String(), want) {
			t.Errorf("the diff lacks %q:\n%s", want, hideParts(shown.String(), []string{k, other}))
		}
	}
	if strings.Contains(shown.String(), other) || strings.Contains(shown.String(), k) {
		t.Errorf("the diff shows a value of the .env:\n%s", hideParts(shown.String(), []string{k, other}))
	}
}

// FuzzHideSpans plans the rewrite of settings modules of any shape and
// checks what the diff relies on: the spans of keys followed through the
// cuts land on the same text in the rewritten module, and hiding them
// keeps every line a line.
func FuzzHideSpans(f *testing.F) {
	k := testenv.FakeKey("fuzz-hide")
	a, b := k[:25], k[25:]
	for _, s := range []string{
		"SECRET_KEY = (\n    '" + a + "'\n    '" + b + "'\n)\n# '" + a + "'\n",
		"\ufeffSECRET_KEY = '" + a + "' \\\n    '" + b + "'\n",
		"import os\nX = os.environ.get('K', '" + a + "'\n '" + b + "')\nSECRET_KEY = '" + k + "'\n",
		"SECRET_KEY = '" + a + "\\\\" + b + "'; SECRET_KEY_FALLBACKS = ['" + k + "']\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		findings := detect.Detect("settings.py", content)
		var spans []secretSpan
		var cuts []cut
		for _, fd := range findings {
			spans = append(spans, secretSpan{fd.Start, fd.End, fd.Secret})
			if c, _, ok := planLiteral(content, fd, style{reader: readOSEnviron}); ok {
				cuts = append(cuts, c)
			}
		}
		cuts = append(cuts, importCut(content))
		sortCuts(cuts)
		for i := 1; i < len(cuts); i++ {
			if cuts[i].start < cuts[i-1].end {
				return // overlapping cuts are not planned
			}
		}
		after := applyCuts(content, cuts)
		moved := mapSpans(spans, cuts)
		for _, m := range moved {
			if m.start < 0 || m.end > len(after) || m.start >= m.end {
				t.Fatalf("span %d:%d outside the rewritten module (%d bytes)", m.start, m.end, len(after))
			}
			if !bytes.Contains([]byte(content), after[m.start:m.end]) {
				t.Fatalf("span %d:%d moved onto text that was not there", m.start, m.end)
			}
		}
		redact := func(string) string { return "<redacted>" }
		for _, tc := range []struct {
			text  []byte
			spans []secretSpan
		}{{content, spans}, {after, moved}} {
			if got, want := len(splitKeep(hideSpans(tc.text, tc.spans, redact))), len(splitKeep(tc.text)); got != want {
				t.Fatalf("hiding made %d lines of %d", got, want)
			}
		}
	})
}

// writeDiff writes the plan's change as fix's dry run shows it.
func writeDiff(w io.Writer, p *Plan, redact func(string) string) error {
	for _, e := range p.Shown(redact) {
		if err := report.Diff(w, e.Name, e.Before, e.After, e.ShownBefore, e.ShownAfter); err != nil {
			return err
		}
	}
	return nil
}

// TestDryRunHidesKeysInLinearWork: the dry run of a settings module of n
// keys hides each key's texts on each of its n lines: looking for every
// text on every line is n² work. Four times the keys may cost less than
// five times the work of hiding them.
func TestDryRunHidesKeysInLinearWork(t *testing.T) {
	work := func(keys int) int {
		var b strings.Builder
		b.WriteString("import os\n")
		for i := range keys {
			b.WriteString("SECRET_KEY = '" + testenv.FakeKey(fmt.Sprint("linear", i)) + "'\n")
		}
		root, findings := project(t, map[string]string{"settings.py": b.String()})
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		shown := p.Shown(func(string) string { return "<redacted>" })
		if len(shown) == 0 || !bytes.Contains(bytes.Join(shown[0].ShownBefore, nil), []byte("SECRET_KEY = '<redacted>'")) {
			t.Fatalf("no settings edit hides the keys")
		}
		return p.maskWork
	}
	small, large := work(250), work(1000)
	if small == 0 || large > 5*small {
		t.Errorf("hiding 250 keys took %d steps and 1000 keys %d, %.1f times as many", small, large, float64(large)/float64(max(small, 1)))
	}
}

// TestShifterMapsPlacesAsEveryCutSays: a place maps through the cuts
// before it, each counted once, as adding up every cut that ends before
// it says; and mapSpans, which starts from the same sums, keeps a span's
// pieces on the text they held.
func TestShifterMapsPlacesAsEveryCutSays(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 13))
	for range 200 {
		var cuts []cut
		for pos := r.IntN(5); pos < 400; pos += r.IntN(20) {
			end := pos + r.IntN(10)
			cuts = append(cuts, cut{start: pos, end: end, text: strings.Repeat("x", r.IntN(12))})
			pos = end
		}
		sh := newShifter(cuts)
		for pos := 0; pos < 420; pos++ {
			want := pos
			for _, c := range cuts {
				if c.end <= pos {
					want += len(c.text) - (c.end - c.start)
				}
			}
			if got := sh.at(pos); got != want {
				t.Fatalf("place %d maps to %d, want %d (cuts %v)", pos, got, want, cuts)
			}
		}
	}
}

// TestOsNameFromTheIndexIsOsName: the os name found from a module's
// indexed imports is the one reading every line before the place finds.
func TestOsNameFromTheIndexIsOsName(t *testing.T) {
	lines := []string{"import os\n", "import os as _os\n", "import sys, os.path  # x\n", "import os as o; X = 'a'\n", "from os import environ\n", "    import os as inner\n", "X = 'value'\n", "import json\n", "\n"}
	r := rand.New(rand.NewPCG(5, 8))
	for range 300 {
		var b strings.Builder
		for n := r.IntN(12); n >= 0; n-- {
			b.WriteString(lines[r.IntN(len(lines))])
		}
		src := []byte(b.String())
		index := osImports(src)
		for pos := 0; pos <= len(src); pos++ {
			want := ""
			for _, line := range splitKeep(src[:pos]) {
				if n := importedOS(line); n != "" {
					want = n
				}
			}
			if got := osNameIn(index, src, pos); got != want {
				t.Fatalf("at %d of %q: %q, want %q", pos, src, got, want)
			}
		}
	}
}
