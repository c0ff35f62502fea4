package fix

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestLoadFollowsEachLibrarysRule: fix says whether a settings module
// loads the .env it writes, following the rule of the library that loads
// it: python-dotenv's load_dotenv walks up from the module's directory,
// django-environ's read_env reads the .env beside the module, and
// python-decouple reads the first settings.ini or .env from the module's
// directory up.
func TestLoadFollowsEachLibrarysRule(t *testing.T) {
	k := testenv.FakeKey("load")
	key := "SECRET_KEY = '" + k + "'\n"
	pathlibBase := "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
	osBase := "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
	for _, tc := range []struct {
		name     string
		settings string
		files    map[string]string
		reaches  bool
		note     string
	}{
		{"nothing", "DEBUG = False\n" + key, nil, false,
			"nothing in mysite/settings.py loads .env, and it reads DJANGO_SECRET_KEY from the environment"},
		{"load_dotenv with no path", "from dotenv import load_dotenv\nload_dotenv()\n" + key, nil, true,
			"mysite/settings.py loads .env with python-dotenv's load_dotenv() (line 3): DJANGO_SECRET_KEY is read from there"},
		{"load_dotenv finds a nearer .env", "from dotenv import load_dotenv\nload_dotenv()\n" + key, map[string]string{"mysite/.env": "DEBUG=1\n"}, false,
			"mysite/settings.py loads mysite/.env with python-dotenv's load_dotenv() (line 3), but DJANGO_SECRET_KEY is in .env"},
		{"load_dotenv(find_dotenv())", "from dotenv import load_dotenv, find_dotenv\nload_dotenv(find_dotenv())\n" + key, nil, true, "is read from there"},
		{"a pathlib BASE_DIR", pathlibBase + "from dotenv import load_dotenv\nload_dotenv(BASE_DIR / \".env\")\n" + key, nil, true,
			"loads .env with python-dotenv's load_dotenv(BASE_DIR / \".env\") (line 5)"},
		{"an os.path BASE_DIR", osBase + "import dotenv\ndotenv.load_dotenv(dotenv_path=os.path.join(BASE_DIR, '.env'), override=True)\n" + key, nil, true, "is read from there"},
		{"a BASE_DIR one level too low", "from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nfrom dotenv import load_dotenv\nload_dotenv(BASE_DIR / '.env')\n" + key, nil, false,
			"loads mysite/.env with python-dotenv's load_dotenv(BASE_DIR / '.env') (line 5), but DJANGO_SECRET_KEY is in .env"},
		{"a path from the environment", "import os\nfrom dotenv import load_dotenv\nload_dotenv(os.environ['ENV_FILE'])\n" + key, nil, false,
			"djguard cannot tell which file that is; DJANGO_SECRET_KEY is in .env"},
		{"read_env with no path", "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n" + key, nil, false,
			"loads mysite/.env with django-environ's environ.Env.read_env() (line 3), but DJANGO_SECRET_KEY is in .env"},
		{"read_env with BASE_DIR", pathlibBase + "import environ\nenv = environ.Env()\nenv.read_env(str(BASE_DIR / '.env'))\n" + key, nil, true,
			"loads .env with django-environ's env.read_env(str(BASE_DIR / '.env')) (line 5)"},
		{"read_env with environ.Path", "import environ\nROOT = environ.Path(__file__) - 2\nenv = environ.Env()\nenviron.Env.read_env(ROOT('.env'))\n" + key, nil, false, "cannot tell"},
		{"read_env with environ.Path.path", "import environ\nROOT = environ.Path(__file__) - 2\nenv = environ.Env()\nenviron.Env.read_env(ROOT.path('.env'))\n" + key, nil, true, "is read from there"},
		{"a loader in a block", "try:\n    from dotenv import load_dotenv\n    load_dotenv()\nexcept ImportError:\n    pass\n" + key, nil, false,
			"but inside a block, which may not run"},
		{"a loader after the read", key + "from dotenv import load_dotenv\nload_dotenv()\n", nil, false,
			"at line 4, after it reads DJANGO_SECRET_KEY at line 2"},
		{"dotenv_values", "from dotenv import dotenv_values\nconfig = dotenv_values()\n" + key, nil, false,
			"without putting them in the environment"},
		{"decouple", "from decouple import config\n" + key, nil, true,
			"reads DJANGO_SECRET_KEY with python-decouple's config, which reads .env itself"},
		{"decouple finds a settings.ini first", "from decouple import config\n" + key, map[string]string{"mysite/settings.ini": "[settings]\n"}, false,
			"which reads mysite/settings.ini (the first settings.ini or .env in the module's directory or above), not .env"},
		{"a call over lines", pathlibBase + "from dotenv import load_dotenv\nload_dotenv(\n    BASE_DIR / \".env\",\n    override=True,\n)\n" + key, nil, true,
			"with python-dotenv's load_dotenv(BASE_DIR / \".env\", override=True,) (line 5)"},
		{"a commented-out loader", "# load_dotenv()\n" + key, nil, false, "nothing in mysite/settings.py loads .env"},
	} {
		files := map[string]string{"manage.py": "\n", "mysite/__init__.py": "", "mysite/settings.py": tc.settings}
		for n, c := range tc.files {
			files[n] = c
		}
		root, findings := project(t, files)
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Loads) != 1 {
			t.Errorf("%s: %d loads", tc.name, len(p.Loads))
			continue
		}
		l := p.Loads[0]
		if l.Reaches != tc.reaches || !strings.Contains(l.Note(), tc.note) {
			t.Errorf("%s: reaches %v, note %q\nwant %v, %q", tc.name, l.Reaches, l.Note(), tc.reaches, tc.note)
		}
	}
}

// TestLoadSuggestsALineOnlyToAProjectThatListsPythonDotenv: the line
// that loads .env from settings is offered when the project's
// requirements name python-dotenv and the module names the .env's
// directory; never otherwise, since the import would fail where the
// package is missing.
func TestLoadSuggestsALineOnlyToAProjectThatListsPythonDotenv(t *testing.T) {
	key := "SECRET_KEY = '" + testenv.FakeKey("suggest") + "'\n"
	pathlib := "from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n" + key
	ospath := "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n" + key
	for _, tc := range []struct {
		name, settings string
		files          map[string]string
		want           string
		after          int
	}{
		{"pathlib", pathlib, map[string]string{"requirements.txt": "Django>=3.2\npython-dotenv==1.0.1\n"},
			`from dotenv import load_dotenv; load_dotenv(BASE_DIR / ".env")`, 4},
		{"os.path", ospath, map[string]string{"pyproject.toml": "[project]\ndependencies = [\"django\", \"python-dotenv>=1\"]\n"},
			`from dotenv import load_dotenv; load_dotenv(os.path.join(BASE_DIR, ".env"))`, 2},
		{"no requirement", pathlib, map[string]string{"requirements.txt": "Django>=3.2\n# python-dotenv\ntypes-python-dotenv\n"}, "", 0},
		{"no BASE_DIR", key, map[string]string{"requirements.txt": "python-dotenv\n"}, "", 0},
	} {
		files := map[string]string{"manage.py": "\n", "mysite/settings.py": tc.settings}
		for n, c := range tc.files {
			files[n] = c
		}
		root, findings := project(t, files)
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Loads) != 1 {
			t.Fatalf("%s: %d loads", tc.name, len(p.Loads))
		}
		if l := p.Loads[0]; l.Suggest != tc.want || l.After != tc.after {
			t.Errorf("%s: suggest %q after line %d, want %q after %d", tc.name, l.Suggest, l.After, tc.want, tc.after)
		}
	}
}

// TestShellLoadPutsTheKeyInTheEnvironment runs the line ShellLoad gives
// in sh: the variable it sets is byte for byte the key in .env, whose
// alphabet holds $, !, (, &, * and the like, and a line of the .env that
// sh would run as a command is never run.
func TestShellLoadPutsTheKeyInTheEnvironment(t *testing.T) {
	sh := testenv.Tool(t, "sh")
	settings := "SECRET_KEY = '" + testenv.FakeKey("shell") + "'\n"
	for _, tc := range []struct{ name, env, want string }{
		{"a new .env", "", "set -a; . ./.env; set +a"},
		{"a plain .env", "DEBUG=1\n# local\nexport NAME=\"x y\"\n", "set -a; . ./.env; set +a"},
		{"a .env sh would misread", "DATABASE_URL=postgres://u:p@h/db?a=1&touch ran\n", `set -a; eval "$(grep -E '^(export )?(DJANGO_SECRET_KEY)=' ./.env)"; set +a`},
	} {
		files := map[string]string{"manage.py": "\n", "mysite/settings.py": settings}
		if tc.env != "" {
			files[".env"] = tc.env
		}
		root, findings := project(t, files)
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		line := p.ShellLoad(".env")
		if line != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, line, tc.want)
			continue
		}
		if err := p.Apply(newKey(t)); err != nil {
			t.Fatal(err)
		}
		env := read(t, root, ".env")
		i := strings.Index(env, "DJANGO_SECRET_KEY='")
		key := env[i+len("DJANGO_SECRET_KEY='") : i+len("DJANGO_SECRET_KEY='")+50]
		cmd := exec.Command(sh, "-c", line+`; printf '%s' "$DJANGO_SECRET_KEY"`)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil || string(out) != key {
			t.Errorf("%s: sh gave a variable of %d bytes that is not the key in .env (%v)", tc.name, len(out), err)
		}
		if _, err := os.Stat(filepath.Join(root, "ran")); err == nil {
			t.Errorf("%s: sh ran a command from .env", tc.name)
		}
	}
	if got := (&Plan{EnvPath: "/x/.env"}).ShellLoad("my project/.env"); got != `set -a; . 'my project/.env'; set +a` {
		t.Errorf("a path with a space: %q", got)
	}
}
