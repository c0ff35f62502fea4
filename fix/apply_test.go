package fix

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/keygen"
)

var errInjected = errors.New("injected failure")

const siteSettings = "mysite/settings.py"

// site makes a startproject-shaped tree whose settings hold a key, and
// plans its fix.
func site(t *testing.T, extra map[string]string) (string, *Plan) {
	t.Helper()
	files := map[string]string{
		"manage.py":  "#!/usr/bin/env python\n",
		siteSettings: "import os\n\nSECRET_KEY = '" + testenv.FakeKey("site") + "'\n",
	}
	for name, content := range extra {
		files[name] = content
	}
	root, findings := project(t, files)
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	return root, p
}

// failOn makes the plan fail just before it renames the file named name
// into place.
func failOn(p *Plan, name string) {
	p.beforeRename = func(e *Edit, tmp string) error {
		if e.Name == name {
			return errInjected
		}
		return nil
	}
}

var envKeyLine = regexp.MustCompile(`(?m)^DJANGO_SECRET_KEY='[^'\n]{50}'$`)

// noTemporaryFiles fails when fix left a temporary file anywhere in root.
func noTemporaryFiles(t *testing.T, root string) {
	t.Helper()
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".djguard-") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

// TestApplyWritesTheEnvBeforeTheSettings: a failure (or a kill) after
// some files were written must leave a project that runs: the .env
// already holds the key when settings start reading it, and the error
// says truthfully what was written.
func TestApplyWritesTheEnvBeforeTheSettings(t *testing.T) {
	root, p := site(t, nil)
	before := read(t, root, siteSettings)
	failOn(p, siteSettings)
	err := p.Apply(newKey(t))
	if !errors.Is(err, errInjected) {
		t.Fatalf("err = %v, want the injected failure", err)
	}
	if read(t, root, siteSettings) != before {
		t.Error("settings were rewritten although their write failed")
	}
	if env := read(t, root, ".env"); !envKeyLine.MatchString(env) {
		t.Errorf(".env does not hold the new key before settings are written: %q", env)
	}
	if gi := read(t, root, ".gitignore"); !strings.Contains(gi, "\n.env\n") {
		t.Errorf(".gitignore = %q", gi)
	}
	msg := err.Error()
	for _, want := range []string{"written: .gitignore, .env;", "not written, and as they were: " + siteSettings, "djguard fix --write"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "nothing was written") {
		t.Errorf("the error says nothing was written: %q", msg)
	}
	noTemporaryFiles(t, root)
}

// TestApplyTemporaryEnvIsIgnored: the temporary copy of .env holds the
// new key; if fix is killed before renaming it, git must already ignore
// it. A failure removes it.
func TestApplyTemporaryEnvIsIgnored(t *testing.T) {
	for _, tc := range []struct {
		name      string
		gitignore map[string]string
	}{
		{"no .gitignore", nil},
		{"a .gitignore that ignores .env alone", map[string]string{".gitignore": "*.pyc\n.env\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, p := site(t, tc.gitignore)
			seen := false
			p.beforeRename = func(e *Edit, tmp string) error {
				if e.Name != ".env" {
					return nil
				}
				seen = true
				if !strings.HasPrefix(filepath.Base(tmp), ".env.djguard-tmp-") {
					t.Errorf("the temporary .env is named %s", filepath.Base(tmp))
				}
				rules, err := ignore.CompileIgnoreFile(filepath.Join(root, ".gitignore"))
				if err != nil || !rules.MatchesPath(filepath.Base(tmp)) {
					t.Errorf("the .gitignore on disk does not ignore %s (%v)", filepath.Base(tmp), err)
				}
				return errInjected
			}
			err := p.Apply(newKey(t))
			if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), "written: .gitignore; not written, and as they were: .env, "+siteSettings) {
				t.Errorf("err = %v", err)
			}
			if !seen {
				t.Fatal(".env was never written")
			}
			if _, err := os.Stat(filepath.Join(root, ".env")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf(".env exists after its write failed: %v", err)
			}
			noTemporaryFiles(t, root)
		})
	}
}

// TestApplyRefusesAnEditMadeJustBeforeTheRename: a file changed while
// fix wrote its copy keeps the change; fix stops with ErrChanged.
func TestApplyRefusesAnEditMadeJustBeforeTheRename(t *testing.T) {
	root, p := site(t, nil)
	edited := read(t, root, siteSettings) + "DEBUG = True  # typed meanwhile\n"
	p.beforeRename = func(e *Edit, tmp string) error {
		if e.Name == siteSettings {
			return os.WriteFile(filepath.Join(root, siteSettings), []byte(edited), 0o644)
		}
		return nil
	}
	err := p.Apply(newKey(t))
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want ErrChanged", err)
	}
	if read(t, root, siteSettings) != edited {
		t.Error("the edit made meanwhile was lost")
	}
	if !strings.Contains(err.Error(), "not written, and as they were: "+siteSettings) {
		t.Errorf("err = %v", err)
	}
	noTemporaryFiles(t, root)
}

// TestApplyRefusesBeforeWritingAnything: a check that fails before the
// first write leaves every file as it was, and says so.
func TestApplyRefusesBeforeWritingAnything(t *testing.T) {
	root, p := site(t, nil)
	os.WriteFile(filepath.Join(root, ".env"), []byte("DEBUG=1\n"), 0o600) // appeared after planning
	err := p.Apply(newKey(t))
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, ".gitignore")); err == nil {
		t.Error(".gitignore was written")
	}
}

// TestApplyWritesThroughSymbolicLinks: a .env, .gitignore or settings
// module that is a link stays a link; its target gets the change.
func TestApplyWritesThroughSymbolicLinks(t *testing.T) {
	root := testenv.WriteTree(t, map[string]string{
		"manage.py":          "\n",
		"shared/dev.env":     "DEBUG=1\n",
		"shared/ignore":      "*.pyc\n",
		"shared/settings.py": "SECRET_KEY = '" + testenv.FakeKey("linked") + "'\n",
	})
	for link, target := range map[string]string{".env": "shared/dev.env", ".gitignore": "shared/ignore", "settings.py": "shared/settings.py"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	settings := read(t, root, "settings.py")
	_, findings := project(t, map[string]string{"settings.py": settings})
	p, err := Make(root, findings)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(newKey(t)); err != nil {
		t.Fatal(err)
	}
	for link, want := range map[string]string{".env": "DEBUG=1\nDJANGO_SECRET_KEY='", ".gitignore": "*.pyc\n", "settings.py": "import os\n"} {
		info, err := os.Lstat(filepath.Join(root, link))
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link (%v)", link, err)
		}
		if got := read(t, root, link); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want it to start %q", link, got, want)
		}
	}
	if gi := read(t, root, "shared/ignore"); !strings.Contains(gi, "\n.env\n") {
		t.Errorf("the link's target did not get the rule: %q", gi)
	}
	// git does not read a .gitignore that is a link: fix must say so.
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], ".gitignore is a symbolic link") {
		t.Errorf("notes %q", p.Notes)
	}
	noTemporaryFiles(t, root)
}

// TestApplyRefusesALinkToNothing: writing through a dangling link would
// replace the link with a file; fix says so instead.
func TestApplyRefusesALinkToNothing(t *testing.T) {
	root := testenv.WriteTree(t, map[string]string{"settings.py": "SECRET_KEY = '" + testenv.FakeKey("dangling") + "'\n"})
	os.Symlink("secrets/dev.env", filepath.Join(root, ".env"))
	_, findings := project(t, map[string]string{"settings.py": read(t, root, "settings.py")})
	if _, err := Make(root, findings); err == nil || !strings.Contains(err.Error(), "link") {
		t.Fatalf("err = %v, want a refusal naming the link", err)
	}
}

// TestApplyGivesEachVariableItsOwnKey: two settings read two variables;
// each gets a fresh key, and no placeholder reaches the .env.
func TestApplyGivesEachVariableItsOwnKey(t *testing.T) {
	root, p := site(t, map[string]string{"other.py": "MYSITE_SECRET_KEY = '" + testenv.FakeKey("other") + "'\n"})
	rand := testenv.Rand(t.Name())
	if err := p.Apply(func() (string, error) { return keygen.Generate(rand, keygen.Length) }); err != nil {
		t.Fatal(err)
	}
	env := read(t, root, ".env")
	if strings.Contains(env, keyPlaceholder) || !envKeyLine.MatchString(env) ||
		!regexp.MustCompile(`(?m)^MYSITE_SECRET_KEY='[^'\n]{50}'$`).MatchString(env) {
		t.Errorf(".env = %q", env)
	}
	if lines := strings.Split(env, "\n"); len(lines) < 2 || strings.Split(lines[0], "=")[1] == strings.Split(lines[1], "=")[1] {
		t.Errorf("the two variables share a key: %q", env)
	}
}

// TestApplyNeverGivesDjangoEnvironAKeyThatStartsWithADollar:
// django-environ's env() takes a value that starts with $ for the name of
// another variable, so a key for a module that uses it is drawn again;
// other modules take the first key drawn.
func TestApplyNeverGivesDjangoEnvironAKeyThatStartsWithADollar(t *testing.T) {
	k := testenv.FakeKey("dollar")
	first, second := "$"+testenv.FakeKey("first")[1:], "a"+testenv.FakeKey("second")[1:]
	for _, tc := range []struct{ name, settings, want string }{
		{"django-environ", "import environ\nenv = environ.Env()\nSECRET_KEY = '" + k + "'\n", second},
		{"a django-environ default", "import environ\nenv = environ.Env()\nSECRET_KEY = env.str('SECRET_KEY', default='" + k + "')\n", second},
		{"os.environ", "import os\nSECRET_KEY = '" + k + "'\n", first},
	} {
		root, findings := project(t, map[string]string{"settings.py": tc.settings})
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{first, second}
		if err := p.Apply(func() (string, error) { k := keys[0]; keys = keys[1:]; return k, nil }); err != nil {
			t.Fatal(err)
		}
		if env := read(t, root, ".env"); !strings.Contains(env, "='"+tc.want+"'\n") {
			t.Errorf("%s: .env got the %s key", tc.name, map[bool]string{true: "first", false: "second"}[strings.Contains(env, first)])
		}
	}
}
