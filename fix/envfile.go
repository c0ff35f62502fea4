package fix

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/djguard/djguard/keygen"
)

// keyPlaceholder stands for the new key in a dry run's diff: the key is
// made only when the plan is written.
const keyPlaceholder = "<a new key, made by --write>"

// planEnv plans the .env that receives the new key, and the .gitignore
// line that keeps it out of git.
func (p *Plan) planEnv(vars map[string]string) error {
	var dir string
	var names []string
	for v, d := range vars {
		names = append(names, v)
		if dir == "" || len(d) < len(dir) {
			dir = d
		}
	}
	sort.Strings(names)
	path := filepath.Join(dir, ".env")
	e, err := load(path)
	if err != nil {
		return err
	}
	if !e.exists {
		e.Mode = 0o600
	}
	e.Name, e.tempPrefix = p.rel(path), envTempPrefix
	// Whatever a .env already holds is a secret: the diff shows its names,
	// not its values.
	e.hideBefore = envValues(e.Before)
	e.hideAfter = e.hideBefore
	env := &EnvFile{Edit: *e, noDollar: map[string]bool{}}
	for _, m := range p.modules {
		for _, r := range m.reads {
			env.noDollar[r.name] = env.noDollar[r.name] || r.environ
		}
	}
	before := e.Before
	after := append([]byte(nil), before...)
	for _, v := range names {
		if definesVar(before, v) {
			p.Notes = append(p.Notes, fmt.Sprintf("%s already sets %s; it was left as it is. Make sure it is not a leaked key: djguard verify --env %s --against REPORT.json, with it loaded.", env.Name, v, v))
			continue
		}
		if len(after) > 0 && !bytes.HasSuffix(after, []byte("\n")) {
			after = append(after, '\n')
		}
		line, _ := keygen.EnvLine(v, keyPlaceholder)
		after = append(after, line+"\n"...)
		env.Vars = append(env.Vars, v)
	}
	env.After = after
	p.EnvPath, p.envText = path, after
	if len(env.Vars) > 0 {
		p.Env = env
	}
	return p.planGitignore(path, p.Env != nil)
}

var envVarLine = regexp.MustCompile(`(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=`)

// envValueLine finds a dotenv assignment's value: group 2 is the value.
var envValueLine = regexp.MustCompile(`(?m)^([ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*)([^\r\n]*?)[ \t]*\r?$`)

// envValues returns where the values of a .env's assignments sit, inside
// their quotes.
func envValues(b []byte) []secretSpan {
	var spans []secretSpan
	for _, m := range envValueLine.FindAllSubmatchIndex(b, -1) {
		start, end := m[4], m[5]
		if end-start >= 2 && (b[start] == '\'' || b[start] == '"') && b[end-1] == b[start] {
			start, end = start+1, end-1
		}
		if end > start {
			spans = append(spans, secretSpan{start, end, string(b[start:end])})
		}
	}
	return spans
}

func definesVar(b []byte, name string) bool {
	for _, m := range envVarLine.FindAllSubmatch(b, -1) {
		if string(m[1]) == name {
			return true
		}
	}
	return false
}

// planGitignore makes git ignore the .env and, when Apply writes it, the
// temporary copy Apply writes beside it (which holds the new key until it
// is renamed): each gets a rule in the .gitignore of the .env's
// directory, unless a .gitignore between it and the root already ignores
// it.
func (p *Plan) planGitignore(envPath string, writesEnv bool) error {
	var rules []string
	if !p.ignored(envPath) {
		rules = append(rules, ".env")
	}
	if writesEnv && !p.ignored(filepath.Join(filepath.Dir(envPath), envTempPrefix+"0")) {
		rules = append(rules, envTempPrefix+"*")
	}
	if len(rules) == 0 {
		return nil
	}
	gi := filepath.Join(filepath.Dir(envPath), ".gitignore")
	e, err := load(gi)
	if err != nil {
		return err
	}
	if !e.exists {
		e.Mode = 0o644
	}
	eol := "\n"
	if bytes.Contains(e.Before, []byte("\r\n")) {
		eol = "\r\n"
	}
	after := append([]byte(nil), e.Before...)
	if len(after) > 0 && !bytes.HasSuffix(after, []byte("\n")) {
		after = append(after, eol...)
	}
	after = append(after, "# Local settings and secrets, and djguard fix's copies of them"+eol...)
	for _, r := range rules {
		after = append(after, r+eol...)
	}
	e.Name, e.After, e.ignoreFile = p.rel(gi), after, true
	p.Edits = append(p.Edits, e)
	if isLink(gi) {
		p.Notes = append(p.Notes, fmt.Sprintf("%s is a symbolic link, and git (2.32 and later) does not read a .gitignore that is one: the rules fix writes through it do not keep .env out of git. Make %s a file, or add .env to .git/info/exclude.", e.Name, e.Name))
	}
	return nil
}

func isLink(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// ignored reports whether a .gitignore between path and the root ignores
// path. As in git, a .gitignore that is a symbolic link does not count.
func (p *Plan) ignored(path string) bool {
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		gi := filepath.Join(d, ".gitignore")
		if patterns, err := ignore.CompileIgnoreFile(gi); err == nil && !isLink(gi) {
			rel, _ := filepath.Rel(d, path)
			if patterns.MatchesPath(filepath.ToSlash(rel)) {
				return true
			}
		}
		if d == p.root || d == filepath.Dir(d) || !strings.HasPrefix(d, p.root) {
			return false
		}
	}
}
