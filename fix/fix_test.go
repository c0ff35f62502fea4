package fix

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/keygen"
)

// project writes files and returns the root and the findings in them.
func project(t *testing.T, files map[string]string) (string, []detect.Finding) {
	t.Helper()
	root := testenv.WriteTree(t, files)
	var findings []detect.Finding
	for name, content := range files {
		findings = append(findings, detect.Detect(name, []byte(content))...)
	}
	return root, findings
}

// fixed runs fix on a project of one settings module and returns the
// project's root and the module as fix left it.
func fixed(t *testing.T, settings string) (root, got string) {
	t.Helper()
	root, findings := project(t, map[string]string{"settings.py": settings})
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	return root, read(t, root, "settings.py")
}

func newKey(t *testing.T) func() (string, error) {
	return func() (string, error) { return keygen.Generate(testenv.Rand(t.Name()), keygen.Length) }
}

func read(t *testing.T, root, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFixPlainSettingsModule(t *testing.T) {
	k := testenv.FakeKey("plain")
	settings := "\"\"\"Settings for mysite.\"\"\"\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\n# keep it secret\nSECRET_KEY = 'django-insecure-" + k + "'  # from startproject\nDEBUG = False\n"
	root, findings := project(t, map[string]string{"manage.py": "import os\n", "mysite/settings.py": settings})
	os.Chmod(filepath.Join(root, "mysite/settings.py"), 0o640)
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	var diff bytes.Buffer
	if err := writeDiff(&diff, p, func(s string) string { return "<redacted>" }); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(diff.String(), k) {
		t.Error("the dry run prints the leaked key")
	}
	for _, want := range []string{
		"--- a/mysite/settings.py", "+import os\n", "-SECRET_KEY = '<redacted>'  # from startproject\n",
		"+SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]  # from startproject\n",
		"+++ b/.env", "+DJANGO_SECRET_KEY='<a new key, made by --write>'", "+.env\n",
	} {
		if !strings.Contains(diff.String(), want) {
			t.Errorf("the dry run lacks %q:\n%s", want, diff.String())
		}
	}
	if read(t, root, "mysite/settings.py") != settings {
		t.Fatal("the dry run changed the file")
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	want := "\"\"\"Settings for mysite.\"\"\"\nimport os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent\n# keep it secret\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]  # from startproject\nDEBUG = False\n"
	if got := read(t, root, "mysite/settings.py"); got != want {
		t.Errorf("settings after fix:\n%s\nwant:\n%s", got, want)
	}
	if info, _ := os.Stat(filepath.Join(root, "mysite/settings.py")); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	env := read(t, root, ".env")
	info, _ := os.Stat(filepath.Join(root, ".env"))
	newKey, _ := newKey(t)()
	if env != "DJANGO_SECRET_KEY='"+newKey+"'\n" || info.Mode().Perm() != 0o600 {
		t.Errorf(".env = %q, mode %v", env, info.Mode().Perm())
	}
	if gi := read(t, root, ".gitignore"); !strings.HasSuffix(gi, "\n.env\n.env.djguard-tmp-*\n") {
		t.Errorf(".gitignore = %q", gi)
	}
	if fs := detect.Detect("mysite/settings.py", []byte(read(t, root, "mysite/settings.py"))); len(fs) != 0 {
		t.Errorf("the fixed module still holds %d findings", len(fs))
	}
}

func TestFixKeepsCRLFAndTouchesOnlyTheLiteralAndTheImport(t *testing.T) {
	k := testenv.FakeKey("crlf")
	before := "import sys\r\n\r\nSECRET_KEY = (\r\n    '" + k + "'\r\n)\r\nX = 1\r\n"
	_, got := fixed(t, before)
	want := "import os\r\nimport sys\r\n\r\nSECRET_KEY = (\r\n    os.environ[\"DJANGO_SECRET_KEY\"]\r\n)\r\nX = 1\r\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		t.Error("a bare LF crept into a CRLF file")
	}
}

func TestFixKeepsDjangoEnvironAndDecoupleStyles(t *testing.T) {
	k1, k2 := testenv.FakeKey("environ"), testenv.FakeKey("decouple")
	for _, tc := range []struct {
		name, before, want string
	}{
		{"django-environ", "import environ\n\nenv = environ.Env(DEBUG=(bool, False))\nSECRET_KEY = '" + k1 + "'\n",
			"import environ\n\nenv = environ.Env(DEBUG=(bool, False))\nSECRET_KEY = env(\"DJANGO_SECRET_KEY\")\n"},
		{"django-environ default", "import environ\n\nenv = environ.Env()\nSECRET_KEY = env(\"DJANGO_SECRET_KEY\", default=\"" + k1 + "\")\n",
			"import environ\n\nenv = environ.Env()\nSECRET_KEY = env(\"DJANGO_SECRET_KEY\")\n"},
		{"decouple", "from decouple import config, Csv\n\nSECRET_KEY = '" + k2 + "'\n",
			"from decouple import config, Csv\n\nSECRET_KEY = config(\"DJANGO_SECRET_KEY\")\n"},
		{"decouple default over lines", "from decouple import config\n\nSECRET_KEY = config(\n    'SECRET_KEY',\n    default='" + k2 + "',\n)\n",
			"from decouple import config\n\nSECRET_KEY = config(\n    'SECRET_KEY',\n)\n"},
		{"os.environ.get default", "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '" + k2 + "')\n",
			"import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY')\n"},
	} {
		if _, got := fixed(t, tc.before); got != tc.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, tc.want)
		}
	}
}

func TestFixRefusesAFileThatChangedAndWritesNothing(t *testing.T) {
	k := testenv.FakeKey("race")
	root, findings := project(t, map[string]string{"settings.py": "SECRET_KEY = '" + k + "'\n"})
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	edited := "SECRET_KEY = '" + k + "'\nDEBUG = True  # edited meanwhile\n"
	os.WriteFile(filepath.Join(root, "settings.py"), []byte(edited), 0o644)
	if err := p.Apply(newKey(t)); !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want ErrChanged", err)
	}
	if read(t, root, "settings.py") != edited {
		t.Error("the edited file was overwritten")
	}
	if _, err := os.Stat(filepath.Join(root, ".env")); err == nil {
		t.Error(".env was written although the fix was refused")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(root, ".*djguard-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestFixNeverOverwritesAnExistingVariableOrIgnoresTwice(t *testing.T) {
	k := testenv.FakeKey("existing")
	root, findings := project(t, map[string]string{
		"settings.py": "SECRET_KEY = '" + k + "'\n",
		".env":        "DEBUG=1\nexport DJANGO_SECRET_KEY='keep-me'",
		".gitignore":  "*.pyc\n.env\n",
	})
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	if p.Env != nil || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "already sets DJANGO_SECRET_KEY") {
		t.Errorf("env %v, notes %v", p.Env, p.Notes)
	}
	for _, e := range p.Edits {
		if strings.HasSuffix(e.Name, ".gitignore") {
			t.Error("planned to ignore .env again")
		}
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	if read(t, root, ".env") != "DEBUG=1\nexport DJANGO_SECRET_KEY='keep-me'" {
		t.Error(".env was changed")
	}
}

func TestFixAppendsToAnExistingEnvFile(t *testing.T) {
	k := testenv.FakeKey("append")
	root, findings := project(t, map[string]string{"settings.py": "SECRET_KEY = '" + k + "'\n", ".env": "DEBUG=1"})
	os.Chmod(filepath.Join(root, ".env"), 0o640)
	p, _ := Make(root, findings)
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	env := read(t, root, ".env")
	info, _ := os.Stat(filepath.Join(root, ".env"))
	if !strings.HasPrefix(env, "DEBUG=1\nDJANGO_SECRET_KEY='") || info.Mode().Perm() != 0o640 {
		t.Errorf(".env = %q, mode %v", env, info.Mode().Perm())
	}
}

func TestFixLeavesOtherFilesToTheUser(t *testing.T) {
	k := testenv.FakeKey("manual")
	root, findings := project(t, map[string]string{
		"docker-compose.yml": "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"" + k + "\"\n",
		"k8s/secret.yaml":    "stringData:\n  SECRET_KEY: " + k + "\n",
		"tests/conftest.py":  "settings.configure(SECRET_KEY='" + k + "')\n",
		"Dockerfile":         "ENV DJANGO_SECRET_KEY=" + k + "\n",
	})
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Edits) != 0 || p.Env != nil || len(p.Manual) != 4 {
		t.Fatalf("%d edits, env %v, %d manual", len(p.Edits), p.Env, len(p.Manual))
	}
	for _, m := range p.Manual {
		if m.Do == "" || strings.Contains(m.Do, k) {
			t.Errorf("%s: advice %q", m.Finding.Path, m.Do)
		}
	}
}

// FuzzPlanLiteral feeds the fix planner settings modules of any shape: it
// must not panic, nor must the advice for what it leaves, and every cut
// it plans must lie inside the file and cover the literal it replaces.
func FuzzPlanLiteral(f *testing.F) {
	k := testenv.FakeKey("fuzz")
	for _, s := range []string{
		"SECRET_KEY = '" + k + "'\n",
		"SECRET_KEY = (\n  '" + k + "'\n)\n",
		"SECRET_KEY: str = r\"" + k + "\"\n",
		"SECRET_KEY = os.environ.get('K', default = '" + k + "')\n",
		"x = f('" + k + "')\nSECRET_KEY='" + k + "'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		for _, finding := range detect.Detect("settings.py", content) {
			pyAdvice(content, finding)
			for _, st := range []style{{reader: readOSEnviron}, {reader: readEnviron, call: "env"}} {
				c, _, ok := planLiteral(content, finding, st)
				if !ok {
					continue
				}
				if c.start < 0 || c.end > len(content) || c.start > finding.Start || c.end < finding.End {
					t.Fatalf("cut %d:%d does not cover the literal %d:%d", c.start, c.end, finding.Start, finding.End)
				}
			}
		}
		c := importCut(content)
		applyCuts(content, []cut{c})
	})
}

// TestFixDroppingADefaultStillWritesAKey: when fix only drops a literal
// default, the variable that call reads gets a fresh key in .env, or the
// rewritten settings would fail where the default used to run.
func TestFixDroppingADefaultStillWritesAKey(t *testing.T) {
	k := testenv.FakeKey("default only")
	for _, tc := range []struct{ name, settings, variable string }{
		{"os.environ.get", "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '" + k + "')\n", "DJANGO_SECRET_KEY"},
		{"django-environ", "import environ\nenv = environ.Env()\nSECRET_KEY = env(\"SECRET_KEY\", default=\"" + k + "\")\n", "SECRET_KEY"},
		{"decouple over lines", "from decouple import config\nSECRET_KEY = config(\n    'MYSITE_KEY',\n    default='" + k + "',\n)\n", "MYSITE_KEY"},
	} {
		root, findings := project(t, map[string]string{"manage.py": "\n", "mysite/settings.py": tc.settings})
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Apply(newKey(t)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(root, ".env"))
		if err != nil {
			t.Errorf("%s: no .env: %v", tc.name, err)
			continue
		}
		env := string(b)
		if !strings.HasPrefix(env, tc.variable+"='") || len(env) != len(tc.variable)+keygen.Length+4 || strings.Contains(env, k) {
			t.Errorf("%s: .env holds no fresh key for %s (%d bytes)", tc.name, tc.variable, len(env))
		}
		if gi := read(t, root, ".gitignore"); !strings.Contains(gi, ".env\n") {
			t.Errorf("%s: .gitignore = %q", tc.name, gi)
		}
	}
}
