//go:build integration

package fix

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// django runs python3 -m django ARGS for the project's settings, with the
// given key in the environment (none when key is "").
func django(t *testing.T, py, root, key string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(py, append([]string{"-m", "django"}, args...)...)
	cmd.Dir = root
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DJANGO_SECRET_KEY=") {
			env = append(env, kv)
		}
	}
	env = append(env, "DJANGO_SETTINGS_MODULE=mysite.settings", "PYTHONPATH="+root)
	if key != "" {
		env = append(env, "DJANGO_SECRET_KEY="+key)
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestDjangoStartsAfterFix rewrites a startproject-style settings module
// and runs Django's own deploy check on it.
func TestDjangoStartsAfterFix(t *testing.T) {
	py := testenv.PythonWith(t, "django", "python3-django")
	k := testenv.FakeKey("django")
	settings := `"""Django settings for mysite."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = 'django-insecure-` + k + `'

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
ROOT_URLCONF = "mysite.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
`
	root := testenv.WriteTree(t, map[string]string{
		"manage.py":          "#!/usr/bin/env python\n",
		"mysite/__init__.py": "\n",
		"mysite/urls.py":     "urlpatterns = []\n",
		"mysite/settings.py": settings,
	})
	// Before the fix, Django's deploy check rejects the startproject key.
	if out, _ := django(t, py, root, "", "check", "--deploy"); !strings.Contains(out, "security.W009") {
		t.Fatalf("before the fix, the deploy check did not report W009:\n%s", out)
	}
	p, err := Make(root, detect.Detect("mysite/settings.py", []byte(settings)))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	env := read(t, root, ".env")
	key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(env), "DJANGO_SECRET_KEY='"), "'")
	if len(key) != 50 {
		t.Fatalf(".env = %q", env)
	}
	out, err := django(t, py, root, key, "check", "--deploy")
	if err != nil || strings.Contains(out, "security.W009") {
		t.Errorf("with the new key: %v\n%s", err, out)
	}
	out, err = django(t, py, root, "", "check", "--deploy")
	if err == nil || !strings.Contains(out, "DJANGO_SECRET_KEY") {
		t.Errorf("with the variable unset the check should fail naming it: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(root, ".gitignore")); err != nil {
		t.Error("no .gitignore for .env")
	}
}
