package detect

import (
	"testing"
)

// TestFallbackForms: literal defaults of environment reads: os.environ.get, os.getenv, django-environ, decouple, pydantic.
func TestFallbackForms(t *testing.T) {
	runDetectCases(t, []detectCase{
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
		{"django-environ scheme", "settings.py", "env = environ.Env(\n    DEBUG=(bool, False),\n    DJANGO_SECRET_KEY=(str, '{k}'),\n)\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n", fb(3, "{k}")},
		{"pydantic Field default", "config.py", "class Settings(BaseSettings):\n    django_secret_key: str = Field(default='{k}')\n", fb(2, "{k}")},
		{"pydantic plain default", "config.py", "class Settings(BaseSettings):\n    django_secret_key: str = \"{k}\"\n", fb(2, "{k}")},
		{"project helper", "settings.py", "SECRET_KEY = getsecret('SECRET_KEY', '{k}')\n", fb(1, "{k}")},
		{"shell default", "entrypoint.sh", "export DJANGO_SECRET_KEY=\"${DJANGO_SECRET_KEY:-{k}}\"\n", fb(1, "{k}")},
		{"compose default", "docker-compose.yml", "      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:-{k}}\n", fb(1, "{k}")},
	})
}

// TestFallbackTraps: reads of the environment, a file or a generator hold no literal.
func TestFallbackTraps(t *testing.T) {
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
	})
}
