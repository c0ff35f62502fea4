package hooks

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"

	"github.com/djguard/djguard/internal/testenv"
)

func initRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := git.PlainInit(dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDirIsTheRepositorysHooksFolder(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	got, err := Dir(filepath.Join(dir, "sub"))
	if err != nil || got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

func TestDirHonoursARelativeHooksPath(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	cfg := filepath.Join(dir, ".git", "config")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(data, []byte("[core]\n\thooksPath = tools/hooks\n")...), 0o644)
	got, err := Dir(dir)
	if err != nil || got != filepath.Join(dir, "tools", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

func TestDirFromALinkedWorktreeIsTheSharedOne(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	wt := t.TempDir()
	testenv.LinkWorktree(t, dir, wt, "ref: refs/heads/wt")
	got, err := Dir(wt)
	if err != nil || got != filepath.Join(dir, ".git", "hooks") {
		t.Errorf("Dir = %q, %v", got, err)
	}
}

func TestScriptQuotesTheRecordedPath(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	s := Script("/opt/it's here/djguard")
	if !strings.Contains(s, `djguard='/opt/it'\''s here/djguard'`) {
		t.Errorf("path not quoted for the shell:\n%s", s)
	}
	if err := exec.Command(sh, "-n", "-c", s).Run(); err != nil {
		t.Errorf("the script does not parse: %v", err)
	}
}

func TestInstallChainsAndUninstallRestores(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	hook := filepath.Join(dir, ".git", "hooks", "pre-commit")
	os.MkdirAll(filepath.Dir(hook), 0o755)
	os.WriteFile(hook, []byte("#!/bin/sh\nexit 0\n"), 0o700)
	res, err := Install(dir, "/usr/local/bin/djguard")
	if err != nil || !res.Changed || !res.Chained {
		t.Fatalf("Install = %+v, %v", res, err)
	}
	if res, err := Install(dir, "/usr/local/bin/djguard"); err != nil || res.Changed {
		t.Errorf("second Install = %+v, %v", res, err)
	}
	if res, err := Install(dir, "/opt/djguard"); err != nil || !res.Changed {
		t.Errorf("Install with a new path = %+v, %v", res, err)
	}
	res, err = Uninstall(dir)
	if err != nil || !res.Changed || !res.Chained {
		t.Fatalf("Uninstall = %+v, %v", res, err)
	}
	data, _ := os.ReadFile(hook)
	info, _ := os.Stat(hook)
	if string(data) != "#!/bin/sh\nexit 0\n" || info.Mode().Perm() != 0o700 {
		t.Errorf("restored hook: %q, mode %v", data, info.Mode().Perm())
	}
	if _, err := Uninstall(dir); !errors.Is(err, ErrNotOurs) {
		t.Errorf("Uninstall of a foreign hook: %v", err)
	}
	os.Remove(hook)
	if res, err := Uninstall(dir); err != nil || res.Changed {
		t.Errorf("Uninstall with no hook: %+v, %v", res, err)
	}
}
