package fix

import (
	"regexp"
	"strings"

	"github.com/djguard/djguard/internal/shell"
)

// shPlain matches a .env line that sh reads as plain data, with the value
// python-dotenv reads from it: a comment, a blank line, or NAME=value
// (perhaps exported) whose value is single-quoted, double-quoted with
// nothing sh would expand, or unquoted with nothing sh treats specially.
// Every key djguard writes is single-quoted: Django's alphabet has no
// quote.
var shPlain = regexp.MustCompile(`^(?:[ \t]*(?:#.*)?|(?:export )?[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"$` + "`" + `\\]*"|[A-Za-z0-9_@%+=:,./-]*))$`)

// ShellLoad returns a line for sh (or bash) that puts the variables of
// the plan's .env in the environment of the shell it runs in, and of the
// programs that shell starts; path is how that shell reaches the .env (as
// the user sees it from where they run it). It reads the key from the
// file, never holding it. The whole file is sourced when sh reads every
// line of it as plain data; else only the lines of the variables the
// settings read, when those are; else ShellLoad returns "".
func (p *Plan) ShellLoad(path string) string {
	if p.EnvPath == "" {
		return ""
	}
	src := shPath(path)
	lines := strings.Split(strings.TrimSuffix(string(p.envText), "\n"), "\n")
	if allPlain(lines) {
		return "set -a; . " + src + "; set +a"
	}
	var vars []string
	for _, l := range p.Loads {
		for _, v := range l.Vars {
			if !contains(vars, v) {
				vars = append(vars, v)
			}
		}
	}
	var mine []string
	for _, line := range lines {
		for _, v := range vars {
			if strings.HasPrefix(strings.TrimPrefix(line, "export "), v+"=") {
				mine = append(mine, line)
			}
		}
	}
	if len(mine) == 0 || !allPlain(mine) {
		return ""
	}
	// Only these variables' lines: the rest of the file is not for sh.
	return `set -a; eval "$(grep -E '^(export )?(` + strings.Join(vars, "|") + `)=' ` + src + `)"; set +a`
}

func allPlain(lines []string) bool {
	for _, l := range lines {
		if !shPlain.MatchString(l) {
			return false
		}
	}
	return true
}

// shPath spells path for sh's "." command: with a slash, so that "." does
// not search PATH for it, and quoted when it holds anything sh would read
// as more than a word.
func shPath(path string) string {
	if !strings.Contains(path, "/") {
		path = "./" + path
	}
	return shell.Quote(path)
}
