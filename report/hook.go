package report

import (
	"io"
	"slices"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/shell"
	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/policy"
)

// refusal is what a hook says when it stops a key on its way out.
type refusal struct {
	refused string // the headline when something fails
	weak    string // the headline when only weak keys were found
	undo    string // how to take the key back out
	allow   string // how to mark a false positive
}

var (
	commitRefusal = refusal{
		refused: "djguard: the staged changes would commit a Django secret key.",
		weak:    "djguard: the staged changes add weak or placeholder keys (not blocking):",
		allow:   "If a finding is not a secret, add a comment with djguard:allow on its line\nand stage the file again.",
	}
	pushRefusal = refusal{
		refused: "djguard: this push would publish a Django secret key.",
		weak:    "djguard: the commits pushed add weak or placeholder keys (not blocking):",
		undo: "The key is in the commits named above, which are not on the remote yet.\n" +
			"Take it out of them before pushing: edit each commit that adds it so that\n" +
			"the key is read from the environment (git commit --amend for the newest;\n" +
			"git rebase -i COMMIT~1 for an older one, git rebase -i --root when it is the\n" +
			"first commit), then push again. If these commits reached anyone else, the\n" +
			"key is leaked: rotate it (djguard help rotation).",
		allow: "If a finding is not a secret, add a comment with djguard:allow on its line\nin the commit that adds it.",
	}
)

// Hook writes the short message the pre-commit hook shows: what the commit
// would add and where, a fresh key for each value, how to move the key to
// the environment, and how to mark a finding that is not a secret. The key
// was never committed, so the rotation steps of a leak do not apply.
func Hook(w io.Writer, r *Report, opt Options) error {
	return writeRefusal(w, r, opt, commitRefusal)
}

// Push writes the message the pre-push hook shows: what the commits being
// pushed add, in which commit, and how to take it out of them before it
// reaches the remote.
func Push(w io.Writer, r *Report, opt Options) error {
	return writeRefusal(w, r, opt, pushRefusal)
}

func writeRefusal(w io.Writer, r *Report, opt Options, say refusal) error {
	p := newPalette(opt.Color)
	ew := &errWriter{w: w}
	if len(r.Findings) == 0 {
		return nil
	}
	failing := r.Failing()
	if failing > 0 {
		ew.printf("%s\n\n", p.high.Sprint(say.refused))
	} else {
		ew.printf("%s\n\n", say.weak)
	}
	scrub := r.scrubber(opt)
	for _, f := range r.Findings {
		sev := p.low
		if f.Severity == detect.High {
			sev = p.high
		}
		ew.printf("  %s  %s %s: %s, %s%s\n", p.path.Sprintf("%s:%d:%d", Printable(scrub.name(f.Path)), f.Line, f.Column), sev.Sprint(f.Severity), f.Class, describe(f), secretText(f, opt), inCommit(f, scrub))
	}
	if failing == 0 {
		return ew.err
	}
	if say.undo != "" {
		ew.printf("\n%s\n", say.undo)
	}
	envFiles, inCode := envFilesOf(r)
	if len(envFiles) > 0 && say.undo == "" {
		if len(envFiles) == 1 {
			ew.printf("\nA .env file holds one machine's keys and stays out of git. Unstage and\nignore it (the file and its key stay on this machine):\n")
		} else {
			ew.printf("\n.env files hold one machine's keys and stay out of git. Unstage and ignore\nthem (the files and their keys stay on this machine):\n")
		}
		quoted := make([]string, len(envFiles))
		for i, name := range envFiles {
			quoted[i] = shell.Quote(scrub.name(name))
		}
		ew.printf("    git rm --cached -- %s\n", Printable(strings.Join(quoted, " ")))
		for _, name := range envFiles {
			ew.printf("    echo %s >> .gitignore\n", Printable(shell.Quote("/"+scrub.name(name))))
		}
	}
	if !inCode && say.undo == "" {
		ew.printf("\n%s\n", say.allow)
		return ew.err
	}
	ew.printf("\nKeep the key out of the code: 'djguard fix --write' moves it from settings into\nan ignored .env, or read it from the environment yourself:\n")
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
		ew.printf("    %s   %s\n", p.key.Sprint(line), p.dim.Sprintf("(for %s:%d)", Printable(scrub.name(f.Path)), f.Line))
	}
	ew.printf("\n%s\n", say.allow)
	return ew.err
}

// inCommit names the commit a history finding came in with, for the
// pre-push message; "" for a finding in files.
func inCommit(f detect.Finding, scrub *scrubber) string {
	if f.Origin == nil {
		return ""
	}
	// Scrubbed before it is clipped: a clipped key would not be found.
	return ", in commit " + shortCommit(f.Origin.Commit) + " \"" + Printable(clip(scrub.scrub(f.Origin.Summary), 60)) + "\""
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// envFilesOf lists the .env files that hold a failing finding, and says
// whether another file holds one: a .env is unstaged and ignored, not
// rewritten to read the environment it is.
func envFilesOf(r *Report) (envFiles []string, inCode bool) {
	for _, f := range r.Findings {
		if !policy.Fails(f, r.FailOn) {
			continue
		}
		if !isEnvFile(f.Path) {
			inCode = true
		} else if !slices.Contains(envFiles, f.Path) {
			envFiles = append(envFiles, f.Path)
		}
	}
	return envFiles, inCode
}

// isEnvFile reports whether a path is a dotenv file that holds one
// machine's settings (.env, .env.local, .env.production), not a template
// that is meant to be committed (.env.example, .env.sample).
func isEnvFile(path string) bool {
	base := path[strings.LastIndexByte(path, '/')+1:]
	if base != ".env" && !strings.HasPrefix(base, ".env.") {
		return false
	}
	for _, template := range []string{"example", "sample", "template", "dist", "defaults"} {
		if strings.Contains(strings.ToLower(base), template) {
			return false
		}
	}
	return true
}
