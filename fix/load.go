package fix

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// How the variables fix puts in .env reach the settings that read them:
// a module may load the .env itself (python-dotenv's load_dotenv,
// django-environ's read_env), read it through python-decouple, or load
// nothing, in which case the user must put the variables in the
// environment. Each library's own rule for which file it reads is
// followed here, so that fix can say whether it is the .env it writes.

// Load says how one settings module that fix makes read variables from
// the .env gets them.
type Load struct {
	Module string   // the settings module, as shown
	Vars   []string // the variables it reads that the .env holds
	Env    string   // the .env that holds them, as shown
	// Reaches says that the variables get from Env to the module's reads
	// with nothing more to do.
	Reaches bool
	// Loader is the call that loads a .env, as written, Library the
	// library it comes from and Line its line; "" when there is none (or,
	// for a module that reads with python-decouple, when decouple is
	// what reads Env).
	Loader, Library string
	Line            int
	// Reads is the file the loader (or decouple) reads, as shown; "" when
	// fix cannot tell.
	Reads string
	// Decouple says the module reads the variables with python-decouple's
	// config, which reads Reads itself.
	Decouple bool
	// why is what keeps a loader from reaching Env, in words.
	why string
	// Suggest is a line that would make the module load Env, to add after
	// line After; SuggestWhy says why it is offered. "" when fix has none.
	Suggest, SuggestWhy string
	After               int
}

// Note says in words how the module gets its variables, or why it does
// not.
func (l Load) Note() string {
	vars := strings.Join(l.Vars, " and ")
	switch {
	case l.Reaches && l.Decouple && l.Loader == "":
		return fmt.Sprintf("%s reads %s with python-decouple's config, which reads %s itself (the first settings.ini or .env in the module's directory or above): %s is read from there", l.Module, vars, l.Env, vars)
	case l.Reaches:
		return fmt.Sprintf("%s loads %s with %s's %s (line %d): %s is read from there", l.Module, l.Env, l.Library, l.Loader, l.Line, vars)
	case l.why != "":
		return l.why
	}
	return fmt.Sprintf("nothing in %s loads %s, and it reads %s from the environment", l.Module, l.Env, vars)
}

// moduleReads is a settings module as fix leaves it, with the reads of
// variables that the .env holds.
type moduleReads struct {
	name, path string // as shown, and absolute
	text       []byte
	reads      []varRead
}

type varRead struct {
	name     string
	at       int  // where the read starts in text
	decouple bool // through python-decouple's config
	environ  bool // in a module that uses django-environ
}

// loader is a call in a settings module that loads a .env.
type loader struct {
	call, library string
	at, line      int
	inBlock       bool
	// environ says the call puts the values in os.environ: dotenv_values
	// only returns them.
	environ bool
	path    string // the file it reads, absolute; "" when unknown
}

// loaderCall finds calls of the .env loaders, with any qualifier
// (dotenv.load_dotenv, environ.Env.read_env, env.read_env).
var loaderCall = regexp.MustCompile(`\b((?:[A-Za-z_][A-Za-z0-9_]*\.)*(load_dotenv|read_env|dotenv_values))[ \t]*\(`)

// loaders lists the calls in text that load a .env. target is the .env
// fix writes: a search for the nearest .env finds it even before it
// exists.
func loaders(text []byte, file, target string) []loader {
	var out []loader
	for _, m := range loaderCall.FindAllSubmatchIndex(text, -1) {
		ls := strings.LastIndexByte(string(text[:m[0]]), '\n') + 1
		prefix := string(text[ls:m[0]])
		if strings.Contains(prefix, "#") || strings.HasPrefix(strings.TrimSpace(prefix), "def ") {
			continue
		}
		open := m[1] - 1
		close := closingParen(text, open)
		if close < 0 {
			continue
		}
		fn := string(text[m[4]:m[5]])
		l := loader{
			// As one line, however the call is laid out.
			call:    string(text[m[2]:m[3]]) + "(" + strings.Join(strings.Fields(string(text[open+1:close])), " ") + ")",
			library: "python-dotenv",
			at:      m[0],
			line:    1 + strings.Count(string(text[:m[0]]), "\n"),
			inBlock: prefix != strings.TrimLeft(prefix, " \t") && inBlock(text, ls+len(prefix)-len(strings.TrimLeft(prefix, " \t"))),
			environ: fn != "dotenv_values" || strings.Contains(prefix, "environ.update("),
		}
		pe := &pathEval{b: text, file: file, before: m[0]}
		l.path = loadedPath(fn, splitArgs(string(text[open+1:close])), pe, target)
		if fn == "read_env" {
			l.library = "django-environ"
		}
		out = append(out, l)
	}
	return out
}

// loadedPath returns the file that a call of fn with args reads, by its
// library's rule; "" when fix cannot tell.
func loadedPath(fn string, args []string, pe *pathEval, target string) string {
	dir := filepath.Dir(pe.file)
	if fn == "read_env" {
		if a, ok := pathArg(args, "env_file"); ok {
			p, _ := pe.eval(a)
			return p
		}
		// read_env() reads the .env beside the file that calls it.
		return filepath.Join(dir, ".env")
	}
	a, hasPath := pathArg(args, "dotenv_path")
	if hasPath && !isFindDotenv(a) {
		p, _ := pe.eval(a)
		return p
	}
	if _, stream := kwArg(args, "stream"); stream {
		return ""
	}
	// Without a path, find_dotenv walks up from the calling file's
	// directory to the first .env.
	return nearestFile(dir, target, []string{".env"}, true)
}

// pathArg returns a call's path argument: the first positional one, or
// the keyword kw.
func pathArg(args []string, kw string) (string, bool) {
	if a, ok := kwArg(args, kw); ok {
		return a, true
	}
	if len(args) > 0 && assignmentEq(args[0]) < 0 {
		return args[0], true
	}
	return "", false
}

// kwArg returns the value of the keyword argument kw.
func kwArg(args []string, kw string) (string, bool) {
	for _, a := range args {
		if rest, ok := strings.CutPrefix(a, kw); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "=")), true
		}
	}
	return "", false
}

// findDotenv matches a call of find_dotenv with no arguments, which
// searches as load_dotenv does without a path.
var findDotenv = regexp.MustCompile(`^(?:dotenv\.)?find_dotenv\(\s*\)$`)

func isFindDotenv(expr string) bool { return findDotenv.MatchString(strings.TrimSpace(expr)) }

// nearestFile walks up from dir to the first directory that holds one of
// names (target counts as present): the file found, or "". withRoot says
// whether the filesystem's root is searched too (python-dotenv searches
// it, python-decouple stops below it).
func nearestFile(dir, target string, names []string, withRoot bool) string {
	for d := dir; ; d = filepath.Dir(d) {
		if d == filepath.Dir(d) && !withRoot {
			return ""
		}
		for _, n := range names {
			p := filepath.Join(d, n)
			if p == target {
				return p
			}
			if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
				return p
			}
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

// closingParen returns where the parenthesis that opens at open closes,
// skipping strings; -1 when it does not.
func closingParen(b []byte, open int) int {
	end := min(len(b), open+4096)
	s := string(b[open:end])
	at := -1
	topLevel(s, func(i, depth int) bool {
		if s[i] == ')' && depth == 0 {
			at = open + i
			return false
		}
		return true
	})
	return at
}

// load works out how module m gets its variables from the .env at target.
func (p *Plan) load(m moduleReads, target string) Load {
	l := Load{Module: m.name, Env: p.rel(target)}
	first := len(m.text)
	decouple, onlyDecouple := false, true
	for _, r := range m.reads {
		if !contains(l.Vars, r.name) {
			l.Vars = append(l.Vars, r.name)
		}
		first = min(first, r.at)
		decouple = decouple || r.decouple
		onlyDecouple = onlyDecouple && r.decouple
	}
	vars := strings.Join(l.Vars, " and ")
	dir := filepath.Dir(m.path)
	if decouple {
		// decouple's config reads the first settings.ini or .env from the
		// caller's directory up, stopping below the filesystem's root.
		l.Decouple = true
		found := nearestFile(dir, target, []string{"settings.ini", ".env"}, false)
		if found != "" {
			l.Reads = p.rel(found)
		}
		if onlyDecouple && found == target {
			l.Reaches = true
			return l
		}
		if onlyDecouple {
			l.why = fmt.Sprintf("%s reads %s with python-decouple's config, which reads %s (the first settings.ini or .env in the module's directory or above), not %s", m.name, vars, orUnknown(l.Reads), l.Env)
		}
	}
	for _, ld := range loaders(m.text, m.path, target) {
		c := l
		c.Loader, c.Library, c.Line, c.Reads = ld.call, ld.library, ld.line, ""
		if ld.path != "" {
			c.Reads = p.rel(ld.path)
		}
		why := loaderWhy(m, ld, c, target, first)
		if why != "" && l.Loader != "" {
			continue // the first loader that fails speaks for all that do
		}
		l, l.Reaches, l.why = c, why == "", why
		if l.Reaches {
			return l
		}
	}
	if !l.Reaches {
		p.suggest(&l, m, target, first)
	}
	return l
}

// loaderWhy says what keeps a loader from reaching the .env at target,
// in words; "" when nothing does.
func loaderWhy(m moduleReads, ld loader, l Load, target string, first int) string {
	vars := strings.Join(l.Vars, " and ")
	how := fmt.Sprintf("with %s's %s", ld.library, ld.call)
	switch {
	case !ld.environ:
		return fmt.Sprintf("%s reads a .env %s (line %d), which returns the values without putting them in the environment, where it reads %s", m.name, how, ld.line, vars)
	case ld.path == "":
		return fmt.Sprintf("%s loads a .env %s (line %d), and djguard cannot tell which file that is; %s is in %s", m.name, how, ld.line, vars, l.Env)
	case !samePath(ld.path, target):
		return fmt.Sprintf("%s loads %s %s (line %d), but %s is in %s", m.name, l.Reads, how, ld.line, vars, l.Env)
	case ld.inBlock:
		return fmt.Sprintf("%s loads %s %s (line %d), but inside a block, which may not run", m.name, l.Reads, how, ld.line)
	case ld.at >= first:
		return fmt.Sprintf("%s loads %s %s at line %d, after it reads %s at line %d", m.name, l.Reads, how, ld.line, vars, 1+strings.Count(string(m.text[:first]), "\n"))
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "no file"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// samePath reports whether a and b name the same file: the same path, or
// the same directory entry reached through links.
func samePath(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	da, errA := os.Stat(filepath.Dir(a))
	db, errB := os.Stat(filepath.Dir(b))
	return errA == nil && errB == nil && os.SameFile(da, db) && filepath.Base(a) == filepath.Base(b)
}

// dotenvRequirement finds python-dotenv named as a requirement, not in a
// comment.
var dotenvRequirement = regexp.MustCompile(`(?im)^[^#\n]*?(?:^|[^A-Za-z0-9_.-])python[-_.]dotenv(?:[^A-Za-z0-9_.-]|$)`)

// listsDotenv returns the first requirements file, in dirs, that names
// python-dotenv, as shown; "" when none does. fix offers a line that
// imports it only to a project that says it depends on it.
func (p *Plan) listsDotenv(dirs ...string) string {
	for _, d := range dirs {
		var files []string
		for _, pattern := range []string{"requirements*.txt", "requirements/*.txt", "pyproject.toml", "Pipfile", "setup.cfg", "setup.py"} {
			m, _ := filepath.Glob(filepath.Join(d, pattern))
			files = append(files, m...)
		}
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && dotenvRequirement.Match(b) {
				return p.rel(f)
			}
		}
	}
	return ""
}

// moduleAssign finds a module-level assignment to an upper-case name.
var moduleAssign = regexp.MustCompile(`(?m)^([A-Z_][A-Z0-9_]*)[ \t]*=[ \t]*([^\n#]*)`)

// suggest offers the line that makes module m load the .env at target
// with python-dotenv, when the project lists python-dotenv and the module
// names the .env's directory before its first read.
func (p *Plan) suggest(l *Load, m moduleReads, target string, first int) {
	dir := filepath.Dir(target)
	listed := p.listsDotenv(dir, p.root)
	if listed == "" {
		return
	}
	for _, a := range moduleAssign.FindAllSubmatchIndex(m.text[:first], -1) {
		name, rhs := string(m.text[a[2]:a[3]]), string(m.text[a[4]:a[5]])
		pe := &pathEval{b: m.text, file: m.path, before: a[0]}
		if strings.Count(rhs, "(") != strings.Count(rhs, ")") {
			continue // a value over lines: no line to add after
		}
		if v, ok := pe.eval(rhs); !ok || !samePath(v, dir) {
			continue
		}
		arg := name + ` / ".env"`
		if !strings.Contains(rhs, "Path") {
			if osName(m.text, a[0]) != "os" {
				continue
			}
			arg = `os.path.join(` + name + `, ".env")`
		}
		l.Suggest = "from dotenv import load_dotenv; load_dotenv(" + arg + ")"
		l.SuggestWhy = listed + " lists python-dotenv"
		l.After = 1 + strings.Count(string(m.text[:a[0]]), "\n")
		return
	}
}
