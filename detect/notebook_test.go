package detect

import (
	"bytes"
	"encoding/json"
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

// TestNotebookOutputReportsTheKeyAsPrinted: a key printed as KEY=value in
// a cell's output is the text the JSON string holds, without the escape of
// the line end after it, so its fingerprint is the key's own.
func TestNotebookOutputReportsTheKeyAsPrinted(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"printed line", "nb.ipynb", "     \"text\": [\n      \"SECRET_KEY={k}\\n\"\n     ]\n", hk(2, "{k}")},
		{"printed CRLF line", "nb.ipynb", "     \"text\": [\"SECRET_KEY={k}\\r\\n\", \"done\\n\"]\n", hk(1, "{k}")},
		{"printed before a tab", "nb.ipynb", "     \"text\": [\"SECRET_KEY={k}\\tDEBUG=False\\n\"]\n", hk(1, "{k}")},
		{"echoed in escaped double quotes in a cell", "nb.ipynb", "    \"!echo \\\"SECRET_KEY={k}\\\" >> .env\\n\",\n", hk(1, "{k}")},
	})
}

// TestNotebookWrittenByAJSONEncoder: a notebook whose writer escapes
// characters as \uXXXX (Go's encoding/json escapes & and <) still reports
// the key itself.
func TestNotebookWrittenByAJSONEncoder(t *testing.T) {
	k := fakeKey("notebook") + "&<>"
	nb := map[string]any{"cells": []any{map[string]any{
		"cell_type": "code",
		"source":    []string{"print(settings.SECRET_KEY)"},
		"outputs":   []any{map[string]any{"output_type": "stream", "name": "stdout", "text": []string{"SECRET_KEY=" + k + "\n"}}},
	}}}
	src, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(`\u0026`)) {
		t.Fatalf("the encoder did not escape &:\n%s", src)
	}
	got := Detect("c.ipynb", src)
	if len(got) != 1 || got[0].Secret != k || got[0].Fingerprint != Fingerprint(k) {
		t.Errorf("got:\n%swant the key as printed", describe(got))
	}
}
