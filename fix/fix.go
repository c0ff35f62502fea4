// Package fix moves leaked Django keys out of Python settings: it replaces
// each literal with a read from the environment, puts a fresh key in an
// untracked .env beside manage.py, and makes sure git ignores that file.
// It plans first, shows the plan as a unified diff, and writes only when
// told, atomically, refusing any file that changed since it was read. For
// keys in other files it says what to edit instead of guessing.
package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
)

// Plan is what fix would do.
type Plan struct {
	Edits  []*Edit  // settings modules and .gitignore to rewrite
	Env    *EnvFile // the .env that receives the new key; nil when none is needed
	Manual []Manual // keys to remove by hand
	Notes  []string // other things the user should know
	// Loads says, for each settings module that reads a variable the .env
	// holds, how it gets it; EnvPath is that .env, absolute ("" when no
	// module reads one).
	Loads   []Load
	EnvPath string
	// envText is the .env as it will be, for ShellLoad.
	envText []byte
	modules []moduleReads
	root    string
	// hidden is the text Diff hides unless told to show secrets.
	hidden []hiddenText
	// beforeRename, when set (by tests), runs when a file's temporary
	// copy is complete, just before it is checked and renamed.
	beforeRename func(e *Edit, tmp string) error
}

// Edit is a file to rewrite.
type Edit struct {
	Path          string // absolute, links followed: the file written
	Name          string // as shown, relative to the root
	Before, After []byte
	// Mode is the file's mode with its setuid, setgid and sticky bits, which
	// the rewritten file keeps; for a file fix creates, the mode it gets.
	Mode   fs.FileMode
	exists bool
	// ignoreFile marks a .gitignore, which Apply writes first.
	ignoreFile bool
	// tempPrefix begins the name of the temporary copy; "" for the usual.
	tempPrefix string
	// id is the owner and link count Apply found when it checked the file.
	id fileID
	// hideBefore and hideAfter are where Before and After hold keys, for
	// Diff to hide.
	hideBefore, hideAfter []secretSpan
}

// EnvFile is the .env that will hold the new keys.
type EnvFile struct {
	Edit
	Vars []string // the variables it gains, each with a key of its own
	// noDollar holds the variables a module that uses django-environ
	// reads: its env() takes a value that starts with $ for the name of
	// another variable, so their keys must not start with one.
	noDollar map[string]bool
}

// Manual is a finding fix leaves to the user, with what to do.
type Manual struct {
	Finding detect.Finding
	Do      string
}

// fixable classes: literal keys and literal fallbacks.
var fixable = map[detect.Class]bool{
	detect.HardcodedKey:      true,
	detect.InsecureKey:       true,
	detect.HardcodedFallback: true,
}

// Make plans the fix of findings whose paths are relative to root, a
// directory that holds the project (the repository's root).
func Make(root string, findings []detect.Finding) (*Plan, error) {
	// Loaders are followed up the directory tree, which a relative root
	// would cut short.
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	p := &Plan{root: root}
	byFile := map[string][]detect.Finding{}
	all := map[string][]detect.Finding{}
	var files []string
	for _, f := range findings {
		p.hideWhole(f.Secret, "")
		all[f.Path] = append(all[f.Path], f)
		if filepath.Ext(f.Path) != ".py" {
			p.Manual = append(p.Manual, Manual{f, manualAdvice(f)})
			continue
		}
		if byFile[f.Path] == nil {
			files = append(files, f.Path)
		}
		byFile[f.Path] = append(byFile[f.Path], f)
	}
	sort.Strings(files)
	envVars := map[string]string{} // variable -> directory of its .env
	for _, name := range files {
		vars, err := p.settings(name, byFile[name], all[name])
		if err != nil {
			return nil, err
		}
		for _, v := range vars {
			envVars[v] = p.envDir(filepath.Dir(filepath.Join(root, filepath.FromSlash(name))))
		}
	}
	if len(envVars) > 0 {
		if err := p.planEnv(envVars); err != nil {
			return nil, err
		}
		for _, m := range p.modules {
			p.Loads = append(p.Loads, p.load(m, p.EnvPath))
		}
	}
	return p, nil
}

// settings plans the edits of one settings module and returns the
// environment variables it will read. findings are those to fix or, when
// fix cannot, to explain; all are every finding in the module, for the
// diff to hide.
func (p *Plan) settings(name string, findings, all []detect.Finding) ([]string, error) {
	e, err := load(filepath.Join(p.root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if !e.exists {
		return nil, fmt.Errorf("read %s: %w", name, fs.ErrNotExist)
	}
	before := e.Before
	style := styleOf(before)
	var cuts []cut
	var vars []string
	var reads []varRead
	for _, f := range findings {
		var c cut
		var envVar string
		ok := fixable[f.Class]
		if ok {
			c, envVar, ok = planLiteral(before, f, style)
		}
		if !ok {
			p.Manual = append(p.Manual, Manual{f, pyAdvice(before, f)})
			continue
		}
		cuts = append(cuts, c)
		if envVar != "" {
			vars = append(vars, envVar)
			reads = append(reads, varRead{envVar, c.start, readsWithDecouple(before, c, f, style), style.reader == readEnviron})
		}
	}
	if len(cuts) == 0 {
		return nil, nil
	}
	if needsOSImport(cuts) {
		cuts = append(cuts, importCut(before))
	}
	sortCuts(cuts)
	spans := p.hideFindings(before, all)
	e.Name, e.After = name, applyCuts(before, cuts)
	e.hideBefore, e.hideAfter = spans, mapSpans(spans, cuts)
	p.Edits = append(p.Edits, e)
	for i := range reads {
		reads[i].at = shifted(cuts, reads[i].at)
	}
	p.modules = append(p.modules, moduleReads{name, filepath.Join(p.root, filepath.FromSlash(name)), e.After, reads})
	return vars, nil
}

// load reads the file at path, through its links: the Edit it returns
// names the file to write, what it holds, whether it exists, and its mode.
func load(path string) (*Edit, error) {
	real, err := resolve(path)
	if err != nil {
		return nil, err
	}
	e := &Edit{Path: real}
	b, err := os.ReadFile(real)
	switch {
	case err == nil:
		e.Before, e.exists = b, true
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if info, err := os.Stat(real); err == nil {
		e.Mode = keptMode(info)
	}
	return e, nil
}

// keptMode is what of a file's mode a rewrite keeps: its permissions and
// its setuid, setgid and sticky bits.
func keptMode(info fs.FileInfo) fs.FileMode {
	return info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
}

// hideFindings returns where the findings sit in b, and has Diff hide
// their spelling wherever else it shows.
func (p *Plan) hideFindings(b []byte, findings []detect.Finding) []secretSpan {
	var spans []secretSpan
	for _, f := range findings {
		if f.Start < 0 || f.End > len(b) || f.Start >= f.End {
			continue
		}
		spans = append(spans, secretSpan{f.Start, f.End, f.Secret})
		p.hideWhole(f.Secret, string(b[f.Start:f.End]))
	}
	return spans
}

// envDir is where the .env goes: beside the nearest manage.py above dir,
// up to the root; else the root.
func (p *Plan) envDir(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "manage.py")); err == nil {
			return d
		}
		if d == p.root || d == filepath.Dir(d) || !strings.HasPrefix(d, p.root) {
			return p.root
		}
	}
}

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

func (p *Plan) rel(path string) string {
	if r, err := filepath.Rel(p.root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}

// manualAdvice says how to remove a key from a file that is not Python
// (pyAdvice explains the keys fix leaves in Python modules).
func manualAdvice(f detect.Finding) string {
	base := strings.ToLower(filepath.Base(f.Path))
	ext := filepath.Ext(base)
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env":
		return "this file is scanned, so it may be committed: remove it from git (git rm --cached " + f.Path + "), add it to .gitignore, and put a new key in it (djguard keygen --format env)"
	case strings.Contains(base, "compose") && (ext == ".yml" || ext == ".yaml"):
		return "replace the value with ${DJANGO_SECRET_KEY} and pass the variable from the environment or an env_file that is not committed"
	case ext == ".yml" || ext == ".yaml":
		return "remove the value; for a Kubernetes Secret, create it outside git (kubectl create secret generic ... --from-literal=DJANGO_SECRET_KEY=...) or use a sealed or external secret"
	case base == "dockerfile" || strings.HasPrefix(base, "dockerfile.") || ext == ".dockerfile":
		return "remove the ENV line: an image layer keeps the key; pass DJANGO_SECRET_KEY when the container runs (docker run -e, or the orchestrator's secrets)"
	case ext == ".ipynb":
		return "remove the key from the cell and its saved output, and read it with os.environ[\"DJANGO_SECRET_KEY\"]"
	}
	return "remove the key from this file"
}
