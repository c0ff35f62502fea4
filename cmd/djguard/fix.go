package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/fix"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/report"
)

const fixSynopsis = `djguard fix [--write] [--show-secrets] [--config FILE] [PATH...]

Moves leaked keys out of Python settings: each literal SECRET_KEY becomes a
read from the environment (os.environ, or the module's django-environ or
decouple), a literal default of an environment read is dropped, a fresh key
goes into a .env beside manage.py (created with mode 0600), and .env is
added to .gitignore. Without --write it only shows the change as a unified
diff. For keys in other files, and literals it cannot rewrite, it says what
to edit and why.

It says whether settings load .env themselves (python-dotenv's load_dotenv,
django-environ's read_env, python-decouple's config) and, after --write,
when nothing does, prints the sh line to run before Django starts
(set -a; . ./.env; set +a), and the settings line that loads .env when the
project's requirements list python-dotenv.

Exit codes: 0 nothing left to do, 1 changes pending (a dry run with changes,
or keys left to edit by hand), 2 error.`

func runFix(ctx context.Context, args []string, e env) int {
	// fix quotes file names and file content (its diff): none of it
	// reaches the terminal raw.
	e.stdout, e.stderr = report.PrintableWriter(e.stdout), report.PrintableWriter(e.stderr)
	fs := newFlagSet("fix", fixSynopsis, e.stderr)
	write := fs.Bool("write", false, "apply the change (atomically; files that changed since they were read are refused)")
	project := bindProject(fs, historyFlags{})
	show := fs.Bool("show-secrets", false, "show the leaked keys whole in the diff (by default only their first characters and length)")
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	cfg := project.scanConfig(fs, paths)
	rep := collect(ctx, &cfg, e)
	if rep == nil {
		return exitError
	}
	root := gitrepo.WorkTreeRoot(cfg.startDir(e))
	findings := rootRelative(rep.Findings, root, e)
	plan, err := fix.Make(root, findings)
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard fix: %v\n", err)
		return exitError
	}
	if !*write {
		redact := report.Redact
		if *show {
			redact = nil
		}
		if err := writeDiff(e.stdout, plan, redact); err != nil {
			fmt.Fprintf(e.stderr, "djguard fix: %v\n", err)
			return exitError
		}
	} else {
		if err := plan.Apply(func() (string, error) { return keygen.Generate(e.rand, keygen.Length) }); err != nil {
			// The error says what was written and what was not.
			fmt.Fprintf(e.stderr, "djguard fix: %v\n", err)
			return exitError
		}
		for _, s := range plan.Summary() {
			fmt.Fprintf(e.stdout, "djguard: %s\n", s)
		}
	}
	for _, m := range plan.Manual {
		fmt.Fprintf(e.stdout, "%s:%d: %s: %s\n", m.Finding.Path, m.Finding.Line, m.Finding.Class, m.Do)
	}
	for _, n := range plan.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	for _, line := range plan.LoadingAdvice(shellPath(e, plan.EnvPath), *write) {
		fmt.Fprintln(e.stdout, line)
	}
	switch {
	case len(plan.Edits) == 0 && plan.Env == nil && len(plan.Manual) == 0:
		fmt.Fprintln(e.stdout, "djguard: no leaked keys to move.")
	case !*write && (len(plan.Edits) > 0 || plan.Env != nil):
		fmt.Fprintln(e.stdout, "djguard: this is a dry run; djguard fix --write applies it.")
	case *write:
		fmt.Fprintln(e.stdout, "djguard: the old keys are still leaked: deploy the new key, redeploy, and check with djguard verify (djguard scan prints the rotation steps).")
	}
	return fixExit(plan, *write)
}

// shellPath is how a shell in the user's working directory reaches path.
func shellPath(e env, path string) string {
	wd := e.dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(wd); err == nil {
		if rel, err := filepath.Rel(abs, path); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return path
}

// fixExit is 1 while something is pending — a dry run's changes, keys
// left to the user — and 0 when fix has nothing left to do.
func fixExit(plan *fix.Plan, written bool) int {
	pending := !written && (len(plan.Edits) > 0 || plan.Env != nil)
	if pending || len(plan.Manual) > 0 {
		return exitFindings
	}
	return exitClean
}

// rootRelative re-expresses finding paths, given relative to the working
// directory, relative to root.
func rootRelative(findings []detect.Finding, root string, e env) []detect.Finding {
	out := make([]detect.Finding, len(findings))
	for i, f := range findings {
		abs, err := filepath.Abs(e.resolve(filepath.FromSlash(f.Path)))
		if err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil {
				f.Path = filepath.ToSlash(rel)
			}
		}
		out[i] = f
	}
	return out
}

// writeDiff writes the change plan makes, file by file, as unified diffs,
// with the keys it moves hidden by redact (nil: shown whole).
func writeDiff(w io.Writer, plan *fix.Plan, redact func(string) string) error {
	for _, e := range plan.Shown(redact) {
		if err := report.Diff(w, e.Name, e.Before, e.After, e.ShownBefore, e.ShownAfter); err != nil {
			return err
		}
	}
	return nil
}
