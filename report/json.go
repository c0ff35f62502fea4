package report

import (
	"encoding/json"
	"io"
	"time"
	"unicode/utf8"

	"github.com/djguard/djguard/detect"
)

// JSONVersion is the version of the JSON report's schema. It changes only
// when a field is removed or changes meaning; new fields may be added.
const JSONVersion = 1

type jsonReport struct {
	Version  int             `json:"version"`
	Tool     jsonTool        `json:"tool"`
	Findings json.RawMessage `json:"findings"` // itemsMarker: streamed
	Summary  jsonSummary     `json:"summary"`
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
	// Set by a history audit only.
	Commit      string   `json:"commit,omitempty"`
	Author      string   `json:"author,omitempty"`
	Date        string   `json:"date,omitempty"`
	Summary     string   `json:"commit_summary,omitempty"`
	CommitCount *int     `json:"commit_count,omitempty"`
	Paths       []string `json:"paths,omitempty"`
	InHead      *bool    `json:"in_head,omitempty"`
	// Head is where HEAD holds it, when it does; the fields above
	// describe the introducing commit.
	Head *jsonLocation `json:"head,omitempty"`
	// Set by an image scan only.
	Image *jsonImage `json:"image,omitempty"`
}

type jsonImage struct {
	Image     string   `json:"image"`
	Platforms []string `json:"platforms"`
	Layer     string   `json:"layer,omitempty"`
	Step      string   `json:"step,omitempty"`
	Field     string   `json:"field,omitempty"`
	Deleted   bool     `json:"deleted"`
}

type jsonLocation struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

type jsonSummary struct {
	Findings  int    `json:"findings"`
	High      int    `json:"high"`
	Low       int    `json:"low"`
	Failing   int    `json:"failing"`
	FailOn    string `json:"fail_on"`
	Files     int    `json:"files_scanned"`
	Bytes     int64  `json:"bytes_scanned"`
	Skipped   int    `json:"files_skipped"`
	Baselined int    `json:"baselined"`
	// NotRead lists the files that could hold a key and were not read.
	NotRead []NotRead `json:"not_read,omitempty"`
	// Set by a history audit only.
	Commits *int `json:"commits_audited,omitempty"`
	Blobs   *int `json:"blobs_scanned,omitempty"`
	Shallow *int `json:"shallow_boundaries,omitempty"`
	Missing *int `json:"missing_objects,omitempty"`
}

// JSON writes the report as one JSON document (schema in report.schema.json,
// described in docs/reports.md).
func JSON(w io.Writer, r *Report, opt Options) error {
	out := jsonReport{
		Version:  JSONVersion,
		Tool:     jsonTool{Name: "djguard", Version: opt.Version},
		Findings: itemsMarker,
	}
	scrub := r.scrubber(opt)
	finding := func(i int) any {
		f := r.Findings[i]
		jf := jsonFinding{
			Path:         scrub.name(f.Path),
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
		}
		if o := f.Origin; o != nil {
			jf.Commit, jf.Author, jf.Summary = o.Commit, scrub.name(authorOf(o)), scrub.scrub(o.Summary)
			jf.Date = o.Date.Format(time.RFC3339)
			jf.CommitCount, jf.Paths, jf.InHead = &o.CommitCount, scrub.nameList(o.Paths), &o.InHead
			if h := o.Head; h != nil {
				jf.Head = &jsonLocation{Path: scrub.name(h.Path), Line: h.Line, Column: h.Column, EndLine: h.EndLine, EndColumn: h.EndColumn}
			}
		}
		if im := f.Image; im != nil {
			jf.Image = &jsonImage{Image: scrub.name(im.Image), Platforms: im.Platforms, Layer: im.Layer, Step: scrub.scrub(im.Step), Field: im.Field, Deleted: im.Deleted}
		}
		return jf
	}
	high, low := r.count()
	out.Summary = jsonSummary{
		Findings: len(r.Findings), High: high, Low: low, Failing: r.Failing(),
		FailOn: failOnName(r.FailOn), Files: r.Files, Bytes: r.Bytes, Skipped: r.Skipped, Baselined: r.Baselined,
		NotRead: r.notRead(scrub),
	}
	if h := r.History; h != nil {
		out.Summary.Commits, out.Summary.Blobs, out.Summary.Shallow, out.Summary.Missing = &h.Commits, &h.Blobs, &h.Shallow, &h.Missing
	}
	return streamJSON(w, out, len(r.Findings), finding)
}

// authorOf is "Name <email>", as git shows an author.
func authorOf(o *detect.Origin) string {
	if o.Email == "" {
		return o.Author
	}
	return o.Author + " <" + o.Email + ">"
}

func failOnName(s detect.Severity) string {
	if s == 0 {
		return "never"
	}
	return s.String()
}
