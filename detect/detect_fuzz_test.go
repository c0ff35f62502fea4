package detect

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzDetect(f *testing.F) {
	k := fakeKey("fuzz")
	for _, s := range []string{
		"SECRET_KEY = '" + k + "'\n",
		"SECRET_KEY = (\n '" + k + "'\n 'x')\n",
		"DJANGO_SECRET_KEY=" + k + "\r\n",
		"x = os.environ.get('SECRET_KEY', default='" + k + "')",
		"SECRET_KEY_FALLBACKS = ['a', ('b',), '" + k + "']",
		"ENV DJANGO_SECRET_KEY " + k,
		"  SECRET_KEY: >\n    " + k,
		"\"SECRET_KEY = \\\"" + k + "\\\"\\n\"",
		"django-insecure-" + k,
		"data: " + b64Insecure + "\n",
		"secret\xff\xfe_key = '\xc3'",
	} {
		f.Add("settings.py", []byte(s))
		f.Add("values.yaml", []byte(s))
		f.Add(".env", []byte(s))
	}
	for name, s := range map[string]string{
		"README.md":          "```env\nSECRET_KEY=change-me\n```\n~~~bash\nexport SECRET_KEY=" + k + "\n",
		"Makefile":           "DEV_SECRET_KEY ?= " + k + " # dev\nimage:\n\tdocker build --build-arg SECRET_KEY=$(DEV_SECRET_KEY) .\n",
		"pyproject.toml":     "[tool.pytest_env]\nSECRET_KEY = { value = \"...\" }\nenv = [\"D:SECRET_KEY=" + k + "\"]\n",
		"flake.nix":          "{ \"SECRET_KEY\" = \"...\"; shellHook = ''\n export SECRET_KEY=" + k + "\n''; }\n",
		"docker-compose.yml": "    command: run --key=" + k + "$$\n      FOO: django-insecure-$$" + k + "\n",
		"conf.py":            "C = {'secret_key': 'x'}\nSECRET_KEY = C['secret_key'] or 50 * 'y'\n",
		// An inline table whose blanks run past the line's 512-byte bound.
		"pyproject.toml.seed": "SECRET_KEY = {" + strings.Repeat(" ", 600),
	} {
		name = strings.TrimSuffix(name, ".seed")
		f.Add(name, []byte(s))
	}
	// The adversarial shapes, short: the fuzzer grows them.
	for shape, content := range pathological(256) {
		f.Add(pathologicalName(shape), content)
	}
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		got := Detect(name, content)
		if len(got) > 0 && !(*Detector)(nil).MayHoldKey(content) {
			t.Fatalf("Detect finds %d secrets where MayHoldKey, the history audit's first look, says there are none", len(got))
		}
		end := 0
		for _, g := range got {
			if g.Start < end || g.End < g.Start || g.End > len(content) {
				t.Fatalf("bad span %d:%d (previous end %d, length %d)", g.Start, g.End, end, len(content))
			}
			end = g.End
			if g.Line < 1 || g.Column < 1 || g.EndLine < g.Line {
				t.Fatalf("bad position %d:%d-%d:%d", g.Line, g.Column, g.EndLine, g.EndColumn)
			}
			if g.Fingerprint != Fingerprint(g.Secret) {
				t.Fatal("fingerprint does not match the secret")
			}
			if g.Class == BareKey && (!utf8.ValidString(g.Secret) || content[g.Start] == ' ') {
				t.Fatalf("bare key %q is not a run of the key alphabet", g.Secret)
			}
		}
	})
}

// TestDetectFinishesOnPathologicalInput runs the adversarial inputs of the
// benchmarks once each, so that a change that makes one quadratic shows up
// as a test that never ends rather than passing unnoticed.
func TestDetectFinishesOnPathologicalInput(t *testing.T) {
	for name, content := range pathological(1 << 20) {
		t.Run(name, func(t *testing.T) { Detect(pathologicalName(name), content) })
	}
}
