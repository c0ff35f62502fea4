package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/scanner"
)

// runStaged scans what the next commit will contain: the pre-commit hook.
func runStaged(ctx context.Context, cfg scanConfig, e env) int {
	res, err := scanner.ScanStaged(ctx, scanner.StagedOptions{
		Dir:         e.dir,
		Paths:       cfg.paths,
		MaxFileSize: cfg.maxFileSize,
		// git points hooks at a temporary index for 'git commit -a' and
		// 'git commit PATH': that is what the commit will contain.
		IndexFile: e.getenv("GIT_INDEX_FILE"),
	})
	if errors.Is(err, scanner.ErrNotRepository) {
		fmt.Fprintln(e.stderr, "djguard scan: --staged scans a git repository's index; this is not in one")
		return exitError
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard scan: %v\n", err)
		return exitError
	}
	listSkipped(res.Skipped, cfg, e)
	return finish(&report.Report{
		Findings: res.Findings,
		Files:    res.Files,
		Bytes:    res.Bytes,
		Skipped:  len(res.Skipped),
		FailOn:   cfg.failOn,
	}, cfg, e)
}
