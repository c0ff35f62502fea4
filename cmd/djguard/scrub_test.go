package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"

	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/report"
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

// No path or branch name the user types is cut in a message, however long:
// a report's path, a branch that is not there, the git fetch command for a
// remote branch the clone lacks, the purge plan's path in the git
// filter-repo command, a mistyped path. What is cut is what djguard's own
// rules call a key, and no key is printed whole.
func TestMessagesQuoteTypedPathsAndBranchesWhole(t *testing.T) {
	const path = "reports-for-the-security-review/djguard-report-of-today.json"
	const branch = "feature/a-very-long-branch-name-for-testing-djguard-messages"
	if len(path) != 60 || len(branch) != 60 {
		t.Fatalf("the path has %d characters and the branch %d, want 60", len(path), len(branch))
	}
	key := testenv.FakeKey("typed paths")
	g := testenv.NewGitRepo(t)
	g.Commit("Only test against one version of Python, latest testing", map[string]string{
		"settings.py": "SECRET_KEY = '" + key + "'\n",
		"local.py":    "SECRET_KEY = 'test'\n",
	})
	if _, err := g.Repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://example.com/x.git"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(g.Dir, filepath.Dir(path)), 0o755); err != nil {
		t.Fatal(err)
	}
	plan := strings.Replace(path, "report-of-today.json", "purge-plan-of-ok.txt", 1)
	missing := strings.Replace(path, "report-of-today", "report-of-yester", 1)
	vars := map[string]string{"DJANGO_SECRET_KEY": testenv.FakeKey("running")}
	for _, tc := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"the report's path", []string{"scan", "--format", "json", "--output", path}, []string{"Report: " + path + "\n"}},
		{"a branch that is not there", []string{"scan", "--history", "--branch", branch}, []string{`"` + branch + `"`}},
		{"a remote branch the clone lacks", []string{"scan", "--history", "--since", "origin/" + branch},
			[]string{"git fetch origin " + branch + ":refs/remotes/origin/" + branch + ";"}},
		{"the purge plan's path", []string{"scan", "--history", "--purge-plan", plan},
			[]string{"git filter-repo --replace-text " + filepath.Join(g.Dir, plan) + "\n", ": Only test against one version of Python, latest testing\n"}},
		{"verify against the report", []string{"verify", "--env", "DJANGO_SECRET_KEY", "--against", path}, []string{path}},
		{"verify against a mistyped path", []string{"verify", "--env", "DJANGO_SECRET_KEY", "--against", missing}, []string{missing + ": no such file"}},
		{"a mistyped baseline", []string{"scan", "--baseline", missing}, []string{missing}},
	} {
		_, stdout, stderr := runCLIEnv(t, g.Dir, vars, tc.args...)
		out := stdout + stderr
		for _, want := range tc.wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the output lacks %q:\n%s", tc.name, want, out)
			}
		}
		if strings.Contains(out, key) {
			t.Errorf("%s: the output holds the whole key", tc.name)
		}
		// The findings' own secrets are shown redacted; nothing else is.
		for _, secret := range []string{key, "test"} {
			out = strings.ReplaceAll(out, report.Redact(secret), "")
		}
		if strings.Contains(out, "characters)") {
			t.Errorf("%s: something that is no secret was redacted:\n%s", tc.name, out)
		}
	}
}
