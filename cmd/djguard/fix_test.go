package main

import (
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestFixFlagErrorsQuoteAtMostAPrefix: a key typed where a flag or its
// value goes is echoed by a parse error only as a short prefix.
func TestFixFlagErrorsQuoteAtMostAPrefix(t *testing.T) {
	// A key with no "=", so that the flag package takes it whole as a name.
	key := strings.ReplaceAll(testenv.FakeKey("typed"), "=", "x")
	dir := testenv.WriteTree(t, map[string]string{"settings.py": "X = 1\n"})
	for _, args := range [][]string{
		{"fix", "--write=" + key},
		{"fix", "--show-secrets=" + key},
		{"fix", "-" + key},
		{"fix", "--" + key + "=x"},
	} {
		code, stdout, stderr := runCLI(t, dir, args...)
		if code != exitError {
			t.Errorf("%s…: exit %d, want %d", args[1][:6], code, exitError)
		}
		// At most the first 8 characters: no run of 8 that reaches further.
		for i := 1; i+8 <= len(key); i++ {
			if strings.Contains(stdout+stderr, key[i:i+8]) {
				t.Errorf("%s…: the error quotes the typed value up to character %d at least", args[1][:6], i+8)
				break
			}
		}
		if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "see 'djguard help fix'") {
			t.Errorf("%s…: want one line that says where the help is:\n%s", args[1][:6], strings.ReplaceAll(stderr, key, "<KEY>"))
		}
	}
}

// TestFixDryRunHidesAKeySplitOverLines: the command's diff hides a key
// whose pieces Python joins, on every line, unless --show-secrets.
func TestFixDryRunHidesAKeySplitOverLines(t *testing.T) {
	key := testenv.FakeKey("split")
	a, b := key[:25], key[25:]
	dir := testenv.WriteTree(t, map[string]string{
		"manage.py":          "\n",
		"mysite/settings.py": "SECRET_KEY = (\n    '" + a + "'\n    '" + b + "'\n)\n",
	})
	code, stdout, _ := runCLI(t, dir, "fix")
	if code != exitFindings || !strings.Contains(stdout, "this is a dry run") {
		t.Fatalf("exit %d", code)
	}
	if strings.Contains(stdout, a) || strings.Contains(stdout, b) {
		t.Error("the dry run shows part of the key")
	}
	if _, stdout, _ := runCLI(t, dir, "fix", "--show-secrets"); !strings.Contains(stdout, a) || !strings.Contains(stdout, b) {
		t.Error("--show-secrets does not show the key")
	}
}

// TestFixExitCodes: 0 when nothing is left to do, 1 while changes are
// pending (a dry run that would change files, keys fix leaves to the
// user), 2 on an error.
func TestFixExitCodes(t *testing.T) {
	key := testenv.FakeKey("fix-exit")
	leaky := map[string]string{"manage.py": "\n", "settings.py": "SECRET_KEY = '" + key + "'\n"}
	manual := map[string]string{"docker-compose.yml": "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"" + key + "\"\n"}
	clean := map[string]string{"settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"}
	for _, tc := range []struct {
		name  string
		files map[string]string
		args  []string
		want  int
	}{
		{"nothing to move", clean, []string{"fix"}, exitClean},
		{"a dry run with changes to make", leaky, []string{"fix"}, exitFindings},
		{"a write that moves every key", leaky, []string{"fix", "--write"}, exitClean},
		{"a key left to the user", manual, []string{"fix", "--write"}, exitFindings},
		{"a bad flag", clean, []string{"fix", "--frobnicate"}, exitError},
	} {
		dir := testenv.WriteTree(t, tc.files)
		if code, _, stderr := runCLI(t, dir, tc.args...); code != tc.want {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, code, tc.want, stderr)
		}
	}
}
