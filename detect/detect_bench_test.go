package detect

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// cleanPython returns about n bytes of ordinary Django-style Python with no
// key in it: models, views, settings reads, comments and hashes.
func cleanPython(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("user order item price cart invoice account profile session token page blog post comment author tag category image upload report export import search filter query result cache queue task worker event signal form field model view serializer router admin site")
	ident := func() string {
		parts := make([]string, 1+r.IntN(3))
		for i := range parts {
			parts[i] = words[r.IntN(len(words))]
		}
		return strings.Join(parts, "_")
	}
	var b bytes.Buffer
	for b.Len() < n {
		switch r.IntN(8) {
		case 0:
			fmt.Fprintf(&b, "def %s(request, pk=None):\n", ident())
		case 1:
			fmt.Fprintf(&b, "    return %s.objects.filter(%s=pk).first()\n", ident(), words[r.IntN(len(words))])
		case 2:
			fmt.Fprintf(&b, "    %s = models.CharField(max_length=%d, blank=True)\n", ident(), r.IntN(255))
		case 3:
			fmt.Fprintf(&b, "# %s %s for %s\n", ident(), ident(), ident())
		case 4:
			fmt.Fprintf(&b, "CACHE_KEY_%s = '%040x'\n", strings.ToUpper(words[r.IntN(len(words))]), r.Uint64())
		case 5:
			fmt.Fprintf(&b, "    logger.info(\"%s %%s\", %s)\n", ident(), ident())
		case 6:
			fmt.Fprintf(&b, "    %s = %s(%d)\n", ident(), ident(), r.IntN(99))
		default:
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

// denseCandidates returns about n bytes where nearly every line holds a
// candidate: key assignments, env lines, insecure keys, bare keys and
// decoys.
func denseCandidates(n int) []byte {
	k := fakeKey("dense")
	lines := []string{
		"SECRET_KEY = '" + k + "'",
		"DJANGO_SECRET_KEY=" + k,
		"SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '" + k + "')",
		"key = 'django-insecure-" + k + "'",
		"The old key was " + k + " and must go.",
		"SECRET_KEY = env('DJANGO_SECRET_KEY')",
		"SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'",
	}
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString(lines[i%len(lines)])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func benchmarkDetect(b *testing.B, name string, content []byte) {
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		Detect(name, content)
	}
}

func BenchmarkDetectCleanPython(b *testing.B) {
	benchmarkDetect(b, "app/views.py", cleanPython(4<<20))
}

func BenchmarkDetectCandidateDense(b *testing.B) {
	benchmarkDetect(b, "settings.py", denseCandidates(4<<20))
}

// Adversarial inputs: each must stay linear in its size, so each runs at
// 1 MiB and at 8 MiB; bench/adversarial.sh holds the two to a bound.
func BenchmarkDetectPathological(b *testing.B) {
	for _, size := range []int{1 << 20, 8 << 20} {
		for name, content := range pathological(size) {
			b.Run(fmt.Sprintf("%s/%dMiB", name, size>>20), func(b *testing.B) {
				benchmarkDetect(b, pathologicalName(name), content)
			})
		}
	}
}

// pathologicalName is the file an adversarial shape is read as: notebook
// text in a notebook, the rest as Python, where most readers run.
func pathologicalName(shape string) string {
	switch {
	case strings.Contains(shape, "escaped") || strings.Contains(shape, "json"):
		return "x.ipynb"
	case strings.HasPrefix(shape, "markdown-"):
		return "README.md"
	case strings.HasPrefix(shape, "make-"):
		return "Makefile"
	case strings.HasPrefix(shape, "pyproject-"):
		return "pyproject.toml"
	case strings.HasPrefix(shape, "nix-"):
		return "flake.nix"
	}
	return "x.py"
}

func pathological(n int) map[string][]byte {
	rep := func(s string) []byte { return bytes.Repeat([]byte(s), n/len(s)+1)[:n] }
	return map[string][]byte{
		"one-long-key-run":        rep("abc!@#123"),
		"anchors-with-open-quote": rep("SECRET_KEY = '''"),
		"anchors-unclosed":        rep("SECRET_KEY='"),
		"fallback-calls":          rep("get('SECRET_KEY', ("),
		"insecure-prefixes":       rep("django-insecure-"),
		"list-of-lists":           rep("SECRET_KEY_FALLBACKS = [[[["),
		"secret-word":             rep("secret"),
		// A notebook holds Python source inside JSON strings, where a quote
		// is written \": repeated, every anchor opens a literal that the
		// next anchor's quote closes.
		"escaped-quote-anchors": rep(`"SECRET_KEY = \"`),
		"quote-anchors":         rep("SECRET_KEY = '"),
		"dq-anchors":            rep(`SECRET_KEY = "`),
		"env-anchors":           rep("SECRET_KEY="),
		"yaml-anchors":          rep("SECRET_KEY: "),
		"json-anchors":          rep(`{"SECRET_KEY": "`),
		"fallback-open":         rep("os.environ.get('SECRET_KEY', '"),
		"triple-quotes":         rep(`SECRET_KEY = """`),
		"dict-reads":            rep("SECRET_KEY = C['secret_key']\nC = {'secret_key': 'x'}\n"),
		"markdown-fences":       rep("```env\nSECRET_KEY=x\n```\n"),
		"markdown-open-fences":  rep("```env\nSECRET_KEY=x\n"),
		// One line of fence marks after a key's name: none starts its line.
		"markdown-marks-one-line": rep("SECRET_KEY ``` "),
		"make-feeds":              rep("SECRET_KEY=$(DEV_SECRET_KEY)\nDEV_SECRET_KEY ?= ab\n"),
		"make-anchors":            rep("SECRET_KEY = "),
		"pyproject-items":         rep(`"D:R:SECRET_KEY=`),
		"pyproject-tables":        rep("SECRET_KEY = { value = "),
		"nix-shell-lines":         rep("SECRET_KEY=x;"),
		"allow-markers-one-line":  allowMarkerShapes["allow-markers-one-line"](n),
		"allow-marked-lines":      allowMarkerShapes["allow-marked-lines"](n),
	}
}

// allowMarkerShapes are about n bytes of djguard:allow markers (issue #23):
// one claim on a line of markers, and a half of marked lines before a half
// of claims, which made the allow check quadratic.
var allowMarkerShapes = map[string]func(n int) []byte{
	"allow-markers-one-line": func(n int) []byte {
		return append([]byte("SECRET_KEY = 'abcdefgh' "), bytes.Repeat([]byte("djguard:allow "), n/len("djguard:allow "))...)
	},
	"allow-marked-lines": func(n int) []byte {
		const marked, claim = "# djguard:allow\n", "SECRET_KEY = 'abcdefgh'\n"
		return append(bytes.Repeat([]byte(marked), n/2/len(marked)), bytes.Repeat([]byte(claim), n/2/len(claim))...)
	},
}

// BenchmarkQuietCleanPython is the quiet test over clean Python whole, as
// the history audit runs it on a version stored whole.
func BenchmarkQuietCleanPython(b *testing.B) {
	content := cleanPython(4 << 20)
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		(*Detector)(nil).Quiet(content)
	}
}
