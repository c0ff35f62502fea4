package detect

import (
	"encoding/base64"
	"strings"
	"testing"
)

// Keys made by other generators, as real projects have them.
var (
	urlsafeKey   = "Xq3vR7kP_2mN9wL-8hT4yB6cF1dG5sJ0aZ-uE7iO3pQ_tY9rW2xV5"         // secrets.token_urlsafe(40)
	printableKey = "k7#Lq2 v`Rz9!mW4$pX8&nT1^sB6*yC3(dF5)gH0-jK+=:;<>?/.,|~}{][aE" // 62 printable characters
	alnumKey     = "a8F3kQ9zL2mX7pR4tV6wB1yN5cD0gH3jK8sU2eI7oP4qW9rT6u"            // letters and digits
	b64Insecure  = base64.StdEncoding.EncodeToString([]byte("django-insecure-" + fakeKey("b64")))
)

func TestDetectBreadthForms(t *testing.T) {
	hk := func(line int, v string) []want { return []want{{HardcodedKey, High, line, v}} }
	fb := func(line int, v string) []want { return []want{{HardcodedFallback, High, line, v}} }
	runDetectCases(t, []detectCase{
		// Project-prefixed names and lowercase keys in settings modules, any alphabet.
		{"prefixed name, urlsafe key", "myproject/settings.py", "MYPROJECT_SECRET_KEY = '" + urlsafeKey + "'\n", hk(1, urlsafeKey)},
		{"prefixed django name, printable key", "config/settings/base.py", "APP_DJANGO_SECRET_KEY = \"" + printableKey + "\"\n", hk(1, printableKey)},
		{"secretkey, letters and digits", "settings.py", "secretkey = '" + alnumKey + "'\n", hk(1, alnumKey)},
		{"lowercase dict key", "mysite/settings.py", "CONFIG = {\n    \"secret_key\": \"" + urlsafeKey + "\",\n}\n", hk(2, urlsafeKey)},
		{"SECRET_KEY with an urlsafe key anywhere", "app.py", "SECRET_KEY = '" + urlsafeKey + "'\n", hk(1, urlsafeKey)},
		// Fallbacks in every shape.
		{"django-environ scheme", "settings.py", "env = environ.Env(\n    DEBUG=(bool, False),\n    DJANGO_SECRET_KEY=(str, '{k}'),\n)\nSECRET_KEY = env('DJANGO_SECRET_KEY')\n", fb(3, "{k}")},
		{"env.str positional", "settings.py", "SECRET_KEY = env.str('SECRET_KEY', '{k}')\n", fb(1, "{k}")},
		{"pydantic Field default", "config.py", "class Settings(BaseSettings):\n    django_secret_key: str = Field(default='{k}')\n", fb(2, "{k}")},
		{"pydantic plain default", "config.py", "class Settings(BaseSettings):\n    django_secret_key: str = \"{k}\"\n", fb(2, "{k}")},
		{"project helper", "settings.py", "SECRET_KEY = getsecret('SECRET_KEY', '{k}')\n", fb(1, "{k}")},
		{"shell default", "entrypoint.sh", "export DJANGO_SECRET_KEY=\"${DJANGO_SECRET_KEY:-{k}}\"\n", fb(1, "{k}")},
		{"compose default", "docker-compose.yml", "      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY:-{k}}\n", fb(1, "{k}")},
		// Shell and container forms.
		{"several ENV variables", "Dockerfile", "ENV DEBUG=0 DJANGO_SECRET_KEY={k} PORT=8000\n", hk(1, "{k}")},
		{"continued ENV", "Dockerfile", "ENV DEBUG=0 \\\n    DJANGO_SECRET_KEY={k} \\\n    PORT=8000\n", hk(2, "{k}")},
		{"RUN echo into .env", "Dockerfile", "RUN echo \"SECRET_KEY={k}\" > .env\n", hk(1, "{k}")},
		{"inline variable", "Makefile.sh", "SECRET_KEY={k} ./manage.py runserver\n", hk(1, "{k}")},
		{"inline variable in docs", "README.md", "    DJANGO_SECRET_KEY={k} python manage.py check --deploy\n", hk(1, "{k}")},
		// Encodings.
		{"kubernetes data base64", "k8s/secret.yaml", "kind: Secret\ndata:\n  DJANGO_SECRET_KEY: " + base64.StdEncoding.EncodeToString([]byte(fakeKey("k"))) + "\n", hk(3, "{k}")},
		{"base64 insecure key anywhere", "values.txt", "blob " + b64Insecure + " end\n", []want{{InsecureKey, High, 1, "django-insecure-" + fakeKey("b64")}}},
		{"compose dollar escape", "docker-compose.yml", "      DJANGO_SECRET_KEY: \"" + strings.ReplaceAll(fakeKey("k"), "$", "$$") + "\"\n", hk(1, "{k}")},
		{"extra quotes", ".env", "DJANGO_SECRET_KEY=\"'{k}'\"\n", hk(1, "{k}")},
		{"kubernetes env name and value", "deploy.yaml", "        env:\n          - name: DJANGO_SECRET_KEY\n            value: \"{k}\"\n", hk(3, "{k}")},
		// Docs, other languages, merge conflicts.
		{"key in a Markdown code block", "docs/setup.md", "```python\nSECRET_KEY = '{k}'\n```\n", hk(2, "{k}")},
		{"key in reStructuredText", "docs/deploy.rst", ".. code-block:: bash\n\n   export DJANGO_SECRET_KEY='{k}'\n", hk(3, "{k}")},
		{"JavaScript test string", "frontend/api.test.js", "const SECRET_KEY = \"{k}\";\n", hk(1, "{k}")},
		{"Go camel case", "tools/main.go", "var secretKey = \"{k}\"\n", hk(1, "{k}")},
		{"merge conflict", "settings.py", "<<<<<<< HEAD\nSECRET_KEY = '{k}'\n=======\nSECRET_KEY = '{k2}'\n>>>>>>> feature\n", []want{{HardcodedKey, High, 2, "{k}"}, {HardcodedKey, High, 4, "{k2}"}}},
	})
}

func TestDetectBreadthTraps(t *testing.T) {
	none := []want(nil)
	runDetectCases(t, []detectCase{
		{"format method", "gen.py", "print(\"SECRET_KEY = '{}'\".format(get_random_secret_key()))\n", none},
		{"f-string with token_urlsafe", "gen.py", "line = f\"SECRET_KEY={secrets.token_urlsafe(50)}\"\n", none},
		{"openssl in shell", "setup.sh", "export DJANGO_SECRET_KEY=$(openssl rand -base64 48)\n", none},
		{"urandom in shell", "setup.sh", "DJANGO_SECRET_KEY=\"$(cat /dev/urandom | tr -dc 'a-z0-9' | head -c 50)\"\n", none},
		{"charset constant", "settings.py", "SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'\n", none},
		{"comparison", "checks.py", "if settings.SECRET_KEY == \"change-me\":\n", none},
		{"stripe client", "payments/settings.py", "STRIPE_SECRET_KEY = '" + urlsafeKey + "'\nclient = StripeClient(secret_key='" + urlsafeKey + "')\n", none},
		{"market data client", "feeds.py", "api = Client(api_key='ABCDEF', secret_key='" + alnumKey + "')\n", none},
		{"fernet key", "settings.py", "FERNET_KEYS = [b'7B6hXj3Rq2vZ9mW1pL8sT4yN0cF5dG2kJ6eA3uI9oQ4=']\n", none},
		{"nix public key", "flake.nix", "trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=\n", none},
		{"argon2 hash", "fixtures.json", "{\"password\": \"argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$Ym9ndXNoYXNodmFsdWVmb3J0ZXN0aW5n\"}\n", none},
		{"dunder placeholder", "settings.py.tpl", "SECRET_KEY = '__SECRETKEY__'\n", none},
		{"percent placeholder", "settings.py", "SECRET_KEY = '%(secret_key)r'\n", none},
		{"helm secretKeyRef", "templates/deployment.yaml", "        - name: DJANGO_SECRET_KEY\n          valueFrom:\n            secretKeyRef:\n              name: {{ .Release.Name }}\n              key: DJANGO_SECRET_KEY\n", none},
		{"empty ENV", "Dockerfile", "ENV DJANGO_SECRET_KEY=\n", none},
		{"empty python", "settings.py", "SECRET_KEY = ''\n", none},
		{"long sentence under a prefixed name", "settings.py", "MYAPP_SECRET_KEY = 'please set this to something long and random in production'\n", none},
		{"url under a prefixed name", "settings.py", "MYAPP_SECRET_KEY = 'https://vault.example.com/v1/secret/data/myapp/django/key'\n", none},
	})
}

func TestDetectBreadthLowOnly(t *testing.T) {
	k := fakeKey("denylist")
	for name, src := range map[string]string{
		"sentinel":              "SECRET_KEY = '!!!SET DJANGO_SECRET_KEY!!!'\n",
		"deny-list in a test":   "KNOWN_BAD_KEYS = [\n    'django-insecure-" + k + "',\n    'changeme',\n]\n",
		"bare key in test data": "LEAKED = ['" + k + "']\n",
	} {
		path := "settings.py"
		if name != "sentinel" {
			path = "tests/test_security.py"
		}
		for _, f := range Detect(path, []byte(src)) {
			if f.Severity != Low {
				t.Errorf("%s: %s is %s, want at most low", name, f.Class, f.Severity)
			}
		}
	}
}
