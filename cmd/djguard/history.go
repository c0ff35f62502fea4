package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/history"
	"github.com/djguard/djguard/report"
)

// gatherHistory audits a repository's history; nil means it failed and
// said why.
func gatherHistory(ctx context.Context, cfg scanConfig, e env) *report.Report {
	repo := "."
	if len(cfg.paths) == 1 {
		repo = cfg.paths[0]
	}
	opt := history.Options{
		Repo:        e.resolve(repo),
		Range:       cfg.since,
		Branch:      cfg.branch,
		MaxFileSize: cfg.maxFileSize,
		Detector:    cfg.detector,
		Policy:      &cfg.policy,
	}
	if cfg.prePush {
		var err error
		if opt.Pushes, err = pushes(cfg, e, opt.Repo); err != nil {
			fmt.Fprintf(e.stderr, "djguard: %v\n", err)
			return nil
		}
		if len(opt.Pushes) == 0 {
			return &report.Report{FailOn: cfg.policy.FailOn} // nothing is sent
		}
	}
	tuneGC(e, historyGC)
	var prog *report.Progress
	if e.stderrTTY {
		prog = report.NewProgress(e.stderr)
		opt.Progress = prog.Update
	}
	res, err := history.Scan(ctx, opt)
	prog.Clear()
	if errors.Is(err, gitrepo.ErrNotRepository) {
		fmt.Fprintf(e.stderr, "djguard: %s is not in a git repository; --history audits a repository's commits\n", repo)
		return nil
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	warnHistory(res, cfg, e)
	return &report.Report{
		Findings: res.Findings,
		Bytes:    res.Bytes,
		Skipped:  len(res.Skipped),
		NotRead:  notRead(res.Skipped), // binary or too large, all of them
		FailOn:   cfg.policy.FailOn,
		History: &report.HistorySummary{
			Commits: res.Commits,
			Blobs:   res.Blobs,
			Shallow: len(res.Shallow),
			Missing: len(res.Missing),
			Damaged: damaged(res),
		},
	}
}

// damaged reports whether objects are missing that no partial clone
// lacks: any object outside a partial clone, and commits anywhere (git's
// partial clones filter trees and blobs, never commits).
func damaged(res *history.Result) bool {
	for _, m := range res.Missing {
		if !res.Partial || m.Kind == "commit" {
			return true
		}
	}
	return false
}

// historyGC is the garbage collector's target for the history audit,
// unless the user sets GOGC or GOMEMLIMIT: the heap may grow to 1.5 times
// what is live, not twice (Go's default). What the audit keeps is tens of
// bytes per object; what it drops is the content of blobs just scanned.
// Collecting sooner keeps that garbage small; a fixed limit would sit
// below the live set of a large enough history and make the collector
// run without pause.
const historyGC = 50

// stagedGC is the collector's target for a staged scan: it lives tens of
// milliseconds and its heap stays under 20 MB in a checkout of 16,000
// files, so collecting at 4 times what is live lets most runs end before
// the first collection, which would start the collector's threads.
const stagedGC = 400

// tuneGC sets the collector's target, unless the user set GOGC or
// GOMEMLIMIT.
func tuneGC(e env, percent int) {
	if e.getenv("GOGC") == "" && e.getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(percent)
	}
}

// warnHistory says on stderr where the audit could not see everything.
func warnHistory(res *history.Result, cfg scanConfig, e env) {
	gaps := make([]report.Gap, len(res.Missing))
	for i, m := range res.Missing {
		gaps[i] = report.Gap{Kind: m.Kind, Hash: m.Hash, Path: m.Path}
	}
	report.HistoryWarnings(e.stderr, res.Shallow, gaps, damaged(res), cfg.verbose)
	report.HistoryNotes(e.stderr, res.Notes)
	listSkipped(res.Skipped, cfg, e)
}

func plural(n int, one string, many ...string) string {
	if n == 1 {
		return "1 " + one
	}
	if len(many) > 0 {
		return fmt.Sprintf("%d %s", n, many[0])
	}
	return fmt.Sprintf("%d %ss", n, one)
}
