// Package fix moves leaked Django keys out of Python settings: it replaces
// each literal with a read from the environment, puts a fresh key in an
// untracked .env beside manage.py, and makes sure git ignores that file.
// It plans first, shows the plan as a unified diff, and writes only when
// told, atomically, refusing any file that changed since it was read. For
// keys in other files it says what to edit instead of guessing.
package fix

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/djguard/djguard/detect"
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
	// maskWork counts the bytes and texts the diff's masker looked at,
	// for the test that holds it linear.
	maskWork int
	// beforeRename, when set (by tests), runs when a file's temporary
	// copy is complete, just before it is checked and renamed.
	beforeRename func(e *Edit, tmp string) error
	// leftovers are the temporary copies an interrupted Apply left, which
	// Apply removes when it can prove them spent; the last leftoverNotes
	// notes are about them.
	leftovers     []leftover
	leftoverNotes int
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
	p.findLeftovers()
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
	shift := newShifter(cuts)
	for i := range reads {
		reads[i].at = shift.at(reads[i].at)
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
