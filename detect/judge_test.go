package detect

import (
	"strings"
	"testing"
)

// TestJudgeForms: weak keys, placeholders and words are low.
func TestJudgeForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"weak key", "mysite/settings/ci.py", "SECRET_KEY = 'changeme'\n",
			[]want{{WeakKey, Low, 1, "changeme"}}},
		{"weak key of one repeated character", "settings.py", "SECRET_KEY = '" + strings.Repeat("a", 60) + "'\n",
			[]want{{WeakKey, Low, 1, strings.Repeat("a", 60)}}},
		{"long passphrase of words is low", "settings.py", "SECRET_KEY = 'correct horse battery staple and a great many more words'\n",
			[]want{{HardcodedKey, Low, 1, "correct horse battery staple and a great many more words"}}},
		{"long placeholder key is low", "settings.py", "SECRET_KEY = 'please-change-this-to-a-long-random-string-before-deploying'\n",
			[]want{{HardcodedKey, Low, 1, "please-change-this-to-a-long-random-string-before-deploying"}}},
		{"49 characters of Django's alphabet", "settings.py", "SECRET_KEY = '" + fakeKey("k")[:49] + "'\n", hk(1, fakeKey("k")[:49])},
		{"48 characters of Django's alphabet", ".env", "DJANGO_SECRET_KEY=" + fakeKey("k")[:48] + "\n", hk(1, fakeKey("k")[:48])},
		{"40 hex digits (token_hex(20))", "settings.py", "SECRET_KEY = '" + hexKey + "'\n", hk(1, hexKey)},
		{"44 characters of base64", "settings.py", "SECRET_KEY = '" + b64Key + "'\n", hk(1, b64Key)},
		{"25 random letters and digits", "settings.py", "SECRET_KEY = '" + alnumKey[:25] + "'\n", hk(1, alnumKey[:25])},
		{"a keyboard walk is low", "settings.py", "SECRET_KEY = 'asdfghjkl;qwertyuiop'\n", []want{{WeakKey, Low, 1, "asdfghjkl;qwertyuiop"}}},
		{"a typed password naming the secret is low", "settings.py", "SECRET_KEY = 'Sup3rS3cr3tK3y!2023'\n", []want{{WeakKey, Low, 1, "Sup3rS3cr3tK3y!2023"}}},
		{"hyphen-joined words are low", "settings.py", "SECRET_KEY = 'my-super-secret-key-for-development'\n", []want{{WeakKey, Low, 1, "my-super-secret-key-for-development"}}},
		{"a placeholder shouted between marks in a test is low", "tests/test_signing.py", "settings.configure(SECRET_KEY='!!!SET TESTING_KEY!!!')\n",
			[]want{{WeakKey, Low, 1, "!!!SET TESTING_KEY!!!"}}},
		{"a placeholder shouted in docs is low", "docs/install.md", "```python\nSECRET_KEY = '!!!SET PROD_KEY!!!'\n```\n",
			[]want{{WeakKey, Low, 2, "!!!SET PROD_KEY!!!"}}},
		{"a shouted placeholder in a sample env file is low", ".env.example", "DJANGO_SECRET_KEY=!!! SET A KEY OF YOUR OWN !!!\n",
			[]want{{WeakKey, Low, 1, "!!! SET A KEY OF YOUR OWN !!!"}}},
		{"a placeholder shouted between other marks is low", ".env.example", "DJANGO_SECRET_KEY=##CHANGE_ME_BEFORE_DEPLOY##\n",
			[]want{{WeakKey, Low, 1, "##CHANGE_ME_BEFORE_DEPLOY##"}}},
		{"a home-row mash in a sample env file is low", ".env.sample", "DJANGO_SECRET_KEY=hdjskalfhdjska7@#lfjdkshgalsk\n",
			[]want{{WeakKey, Low, 1, "hdjskalfhdjska7@#lfjdkshgalsk"}}},
		{"a long home-row mash in a local env file is low", ".env.local", "SECRET_KEY=jfkdlsajfkdlsa;fjdkalsfjdksla3fjkdsalfjkdlsajfdklsajfdklahgf\n",
			[]want{{HardcodedKey, Low, 1, "jfkdlsajfkdlsa;fjdkalsfjdksla3fjkdsalfjkdlsajfdklsajfdklahgf"}}},
		{"a home-row mash in a Dockerfile ENV is low", "Dockerfile", "FROM python:3.12\nENV SECRET_KEY=lkajsdflkjasdhfkljashdf89asdkfjh\n",
			[]want{{WeakKey, Low, 2, "lkajsdflkjasdhfkljashdf89asdkfjh"}}},
		{"a home-row mash in settings is low", "mysite/settings.py", "SECRET_KEY = 'fjdkslaFJDKSLA#fjdksla@jfkdlsa'\n",
			[]want{{WeakKey, Low, 1, "fjdkslaFJDKSLA#fjdksla@jfkdlsa"}}},
		{"64 characters of pwgen in settings are high", "mysite/settings.py", "SECRET_KEY = '" + pwgenKey + "'\n", hk(1, pwgenKey)},
		{"pwgen under a project's key name in settings is high", "mysite/settings.py", "MYSITE_SECRET_KEY = '" + pwgenKey + "'\n", hk(1, pwgenKey)},
	})
}

// TestJudgeTraps: templates, placeholders, sentinels and other services' secrets are not Django keys.
func TestJudgeTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"jinja placeholder", "settings.py.j2", "SECRET_KEY = '{{ secret_key }}'\n", none},
		{"cookiecutter placeholder", "settings.py", "SECRET_KEY = \"{{ cookiecutter.secret_key }}\"\n", none},
		{"empty python", "settings.py", "SECRET_KEY = ''\n", none},
		{"elided in Python", "settings.py", "SECRET_KEY = '***'\n", none},
		{"purged by filter-repo", "settings.py", "SECRET_KEY = '***REMOVED***'\nDJANGO_SECRET_KEY=***REMOVED***\n", none},
		{"another service's secret", "settings.py", "STRIPE_SECRET_KEY = 'sk_test_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789'\n", none},
		{"aws secret", "settings.py", "AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n", none},
		{"lowercase client argument", "payments.py", "client = Client(secret_key='sk_live_abcdefghijklmnopqrstuvwxyz')\n", none},
		{"stripe client", "payments/settings.py", "STRIPE_SECRET_KEY = '" + urlsafeKey + "'\nclient = StripeClient(secret_key='" + urlsafeKey + "')\n", none},
		{"market data client", "feeds.py", "api = Client(api_key='ABCDEF', secret_key='" + alnumKey + "')\n", none},
		{"fernet key", "settings.py", "FERNET_KEYS = [b'7B6hXj3Rq2vZ9mW1pL8sT4yN0cF5dG2kJ6eA3uI9oQ4=']\n", none},
		{"dunder placeholder", "settings.py.tpl", "SECRET_KEY = '__SECRETKEY__'\n", none},
		{"percent placeholder", "settings.py", "SECRET_KEY = '%(secret_key)r'\n", none},
		{"long sentence under a prefixed name", "settings.py", "MYAPP_SECRET_KEY = 'please set this to something long and random in production'\n", none},
		{"url under a prefixed name", "settings.py", "MYAPP_SECRET_KEY = 'https://vault.example.com/v1/secret/data/myapp/django/key'\n", none},
		{"a Stripe key under SECRET_KEY", ".env", "SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc\n", none},
		{"an ERB template", "settings.py.erb", "SECRET_KEY = '<%= ENV[\"SECRET_KEY\"] %>'\n", none},
	})
}

// TestJudgeLowOnly: sentinels and deny-lists in tests may be reported, but
// never high.
func TestJudgeLowOnly(t *testing.T) {
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
