package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// gitRepo makes a repository with the git binary, isolated from the
// user's and the system's configuration.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	testenv.Tool(t, "git")
	home := t.TempDir()
	g := &gitRepo{t: t, dir: filepath.Join(t.TempDir(), "repo"), env: append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")}
	os.MkdirAll(g.dir, 0o755)
	g.git("init", "-q", "-b", "main")
	g.write("README.md", "demo\n")
	g.git("add", "README.md")
	g.git("commit", "-q", "-m", "start")
	return g
}

func (g *gitRepo) run(dir string, env []string, name string, args ...string) (string, error) {
	g.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	out, err := g.run(g.dir, g.env, "git", args...)
	if err != nil {
		g.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return out
}

func (g *gitRepo) write(name, content string) {
	g.t.Helper()
	p := filepath.Join(g.dir, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

// commit stages files and tries to commit them, returning git's output
// and whether the commit was made.
func (g *gitRepo) commit(files map[string]string) (string, bool) {
	g.t.Helper()
	for name, content := range files {
		g.write(name, content)
		g.git("add", name)
	}
	out, err := g.run(g.dir, g.env, "git", "commit", "-q", "-m", "change")
	return out, err == nil
}

func (g *gitRepo) djguard(bin string, args ...string) string {
	g.t.Helper()
	out, err := g.run(g.dir, g.env, bin, args...)
	if err != nil {
		g.t.Fatalf("djguard %v: %v\n%s", args, err, out)
	}
	return out
}

// pushRepo adds a bare repository as the remote origin of g.
func (g *gitRepo) addRemote() string {
	g.t.Helper()
	remote := filepath.Join(g.t.TempDir(), "remote.git")
	g.git("init", "-q", "--bare", remote)
	g.git("remote", "add", "origin", remote)
	return remote
}

// push runs git push and says whether it went through.
func (g *gitRepo) push(args ...string) (string, bool) {
	g.t.Helper()
	out, err := g.run(g.dir, g.env, "git", append([]string{"push"}, args...)...)
	return out, err == nil
}
