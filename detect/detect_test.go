package detect

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

func fakeKey(seed string) string { return testenv.FakeKey(seed) }

type want struct {
	class    Class
	severity Severity
	line     int
	value    string // with {k} and {k2} standing for the test's keys
}

type detectCase struct {
	name string
	path string
	src  string
	want []want
}

func hk(line int, v string) []want { return []want{{HardcodedKey, High, line, v}} }
func fb(line int, v string) []want { return []want{{HardcodedFallback, High, line, v}} }

// none is a case's want when nothing may be found.
var none []want

// Keys made by other generators, as real projects have them.
var (
	urlsafeKey   = "Xq3vR7kP_2mN9wL-8hT4yB6cF1dG5sJ0aZ-uE7iO3pQ_tY9rW2xV5"         // secrets.token_urlsafe(40)
	printableKey = "k7#Lq2 v`Rz9!mW4$pX8&nT1^sB6*yC3(dF5)gH0-jK+=:;<>?/.,|~}{][aE" // 62 printable characters
	alnumKey     = "a8F3kQ9zL2mX7pR4tV6wB1yN5cD0gH3jK8sU2eI7oP4qW9rT6u"            // letters and digits
	b64Insecure  = base64.StdEncoding.EncodeToString([]byte("django-insecure-" + fakeKey("b64")))
	hexKey       = "9f86d0818f4c7d659a2feaa0c55ad015a3bf4f1b"                 // secrets.token_hex(20)
	hex64Key     = fmt.Sprintf("%x", sha256.Sum256([]byte(fakeKey("hex64")))) // secrets.token_hex(32)
	b64Key       = "q3Vb7mK9xZ2pL8wR4tY6uI1oA5sD0fG3hJ7kE9cN2bM="             // base64 of 32 random bytes
	// A Django key with ';' in it, which a shell would cut, and one with
	// '&', which XML writes as &amp;.
	semiKey       = "q7x;k2m#p9z(r4t@w8v&j3n^b6c%d1f-h5g=y2u+e7s!a0l_o9i*u3y)t6"
	ampKeyDecoded = "q7x!k2m#p9z(r4t@w8v&j3n^b6c%d1f-h5g=y2u+e7s!a0l_o9i*u3y)t6"
	ampKey        = strings.ReplaceAll(ampKeyDecoded, "&", "&amp;")
	// 64 characters of pwgen's pronounceable output (see pwgenPassword),
	// one that reads as text to the pair model.
	pwgenKey = pwgenPassword(rand.New(rand.NewPCG(4, 64)), 64)
)

func runDetectCases(t *testing.T, cases []detectCase) {
	t.Helper()
	k, k2 := fakeKey("k"), fakeKey("k2")
	expand := strings.NewReplacer("{k}", k, "{k2}", k2).Replace
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := expand(tc.src)
			got := Detect(tc.path, []byte(src))
			if len(got) != len(tc.want) {
				t.Fatalf("%s: got %d findings, want %d:\n%s", tc.path, len(got), len(tc.want), describe(got))
			}
			for i, w := range tc.want {
				g := got[i]
				wv := expand(w.value)
				if g.Class != w.class || g.Severity != w.severity || g.Line != w.line || g.Secret != wv {
					t.Errorf("finding %d = %s, want %s %s line %d value %q", i, describe(got[i:i+1]), w.class, w.severity, w.line, wv)
				}
				if strings.Contains(src, wv) && src[g.Start:g.End] != wv && !strings.Contains(src[g.Start:g.End], "\\") {
					t.Errorf("span %d:%d holds %q, want the value", g.Start, g.End, src[g.Start:g.End])
				}
			}
		})
	}
}

// describe prints findings for a failure message; test keys are fake, so
// printing them in full is harmless and helps.
func describe(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d:%d %s %s name=%q value=%q\n", f.Path, f.Line, f.Column, f.Class, f.Severity, f.Name, f.Secret)
	}
	return b.String()
}

func TestDetectReportsLinesAndColumnsInCharacters(t *testing.T) {
	k := fakeKey("cols")
	src := "# é\nNAME_é = 1; SECRET_KEY = '" + k + "'\n"
	got := Detect("settings.py", []byte(src))
	if len(got) != 1 {
		t.Fatalf("got %d findings", len(got))
	}
	f := got[0]
	if f.Line != 2 || f.Column != 27 || f.EndLine != 2 || f.EndColumn != 77 {
		t.Errorf("position = %d:%d-%d:%d, want 2:27-2:77", f.Line, f.Column, f.EndLine, f.EndColumn)
	}
	if f.Fingerprint != Fingerprint(k) || len(f.Fingerprint) != 32 {
		t.Errorf("fingerprint %q", f.Fingerprint)
	}
}

func TestFingerprintIsStableAndHidesTheKey(t *testing.T) {
	k := fakeKey("fp")
	again := string([]byte(k)) // the same value, another string
	if Fingerprint(k) != Fingerprint(again) || Fingerprint(k) == Fingerprint(k+"x") {
		t.Fatal("fingerprint is not a function of the value")
	}
	// Pinned so that a change of scheme, which would break every baseline
	// and cross-run comparison, is a deliberate one.
	if got := Fingerprint("changeme"); got != "b34baed12530f158a6013df3506053d1" {
		t.Errorf("Fingerprint(changeme) = %s; the scheme changed", got)
	}
}

func TestDetectorWithExtraNames(t *testing.T) {
	k := fakeKey("extra")
	det := NewDetector([]string{"MYAPP_SIGNING_KEY"})
	for name, src := range map[string]string{
		"settings.py": "MYAPP_SIGNING_KEY = 'short-but-named'\n",
		".env":        "myapp_signing_key=short-but-named\n",
		"config.yaml": "myapp-signing-key: short-but-named\n",
	} {
		got := det.Detect(name, []byte(src))
		if len(got) != 1 || got[0].Secret != "short-but-named" || got[0].Class != WeakKey {
			t.Errorf("%s: %s", name, describe(got))
		}
		if got := Detect(name, []byte(src)); len(got) != 0 {
			t.Errorf("%s: found without the extra name: %s", name, describe(got))
		}
	}
	if got := det.Detect("settings.py", []byte("MYAPP_SIGNING_KEY = '"+k+"'\n")); len(got) != 1 || got[0].Severity != High {
		t.Errorf("a key under an extra name: %s", describe(got))
	}
}

// TestDetectForms: forms that hold in every syntax: merge conflicts and other languages.
func TestDetectForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"merge conflict", "settings.py", "<<<<<<< HEAD\nSECRET_KEY = '{k}'\n=======\nSECRET_KEY = '{k2}'\n>>>>>>> feature\n", []want{{HardcodedKey, High, 2, "{k}"}, {HardcodedKey, High, 4, "{k2}"}}},
		{"JavaScript test string", "frontend/api.test.js", "const SECRET_KEY = \"{k}\";\n", hk(1, "{k}")},
		{"Go camel case", "tools/main.go", "var secretKey = \"{k}\"\n", hk(1, "{k}")},
	})
}

// TestDetectMarksAllowedLines: a finding on a line marked djguard:allow,
// or whose name stands on one, is marked Allowed (package policy leaves it
// out), in any syntax; the marker on another line changes nothing.
func TestDetectMarksAllowedLines(t *testing.T) {
	k := fakeKey("allow")
	for _, tc := range []struct {
		name, path, src string
		allowed         bool
	}{
		{"python comment", "settings.py", "SECRET_KEY = '" + k + "'  # djguard:allow\n", true},
		{"yaml comment", "ci.yml", "  DJANGO_SECRET_KEY: django-insecure-" + k + " # djguard:allow\n", true},
		{"marker on the name's line", "values.yaml", "SECRET_KEY: >-  # djguard:allow\n  " + k + "\n", true},
		{"marker on another line", "settings.py", "# djguard:allow\nSECRET_KEY = '" + k + "'\n", false},
	} {
		got := Detect(tc.path, []byte(tc.src))
		if len(got) != 1 {
			t.Errorf("%s: got %d findings, want 1:\n%s", tc.name, len(got), describe(got))
			continue
		}
		if got[0].Allowed != tc.allowed {
			t.Errorf("%s: Allowed = %v, want %v", tc.name, got[0].Allowed, tc.allowed)
		}
	}
}

// TestDetectMarksAllowedLinesAsEveryMarkerSays: in documents of marked
// and unmarked lines mixed at random (several markers to a line, markers
// on a name's line and on a value's, CRLF, no final line end), a claim is
// Allowed exactly when some marker's line holds its value or its name, as
// looking at every marker for every claim says.
func TestDetectMarksAllowedLinesAsEveryMarkerSays(t *testing.T) {
	k := fakeKey("allow")
	pieces := [][]string{
		{"SECRET_KEY = '" + k + "'"},
		{"SECRET_KEY = '" + k + "'  # djguard:allow"},
		{"SECRET_KEY = 'changeme'  # djguard:allow djguard:allow"},
		{"# djguard:allow"},
		{"djguard:allowdjguard:allow # djguard:allow"},
		{"SECRET_KEY: >-  # djguard:allow", "  " + k},
		{"SECRET_KEY: >-", "  " + k + "  # djguard:allow"},
		{"DJANGO_SECRET_KEY=" + k + " # djguard:allow"},
		{"The old key was " + k + " and must go."},
		{"The old key was " + k + " djguard:allow"},
		{""},
	}
	r := rand.New(rand.NewPCG(7, 23))
	seen := map[bool]int{}
	for range 200 {
		var lines []string
		for n := r.IntN(30); n >= 0; n-- {
			lines = append(lines, pieces[r.IntN(len(pieces))]...)
		}
		eol := "\n"
		if r.IntN(4) == 0 {
			eol = "\r\n"
		}
		src := strings.Join(lines, eol)
		if r.IntN(2) == 0 {
			src += eol
		}
		for _, path := range []string{"settings.py", "values.yaml", "notes.txt"} {
			fk := KindOf(path)
			d := doc{b: []byte(src), syn: fk.syntax, settings: fk.settings, test: fk.test}
			d.findNamed()
			d.findRuns()
			d.findEncodedInsecure()
			for _, x := range d.resolve() {
				if got, want := d.allowed(x), allowedByEveryMarker(d.b, x); got != want {
					t.Fatalf("%s: claim at %d (name at %d) Allowed = %v, want %v in:\n%s", path, x.start, x.anchor, got, want, src)
				}
				seen[d.allowed(x)]++
			}
		}
	}
	if seen[true] < 100 || seen[false] < 100 {
		t.Errorf("the documents made %d allowed claims and %d others; want many of both", seen[true], seen[false])
	}
}

// allowedByEveryMarker is the allow rule at its plainest: every marker's
// line, for every claim.
func allowedByEveryMarker(b []byte, x candidate) bool {
	for _, at := range indexAll(b, allowMarker, nil) {
		s, e := lineStart(b, at, 0), lineEnd(b, at, len(b))
		if s <= x.start && x.start <= e || s <= x.anchor && x.anchor <= e {
			return true
		}
	}
	return false
}

// TestAllowMarkersCostLinearWork counts the work of the allow check on the
// shapes that made it quadratic (issue #23): one line of a million
// markers, and a million marked lines before a million claims. Four times
// the text may cost less than five times the work (n log n for the
// searches); a quadratic check costs sixteen times.
func TestAllowMarkersCostLinearWork(t *testing.T) {
	for name, shape := range allowMarkerShapes {
		work := func(n int) int {
			d := doc{b: shape(n), syn: pythonSyntax}
			if len(d.scan("x.py")) == 0 {
				t.Fatalf("%s: no findings, so the allow check never ran", name)
			}
			return d.allowWork
		}
		small, large := work(64<<10), work(256<<10)
		if small == 0 || large > 5*small {
			t.Errorf("%s: the allow check did %d steps on 64 KiB and %d on 256 KiB, %.1f times as many", name, small, large, float64(large)/float64(max(small, 1)))
		}
	}
}
