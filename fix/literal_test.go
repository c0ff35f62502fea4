package fix

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestFixReadsTheKeyThroughANameBoundToOS: the rewritten module must
// reach os.environ through a name that an import before it really binds
// to the os module, and a byte-order mark stays the file's first bytes.
func TestFixReadsTheKeyThroughANameBoundToOS(t *testing.T) {
	k := testenv.FakeKey("imports")
	lit := "'" + k + "'"
	environ := `os.environ["DJANGO_SECRET_KEY"]`
	const bom = "\ufeff"
	for _, tc := range []struct {
		name, before, want string
	}{
		{"a BOM before a docstring", bom + "\"\"\"Settings.\"\"\"\nSECRET_KEY = " + lit + "\n",
			bom + "\"\"\"Settings.\"\"\"\nimport os\nSECRET_KEY = " + environ + "\n"},
		{"a BOM before the assignment", bom + "SECRET_KEY = " + lit + "\n",
			bom + "import os\nSECRET_KEY = " + environ + "\n"},
		{"a BOM before a parenthesised assignment", bom + "SECRET_KEY = (\n    " + lit + "\n)\n",
			bom + "import os\nSECRET_KEY = (\n    " + environ + "\n)\n"},
		{"os imported under another name", "import os as _os\n\nSECRET_KEY = " + lit + "\n",
			"import os as _os\n\nSECRET_KEY = _os.environ[\"DJANGO_SECRET_KEY\"]\n"},
		{"os among other imports", "import sys, os  # both\nSECRET_KEY = " + lit + "\n",
			"import sys, os  # both\nSECRET_KEY = " + environ + "\n"},
		{"a submodule of os binds os", "import os.path\nSECRET_KEY = " + lit + "\n",
			"import os.path\nSECRET_KEY = " + environ + "\n"},
		{"a submodule under another name does not", "import os.path as osp\nSECRET_KEY = " + lit + "\n",
			"import os\nimport os.path as osp\nSECRET_KEY = " + environ + "\n"},
		{"environ alone does not bind os", "from os import environ\nSECRET_KEY = " + lit + "\n",
			"import os\nfrom os import environ\nSECRET_KEY = " + environ + "\n"},
		{"an import after the assignment comes too late", "SECRET_KEY = " + lit + "\nimport os\n",
			"import os\nSECRET_KEY = " + environ + "\nimport os\n"},
		{"an import inside a block may not run", "try:\n    import os\nexcept ImportError:\n    pass\nSECRET_KEY = " + lit + "\n",
			"import os\ntry:\n    import os\nexcept ImportError:\n    pass\nSECRET_KEY = " + environ + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, got := fixed(t, tc.before)
			if got != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tc.want)
			}
			runsUnderPython(t, filepath.Join(root, "settings.py"))
		})
	}
}

// runsUnderPython runs a rewritten settings module with a key in the
// environment and checks that it reads that key. Without python3 the
// check is skipped (failed when DJGUARD_REQUIRE_TOOLS is set).
func runsUnderPython(t *testing.T, path string) {
	t.Helper()
	py := testenv.Tool(t, "python3")
	want := testenv.FakeKey("python")
	cmd := exec.Command(py, "-c", "import runpy, sys; print(runpy.run_path(sys.argv[1])['SECRET_KEY'])", path)
	cmd.Env = []string{"DJANGO_SECRET_KEY=" + want, "PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != want {
		t.Errorf("python3 could not run the rewritten module: %v\n%s", err, strings.ReplaceAll(string(out), want, "<KEY>"))
	}
}
