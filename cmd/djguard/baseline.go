package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/djguard/djguard/baseline"
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
	w := e.stdout
	if *output != "" {
		f, err := os.Create(e.resolve(*output))
		if err != nil {
			fmt.Fprintf(e.stderr, "djguard baseline: %v\n", err)
			return exitError
		}
		defer f.Close()
		w = f
	}
	if err := b.Write(w); err != nil {
		fmt.Fprintf(e.stderr, "djguard baseline: write: %v\n", err)
		return exitError
	}
	fmt.Fprintf(e.stderr, "djguard: baseline of %s; fill in each reason, commit it, and scan with --baseline\n", plural(len(b.Entries), "secret"))
	return exitClean
}
