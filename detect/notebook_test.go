package detect

import (
	"testing"
)

// TestNotebookForms: Python source inside a notebook's JSON strings.
func TestNotebookForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"notebook source line", "notebooks/explore.ipynb", "{\"cells\": [{\"source\": [\n    \"SECRET_KEY = '{k}'\\n\",\n  ]}]}\n", hk(2, "{k}")},
		{"notebook escaped double quotes", "nb.ipynb", "    \"SECRET_KEY = \\\"{k}\\\"\\n\",\n", hk(1, "{k}")},
	})
}

// TestNotebookTraps: notebook cells that read or make the key.
func TestNotebookTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"environ item in a cell", "nb.ipynb", "    \"SECRET_KEY = os.environ[\\\"DJANGO_SECRET_KEY\\\"]\\n\",\n", none},
		{"generated in a cell", "nb.ipynb", "    \"SECRET_KEY = get_random_secret_key()\\n\",\n", none},
	})
}
