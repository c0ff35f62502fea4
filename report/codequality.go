package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/policy"
)

// GitLab's Code Quality report: an array of issues in the subset of the
// Code Climate format that GitLab documents (description, check_name,
// fingerprint, severity, location.path, location.lines.begin). GitLab
// shows it in the merge request widget in every tier.
type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// CodeQuality writes the report as a GitLab Code Quality report, each
// issue where the merge request's analysed commit has it (analysedPlace).
// Like SARIF it carries no replacement key: merge request reports are
// kept where many can read them.
func CodeQuality(w io.Writer, r *Report, opt Options) error {
	scrub := r.scrubber(opt)
	issue := func(i int) any {
		f := r.Findings[i]
		msg := fmt.Sprintf("%s: %s (fingerprint %s)", describe(f), secretText(f, opt), f.Fingerprint)
		at := analysedPlace(f)
		if o := f.Origin; o != nil {
			msg += fmt.Sprintf(", added in commit %s %q", shortCommit(o.Commit), scrub.scrub(o.Summary))
		}
		if note := at.goneNote(f, scrub); note != "" {
			msg += "." + note
		}
		return codeQualityIssue{
			Description: msg,
			CheckName:   "djguard/" + string(f.Class),
			Fingerprint: codeQualityFingerprint(f),
			Severity:    codeQualitySeverity(f, r.FailOn),
			Location:    codeQualityLocation{Path: scrub.name(at.Path), Lines: codeQualityLines{Begin: max(at.Line, 1)}},
		}
	}
	return streamJSON(w, itemsMarker, len(r.Findings), issue)
}

// codeQualityFingerprint tells GitLab which issues of two reports are the
// same. GitLab shows one issue per fingerprint, so two findings of one key
// in one file differ by their line.
func codeQualityFingerprint(f detect.Finding) string {
	sum := sha256.Sum256([]byte(string(f.Class) + "\x00" + f.Path + "\x00" + strconv.Itoa(f.Line) + "\x00" + f.Fingerprint))
	return hex.EncodeToString(sum[:16])
}

// codeQualitySeverity ranks a finding that fails the scan first, above
// other tools' issues in the widget, and the others by djguard's severity.
func codeQualitySeverity(f detect.Finding, failOn detect.Severity) string {
	switch {
	case policy.Fails(f, failOn):
		return "blocker"
	case f.Severity == detect.High:
		return "critical"
	}
	return "minor"
}
