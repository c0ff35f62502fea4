package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/source"
)

// gatherHistory audits a repository's history; nil means it failed and
// said why.
func gatherHistory(ctx context.Context, cfg scanConfig, e env) *report.Report {
	repo := "."
	if len(cfg.paths) == 1 {
		repo = cfg.paths[0]
	}
	opt := source.HistoryOptions{
		Repo:        e.resolve(repo),
		Range:       cfg.since,
		Branch:      cfg.branch,
		MaxFileSize: cfg.maxFileSize,
		Detector:    cfg.detector,
		Policy:      &cfg.policy,
	}
	if cfg.prePush {
		var err error
		if opt.Pushes, err = pushes(cfg, e); err != nil {
			fmt.Fprintf(e.stderr, "djguard: %v\n", err)
			return nil
		}
		if len(opt.Pushes) == 0 {
			return &report.Report{FailOn: cfg.policy.FailOn} // nothing is sent
		}
	}
	tuneGC(e)
	var prog *progress
	if e.stderrTTY {
		prog = &progress{w: e.stderr, start: time.Now()}
		opt.Progress = prog.update
	}
	res, err := source.ScanHistory(ctx, opt)
	prog.clear()
	if errors.Is(err, source.ErrNotRepository) {
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
func damaged(res *source.HistoryResult) bool {
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

func tuneGC(e env) {
	if e.getenv("GOGC") == "" && e.getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(historyGC)
	}
}

// warnHistory says on stderr where the audit could not see everything.
func warnHistory(res *source.HistoryResult, cfg scanConfig, e env) {
	w := e.stderr
	if n := len(res.Shallow); n > 0 {
		fmt.Fprintf(w, "djguard: warning: this is a shallow clone: history is cut at %s (%s); older commits were not audited. Run 'git fetch --unshallow' for a full audit.\n",
			plural(n, "commit"), abbreviate(res.Shallow, 3))
	}
	if n := len(res.Missing); n > 0 {
		why := "this partial clone does not hold them"
		if damaged(res) {
			why = "damage: the repository should hold them"
		}
		fmt.Fprintf(w, "djguard: warning: %s missing (%s); they were not scanned:\n", plural(n, "object is", "objects are"), why)
		limit := 10
		if cfg.verbose {
			limit = n
		}
		for i, m := range res.Missing {
			if i == limit {
				fmt.Fprintf(w, "  ... and %d more (-v lists them all)\n", n-limit)
				break
			}
			where := ""
			if m.Path != "" {
				where = " at " + report.Printable(m.Path)
			}
			fmt.Fprintf(w, "  %s %s%s\n", m.Kind, m.Hash, where)
		}
	}
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

func abbreviate(hashes []string, n int) string {
	out := ""
	for i, h := range hashes {
		if i == n {
			return out + ", ..."
		}
		if i > 0 {
			out += ", "
		}
		out += h[:min(len(h), 12)]
	}
	return out
}

// progress draws one status line on a terminal's stderr.
type progress struct {
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func (p *progress) update(done, total, bytes int64) {
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	mbps := float64(bytes) / 1e6 / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\rdjguard: %d/%d objects, %.0f MB/s ", done, total, mbps)
	p.drawn = true
}

func (p *progress) clear() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
