package fix

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/djguard/djguard/keygen"
)

// ShownEdit is one file the plan writes, in lines with their line ends:
// as it is and as it will be, and the same as a diff shows them, with the
// keys the plan moves hidden.
type ShownEdit struct {
	Name                    string
	Before, After           [][]byte
	ShownBefore, ShownAfter [][]byte
}

// Shown lists the files the plan writes, settings first, with the keys it
// moves hidden by redact (nil shows them whole), for a diff.
func (p *Plan) Shown(redact func(string) string) []ShownEdit {
	show := p.masker(redact)
	var out []ShownEdit
	for _, e := range p.edits() {
		out = append(out, ShownEdit{
			Name: e.Name, Before: splitKeep(e.Before), After: splitKeep(e.After),
			ShownBefore: show(e.Before, e.hideBefore), ShownAfter: show(e.After, e.hideAfter),
		})
	}
	return out
}

// edits lists every file the plan writes, settings first, as the diff
// shows them.
func (p *Plan) edits() []*Edit {
	out := append([]*Edit(nil), p.Edits...)
	if p.Env != nil {
		out = append(out, &p.Env.Edit)
	}
	return out
}

// writeOrder lists the files in the order Apply writes them, so that an
// interruption anywhere leaves a project that runs and leaks nothing:
// first the .gitignore rules (which cover the .env and its temporary
// copy), then the .env with the new key, and last the settings that read
// it. Until the last, settings still hold the old key and run as before.
func (p *Plan) writeOrder() []*Edit {
	var ignores, settings []*Edit
	for _, e := range p.Edits {
		if e.ignoreFile {
			ignores = append(ignores, e)
		} else {
			settings = append(settings, e)
		}
	}
	out := ignores
	if p.Env != nil {
		out = append(out, &p.Env.Edit)
	}
	return append(out, settings...)
}

// ErrChanged is returned when a file changed between planning and
// writing: nothing is written over it.
var ErrChanged = errors.New("changed since djguard read it")

// ApplyError is why Apply stopped, with what it had done by then: the
// files in Written are complete, those in NotWritten are as they were.
type ApplyError struct {
	Err        error
	Written    []string // names, in the order written
	NotWritten []string
}

func (e *ApplyError) Error() string {
	if len(e.Written) == 0 {
		return e.Err.Error() + "; nothing was written"
	}
	return fmt.Sprintf("%v; written: %s; not written, and as they were: %s. Run djguard fix --write again to finish",
		e.Err, strings.Join(e.Written, ", "), strings.Join(e.NotWritten, ", "))
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Apply writes the plan: each variable the .env gains gets a fresh key
// from newKey. Every file is first checked to be as it was read (and one
// fix can rewrite safely: see Edit.check); then each is written
// atomically, in writeOrder. Then the temporary copies an interrupted
// Apply left are removed, those that hold nothing their file lacks (the
// others are named in Notes). A failure is an *ApplyError that says which
// files were written.
func (p *Plan) Apply(newKey func() (string, error)) error {
	if err := p.fillKeys(newKey); err != nil {
		return &ApplyError{Err: err}
	}
	order := p.writeOrder()
	for _, e := range order {
		if err := e.check(); err != nil {
			return &ApplyError{Err: err}
		}
	}
	for i, e := range order {
		if err := e.write(p.beforeRename); err != nil {
			return &ApplyError{Err: err, Written: names(order[:i]), NotWritten: names(order[i:])}
		}
	}
	// Only now is each file as this plan makes it, which is what a copy an
	// interrupted run left is compared with.
	p.removeLeftovers()
	return nil
}

// fillKeys puts a fresh key in place of each placeholder in the .env.
func (p *Plan) fillKeys(newKey func() (string, error)) error {
	if p.Env == nil {
		return nil
	}
	for _, v := range p.Env.Vars {
		key, err := p.Env.newKey(v, newKey)
		if err != nil {
			return err
		}
		line, err := keygen.EnvLine(v, key)
		if err != nil {
			return err
		}
		placeholder, _ := keygen.EnvLine(v, keyPlaceholder)
		if !bytes.Contains(p.Env.After, []byte(placeholder+"\n")) {
			return fmt.Errorf("%s: the plan has no line for %s", p.Env.Name, v)
		}
		p.Env.After = bytes.Replace(p.Env.After, []byte(placeholder+"\n"), []byte(line+"\n"), 1)
	}
	return nil
}

// maxDraws bounds the keys drawn for one variable: a key is redrawn only
// when it starts with $ (one draw in 50), so 64 draws all failing means
// newKey is broken.
const maxDraws = 64

// newKey draws the key for variable v. A key for a variable that
// django-environ reads is drawn again while it starts with $, which
// env() would take for the name of another variable: drawing again keeps
// the key uniform over the keys that do not, at a cost of log2(50/49),
// 0.03 bits.
func (e *EnvFile) newKey(v string, newKey func() (string, error)) (string, error) {
	for range maxDraws {
		key, err := newKey()
		if err != nil {
			return "", fmt.Errorf("make a new key: %w", err)
		}
		if !e.noDollar[v] || !strings.HasPrefix(key, "$") {
			return key, nil
		}
	}
	return "", fmt.Errorf("make a new key for %s: %d keys in a row started with $", v, maxDraws)
}

func names(edits []*Edit) []string {
	out := make([]string, len(edits))
	for i, e := range edits {
		out[i] = e.Name
	}
	return out
}

// Summary says in words what the plan does, without any key.
func (p *Plan) Summary() []string {
	var out []string
	for _, e := range p.Edits {
		if e.ignoreFile {
			out = append(out, fmt.Sprintf("%s: ignore %s", e.Name, strings.Join(addedRules(e), " and ")))
		} else {
			out = append(out, fmt.Sprintf("%s: read the key from the environment", e.Name))
		}
	}
	if p.Env != nil {
		verb := "add"
		if !p.Env.exists {
			verb = "create, with mode 0600, and add"
		}
		out = append(out, fmt.Sprintf("%s: %s a new %s", p.Env.Name, verb, strings.Join(p.Env.Vars, " and a new ")))
	}
	return out
}

// addedRules lists the rules a .gitignore edit appends.
func addedRules(e *Edit) []string {
	var rules []string
	for _, l := range strings.Split(string(e.After[len(e.Before):]), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			rules = append(rules, l)
		}
	}
	return rules
}
