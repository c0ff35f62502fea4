package report

import (
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/djguard/djguard/scanner"
)

// JSONVersion is the version of the JSON report's schema. It changes only
// when a field is removed or changes meaning; new fields may be added.
const JSONVersion = 1

type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	Path         string `json:"path"`
	Line         int    `json:"line"`
	Column       int    `json:"column"`
	EndLine      int    `json:"end_line"`
	EndColumn    int    `json:"end_column"`
	Class        string `json:"class"`
	Severity     string `json:"severity"`
	Name         string `json:"name"`
	Fingerprint  string `json:"fingerprint"`
	Secret       string `json:"secret"`
	SecretLength int    `json:"secret_length"`
	Redacted     bool   `json:"redacted"`
	Replacement  string `json:"replacement"`
	Message      string `json:"message"`
}

type jsonSummary struct {
	Findings int    `json:"findings"`
	High     int    `json:"high"`
	Low      int    `json:"low"`
	Failing  int    `json:"failing"`
	FailOn   string `json:"fail_on"`
	Files    int    `json:"files_scanned"`
	Bytes    int64  `json:"bytes_scanned"`
	Skipped  int    `json:"files_skipped"`
}

// JSON writes the report as one JSON document (schema in README.md).
func JSON(w io.Writer, r *Report, opt Options) error {
	out := jsonReport{
		Version:  JSONVersion,
		Tool:     jsonTool{Name: "djguard", Version: opt.Version},
		Findings: make([]jsonFinding, 0, len(r.Findings)),
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Path:         f.Path,
			Line:         f.Line,
			Column:       f.Column,
			EndLine:      f.EndLine,
			EndColumn:    f.EndColumn,
			Class:        string(f.Class),
			Severity:     f.Severity.String(),
			Name:         f.Name,
			Fingerprint:  f.Fingerprint,
			Secret:       secretText(f, opt),
			SecretLength: utf8.RuneCountInString(f.Secret),
			Redacted:     !opt.ShowSecrets,
			Replacement:  r.Replacements[f.Fingerprint],
			Message:      describe(f),
		})
	}
	high, low := r.count()
	out.Summary = jsonSummary{
		Findings: len(r.Findings), High: high, Low: low, Failing: r.Failing(),
		FailOn: failOnName(r.FailOn), Files: r.Files, Bytes: r.Bytes, Skipped: r.Skipped,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func failOnName(s scanner.Severity) string {
	if s == 0 {
		return "never"
	}
	return s.String()
}
