package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/djguard/djguard/hooks"
)

const hookSynopsis = `djguard hook install|uninstall [--pre-push] [--repo DIR] [--no-record]

install writes a native git pre-commit hook that runs 'djguard scan --staged'
into the hooks directory git uses: core.hooksPath, looked up in the system,
global, repository and worktree configuration with their includes, or the
repository's own, shared by linked worktrees. With --pre-push it writes the
pre-push hook instead, which runs 'djguard scan --pre-push' on the commits
each push sends. A hook already there is kept and runs first, as git would
run it; installing twice changes nothing. uninstall removes djguard's hook
and puts back the one it chained.`

func runHook(args []string, e env) int {
	fs := newFlagSet("hook", hookSynopsis, e.stderr)
	repo := fs.String("repo", ".", "a directory in the repository")
	noRecord := fs.Bool("no-record", false, "install: do not record this djguard's path; the hook finds djguard on PATH")
	prePush := fs.Bool("pre-push", false, "the pre-push hook, which audits the commits a push sends, instead of the pre-commit hook")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if len(rest) != 1 || (rest[0] != "install" && rest[0] != "uninstall") {
		fmt.Fprintln(e.stderr, "djguard hook: say install or uninstall")
		fs.Usage()
		return exitError
	}
	dir := e.resolve(*repo)
	hook := hooks.PreCommit
	if *prePush {
		hook = hooks.PrePush
	}
	if rest[0] == "uninstall" {
		res, err := hooks.Uninstall(dir, hook)
		if err != nil {
			fmt.Fprintf(e.stderr, "djguard hook: %v\n", err)
			return exitError
		}
		switch {
		case !res.Changed:
			fmt.Fprintf(e.stdout, "djguard: no djguard hook at %s; nothing to do\n", res.Path)
		case res.Chained:
			fmt.Fprintf(e.stdout, "djguard: removed the hook at %s and put back the hook it had kept\n", res.Path)
		default:
			fmt.Fprintf(e.stdout, "djguard: removed the hook at %s\n", res.Path)
		}
		return exitClean
	}
	binary := ""
	if !*noRecord {
		var temporary bool
		if binary, temporary = hooks.SelfPath(e.getenv); temporary {
			fmt.Fprintf(e.stderr, "djguard hook: this djguard is a temporary build of 'go run' (%s), which the hook could not run later.\nInstall djguard first (go install github.com/djguard/djguard/cmd/djguard@latest) and run 'djguard hook install' with it, or pass --no-record to have the hook find djguard on PATH.\n", binary)
			return exitError
		}
	}
	res, err := hooks.Install(dir, hook, binary)
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard hook: %v\n", err)
		return exitError
	}
	switch {
	case !res.Changed:
		fmt.Fprintf(e.stdout, "djguard: the hook at %s is already installed\n", res.Path)
	case res.Chained:
		fmt.Fprintf(e.stdout, "djguard: installed the hook at %s; the hook that was there runs first\n", res.Path)
	default:
		fmt.Fprintf(e.stdout, "djguard: installed the hook at %s\n", res.Path)
	}
	return exitClean
}
