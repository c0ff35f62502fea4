package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestScanNamesTheFilesItDidNotRead: files that could hold a key and
// were not read (binary, over the size limit) are named in the summary of
// every source, the same way, escaped for the terminal, and listed in the
// JSON report; they do not change the exit code by themselves, for the
// tree, the index and standard input alike.
func TestScanNamesTheFilesItDidNotRead(t *testing.T) {
	key := testenv.FakeKey("notread")
	s := "import os\nSECRET_KEY = '" + key + "'\n"
	files := map[string]string{
		"zero.py":           "\x00" + s,
		"big.py":            s + strings.Repeat("#", 2048) + "\n",
		"img\x1b[2Jevil.py": "\x00",
		"clean.py":          "x = 1\n",
	}
	dir := testenv.WriteTree(t, nil)
	testenv.Git(t, dir, "init", "-q")
	for name, content := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	testenv.Git(t, dir, "add", "-A")
	const want = "djguard: 3 files not read (over the 1 KiB limit, binary): big.py, img\\x1b[2Jevil.py, zero.py"
	for _, args := range [][]string{
		{"scan", "--max-file-size", "1KB"},
		{"scan", "--max-file-size", "1KB", "--staged"},
	} {
		code, out, errOut := runCLIEnv(t, dir, map[string]string{"GIT_INDEX_FILE": ""}, args...)
		if code != exitClean || !strings.Contains(errOut, want) || strings.Contains(errOut+out, "\x1b") {
			t.Errorf("%v: exit %d, stderr %q, want exit 0 and %q", args, code, errOut, want)
		}
	}
	code, out, _ := runCLI(t, dir, "scan", "--max-file-size", "1KB", "--format", "json")
	var rep struct {
		Summary struct {
			NotRead []struct{ Path, Reason string } `json:"not_read"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitClean || len(rep.Summary.NotRead) != 3 {
		t.Errorf("JSON: exit %d, %v, not read %+v", code, err, rep.Summary.NotRead)
	}
	for _, name := range []string{"zero.py", "big.py"} {
		code, _, errOut := runCLIInput(t, dir, nil, files[name], "scan", "-", "--max-file-size", "1KB", "--stdin-name", name)
		treeCode, _, _ := runCLI(t, dir, "scan", "--max-file-size", "1KB", name)
		if code != treeCode || !strings.Contains(errOut, "1 file not read") || !strings.Contains(errOut, name) {
			t.Errorf("standard input as %s: exit %d (the file: %d), stderr %q", name, code, treeCode, errOut)
		}
	}
}
