//go:build integration

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// These tests follow fix's printed output as a user would, on a project
// that Django's own startproject made, and then ask Django whether the
// project runs with the new key.

// startproject makes a Django project in a new directory with py -m
// django startproject: mysite/settings.py beside manage.py.
func startproject(t *testing.T, py string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command(py, "-m", "django", "startproject", "mysite", dir).CombinedOutput(); err != nil {
		t.Fatalf("startproject: %v\n%s", err, out)
	}
	return dir
}

// manage runs shellLine and then py manage.py ARGS in one sh, in dir, as
// a user's shell would, with no DJANGO_SECRET_KEY of its own.
func manage(t *testing.T, py, dir, shellLine string, args ...string) (string, error) {
	t.Helper()
	script := `exec "$PY" manage.py "$@"`
	if shellLine != "" {
		script = shellLine + "\n" + script
	}
	cmd := exec.Command(testenv.Tool(t, "sh"), append([]string{"-c", script, "sh"}, args...)...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DJANGO_SECRET_KEY=") && !strings.HasPrefix(kv, "DJANGO_SETTINGS_MODULE=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PY="+py)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// printedAfter returns the indented line that follows the first line of
// out that contains lead: what fix tells the user to run or add.
func printedAfter(out, lead string) (string, bool) {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, lead) && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    ") {
			return strings.TrimSpace(lines[i+1]), true
		}
	}
	return "", false
}

// newKey returns the key fix wrote to the project's .env.
func newKey(t *testing.T, dir string) string {
	t.Helper()
	env, _ := os.ReadFile(filepath.Join(dir, ".env"))
	key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(env)), "DJANGO_SECRET_KEY='"), "'")
	if len(key) != 50 {
		t.Fatalf(".env holds no new key")
	}
	return key
}

// runs asserts that the project starts with the key fix wrote, byte for
// byte, and that Django's deploy check does not reject it (W009); the
// check's other warnings are about startproject's development defaults.
func runs(t *testing.T, py, dir, shellLine string) {
	t.Helper()
	out, err := manage(t, py, dir, shellLine, "check", "--deploy")
	if err != nil || strings.Contains(out, "security.W009") || strings.Contains(out, "Traceback") {
		t.Errorf("check --deploy: %v\n%s", err, out)
	}
	sum := sha256.Sum256([]byte(newKey(t, dir)))
	out, err = manage(t, py, dir, shellLine, "shell", "-c", "import hashlib; from django.conf import settings; print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())")
	if err != nil || strings.TrimSpace(out) != hex.EncodeToString(sum[:]) {
		t.Errorf("the project does not start with the key in .env: %v\n%s", err, out)
	}
}

// TestFixWriteLeavesAStartprojectThatRuns: after fix --write, the shell
// line fix prints, run as printed, is all a user needs for Django to start
// and pass its deploy check's key test; without it, Django fails naming
// the variable. The line never holds the key.
func TestFixWriteLeavesAStartprojectThatRuns(t *testing.T) {
	py := testenv.PythonWith(t, "django", "python3-django")
	dir := startproject(t, py)
	if out, _ := manage(t, py, dir, "", "check", "--deploy"); !strings.Contains(out, "security.W009") {
		t.Fatalf("before the fix, the deploy check did not report W009:\n%s", out)
	}
	code, stdout, stderr := runCLI(t, dir, "fix", "--write")
	if code != exitClean {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "note: nothing in mysite/settings.py loads .env") {
		t.Errorf("fix does not say that nothing loads .env:\n%s", stdout)
	}
	line, ok := printedAfter(stdout, "run this in the sh or bash shell")
	if !ok {
		t.Fatalf("fix printed no shell line to run:\n%s", stdout)
	}
	if strings.Contains(stdout, newKey(t, dir)[:16]) {
		t.Fatalf("the output shows the new key")
	}
	if out, err := manage(t, py, dir, "", "check"); err == nil || !strings.Contains(out, "DJANGO_SECRET_KEY") {
		t.Errorf("without the printed line Django should fail naming the variable: %v\n%s", err, out)
	}
	runs(t, py, dir, line)
}

// TestFixWriteSaysSettingsLoadDotenv: a project whose settings load .env
// with python-dotenv is told so, and runs with no further step.
func TestFixWriteSaysSettingsLoadDotenv(t *testing.T) {
	py := testenv.PythonWith(t, "django, dotenv", "python3-django python3-dotenv")
	dir := startproject(t, py)
	settings := filepath.Join(dir, "mysite", "settings.py")
	b, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	base := "BASE_DIR = Path(__file__).resolve().parent.parent\n"
	if !strings.Contains(string(b), base) {
		t.Fatalf("startproject wrote no %q", base)
	}
	loaded := strings.Replace(string(b), base, base+"\nfrom dotenv import load_dotenv\nload_dotenv(BASE_DIR / \".env\")\n", 1)
	if err := os.WriteFile(settings, []byte(loaded), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, dir, "fix", "--write")
	if code != exitClean {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, `note: mysite/settings.py loads .env with python-dotenv's load_dotenv(BASE_DIR / ".env")`) ||
		!strings.Contains(stdout, "DJANGO_SECRET_KEY is read from there") {
		t.Errorf("fix does not say that settings load .env:\n%s", stdout)
	}
	if _, ok := printedAfter(stdout, "run this in the sh or bash shell"); ok {
		t.Errorf("fix asks for a shell line although settings load .env:\n%s", stdout)
	}
	runs(t, py, dir, "")
}

// TestFixWriteOffersTheSettingsLineToAProjectThatListsPythonDotenv: the
// settings line fix offers, added where it says, makes the project run
// with no shell step.
func TestFixWriteOffersTheSettingsLineToAProjectThatListsPythonDotenv(t *testing.T) {
	py := testenv.PythonWith(t, "django, dotenv", "python3-django python3-dotenv")
	dir := startproject(t, py)
	if err := os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("Django>=3.2\npython-dotenv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, dir, "fix", "--write")
	if code != exitClean {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	add, ok := printedAfter(stdout, "since requirements.txt lists python-dotenv, add this line to mysite/settings.py after line ")
	if !ok {
		t.Fatalf("fix offers no settings line:\n%s", stdout)
	}
	lead := "after line "
	rest := stdout[strings.Index(stdout, lead)+len(lead):]
	n, err := strconv.Atoi(rest[:strings.IndexByte(rest, ':')])
	if err != nil {
		t.Fatal(err)
	}
	settings := filepath.Join(dir, "mysite", "settings.py")
	b, _ := os.ReadFile(settings)
	lines := strings.SplitAfter(string(b), "\n")
	edited := strings.Join(lines[:n], "") + add + "\n" + strings.Join(lines[n:], "")
	if err := os.WriteFile(settings, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	runs(t, py, dir, "")
}
