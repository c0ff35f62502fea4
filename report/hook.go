package report

import (
	"io"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
)

// Hook writes the short message a pre-commit hook shows: what the commit
// would add and where, a fresh key for each value, how to move the key to
// the environment, and how to mark a finding that is not a secret. The key
// was never committed, so the rotation steps of a leak do not apply.
func Hook(w io.Writer, r *Report, opt Options) error {
	p := newPalette(opt.Color)
	ew := &errWriter{w: w}
	if len(r.Findings) == 0 {
		return nil
	}
	if r.Failing() > 0 {
		ew.printf("%s\n\n", p.high.Sprint("djguard: the staged changes would commit a Django secret key."))
	} else {
		ew.printf("djguard: the staged changes add weak or placeholder keys (not blocking):\n\n")
	}
	for _, f := range r.Findings {
		sev := p.low
		if f.Severity == detect.High {
			sev = p.high
		}
		ew.printf("  %s  %s %s: %s, %s\n", p.path.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column), sev.Sprint(f.Severity), f.Class, describe(f), secretText(f, opt))
	}
	if r.Failing() == 0 {
		return ew.err
	}
	ew.printf("\nKeep the key out of the code. In settings, read it from the environment:\n")
	ew.printf("    SECRET_KEY = os.environ[\"%s\"]\n", keygen.EnvName)
	if opt.CI {
		ew.printf("and give each environment its own key, outside git (an untracked .env, the\ndeployment's secrets), made with 'djguard keygen' where the key is set.\n")
	} else {
		ew.printf("and give each environment its own key, outside git (an untracked .env, the\ndeployment's secrets). Fresh keys, one per value above:\n")
	}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		k := r.Replacements[f.Fingerprint]
		if k == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		line, err := keygen.EnvLine(keygen.EnvName, k)
		if err != nil {
			line = k
		}
		ew.printf("    %s   %s\n", p.key.Sprint(line), p.dim.Sprintf("(for %s:%d)", f.Path, f.Line))
	}
	ew.printf("\nIf a finding is not a secret, add a comment with djguard:allow on its line\nand stage the file again.\n")
	return ew.err
}
