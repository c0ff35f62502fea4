package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/testenv"
)

// A key pasted where djguard expects something else is never echoed whole
// in an error: neither from the command line nor from configuration.
func TestErrorsNeverEchoATypedKey(t *testing.T) {
	key := testenv.FakeKey("typed") + `\"`
	dir := testenv.WriteTree(t, map[string]string{"settings.py": "DEBUG = False\n"})
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{key},
		{"scan", "--" + key},
		{"scan", "--max-file-size", key},
		{"scan", "--format", key},
		{"scan", "--fail-on=" + key},
		{"scan", "--baseline", key},
		{"scan", "--history", "--since", key},
		{"scan", "--history", "--branch", key},
		{"keygen", key},
		{"keygen", "--length", key},
		{"verify", "--env", key, "--history"},
	} {
		code, stdout, stderr := runCLI(t, dir, args...)
		if code != exitError {
			t.Errorf("%v: exit %d, want 2", args[:len(args)-1], code)
		}
		if leaks(stdout+stderr, key) {
			t.Errorf("%v: the output quotes the key: %q", args[:len(args)-1], stderr)
		}
	}
	for _, setting := range []string{
		`fail-on = "%s"`, `extra-names = ["%s"]`, `max-file-size = "%s"`, `baseline = "%s"`,
	} {
		toml := "[tool.djguard]\n" + strings.Replace(setting, "%s", strings.ReplaceAll(key, `\`, `\\`), 1) + "\n"
		toml = strings.Replace(toml, `\\"`, `\\\"`, 1)
		if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, dir, "scan")
		if code != exitError || leaks(stdout+stderr, key) {
			t.Errorf("%s: exit %d, stderr %q", strings.SplitN(setting, " ", 2)[0], code, stderr)
		}
	}
}

// leaks reports whether out holds more of key than a short prefix, raw or
// Go-quoted.
func leaks(out, key string) bool {
	return strings.Contains(out, key[:8]) || strings.Contains(out, strings.Trim(quoteGo(key), `"`)[:8])
}

func quoteGo(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`))
}

// What is short, or names an existing file, is quoted whole: errors about
// a path or a mistyped word stay useful.
func TestErrorsQuoteShortValuesAndPathsWhole(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"a-rather-long-file-name.txt": "x\n"})
	_, _, stderr := runCLI(t, dir, "scan", "--format", "yaml")
	if !strings.Contains(stderr, `"yaml"`) {
		t.Errorf("a short value: %q", stderr)
	}
	_, _, stderr = runCLI(t, dir, "scan", "--baseline", "a-rather-long-file-name.txt")
	if !strings.Contains(stderr, "a-rather-long-file-name.txt") {
		t.Errorf("an existing path: %q", stderr)
	}
}
