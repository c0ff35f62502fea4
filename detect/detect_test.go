package detect

import (
	"fmt"
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

func TestDetectHardcodedKeyForms(t *testing.T) {
	hk := func(line int, v string) []want { return []want{{HardcodedKey, High, line, v}} }
	runDetectCases(t, []detectCase{
		{"python single quotes", "settings.py", "SECRET_KEY = '{k}'\n", hk(1, "{k}")},
		{"python double quotes", "settings.py", "DEBUG = True\nSECRET_KEY = \"{k}\"\n", hk(2, "{k}")},
		{"python triple quotes", "settings.py", "SECRET_KEY = '''{k}'''\n", hk(1, "{k}")},
		{"python triple double quotes", "settings.py", "SECRET_KEY = \"\"\"{k}\"\"\"\n", hk(1, "{k}")},
		{"python raw prefix", "settings.py", "SECRET_KEY = r'{k}'\n", hk(1, "{k}")},
		{"python unicode prefix", "settings.py", "SECRET_KEY = u\"{k}\"\n", hk(1, "{k}")},
		{"python parenthesised on the next line", "settings.py", "SECRET_KEY = (\n    '{k}'\n)\n", hk(2, "{k}")},
		{"python annotated", "settings.py", "SECRET_KEY: str = '{k}'\n", hk(1, "{k}")},
		{"python DJANGO_SECRET_KEY", "conf.py", "DJANGO_SECRET_KEY = '{k}'\n", hk(1, "{k}")},
		{"python attribute assignment", "conftest.py", "settings.SECRET_KEY = '{k}'\n", hk(1, "{k}")},
		{"python CRLF line", "settings_win.py", "import os\r\nSECRET_KEY = '{k}'\r\nDEBUG = False\r\n", hk(2, "{k}")},
		{"python dict entry", "legacy.py", "CONF = {\"SECRET_KEY\": \"{k}\", \"DEBUG\": False}\n", hk(1, "{k}")},
		{"python dict entry single quotes", "legacy.py", "CONF = {'SECRET_KEY': '{k}'}\n", hk(1, "{k}")},
		{"settings.configure keyword", "tests/conftest.py", "    settings.configure(SECRET_KEY=\"{k}\", DEBUG=True)\n", hk(1, "{k}")},
		{"override_settings keyword", "tests/test_x.py", "@override_settings(SECRET_KEY='{k}')\ndef test(): pass\n", hk(1, "{k}")},
		{"os.environ item assignment", "manage.py", "os.environ[\"DJANGO_SECRET_KEY\"] = \"{k}\"\n", hk(1, "{k}")},
		{"fallbacks list", "settings.py", "SECRET_KEY_FALLBACKS = ['{k}', \"{k2}\"]\n", []want{{HardcodedKey, High, 1, "{k}"}, {HardcodedKey, High, 1, "{k2}"}}},
		{"fallbacks list over lines with a safe element", "settings.py", "SECRET_KEY_FALLBACKS = [\n    os.environ['OLD'],\n    '{k}',\n]\n", hk(3, "{k}")},
		{"dotenv", ".env", "DEBUG=1\nDJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"dotenv export quoted", ".env.production", "export DJANGO_SECRET_KEY='{k}'\n", hk(1, "{k}")},
		{"dotenv double quoted", "prod.env", "SECRET_KEY=\"{k}\"\n", hk(1, "{k}")},
		{"shell script export", "scripts/run.sh", "#!/bin/sh\nexport DJANGO_SECRET_KEY='{k}'\n", hk(2, "{k}")},
		{"yaml mapping quoted", "docker-compose.yml", "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"{k}\"\n", hk(4, "{k}")},
		{"yaml mapping bare", "k8s/secret.yaml", "stringData:\n  SECRET_KEY: {k}\n", hk(2, "{k}")},
		{"yaml compose list", "compose.yaml", "    environment:\n      - DJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"yaml compose list quoted item", "compose.yaml", "    environment:\n      - \"DJANGO_SECRET_KEY={k}\"\n", hk(2, "{k}")},
		{"yaml block scalar", "values.yaml", "SECRET_KEY: >-\n  {k}\n", hk(2, "{k}")},
		{"json", "config/settings.json", "{\n  \"SECRET_KEY\": \"{k}\",\n  \"DEBUG\": false\n}\n", hk(2, "{k}")},
		{"json lowercase key", "config.json", "{\"secret_key\": \"{k}\"}\n", hk(1, "{k}")},
		{"heroku app.json value", "app.json", "{\"env\": {\"SECRET_KEY\": {\"value\": \"{k}\"}}}\n", hk(1, "{k}")},
		{"dumpdata name/value pair", "fixtures/dump.json", "[{\"model\": \"config.setting\", \"fields\": {\"name\": \"SECRET_KEY\", \"value\": \"{k}\"}}]\n", hk(1, "{k}")},
		{"ini", "deploy/app.ini", "[django]\nsecret_key = {k}\n", hk(2, "{k}")},
		{"toml", "config.toml", "[django]\nsecret_key = \"{k}\"\n", hk(2, "{k}")},
		{"dockerfile ENV with equals", "Dockerfile", "FROM python:3.12\nENV DJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"dockerfile ENV with a space", "Dockerfile", "FROM python:3.12\nENV DJANGO_SECRET_KEY {k}\n", hk(2, "{k}")},
		{"dockerfile ENV quoted", "docker/Dockerfile.prod", "ENV DJANGO_SECRET_KEY=\"{k}\"\n", hk(1, "{k}")},
		{"notebook source line", "notebooks/explore.ipynb", "{\"cells\": [{\"source\": [\n    \"SECRET_KEY = '{k}'\\n\",\n  ]}]}\n", hk(2, "{k}")},
		{"notebook escaped double quotes", "nb.ipynb", "    \"SECRET_KEY = \\\"{k}\\\"\\n\",\n", hk(1, "{k}")},
		{"restructured text docs", "docs/deployment.rst", "Set it::\n\n    SECRET_KEY = '{k}'\n", hk(3, "{k}")},
		{"project-prefixed name with a Django key", "settings.py", "MYAPP_SECRET_KEY = '{k}'\n", hk(1, "{k}")},
	})
}

func TestDetectOtherClasses(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"startproject key", "mysite/settings.py", "# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = 'django-insecure-{k}'\n",
			[]want{{InsecureKey, High, 2, "django-insecure-{k}"}}},
		{"insecure key in yaml with no quotes", ".github/workflows/test.yml", "    env:\n      DJANGO_SECRET_KEY: django-insecure-{k}\n",
			[]want{{InsecureKey, High, 2, "django-insecure-{k}"}}},
		{"insecure key with no context", "notes.txt", "try django-insecure-{k} locally\n",
			[]want{{InsecureKey, High, 1, "django-insecure-{k}"}}},
		{"insecure placeholder is low", "README.md", "SECRET_KEY = 'django-insecure-xxxx'\n",
			[]want{{InsecureKey, Low, 1, "django-insecure-xxxx"}}},
		{"two insecure keys in one run", "notes.txt", "django-insecure-{k}django-insecure-{k2}\n",
			[]want{{InsecureKey, High, 1, "django-insecure-{k}"}, {InsecureKey, High, 1, "django-insecure-{k2}"}}},
		{"os.environ.get default", "settings/base.py", "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"{k}\")\n",
			[]want{{HardcodedFallback, High, 1, "{k}"}}},
		{"os.getenv default", "settings.py", "SECRET_KEY = os.getenv('SECRET_KEY', '{k}')\n",
			[]want{{HardcodedFallback, High, 1, "{k}"}}},
		{"django-environ default keyword", "settings.py", "SECRET_KEY = env('DJANGO_SECRET_KEY', default='{k}')\n",
			[]want{{HardcodedFallback, High, 1, "{k}"}}},
		{"django-environ str with cast first", "settings.py", "SECRET_KEY = env.str(\"SECRET_KEY\", multiline=False, default=\"{k}\")\n",
			[]want{{HardcodedFallback, High, 1, "{k}"}}},
		{"decouple positional default", "settings.py", "SECRET_KEY = config('SECRET_KEY', '{k}')\n",
			[]want{{HardcodedFallback, High, 1, "{k}"}}},
		{"decouple default over lines", "settings.py", "SECRET_KEY = config(\n    'SECRET_KEY',\n    default='{k}',\n)\n",
			[]want{{HardcodedFallback, High, 3, "{k}"}}},
		{"placeholder-looking fallback is low", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-only-change-me')\n",
			[]want{{HardcodedFallback, Low, 1, "dev-only-change-me"}}},
		{"weak key", "mysite/settings/ci.py", "SECRET_KEY = 'changeme'\n",
			[]want{{WeakKey, Low, 1, "changeme"}}},
		{"weak key of one repeated character", "settings.py", "SECRET_KEY = '" + strings.Repeat("a", 60) + "'\n",
			[]want{{WeakKey, Low, 1, strings.Repeat("a", 60)}}},
		{"long passphrase key is high", "settings.py", "SECRET_KEY = 'correct horse battery staple and a great many more words'\n",
			[]want{{HardcodedKey, High, 1, "correct horse battery staple and a great many more words"}}},
		{"long placeholder key is low", "settings.py", "SECRET_KEY = 'please-change-this-to-a-long-random-string-before-deploying'\n",
			[]want{{HardcodedKey, Low, 1, "please-change-this-to-a-long-random-string-before-deploying"}}},
		{"bare key in notes", "docs/notes.md", "The old key was {k} and must be rotated.\n",
			[]want{{BareKey, High, 1, "{k}"}}},
		{"bare key after a name and equals", "notes.txt", "key={k}\n",
			[]want{{BareKey, High, 1, "{k}"}}},
		{"two keys on two lines", "settings.py", "SECRET_KEY = '{k}'\nSECRET_KEY_FALLBACKS = ['{k2}']\n",
			[]want{{HardcodedKey, High, 1, "{k}"}, {HardcodedKey, High, 2, "{k2}"}}},
	})
}

func TestDetectStaysSilent(t *testing.T) {
	none := []want(nil)
	runDetectCases(t, []detectCase{
		{"environ item", "settings.py", "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n", none},
		{"environ get without default", "settings.py", "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY')\n", none},
		{"getenv without default", "settings.py", "SECRET_KEY = os.getenv('DJANGO_SECRET_KEY')\n", none},
		{"django-environ", "settings.py", "SECRET_KEY = env('DJANGO_SECRET_KEY')\n", none},
		{"django-environ str", "settings.py", "SECRET_KEY = env.str('DJANGO_SECRET_KEY')\n", none},
		{"decouple", "settings.py", "SECRET_KEY = config(\"SECRET_KEY\")\n", none},
		{"decouple with a cast", "settings.py", "SECRET_KEY = config(\"SECRET_KEY\", cast=str)\n", none},
		{"default None", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY', None)\n", none},
		{"empty default", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY', '')\n", none},
		{"generated at import", "settings.py", "SECRET_KEY = get_random_secret_key()\n", none},
		{"read from a file", "settings.py", "SECRET_KEY = open('/run/secrets/key').read().strip()\n", none},
		{"jinja placeholder", "settings.py.j2", "SECRET_KEY = '{{ secret_key }}'\n", none},
		{"cookiecutter placeholder", "settings.py", "SECRET_KEY = \"{{ cookiecutter.secret_key }}\"\n", none},
		{"github actions secret", "ci.yml", "      DJANGO_SECRET_KEY: ${{ secrets.DJANGO_SECRET_KEY }}\n", none},
		{"shell variable", "docker-compose.yml", "      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY}\n", none},
		{"shell variable no braces", ".env", "DJANGO_SECRET_KEY=$PROD_KEY\n", none},
		{"angle placeholder", "README.md", "SECRET_KEY = '<your-key>'\n", none},
		{"empty python", "settings.py", "SECRET_KEY = ''\n", none},
		{"elided in docs", "README.md", "Set `DJANGO_SECRET_KEY='…'` or SECRET_KEY = '...' or SECRET_KEY: \"xxxx\"\n", none},
		{"elided in Python", "settings.py", "SECRET_KEY = '***'\n", none},
		{"purged by filter-repo", "settings.py", "SECRET_KEY = '***REMOVED***'\nDJANGO_SECRET_KEY=***REMOVED***\n", none},
		{"empty env", ".env", "DJANGO_SECRET_KEY=\n", none},
		{"empty dockerfile env", "Dockerfile", "ENV DJANGO_SECRET_KEY=\n", none},
		{"command substitution", "run.sh", "export DJANGO_SECRET_KEY=\"$(openssl rand -base64 48)\"\n", none},
		{"comparison", "checks.py", "if settings.SECRET_KEY == 'changeme':\n    raise\n", none},
		{"startswith", "checks.py", "if SECRET_KEY.startswith(\"django-insecure-\"):\n    pass\n", none},
		{"percent format", "gen.py", "print(\"SECRET_KEY = '%s'\" % key)\n", none},
		{"f-string", "gen.py", "line = f\"SECRET_KEY = '{key}'\"\n", none},
		{"f-string assigned", "settings.py", "SECRET_KEY = f'{PREFIX}-{SUFFIX}'\n", none},
		{"charset constant", "gen.py", "SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'\n", none},
		{"key alphabet", "gen.py", "KEY_CHARS = \"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)\"\n", none},
		{"get_random_string", "gen.py", "new_key = get_random_string(50, 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)')\n", none},
		{"another service's secret", "settings.py", "STRIPE_SECRET_KEY = 'sk_test_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789'\n", none},
		{"aws secret", "settings.py", "AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n", none},
		{"lowercase client argument", "payments.py", "client = Client(secret_key='sk_live_abcdefghijklmnopqrstuvwxyz')\n", none},
		{"yaml tag", "config.yml", "SECRET_KEY: !env DJANGO_SECRET_KEY\n", none},
		{"yaml null", "config.yml", "SECRET_KEY: null\n", none},
		{"sha256 hex", "settings.py", "FILE_HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'\n", none},
		{"uuid", "settings.py", "REQUEST_ID = '3f2b8c1e-7d4a-4b8e-9c2f-1a5e6d7c8b9a'\n", none},
		{"slug", "settings.py", "SLUG = 'this-is-a-rather-long-slug-for-a-blog-post-about-django-settings'\n", none},
		{"test name", "tests.py", "    def test_user_profile_returns_422_when_missing_token(self):\n", none},
		{"query string", "urls.py", "LINK = '/x?utm_source=news&utm_medium=email&utm_campaign=spring2023'\n", none},
		{"css custom property", "style.css", "color: var(--some-long-name-for-the-primary-color-500);\n", none},
		{"sorted run", "x.txt", "0123456789abcdefghijklmnopqrstuvwxyz!#$%&()*+-=@^_\n", none},
		{"suppressed", "settings.py", "SECRET_KEY = '{k}'  # djguard:allow\n", none},
		{"suppressed on a yaml line", "ci.yml", "  DJANGO_SECRET_KEY: django-insecure-{k} # djguard:allow\n", none},
		{"unquoted word in python", "settings.py", "SECRET_KEY = KEY_FROM_VAULT\n", none},
		{"unquoted word in markdown", "README.md", "Set SECRET_KEY = your-own-value in production.\n", none},
		{"unclosed quote", "settings.py", "SECRET_KEY = '" + strings.Repeat("a", 5000) + "\n", none},
	})
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
