package detect

import (
	"encoding/hex"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestPythonForms: settings modules, conftest and scripts: assignments, annotations, dict entries, keyword arguments, item assignments and the fallbacks list.
func TestPythonForms(t *testing.T) {
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
		{"project-prefixed name with a Django key", "settings.py", "MYAPP_SECRET_KEY = '{k}'\n", hk(1, "{k}")},
		{"two keys on two lines", "settings.py", "SECRET_KEY = '{k}'\nSECRET_KEY_FALLBACKS = ['{k2}']\n",
			[]want{{HardcodedKey, High, 1, "{k}"}, {HardcodedKey, High, 2, "{k2}"}}},
		{"prefixed name, urlsafe key", "myproject/settings.py", "MYPROJECT_SECRET_KEY = '" + urlsafeKey + "'\n", hk(1, urlsafeKey)},
		{"prefixed django name, printable key", "config/settings/base.py", "APP_DJANGO_SECRET_KEY = \"" + printableKey + "\"\n", hk(1, printableKey)},
		{"secretkey, letters and digits", "settings.py", "secretkey = '" + alnumKey + "'\n", hk(1, alnumKey)},
		{"lowercase dict key", "mysite/settings.py", "CONFIG = {\n    \"secret_key\": \"" + urlsafeKey + "\",\n}\n", hk(2, urlsafeKey)},
		{"SECRET_KEY with an urlsafe key anywhere", "app.py", "SECRET_KEY = '" + urlsafeKey + "'\n", hk(1, urlsafeKey)},
		{"env.str positional", "settings.py", "SECRET_KEY = env.str('SECRET_KEY', '{k}')\n", fb(1, "{k}")},
		{"os.environ item assignment", "manage.py", "os.environ[\"DJANGO_SECRET_KEY\"] = \"{k}\"\n", hk(1, "{k}")},
		{"fallbacks list", "settings.py", "SECRET_KEY_FALLBACKS = ['{k}', \"{k2}\"]\n", []want{{HardcodedKey, High, 1, "{k}"}, {HardcodedKey, High, 1, "{k2}"}}},
		{"fallbacks list over lines with a safe element", "settings.py", "SECRET_KEY_FALLBACKS = [\n    os.environ['OLD'],\n    '{k}',\n]\n", hk(3, "{k}")},
		{"or fallback", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY') or '{k}'\n", fb(1, "{k}")},
		{"if else fallback", "settings.py", "SECRET_KEY = os.getenv('K') if os.getenv('K') else '{k}'\n", fb(1, "{k}")},
		{"or after a variable", "settings.py", "SECRET_KEY = FROM_VAULT or '{k}'\n", fb(1, "{k}")},
		{"weak or fallback is low", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY') or 'changeme'\n", []want{{HardcodedFallback, Low, 1, "changeme"}}},
		{"repeated literal is weak", "settings.py", "SECRET_KEY = 'x' * 50\n", []want{{WeakKey, Low, 1, strings.Repeat("x", 50)}}},
		{"repeated literal as a default", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY', 'ab' * 25)\n", []want{{HardcodedFallback, Low, 1, strings.Repeat("ab", 25)}}},
		{"pydantic lowercase field, weak", "config.py", "class S(BaseSettings):\n    secret_key: str = Field(default='changeme')\n", []want{{HardcodedFallback, Low, 2, "changeme"}}},
		{"pydantic lowercase field, random", "config.py", "class S(BaseSettings):\n    secret_key: str = Field(default='" + alnumKey[:25] + "')\n", fb(2, alnumKey[:25])},
		{"dict of defaults in settings, weak", "mysite/settings.py", "DEFAULTS = {\"secret_key\": \"a\"}\nSECRET_KEY = os.environ.get('SECRET_KEY', DEFAULTS['secret_key'])\n", []want{{WeakKey, Low, 1, "a"}}},
		{"short random key is high", "settings.py", "SECRET_KEY = '" + alnumKey[:25] + "'\n", hk(1, alnumKey[:25])},
		{"a repeated character as the default of a project's key name is a weak fallback", "mysite/settings.py", "SECRET_KEY = os.getenv('APP_SECRET_KEY', 'q' * 50)\n",
			[]want{{HardcodedFallback, Low, 1, strings.Repeat("q", 50)}}},
		{"the same outside a settings module", "app/config.py", "KEY = os.environ.get(\"MYAPP_SECRET_KEY\", \"k\" * 64)\n",
			[]want{{HardcodedFallback, Low, 1, strings.Repeat("k", 64)}}},
		{"a repeated literal with the count first is weak", "settings.py", "SECRET_KEY = 50 * 'w'\n", []want{{WeakKey, Low, 1, strings.Repeat("w", 50)}}},
		{"a single x in a dict of defaults in settings is weak", "mysite/settings.py", "DEFAULTS = {\"secret_key\": \"x\", \"debug\": True}\nSECRET_KEY = os.environ.get('SECRET_KEY', DEFAULTS['secret_key'])\n",
			[]want{{WeakKey, Low, 1, "x"}}},
		{"a dict the module sets SECRET_KEY from is weak", "myproject/conf.py", "CONFIG = {\n    'secret_key': 'dev',\n    'debug': True,\n}\nSECRET_KEY = CONFIG['secret_key']\n",
			[]want{{WeakKey, Low, 2, "dev"}}},
	})
}

// TestPythonTraps: Python that names a key without holding a literal.
func TestPythonTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"comparison", "checks.py", "if settings.SECRET_KEY == 'changeme':\n    raise\n", none},
		{"percent format", "gen.py", "print(\"SECRET_KEY = '%s'\" % key)\n", none},
		{"f-string", "gen.py", "line = f\"SECRET_KEY = '{key}'\"\n", none},
		{"f-string assigned", "settings.py", "SECRET_KEY = f'{PREFIX}-{SUFFIX}'\n", none},
		{"unquoted word in python", "settings.py", "SECRET_KEY = KEY_FROM_VAULT\n", none},
		{"unclosed quote", "settings.py", "SECRET_KEY = '" + strings.Repeat("a", 5000) + "\n", none},
		{"format method", "gen.py", "print(\"SECRET_KEY = '{}'\".format(get_random_secret_key()))\n", none},
		{"f-string with token_urlsafe", "gen.py", "line = f\"SECRET_KEY={secrets.token_urlsafe(50)}\"\n", none},
		{"comparison with double quotes", "checks.py", "if settings.SECRET_KEY == \"change-me\":\n", none},
		{"or with no literal", "settings.py", "SECRET_KEY = os.environ.get('SECRET_KEY') or get_random_secret_key()\n", none},
		{"or inside another call", "settings.py", "SECRET_KEY = read(os.environ.get('SECRET_KEY'))\nDEBUG = x or 'yes'\n", none},
		{"keyword argument of a client stays another service's", "payments/settings.py", "client = Client(secret_key='changeme')\n", none},
		{"a dict the module does not read SECRET_KEY from", "myproject/conf.py", "CONFIG = {'secret_key': 'dev'}\nSECRET_KEY = CONFIG['other']\n", none},
		{"a repeated literal under another service's name", "mysite/settings.py", "STRIPE_SECRET_KEY = os.getenv('STRIPE_SECRET_KEY', 'x' * 32)\n", none},
		{"a product of numbers", "settings.py", "SECRET_KEY = 5 * 5\n", none},
	})
}

// pySpelling is one way of writing the key k in Python: src(k) is a
// module, and expr is what holds the key once Python has run it.
type pySpelling struct {
	name  string
	path  string
	src   func(k string) string
	expr  string // "SECRET_KEY" when empty
	class Class
}

// pySpellings write a key in ways Python reads as the key itself: split
// over lines, joined, escaped, prefixed.
var pySpellings = []pySpelling{
	{name: "a backslash at a line end inside the literal", src: func(k string) string { return "SECRET_KEY = '" + k[:25] + "\\\n" + k[25:] + "'\n" }},
	{name: "the same in a CRLF file", src: func(k string) string { return "DEBUG = 0\r\nSECRET_KEY = '" + k[:25] + "\\\r\n" + k[25:] + "'\r\n" }},
	{name: "a backslash line end in double quotes", src: func(k string) string {
		return "SECRET_KEY = \"" + k[:10] + "\\\n" + k[10:40] + "\\\n" + k[40:] + "\"\n"
	}},
	{name: "a backslash line end in triple quotes", src: func(k string) string { return "SECRET_KEY = '''" + k[:25] + "\\\n" + k[25:] + "'''\n" }},
	{name: "continued lines of adjacent literals", src: func(k string) string { return "SECRET_KEY = \\\n  '" + k[:25] + "' \\\n  '" + k[25:] + "'\n" }},
	{name: "continued lines in a CRLF file", src: func(k string) string { return "SECRET_KEY = \\\r\n  '" + k[:25] + "' \\\r\n  '" + k[25:] + "'\r\n" }},
	{name: "two literals added", src: func(k string) string { return "SECRET_KEY = '" + k[:25] + "' + '" + k[25:] + "'\n" }},
	{name: "three literals added over lines in parentheses", src: func(k string) string {
		return "SECRET_KEY = (\n    '" + k[:10] + "'\n    + '" + k[10:30] + "' +\n    \"" + k[30:] + "\"\n)\n"
	}},
	{name: "adjacent literals in parentheses with comments", src: func(k string) string {
		return "SECRET_KEY = (  # split for line length\n    '" + k[:25] + "'  # first half\n    # and the rest:\n    '" + k[25:] + "'\n)\n"
	}},
	{name: "adjacent literals added to a third", src: func(k string) string { return "SECRET_KEY = '" + k[:10] + "' '" + k[10:20] + "' + '" + k[20:] + "'\n" }},
	{name: "a hex escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = '\\x%02x%s'\n", k[0], k[1:]) }},
	{name: "an octal escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = '%s\\%o'\n", k[:49], k[49]) }},
	{name: "a \\u escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = \"%s\\u%04x%s\"\n", k[:20], k[20], k[21:]) }},
	{name: "a \\U escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = '%s\\U%08x'\n", k[:49], k[49]) }},
	{name: "a bytes literal with a hex escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = b'\\x%02x%s'\n", k[0], k[1:]) }},
	{name: "u prefix with an escape", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = U'\\x%02x%s'\n", k[0], k[1:]) }},
	{name: "rb prefix", src: func(k string) string { return "SECRET_KEY = rb'" + k + "'\n" }},
	{name: "Br prefix", src: func(k string) string { return "SECRET_KEY = Br\"" + k + "\"\n" }},
	{name: "f prefix with no field", src: func(k string) string { return "SECRET_KEY = f'" + k + "'\n" }},
	{name: "Rf prefix with no field", src: func(k string) string { return "SECRET_KEY = Rf'" + k + "'\n" }},
	{name: "a raw literal joined to an escaped one", src: func(k string) string { return fmt.Sprintf("SECRET_KEY = r'%s' '\\x%02x'\n", k[:49], k[49]) }},
	{name: "a keyword argument split over lines", path: "tests/conftest.py", src: func(k string) string {
		return "settings.configure(\n    DEBUG=True,\n    SECRET_KEY='" + k[:25] + "'\n    '" + k[25:] + "',\n)\n"
	}},
	{name: "an attribute docstring after the key is no part of it", src: func(k string) string { return "SECRET_KEY = '" + k + "'\n\"\"\"The signing key.\"\"\"\n" }},
	{name: "a fallback split over lines", expr: "SECRET_KEY_FALLBACKS[0]", src: func(k string) string {
		return "SECRET_KEY_FALLBACKS = [\n    '" + k[:25] + "'\n    '" + k[25:] + "',\n]\n"
	}},
	{name: "a dict entry of added literals", path: "legacy.py", expr: "CONF['SECRET_KEY']", src: func(k string) string {
		return "CONF = {'SECRET_KEY': '" + k[:25] + "' + '" + k[25:] + "'}\n"
	}},
	{name: "a default of added literals", expr: "SECRET_KEY", class: HardcodedFallback, src: func(k string) string {
		return "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '" + k[:25] + "' + '" + k[25:] + "')\n"
	}},
}

// TestPythonSpellingsReportTheValuePythonSees: however the key is
// spelled, the finding's secret, and so its fingerprint, is the string
// Python makes of it.
func TestPythonSpellingsReportTheValuePythonSees(t *testing.T) {
	k := fakeKey("spelled")
	for _, tc := range pySpellings {
		t.Run(tc.name, func(t *testing.T) {
			path, class := tc.path, tc.class
			if path == "" {
				path = "settings.py"
			}
			if class == "" {
				class = HardcodedKey
			}
			got := Detect(path, []byte(tc.src(k)))
			if len(got) != 1 || got[0].Secret != k || got[0].Class != class || got[0].Severity != High {
				t.Fatalf("got:\n%swant one %s finding of the key", describe(got), class)
			}
			if got[0].Fingerprint != Fingerprint(k) {
				t.Errorf("fingerprint %s, want the key's %s", got[0].Fingerprint, Fingerprint(k))
			}
		})
	}
}

// TestPythonSpellingsAreTheKeyToPython checks pySpellings themselves:
// python3 runs each module and finds the key where expr says.
func TestPythonSpellingsAreTheKeyToPython(t *testing.T) {
	py := testenv.Tool(t, "python3")
	k := fakeKey("spelled")
	// A stand-in for django.conf.settings whose configure sets globals.
	const stub = "class _Settings:\n    def configure(self, **kw):\n        globals().update(kw)\nsettings = _Settings()\n"
	for _, tc := range pySpellings {
		t.Run(tc.name, func(t *testing.T) {
			expr := tc.expr
			if expr == "" {
				expr = "SECRET_KEY"
			}
			prog := "import sys\nns = {'__name__': 'settings'}\nexec(compile(sys.stdin.buffer.read(), 'settings.py', 'exec'), ns)\n" +
				"v = eval(" + strconv.Quote(expr) + ", ns)\nsys.stdout.write((v if isinstance(v, bytes) else v.encode()).hex())\n"
			cmd := exec.Command(py, "-c", prog)
			cmd.Stdin = strings.NewReader(stub + tc.src(k))
			cmd.Env = []string{"PATH=/usr/bin:/bin"} // no DJANGO_SECRET_KEY
			out, err := cmd.CombinedOutput()
			if err != nil || string(out) != hex.EncodeToString([]byte(k)) {
				t.Errorf("python3 does not read the key from this spelling: %v\n%s", err, strings.ReplaceAll(string(out), k, "<KEY>"))
			}
		})
	}
}
