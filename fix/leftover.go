package fix

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A fix --write killed while it writes leaves a temporary copy behind: one
// linked into place as a new file but not yet removed (a second name of
// the file), or one never put in place. Either may hold a key, and git
// does not ignore a .gitignore's or a module's copy. The next fix removes
// those it can prove hold nothing the file they were made for lacks, and
// names the others: it never loses a byte.

// leftover is a temporary copy an interrupted fix left.
type leftover struct {
	path   string // absolute
	name   string // as shown, relative to the root
	target string // the file it was made for, absolute
}

// findLeftovers lists fix's temporary copies in the directories the plan
// writes in and in the root, where an interrupted run of the same plan
// left them.
func (p *Plan) findLeftovers() {
	dirs := []string{p.root}
	for _, e := range p.edits() {
		dirs = append(dirs, filepath.Dir(e.Path))
	}
	if p.EnvPath != "" {
		dirs = append(dirs, filepath.Dir(p.EnvPath))
	}
	seen := map[string]bool{}
	for _, dir := range dirs {
		if seen[dir] {
			continue
		}
		seen[dir] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, d := range entries {
			target, ok := leftoverTarget(dir, d.Name())
			if ok && d.Type().IsRegular() {
				path := filepath.Join(dir, d.Name())
				p.leftovers = append(p.leftovers, leftover{path: path, name: p.rel(path), target: target})
			}
		}
	}
	for _, l := range p.leftovers {
		p.Notes = append(p.Notes, fmt.Sprintf("%s is a copy of %s an interrupted djguard fix --write left; djguard fix --write removes it once it holds nothing %s lacks", l.name, p.rel(l.target), p.rel(l.target)))
	}
	p.leftoverNotes = len(p.leftovers)
}

// leftoverTarget says whether name is the name write gives a temporary
// copy (tempPrefix, then the digits os.CreateTemp adds) and, if so, the
// file in dir it was made for: the name before the infix, or, for a copy
// of a file whose name has no leading dot, that name without the dot
// tempPrefix added, whichever exists.
func leftoverTarget(dir, name string) (string, bool) {
	i := strings.LastIndex(name, tempInfix)
	if i <= 0 {
		return "", false
	}
	if digits := name[i+len(tempInfix):]; digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	base := name[:i]
	if plain := strings.TrimPrefix(base, "."); plain != base && plain != "" && !isRegular(filepath.Join(dir, base)) && isRegular(filepath.Join(dir, plain)) {
		// A copy of settings.py is .settings.py.djguard-tmp-N; one of
		// .env is .env.djguard-tmp-N, whatever env/ (a virtualenv) is.
		return filepath.Join(dir, plain), true
	}
	return filepath.Join(dir, base), true
}

func isRegular(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode().IsRegular()
}

// removeLeftovers removes, once the plan is written, the leftovers that
// hold nothing their file lacks, and says what became of each in place of
// the notes Make wrote about them.
func (p *Plan) removeLeftovers() {
	notes := p.Notes[:len(p.Notes)-p.leftoverNotes]
	if p.leftoverNotes == 0 {
		notes = p.Notes
	}
	for _, l := range p.leftovers {
		target := p.rel(l.target)
		switch {
		case !spent(l.path, l.target):
			notes = append(notes, fmt.Sprintf("%s is a copy of %s an interrupted djguard fix --write left, and holds lines %s lacks: compare them, keep what you need, and delete it (it may hold a key: never commit it)", l.name, target, target))
		case os.Remove(l.path) != nil:
			notes = append(notes, fmt.Sprintf("%s is a copy of %s an interrupted djguard fix --write left, and could not be removed: delete it (it may hold a key: never commit it)", l.name, target))
		default:
			notes = append(notes, fmt.Sprintf("removed %s, a copy of %s an interrupted djguard fix --write left", l.name, target))
		}
	}
	p.Notes, p.leftovers, p.leftoverNotes = notes, nil, 0
}

// spent reports whether the leftover at path holds nothing the file at
// target lacks: it is the file itself under a second name (a link made
// as a new file was put in place), or its bytes begin the file's (the
// same content, or a copy cut short), or it is a .env's copy whose every
// line is in the .env or sets a variable the .env sets (a key drawn by a
// run that never put it in place, which nothing reads).
func spent(path, target string) bool {
	li, err := os.Lstat(path)
	if err != nil || !li.Mode().IsRegular() {
		return false
	}
	ti, err := os.Stat(target)
	if err != nil || !ti.Mode().IsRegular() {
		return false
	}
	if os.SameFile(li, ti) {
		return true
	}
	copied, err1 := os.ReadFile(path)
	current, err2 := os.ReadFile(target)
	if err1 != nil || err2 != nil {
		return false
	}
	if bytes.HasPrefix(current, copied) {
		return true
	}
	if !strings.HasPrefix(filepath.Base(path), envTempPrefix) {
		return false
	}
	have := map[string]bool{}
	for _, l := range bytes.Split(current, []byte("\n")) {
		have[string(l)] = true
	}
	for _, l := range bytes.Split(bytes.TrimSuffix(copied, []byte("\n")), []byte("\n")) {
		if have[string(l)] {
			continue
		}
		m := envVarLine.FindSubmatch(l)
		if m == nil || !definesVar(current, string(m[1])) {
			return false
		}
	}
	return true
}
