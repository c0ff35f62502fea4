// Command djguard keeps Django SECRET_KEY values out of git repositories:
// it finds hardcoded keys, hands over fresh replacements, and prints the
// rotation steps that are right for a leaked key.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/djguard/djguard/internal/prompt"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/rotation"
	"github.com/mattn/go-isatty"
)

// Exit codes.
const (
	exitClean    = 0 // nothing at or above the failing severity
	exitFindings = 1 // findings at or above it
	exitError    = 2 // the command could not do its job
)

// env is what a command gets from the outside world, so that tests can
// drive run with their own.
type env struct {
	// stdin is read by commands that take input there (git's pre-push
	// lines, a value to verify); nil reads as empty.
	stdin          io.Reader
	stdout, stderr io.Writer
	// scrub, when set, is stderr's scrubber: a command adds the values
	// it reads from configuration (run adds the command line's).
	scrub *report.Typed
	// stdoutTTY and stderrTTY say whether they are terminals (for colour
	// and progress); stdinTTY, whether a person types there (for a prompt).
	stdinTTY, stdoutTTY, stderrTTY bool
	// hideTyping, when standard input is a terminal, stops it from showing
	// what is typed (for a value that is a credential) until restore.
	hideTyping func() (restore func(), err error)
	getenv     func(string) string
	// rand is the source of generated keys: crypto/rand in production.
	rand io.Reader
	// dir is the working directory; "" means the process's.
	dir string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := env{
		stdin:     os.Stdin,
		stdinTTY:  isatty.IsTerminal(os.Stdin.Fd()),
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stdoutTTY: isatty.IsTerminal(os.Stdout.Fd()),
		stderrTTY: isatty.IsTerminal(os.Stderr.Fd()),
		getenv:    os.Getenv,
		rand:      rand.Reader,
	}
	if e.stdinTTY {
		e.hideTyping = func() (func(), error) { return prompt.Hide(int(os.Stdin.Fd())) }
	}
	os.Exit(run(ctx, os.Args[1:], e))
}

const usage = `djguard keeps Django SECRET_KEY values out of git repositories.

Usage:
  djguard scan [flags] [PATH...]   find hardcoded Django secret keys
  djguard keygen [flags]           print a new key, made exactly as Django makes one
  djguard baseline [flags] [PATH]  record today's findings, so that scans report only new ones
  djguard fix [--write] [PATH...]  move leaked keys out of Python settings into an untracked .env
  djguard verify [flags]           check that a deployment no longer runs a leaked or weak key, nor signs with a leaked one
  djguard hook install|uninstall   add or remove the native git pre-commit (or --pre-push) hook
  djguard version                  print djguard's version
  djguard help [COMMAND]           print this help, or a command's
  djguard help rotation            print how to rotate a leaked key, for this project's Django

Run 'djguard COMMAND -h' for a command's flags.
Exit codes: 0 nothing found at or above --fail-on, 1 findings, 2 error.
`

// run executes one djguard command line and returns its exit code.
func run(ctx context.Context, args []string, e env) int {
	e.scrub = report.NewTyped(e.stderr)
	e.scrub.Add(notPaths(report.TypedValues(args), e)...)
	e.stderr = e.scrub
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitError
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "scan":
		return runScan(ctx, rest, e)
	case "keygen":
		return runKeygen(rest, e)
	case "hook":
		return runHook(rest, e)
	case "baseline":
		return runBaseline(ctx, rest, e)
	case "verify":
		return runVerify(ctx, rest, e)
	case "fix":
		return runFix(ctx, rest, e)
	case "version", "--version", "-version":
		readBuild().write(e.stdout)
		return exitClean
	case "help", "-h", "-help", "--help":
		return runHelp(rest, e)
	default:
		fmt.Fprintf(e.stderr, "djguard: unknown command %q\n\n%s", cmd, usage)
		return exitError
	}
}

func runHelp(args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, usage)
		return exitClean
	}
	switch args[0] {
	case "scan", "keygen", "hook", "baseline", "verify", "fix":
		return run(context.Background(), []string{args[0], "-h"}, env{stdout: e.stdout, stderr: e.stdout, getenv: e.getenv, rand: e.rand})
	case "rotation":
		fmt.Fprint(e.stdout, rotation.Steps(djangoVersion(scanConfig{}, e)))
		return exitClean
	case "version":
		fmt.Fprintln(e.stdout, "usage: djguard version\n\nPrints djguard's version, the commit it was built from (and whether the\nwork tree had changes), and the Go toolchain and platform.")
		return exitClean
	}
	fmt.Fprintf(e.stderr, "djguard: no help for unknown command %q\n\n%s", args[0], usage)
	return exitError
}

// notPaths leaves out of the typed values those that name a file or a
// directory that is there: a path is quoted whole in messages, even one
// the detector's rules would call a key ("/tmp/plain/app.tar" reads as a
// random value), since a message about a file is of no use cut.
func notPaths(values []string, e env) []string {
	out := values[:0:0]
	for _, v := range values {
		p := v
		if !filepath.IsAbs(p) && e.dir != "" {
			p = filepath.Join(e.dir, p)
		}
		if _, err := os.Lstat(p); err != nil || v == "" {
			out = append(out, v)
		}
	}
	return out
}
