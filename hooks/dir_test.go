package hooks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// isolate points every configuration file git reads at an empty temporary
// home, so the machine's own configuration cannot leak in, and returns it.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, name := range []string{"GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	return home
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	data, _ := os.ReadFile(path)
	writeFile(t, path, string(data)+content)
}

func wantDir(t *testing.T, dir, want string) {
	t.Helper()
	got, err := Dir(dir)
	if err != nil || got != want {
		t.Errorf("Dir = %q, %v; want %q", got, err, want)
	}
}

func TestDirReadsTheUsersConfiguration(t *testing.T) {
	t.Run("~/.gitconfig", func(t *testing.T) {
		home := isolate(t)
		dir := initRepo(t)
		writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\thooksPath = ~/githooks\n")
		wantDir(t, dir, filepath.Join(home, "githooks"))
	})
	t.Run("XDG_CONFIG_HOME/git/config", func(t *testing.T) {
		isolate(t)
		xdg := t.TempDir()
		t.Setenv("XDG_CONFIG_HOME", xdg)
		dir := initRepo(t)
		writeFile(t, filepath.Join(xdg, "git", "config"), "[core]\n\thooksPath = /srv/xdg-hooks\n")
		wantDir(t, dir, "/srv/xdg-hooks")
	})
	t.Run("~/.config/git/config without XDG_CONFIG_HOME", func(t *testing.T) {
		home := isolate(t)
		dir := initRepo(t)
		writeFile(t, filepath.Join(home, ".config", "git", "config"), "[core]\n\thooksPath = /srv/dot-config\n")
		wantDir(t, dir, "/srv/dot-config")
	})
	t.Run("~/.gitconfig wins over the XDG file", func(t *testing.T) {
		home := isolate(t)
		dir := initRepo(t)
		writeFile(t, filepath.Join(home, ".config", "git", "config"), "[core]\n\thooksPath = /srv/xdg\n")
		writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\thooksPath = /srv/home\n")
		wantDir(t, dir, "/srv/home")
	})
	t.Run("GIT_CONFIG_GLOBAL replaces both", func(t *testing.T) {
		home := isolate(t)
		dir := initRepo(t)
		writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\thooksPath = /srv/home\n")
		global := filepath.Join(t.TempDir(), "global.cfg")
		writeFile(t, global, "[core]\n\thooksPath = /srv/global\n")
		t.Setenv("GIT_CONFIG_GLOBAL", global)
		wantDir(t, dir, "/srv/global")
	})
}

func TestDirReadsTheSystemConfigurationLast(t *testing.T) {
	home := isolate(t)
	dir := initRepo(t)
	system := filepath.Join(t.TempDir(), "gitconfig")
	writeFile(t, system, "[core]\n\thooksPath = /srv/system\n")
	t.Setenv("GIT_CONFIG_SYSTEM", system)
	os.Unsetenv("GIT_CONFIG_NOSYSTEM")
	wantDir(t, dir, "/srv/system")
	// The user's configuration overrides the system's, and the
	// repository's overrides both.
	writeFile(t, filepath.Join(home, ".gitconfig"), "[core]\n\thooksPath = /srv/user\n")
	wantDir(t, dir, "/srv/user")
	appendFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\thooksPath = local-hooks\n")
	wantDir(t, dir, filepath.Join(dir, "local-hooks"))
	// GIT_CONFIG_NOSYSTEM leaves the system's out.
	t.Setenv("GIT_CONFIG_NOSYSTEM", "true")
	os.Remove(filepath.Join(home, ".gitconfig"))
	writeFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\tbare = false\n")
	wantDir(t, dir, filepath.Join(dir, ".git", "hooks"))
}

// TestDirReadsBooleansAsGitDoes: GIT_CONFIG_NOSYSTEM and
// extensions.worktreeConfig take any of git's booleans, a non-zero number
// among them, and a value git refuses is an error.
func TestDirReadsBooleansAsGitDoes(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	system := filepath.Join(t.TempDir(), "gitconfig")
	writeFile(t, system, "[core]\n\thooksPath = /srv/system\n")
	t.Setenv("GIT_CONFIG_SYSTEM", system)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "2")
	wantDir(t, dir, filepath.Join(dir, ".git", "hooks"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "maybe")
	if got, err := Dir(dir); err == nil || !strings.Contains(err.Error(), "GIT_CONFIG_NOSYSTEM") {
		t.Errorf("GIT_CONFIG_NOSYSTEM=maybe: Dir = %q, %v; want an error naming it", got, err)
	}
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")

	writeFile(t, filepath.Join(dir, ".git", "config.worktree"), "[core]\n\thooksPath = /srv/worktree\n")
	appendFile(t, filepath.Join(dir, ".git", "config"), "[extensions]\n\tworktreeConfig = 0x1\n")
	wantDir(t, dir, "/srv/worktree")
	appendFile(t, filepath.Join(dir, ".git", "config"), "[extensions]\n\tworktreeConfig = sometimes\n")
	if got, err := Dir(dir); err == nil || !strings.Contains(err.Error(), "worktreeConfig") {
		t.Errorf("worktreeConfig = sometimes: Dir = %q, %v; want an error naming it", got, err)
	}
}

func TestDirFollowsIncludes(t *testing.T) {
	home := isolate(t)
	dir := initRepo(t)
	gitDir := filepath.Join(dir, ".git")
	t.Run("include.path relative to the including file", func(t *testing.T) {
		writeFile(t, filepath.Join(home, ".gitconfig"), "[include]\n\tpath = conf.d/hooks.cfg\n")
		writeFile(t, filepath.Join(home, "conf.d", "hooks.cfg"), "[include]\n\tpath = more.cfg\n")
		writeFile(t, filepath.Join(home, "conf.d", "more.cfg"), "[core]\n\thooksPath = /srv/included\n")
		wantDir(t, dir, "/srv/included")
	})
	t.Run("a setting after the include wins", func(t *testing.T) {
		writeFile(t, filepath.Join(home, ".gitconfig"), "[include]\n\tpath = ~/conf.d/hooks.cfg\n[core]\n\thooksPath = /srv/after\n")
		wantDir(t, dir, "/srv/after")
	})
	for _, c := range []struct{ cond, want string }{
		{"gitdir:" + gitDir, "/srv/cond"},
		{"gitdir:" + filepath.Dir(dir) + "/", "/srv/cond"},
		{"gitdir:" + filepath.Base(dir) + "/.git", "/srv/cond"},
		{"gitdir:" + filepath.Dir(dir) + "/*/.git", "/srv/cond"},
		{"gitdir:" + filepath.Dir(filepath.Dir(dir)) + "/*/.git", filepath.Join(gitDir, "hooks")},
		{"gitdir:" + filepath.Dir(filepath.Dir(dir)) + "/**/.git", "/srv/cond"},
		{"gitdir:/elsewhere/", filepath.Join(gitDir, "hooks")},
		{"gitdir:" + strings.ToUpper(gitDir), filepath.Join(gitDir, "hooks")},
		{"gitdir/i:" + strings.ToUpper(gitDir), "/srv/cond"},
		{"onbranch:master", "/srv/cond"},
		{"onbranch:ma*", "/srv/cond"},
		{"onbranch:main", filepath.Join(gitDir, "hooks")},
		{"nosuchcondition:x", filepath.Join(gitDir, "hooks")},
	} {
		t.Run(c.cond, func(t *testing.T) {
			writeFile(t, filepath.Join(home, ".gitconfig"), "[includeIf \""+c.cond+"\"]\n\tpath = cond.cfg\n")
			writeFile(t, filepath.Join(home, "cond.cfg"), "[core]\n\thooksPath = /srv/cond\n")
			wantDir(t, dir, c.want)
		})
	}
}

func TestDirRefusesWhatItCannotDecide(t *testing.T) {
	home := isolate(t)
	dir := initRepo(t)
	writeFile(t, filepath.Join(home, "cond.cfg"), "[core]\n\thooksPath = /srv/cond\n")
	for _, cond := range []string{"hasconfig:remote.*.url:https://example.com/**", "gitdir:%(prefix)/repos/"} {
		writeFile(t, filepath.Join(home, ".gitconfig"), "[includeIf \""+cond+"\"]\n\tpath = cond.cfg\n")
		if _, err := Dir(dir); err == nil || !strings.Contains(err.Error(), cond) {
			t.Errorf("a hooksPath under %s: %v", cond, err)
		}
	}
	// Set in the repository, it wins whatever the condition.
	appendFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\thooksPath = mine\n")
	wantDir(t, dir, filepath.Join(dir, "mine"))

	for name, cfg := range map[string]string{
		"an empty value":     "[core]\n\thooksPath =\n",
		"no value":           "[core]\n\thooksPath\n",
		"git's prefix":       "[core]\n\thooksPath = %(prefix)/share/hooks\n",
		"a bad line":         "[core\n\thooksPath = x\n",
		"an include cycle":   "[include]\n\tpath = config\n",
		"a bad escape":       "[core]\n\thooksPath = a\\qb\n",
		"an unclosed quote":  "[core]\n\thooksPath = \"a\n",
		"a missing include ": "[include]\n\tpath\n",
	} {
		writeFile(t, filepath.Join(dir, ".git", "config"), cfg)
		if got, err := Dir(dir); err == nil {
			t.Errorf("%s: Dir = %q, want an error", name, got)
		}
	}
}

// TestDirCannotTellTheBranchOfAReftableRepository: with reftable refs,
// HEAD names the placeholder branch ".invalid" and the real branch is in
// the reftable, so an onbranch: condition is undecided, not false.
func TestDirCannotTellTheBranchOfAReftableRepository(t *testing.T) {
	for name, setup := range map[string]func(dir string){
		"HEAD on refs/heads/.invalid": func(dir string) {
			writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/.invalid\n")
		},
		"extensions.refStorage = reftable": func(dir string) {
			appendFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\trepositoryformatversion = 1\n[extensions]\n\trefStorage = reftable\n")
		},
	} {
		t.Run(name, func(t *testing.T) {
			home := isolate(t)
			dir := initRepo(t)
			setup(dir)
			writeFile(t, filepath.Join(home, ".gitconfig"), "[includeIf \"onbranch:feature/\"]\n\tpath = cond.cfg\n")
			writeFile(t, filepath.Join(home, "cond.cfg"), "[core]\n\thooksPath = /srv/cond\n")
			if got, err := Dir(dir); err == nil || !strings.Contains(err.Error(), `"onbranch:feature/"`) {
				t.Errorf("Dir = %q, %v; want an error naming the onbranch: condition", got, err)
			}
		})
	}
}

func TestDirReadsTheWorktreeConfiguration(t *testing.T) {
	isolate(t)
	dir := initRepo(t)
	wt := t.TempDir()
	testenv.LinkWorktree(t, dir, wt, "ref: refs/heads/wt")
	appendFile(t, filepath.Join(dir, ".git", "config"), "[core]\n\thooksPath = /srv/repo\n[extensions]\n\tworktreeConfig = true\n")
	writeFile(t, filepath.Join(dir, ".git", "worktrees", filepath.Base(wt), "config.worktree"), "[core]\n\thooksPath = wt-hooks\n")
	wantDir(t, wt, filepath.Join(wt, "wt-hooks"))
	wantDir(t, dir, "/srv/repo")
}

func TestDirInABareRepository(t *testing.T) {
	isolate(t)
	bare := t.TempDir()
	for _, d := range []string{"objects", "refs"} {
		os.MkdirAll(filepath.Join(bare, d), 0o755)
	}
	writeFile(t, filepath.Join(bare, "HEAD"), "ref: refs/heads/main\n")
	writeFile(t, filepath.Join(bare, "config"), "[core]\n\tbare = true\n")
	wantDir(t, bare, filepath.Join(bare, "hooks"))
	appendFile(t, filepath.Join(bare, "config"), "[core]\n\thooksPath = custom\n")
	wantDir(t, bare, filepath.Join(bare, "custom"))
	if _, err := Dir(t.TempDir()); err == nil {
		t.Error("a directory in no repository has a hooks directory")
	}
}

// TestDirAgreesWithGit asks git where it looks for hooks, in the
// configurations above, and compares.
func TestDirAgreesWithGit(t *testing.T) {
	git := testenv.Tool(t, "git")
	for _, c := range []struct {
		name   string
		global string // ~/.gitconfig
		local  string // appended to .git/config
		files  map[string]string
	}{
		{name: "no setting"},
		{name: "global absolute", global: "[core]\n\thooksPath = /srv/hooks\n"},
		{name: "global home", global: "[core]\n\thooksPath = ~/hooks\n"},
		{name: "local relative", local: "[core]\n\thooksPath = .husky/_\n"},
		{name: "local over global", global: "[core]\n\thooksPath = /srv/g\n", local: "[core]\n\thooksPath = tools/hooks\n"},
		{name: "include", global: "[include]\n\tpath = inc/a.cfg\n", files: map[string]string{"inc/a.cfg": "[core]\n\thooksPath = /srv/inc\n"}},
		{name: "includeIf gitdir", global: "[includeIf \"gitdir:repo/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/b\n"}},
		{name: "includeIf gitdir/i", global: "[includeIf \"gitdir/i:REPO/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/bi\n"}},
		{name: "includeIf gitdir miss", global: "[includeIf \"gitdir:/nowhere/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/b\n"}},
		{name: "includeIf onbranch", global: "[includeIf \"onbranch:ma**\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/branch\n"}},
		{name: "quoting and comments", global: "[core] hooksPath = \"/srv/a b\" ; a comment\n"},
		{name: "names in any case", global: "[Core]\n\tHOOKSPATH = /srv/case\n"},
		{name: "includeIf gitdir/i with [[:upper:]]", global: "[includeIf \"gitdir/i:**/[[:upper:]]epo/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/upper\n"}},
		{name: "includeIf gitdir/i with a range", global: "[includeIf \"gitdir/i:**/[P-S]EPO/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/range\n"}},
		{name: "includeIf gitdir/i with a capital in a class", global: "[includeIf \"gitdir/i:**/[R]epo/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/class\n"}},
		{name: "includeIf gitdir/i with an escaped capital", global: "[includeIf \"gitdir/i:**/\\\\Repo/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/escaped\n"}},
		{name: "a variable before any section", global: "hooksPath = /srv/top\n[core]\n\tbare = false\n"},
		{name: "a backslash at the end of the file", global: "[core]\n\thooksPath = /srv/end\\"},
		{name: "a form feed is part of the value", global: "[core]\n\thooksPath = /srv/ff\f\n"},
		{name: "includeIf gitdir ~/", global: "[includeIf \"gitdir:~/work/\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/home\n"}},
		{name: "includeIf gitdir ./", global: "[includeIf \"gitdir:./work/*/.git\"]\n\tpath = b.cfg\n", files: map[string]string{"b.cfg": "[core]\n\thooksPath = /srv/dot\n"}},
		{name: "includeIf gitdir ./ with no such file", global: "[includeIf \"gitdir:./work/\"]\n\tpath = b.cfg\n", files: map[string]string{"work/b.cfg": "[core]\n\thooksPath = /srv/dot\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := isolate(t)
			dir := filepath.Join(home, "work", "repo")
			if out, err := exec.Command(git, "init", "-q", "-b", "master", dir).CombinedOutput(); err != nil {
				t.Fatalf("git init: %v\n%s", err, out)
			}
			if c.global != "" {
				writeFile(t, filepath.Join(home, ".gitconfig"), c.global)
			}
			for name, content := range c.files {
				writeFile(t, filepath.Join(home, filepath.FromSlash(name)), content)
			}
			if c.local != "" {
				appendFile(t, filepath.Join(dir, ".git", "config"), c.local)
			}
			cmd := exec.Command(git, "rev-parse", "--git-path", "hooks")
			cmd.Dir = dir
			var stderr strings.Builder
			cmd.Stderr = &stderr // where git complains of what it reads anyway
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git rev-parse: %v\n%s", err, stderr.String())
			}
			want := strings.TrimSuffix(string(out), "\n")
			if !filepath.IsAbs(want) {
				want = filepath.Join(dir, want)
			}
			wantDir(t, dir, filepath.Clean(want))
		})
	}
}
