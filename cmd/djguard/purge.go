package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/safefile"
	"github.com/djguard/djguard/report"
)

// writePurgePlan writes the purge plan of findings to path, privately
// (it holds the leaked keys themselves), and says on stderr how to use it.
func writePurgePlan(findings []detect.Finding, path string, e env) error {
	plan := report.NewPurgePlan(findings)
	err := safefile.Replace(path, safefile.Private, func(w io.Writer) error {
		_, err := io.WriteString(w, plan.Text)
		return err
	})
	if err != nil {
		return fmt.Errorf("write the purge plan: %w", err)
	}
	abs, _ := filepath.Abs(path)
	// The plan is written; instructions stderr cannot take change nothing.
	plan.WriteInstructions(e.stderr, abs)
	return nil
}
