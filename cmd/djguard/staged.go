package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/source"
)

// gatherStaged scans what the next commit will contain, for the
// pre-commit hook; nil means it failed and said why.
func gatherStaged(ctx context.Context, cfg scanConfig, e env) *report.Report {
	tuneGC(e, stagedGC)
	res, err := source.ScanStaged(ctx, source.StagedOptions{
		Dir:         e.dir,
		Paths:       cfg.paths,
		MaxFileSize: cfg.maxFileSize,
		// git points hooks at a temporary index for 'git commit -a' and
		// 'git commit PATH': that is what the commit will contain.
		IndexFile: e.getenv("GIT_INDEX_FILE"),
		// git sets GIT_INDEX_FILE for the hooks of a commit; without it
		// the user asks about the files named.
		WholeUnstaged: e.getenv("GIT_INDEX_FILE") == "",
		Detector:      cfg.detector,
		Policy:        &cfg.policy,
	})
	if errors.Is(err, gitrepo.ErrNotRepository) {
		fmt.Fprintln(e.stderr, "djguard: --staged scans a git repository's index; this is not in one")
		return nil
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	listSkipped(append(res.Skipped, res.NotRead...), cfg, e)
	return &report.Report{
		Findings: res.Findings,
		Files:    res.Files,
		Bytes:    res.Bytes,
		Skipped:  len(res.Skipped) + len(res.NotRead),
		NotRead:  notRead(res.NotRead),
		FailOn:   cfg.policy.FailOn,
	}
}

// outsideCommit reports whether the pre-commit framework runs djguard when
// no commit is being made: pre-commit run --all-files or --files, in CI
// or on pre-commit.ci. pre-commit sets PRE_COMMIT for every hook it runs,
// and git sets GIT_INDEX_FILE for every pre-commit and pre-merge-commit
// hook it runs.
func outsideCommit(e env) bool {
	return e.getenv("PRE_COMMIT") != "" && e.getenv("GIT_INDEX_FILE") == ""
}
