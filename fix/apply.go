package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/keygen"
)

// Diff writes the plan as a unified diff. The .env shows a placeholder
// where the new key will go: the key is made only by Apply. redact, when
// not nil, hides the keys the plan removes (and any other key in the
// files it shows): each line that holds any part of one shows redact's
// text for it instead, and the values already in a .env are hidden too.
func (p *Plan) Diff(w io.Writer, redact func(string) string) error {
	show := p.masker(redact)
	for _, e := range p.edits() {
		before, after := show(e.Before, e.hideBefore), show(e.After, e.hideAfter)
		shown := func(op diffOp) []byte {
			if op.kind == '+' {
				return after[op.bLine]
			}
			return before[op.aLine]
		}
		if err := unifiedDiff(w, e.Name, e.Before, e.After, shown); err != nil {
			return err
		}
	}
	return nil
}

// edits lists every file the plan writes, settings first.
func (p *Plan) edits() []*Edit {
	out := append([]*Edit(nil), p.Edits...)
	if p.Env != nil {
		out = append(out, &p.Env.Edit)
	}
	return out
}

// ErrChanged is returned when a file changed between planning and
// writing: nothing is written over it.
var ErrChanged = errors.New("changed since djguard read it")

// Apply writes the plan: the new key (from newKey) goes into the .env.
// Each file is written atomically: a temporary file in the same directory,
// with the original's mode, renamed over it. Before any file is written,
// every file is checked to be as it was read; a file that changed, or a
// .env that appeared, stops the whole fix.
func (p *Plan) Apply(newKey func() (string, error)) error {
	if p.Env != nil {
		key, err := newKey()
		if err != nil {
			return fmt.Errorf("make a new key: %w", err)
		}
		line, err := keygen.EnvLine(p.Env.Var, key)
		if err != nil {
			return err
		}
		placeholder, _ := keygen.EnvLine(p.Env.Var, keyPlaceholder)
		p.Env.After = bytes.Replace(p.Env.After, []byte(placeholder), []byte(line), 1)
	}
	edits := p.edits()
	for _, e := range edits {
		if err := e.unchanged(); err != nil {
			return err
		}
	}
	for _, e := range edits {
		if err := e.write(); err != nil {
			return err
		}
	}
	return nil
}

// unchanged checks that the file is as it was read (or still absent).
func (e *Edit) unchanged() error {
	now, err := os.ReadFile(e.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !e.exists:
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", e.Name, err)
	case !e.exists:
		return fmt.Errorf("%s: %w (it did not exist)", e.Name, ErrChanged)
	case !bytes.Equal(now, e.Before):
		return fmt.Errorf("%s: %w; run djguard fix again", e.Name, ErrChanged)
	}
	return nil
}

// write replaces the file atomically, keeping its mode.
func (e *Edit) write() error {
	dir := filepath.Dir(e.Path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(e.Path)+".djguard-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(e.Mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	if _, err := tmp.Write(e.After); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	// The last look: a change made while the temporary file was written
	// would otherwise be lost.
	if err := e.unchanged(); err != nil {
		return err
	}
	if err := os.Rename(tmpName, e.Path); err != nil {
		return fmt.Errorf("write %s: %w", e.Name, err)
	}
	return nil
}

// Summary says in words what the plan does, without any key.
func (p *Plan) Summary() []string {
	var out []string
	for _, e := range p.Edits {
		if strings.HasSuffix(e.Name, ".gitignore") {
			out = append(out, fmt.Sprintf("%s: ignore .env", e.Name))
		} else {
			out = append(out, fmt.Sprintf("%s: read the key from the environment", e.Name))
		}
	}
	if p.Env != nil {
		verb := "add"
		if !p.Env.exists {
			verb = "create, with mode 0600, and add"
		}
		out = append(out, fmt.Sprintf("%s: %s a new %s", p.Env.Name, verb, p.Env.Var))
	}
	return out
}
