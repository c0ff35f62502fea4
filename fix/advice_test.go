package fix

import (
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestAdviceSaysWhyAModuleLevelKeyWasLeft: a key fix leaves in a Python
// module gets advice that names the real reason, and the advice that fix
// rewrites only module-level assignments is kept for keys that are not
// in one.
func TestAdviceSaysWhyAModuleLevelKeyWasLeft(t *testing.T) {
	k := testenv.FakeKey("advice")
	for _, tc := range []struct{ name, settings, want string }{
		{"a concatenation with a name", "SECRET_KEY = 'django-insecure-' + '" + k + "' + SUFFIX\n", "part of an expression"},
		{"a literal with more after it", "SECRET_KEY = '" + k + "' + SUFFIX\n", "part of an expression"},
		{"a call around it", "SECRET_KEY = str('" + k + "')\n", "part of an expression"},
		{"an f-string", "SECRET_KEY = f'" + k + "'\n", "does not rewrite f-strings"},
		{"several names", "SECRET_KEY, DEBUG = '" + k + "', False\n", "assigns several"},
		{"a chain", "SECRET_KEY = OLD_KEY = '" + k + "'\n", "assigns several"},
		{"an or", "import os\nSECRET_KEY = os.environ.get('DJANGO_SECRET_KEY') or '" + k + "'\n", `delete the "or '…'"`},
		{"an else", "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY'] if PROD else '" + k + "'\n", `delete the "else '…'"`},
		{"a weak value", "SECRET_KEY = 'changeme'\n", "W009"},
		{"a block", "try:\n    SECRET_KEY = '" + k + "'\nexcept ImportError:\n    pass\n", "inside a block"},
		{"a keyword argument", "settings.configure(\n    SECRET_KEY='" + k + "',\n)\n", "(fix only rewrites module-level assignments and environment defaults)"},
		{"a dict entry", "DEFAULTS = {\n    'SECRET_KEY': '" + k + "',\n}\n", "(fix only rewrites module-level assignments and environment defaults)"},
	} {
		root, findings := project(t, map[string]string{"settings.py": tc.settings})
		p, err := Make(root, findings)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Manual) == 0 {
			t.Errorf("%s: nothing left to the user (%d edits)", tc.name, len(p.Edits))
			continue
		}
		for _, m := range p.Manual {
			if strings.Contains(m.Do, k) {
				t.Errorf("%s: the advice holds the key", tc.name)
			}
			if !strings.Contains(m.Do, tc.want) {
				t.Errorf("%s: %s: advice %q, want %q", tc.name, m.Finding.Class, m.Do, tc.want)
			}
		}
	}
}
