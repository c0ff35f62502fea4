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
	history := fs.Bool("history", false, "record what the history audit finds, not only the working tree")
	since := fs.String("since", "", "with --history: only what HEAD adds to REV (REV..HEAD), or the commits of REV1..REV2")
	branch := fs.String("branch", "", "with --history: only this branch, remote-tracking branch or tag")
	configFile := fs.String("config", "", "read settings from this file instead of the nearest .djguard.toml or pyproject.toml")
	output := fs.String("output", "", "write the baseline to this file instead of standard output")
	maxSize := byteSize(0)
	fs.Var(&maxSize, "max-file-size", "skip files larger than this (default 10MB)")
	verbose := fs.Bool("v", false, "also list the files skipped and why")
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	cfg := scanConfig{
		paths: paths, history: *history, since: *since, branch: *branch,
		configFile: *configFile, maxFileSize: int64(maxSize), verbose: *verbose,
		set: map[string]bool{},
	}
	fs.Visit(func(f *flag.Flag) { cfg.set[f.Name] = true })
	if !cfg.history && (cfg.since != "" || cfg.branch != "") {
		fmt.Fprintln(e.stderr, "djguard baseline: --since and --branch go with --history")
		return exitError
	}
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
