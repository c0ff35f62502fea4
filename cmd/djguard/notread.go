package main

import (
	"fmt"

	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/source"
)

// notRead turns a source's list of files that could hold a key and were
// not read into the report's.
func notRead(skips []source.Skip) []report.NotRead {
	out := make([]report.NotRead, len(skips))
	for i, s := range skips {
		out[i] = report.NotRead{Path: s.Path, Reason: s.Reason}
	}
	return out
}

// sayNotRead names on stderr, beside a text report, the files the scan
// did not read though they could hold a key; JSON and SARIF reports list
// them themselves. It does not change the exit code (docs/commands.md).
func sayNotRead(rep *report.Report, cfg scanConfig, e env) {
	if line := report.NotReadLine(rep, report.Options{ShowSecrets: cfg.showSecrets}); line != "" && cfg.format == "text" {
		fmt.Fprintln(e.stderr, line)
	}
}
