package main

import (
	"fmt"
	"slices"

	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/source"
)

// checkStdin reads the PATH "-" and --stdin-name: standard input is
// scanned alone, as one file, and only by the plain scan.
func checkStdin(cfg *scanConfig, e env) (int, bool) {
	for _, p := range cfg.paths {
		if p == "-" {
			cfg.stdin = true
		}
	}
	switch {
	case cfg.stdin && len(cfg.paths) > 1:
		fmt.Fprintln(e.stderr, "djguard scan: - (standard input) is scanned alone, not with other paths")
	case cfg.stdin && (cfg.staged || cfg.history || cfg.prePush):
		fmt.Fprintln(e.stderr, "djguard scan: - (standard input) goes with neither --staged, --pre-push nor --history")
	case cfg.stdinName != "" && !cfg.stdin:
		fmt.Fprintln(e.stderr, "djguard scan: --stdin-name names standard input: give the PATH - too")
	default:
		return 0, true
	}
	return exitError, false
}

// gatherStdin scans standard input; nil means it failed and said why.
func gatherStdin(cfg scanConfig, e env) *report.Report {
	if e.stdin == nil {
		fmt.Fprintln(e.stderr, "djguard: no standard input to scan")
		return nil
	}
	res, err := source.ScanReader(e.stdin, cfg.stdinName, source.TreeOptions{
		Dir: e.dir, MaxFileSize: cfg.maxFileSize,
		Detector: cfg.detector, Policy: &cfg.policy,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	// Standard input is the whole scan: that it was left out is never only
	// a detail for -v.
	skipped := res.Skipped
	if cfg.format != "text" {
		// A text report says so in its not-read line; the others only in
		// their own fields, which a CI log does not show.
		skipped = append(slices.Clone(skipped), res.NotRead...)
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "djguard: skipped %s: %s\n", report.Printable(report.Scrub(s.Path)), s.Reason)
	}
	return treeReport(res, cfg, e)
}
