package detect

import (
	"strings"
	"testing"
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
	})
}
