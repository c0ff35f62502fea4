package detect

import (
	"testing"
)

// TestInsecureForms: django-insecure- keys with and without a name; a placeholder rest is low.
func TestInsecureForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"startproject key", "mysite/settings.py", "# SECURITY WARNING: keep the secret key used in production secret!\nSECRET_KEY = 'django-insecure-{k}'\n",
			[]want{{InsecureKey, High, 2, "django-insecure-{k}"}}},
		{"insecure key with no context", "notes.txt", "try django-insecure-{k} locally\n",
			[]want{{InsecureKey, High, 1, "django-insecure-{k}"}}},
		{"insecure placeholder is low", "README.md", "SECRET_KEY = 'django-insecure-xxxx'\n",
			[]want{{InsecureKey, Low, 1, "django-insecure-xxxx"}}},
		{"two insecure keys in one run", "notes.txt", "django-insecure-{k}django-insecure-{k2}\n",
			[]want{{InsecureKey, High, 1, "django-insecure-{k}"}, {InsecureKey, High, 1, "django-insecure-{k2}"}}},
	})
}

// TestInsecureTraps: code that checks for the prefix holds no key.
func TestInsecureTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"startswith", "checks.py", "if SECRET_KEY.startswith(\"django-insecure-\"):\n    pass\n", none},
	})
}
