package keygen_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/keygen"
)

// chiSquare returns the chi-square statistic of counts against a uniform
// expectation and its p-value for len(counts)-1 degrees of freedom.
func chiSquare(counts []int) (stat, p float64) {
	total := 0
	for _, c := range counts {
		total += c
	}
	want := float64(total) / float64(len(counts))
	for _, c := range counts {
		d := float64(c) - want
		stat += d * d / want
	}
	return stat, upperGammaQ(float64(len(counts)-1)/2, stat/2)
}

// upperGammaQ is the regularised upper incomplete gamma function Q(a, x),
// the chi-square survival function at 2x with 2a degrees of freedom: a
// series below a+1, a continued fraction (modified Lentz) above.
func upperGammaQ(a, x float64) float64 {
	if x <= 0 {
		return 1
	}
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	if x < a+1 {
		sum, term := 1/a, 1/a
		for n := 1; n < 1000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if term < sum*1e-15 {
				break
			}
		}
		return 1 - front*sum
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := d * c
		h *= delta
		if math.Abs(delta-1) < 1e-15 {
			break
		}
	}
	return front * h
}

func TestUpperGammaQMatchesKnownChiSquareQuantiles(t *testing.T) {
	// Reference quantiles of the chi-square distribution with 49 degrees
	// of freedom: P(X > 48.335) = 0.5, P(X > 66.339) = 0.05, P(X > 85.351) = 0.001.
	for _, tc := range []struct{ x, p float64 }{{48.335, 0.5}, {66.339, 0.05}, {85.351, 0.001}} {
		if got := upperGammaQ(49.0/2, tc.x/2); math.Abs(got-tc.p)/tc.p > 0.01 {
			t.Errorf("Q(24.5, %v/2) = %v, want %v", tc.x, got, tc.p)
		}
	}
}

func countChars(t *testing.T, gen func() string, atLeast int) []int {
	t.Helper()
	counts := make([]int, len(keygen.Alphabet))
	n := 0
	for n < atLeast {
		key := gen()
		for i := 0; i < len(key); i++ {
			j := strings.IndexByte(keygen.Alphabet, key[i])
			if j < 0 {
				t.Fatalf("character %q is not in Django's alphabet", key[i])
			}
			counts[j]++
		}
		n += len(key)
	}
	return counts
}

// A p-value this small happens by chance once in a million runs.
const rejectBelow = 1e-6

func TestGeneratedCharactersAreUniformByChiSquare(t *testing.T) {
	counts := countChars(t, func() string {
		k, err := keygen.Generate(rand.Reader, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}, 1_000_000)
	stat, p := chiSquare(counts)
	t.Logf("chi-square %.1f over %d bins, p = %.3g", stat, len(counts), p)
	if p < rejectBelow {
		t.Errorf("keygen output is not uniform: chi-square %.1f, p = %.3g", stat, p)
	}
}

// moduloBiased is what a naive generator does: byte % 50. The first six
// characters come up 6/256 of the time instead of 5/256.
func moduloBiased(length int) string {
	buf := make([]byte, length)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	for i, b := range buf {
		buf[i] = keygen.Alphabet[int(b)%len(keygen.Alphabet)]
	}
	return string(buf)
}

func TestChiSquareRejectsAModuloBiasedGenerator(t *testing.T) {
	counts := countChars(t, func() string { return moduloBiased(1000) }, 1_000_000)
	stat, p := chiSquare(counts)
	t.Logf("biased generator: chi-square %.1f, p = %.3g", stat, p)
	if p >= rejectBelow {
		t.Errorf("the test statistic failed to reject a modulo-biased generator: chi-square %.1f, p = %.3g", stat, p)
	}
}

func TestGeneratedKeysPassDjangoDeployCheck(t *testing.T) {
	for i := 0; i < 2000; i++ {
		k, err := keygen.New()
		if err != nil {
			t.Fatal(err)
		}
		if len(k) != keygen.Length {
			t.Fatalf("key has %d characters, want %d", len(k), keygen.Length)
		}
		if why := keygen.Problem(k); why != "" {
			t.Fatalf("a generated key fails W009: %s", why)
		}
	}
}

func TestGenerateRefusesLengthsDjangoRejects(t *testing.T) {
	if _, err := keygen.Generate(rand.Reader, 49); !errors.Is(err, keygen.ErrTooShort) {
		t.Errorf("keygen.Generate(49) error = %v, want keygen.ErrTooShort", err)
	}
	if _, err := keygen.Generate(rand.Reader, keygen.MaxLength+1); err == nil {
		t.Error("keygen.Generate(keygen.MaxLength+1) succeeded")
	}
	k, err := keygen.Generate(rand.Reader, 80)
	if err != nil || len(k) != 80 {
		t.Errorf("keygen.Generate(80) = %d chars, %v", len(k), err)
	}
}

func TestGenerateReportsASourceThatRunsDry(t *testing.T) {
	if _, err := keygen.Generate(bytes.NewReader(make([]byte, 10)), 50); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error = %v, want it to wrap io.ErrUnexpectedEOF", err)
	}
}

func TestGenerateRejectsBytesThatWouldBiasTheResult(t *testing.T) {
	// 250..255 must be skipped, not folded onto the first characters.
	src := bytes.Repeat([]byte{255, 250, 0, 49}, 100)
	k, err := keygen.Generate(bytes.NewReader(src), 50)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("a)", 25)
	if k != want {
		t.Errorf("key = %q, want %q", k, want)
	}
}

func TestProblemAppliesW009(t *testing.T) {
	good := strings.Repeat("abcdefghij", 5)
	for _, tc := range []struct {
		name, key string
		bad       bool
	}{
		{"an empty key", "", true},
		{"a short word", "changeme", true},
		{"49 characters", good[:49], true},
		{"50 characters, 4 distinct", strings.Repeat("abcd", 13)[:50], true},
		{"50 characters, 10 distinct", good, false},
		{"a startproject key", keygen.InsecurePrefix + good, true},
		{"50 multibyte characters count as 50", strings.Repeat("éàüöß", 10), false},
	} {
		if got := keygen.Problem(tc.key) != ""; got != tc.bad {
			t.Errorf("%s: Problem = %q, want bad=%v", tc.name, keygen.Problem(tc.key), tc.bad)
		}
		if got := keygen.Weak(tc.key); got != tc.bad {
			t.Errorf("%s: Weak = %v, want %v", tc.name, got, tc.bad)
		}
	}
}

func TestUniqueCharsCountsAsPythonsSet(t *testing.T) {
	for key, want := range map[string]int{
		"":                      0,
		"aaaa":                  1,
		"abcabc!":               4,
		"éàé":                   2,
		"aé\u00e9a":             2,
		"ab\xffc\xfe":           4, // both invalid bytes read as U+FFFD: one character
		strings.Repeat("x", 99): 1,
	} {
		if got := keygen.UniqueChars(key); got != want {
			t.Errorf("UniqueChars(%q) = %d, want %d", key, got, want)
		}
	}
}

func TestEnvLineReadsBackExactlyInAPOSIXShell(t *testing.T) {
	sh := testenv.Tool(t, "sh")
	keys := []string{keygen.Alphabet, "a$HOME`id`#x&(y)'", "$(id)!@#$%^&*(-_=+)"}
	for i := 0; i < 50; i++ {
		k, _ := keygen.New()
		keys = append(keys, k)
	}
	for _, k := range keys {
		line, err := keygen.EnvLine(keygen.EnvName, k)
		if strings.Contains(k, "'") {
			if err == nil {
				t.Errorf("EnvLine accepted a value with a quote")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), ".env")
		if err := os.WriteFile(f, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(sh, "-c", `. "$1" && printf %s "$DJANGO_SECRET_KEY"`, "sh", f).Output()
		if err != nil {
			t.Fatalf("sh: %v", err)
		}
		if string(out) != k {
			t.Errorf("sh read back %q, want %q", out, k)
		}
	}
}

func TestEnvLineReadsBackExactlyWithPythonDotenv(t *testing.T) {
	py := testenv.PythonWith(t, "dotenv", "python3-dotenv")
	var keys []string
	// python-dotenv expands ${NAME} even inside single quotes; Django's
	// alphabet has no brace, so no generated key can hold one.
	keys = append(keys, keygen.Alphabet, "$(id)$HOME#x&y")
	for i := 0; i < 50; i++ {
		k, _ := keygen.New()
		keys = append(keys, k)
	}
	var env strings.Builder
	for i, k := range keys {
		line, err := keygen.EnvLine("K"+strings.Repeat("X", i), k)
		if err != nil {
			t.Fatal(err)
		}
		env.WriteString(line + "\n")
	}
	f := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(f, []byte(env.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import sys, dotenv
for k, v in dotenv.dotenv_values(sys.argv[1]).items(): print(v)`, f).Output()
	if err != nil {
		t.Fatalf("python-dotenv: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(keys) {
		t.Fatalf("python-dotenv read %d values, want %d", len(got), len(keys))
	}
	for i := range keys {
		if got[i] != keys[i] {
			t.Errorf("python-dotenv read back %q, want %q", got[i], keys[i])
		}
	}
}

func TestPythonLineIsAnExactLiteral(t *testing.T) {
	k, _ := keygen.New()
	if got, want := keygen.PythonLine(k), "SECRET_KEY = '"+k+"'"; got != want {
		t.Errorf("PythonLine = %q, want %q", got, want)
	}
	if got := keygen.PythonLine(`a'b\c`); got != `SECRET_KEY = 'a\'b\\c'` {
		t.Errorf("PythonLine escapes badly: %s", got)
	}
}
