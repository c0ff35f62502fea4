package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/djguard/djguard/baseline"
	"github.com/djguard/djguard/internal/safefile"
)

const baselineSynopsis = `djguard baseline [--history [--since REV] [--branch NAME]] [--config FILE] [--output FILE] [--max-file-size SIZE] [PATH...]

Records today's findings by fingerprint, never by value, so that a scan with
--baseline FILE (or the configuration's baseline) reports only new ones. Each
entry has a reason field for a person to fill in. Typical use:

    djguard baseline > .djguard-baseline.json`

func runBaseline(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("baseline", baselineSynopsis, e.stderr)
	project := bindProject(fs, historyFlags{usage: "record what the history audit finds, not only the working tree", ranges: true})
	output := fs.String("output", "", "write the baseline to this file instead of standard output")
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if why := project.historyMisuse(); why != "" {
		fmt.Fprintf(e.stderr, "djguard baseline: %s\n", why)
		return exitError
	}
	cfg := project.scanConfig(fs, paths)
	rep := collect(ctx, &cfg, e)
	if rep == nil {
		return exitError
	}
	b := baseline.New(rep.Findings)
	// A baseline holds fingerprints, never keys: it is for committing,
	// so it is written readable by all, and whole or not at all.
	write := func() error { return b.Write(e.stdout) }
	if *output != "" {
		write = func() error { return safefile.Replace(e.resolve(*output), 0o644, b.Write) }
	}
	if err := write(); err != nil {
		fmt.Fprintf(e.stderr, "djguard baseline: write: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stderr, "djguard: baseline of %s; fill in each reason, commit it, and scan with --baseline\n", plural(len(b.Entries), "secret"))
	return exitClean
}
