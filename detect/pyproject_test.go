package detect

import (
	"strings"
	"testing"
)

// TestPyprojectForms: pyproject.toml's environment tables for tests and
// tasks, where a placeholder is the value the tool sets.
func TestPyprojectForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"an elided value in a tool's env table is what it sets", "pyproject.toml", "[tool.hatch.envs.test.env-vars]\nSECRET_KEY = \"...\"\n",
			[]want{{WeakKey, Low, 2, "..."}}},
		{"a single x in pytest-env's table", "pyproject.toml", "[tool.pytest_env]\nDJANGO_SECRET_KEY = \"x\"\n", []want{{WeakKey, Low, 2, "x"}}},
		{"pytest-env's item with a default flag", "pyproject.toml", "[tool.pytest.ini_options]\nenv = [\n    \"D:SECRET_KEY=only-for-tests\",\n]\n",
			[]want{{WeakKey, Low, 3, "only-for-tests"}}},
		{"pytest-env's item with both flags", "pyproject.toml", "[tool.pytest.ini_options]\nenv = [\"R:D:SECRET_KEY=xyz\"]\n", []want{{WeakKey, Low, 2, "xyz"}}},
		{"pytest-env's inline table", "sub/pyproject.toml", "[tool.pytest_env]\nSECRET_KEY = { value = \"tests\", skip_if_set = true }\n",
			[]want{{WeakKey, Low, 2, "tests"}}},
		{"a quoted key", "pyproject.toml", "[tool.poe.env]\n\"SECRET_KEY\" = \"poe-dev\"\n", []want{{WeakKey, Low, 2, "poe-dev"}}},
		{"a random key in pytest-env's table is high", "pyproject.toml", "[tool.pytest_env]\nSECRET_KEY = \"{k}\"\n", hk(2, "{k}")},
	})
}

// TestPyprojectTraps: what pyproject.toml holds that sets no key.
func TestPyprojectTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"pytest-env's inline table that unsets the key", "pyproject.toml", "[tool.pytest_env]\nSECRET_KEY = { unset = true }\n", none},
		{"an expanded variable", "pyproject.toml", "[tool.pytest_env]\nSECRET_KEY = \"{DJANGO_SECRET_KEY}\"\n", none},
		{"an elision in another TOML file stands for a value left out", "config.example.toml", "[django]\nSECRET_KEY = \"...\"\n", none},
	})
}

// An inline table opened and followed by blanks past the bound of one
// line is no table, and no crash.
func TestPyprojectInlineTableOfBlanks(t *testing.T) {
	for _, n := range []int{0, 511, 512, 600, 5000} {
		content := "SECRET_KEY = {" + strings.Repeat(" ", n)
		if got := Detect("pyproject.toml", []byte(content)); len(got) != 0 {
			t.Errorf("%d blanks: %d findings", n, len(got))
		}
	}
}
