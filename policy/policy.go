// Package policy decides which findings djguard reports and which of them
// fail a scan. A finding the detector makes is reported unless
//
//   - its line, or the line of the name that gave it, carries the inline
//     marker djguard:allow (detect.Finding.Allowed);
//   - its fingerprint is in the configuration's allow list (accepted for
//     good: not a leak);
//   - its file is excluded by the configuration (such files are not even
//     read);
//   - the baseline accepts it (for now: the team has it on its list).
//
// A reported finding fails the scan when its severity is at or above
// FailOn. Sources ask Excluded and Reported as they go, so that the history
// audit attributes only what will be reported; the baseline is applied to
// the whole result, since it also says which of its entries matched nothing.
package policy

import (
	"github.com/djguard/djguard/baseline"
	"github.com/djguard/djguard/detect"
)

// Policy is one scan's rules. The zero value, and a nil *Policy, honour
// the inline marker and nothing else, and fail on nothing.
type Policy struct {
	// FailOn is the severity at or above which a finding fails the scan;
	// 0 means none does (--fail-on never).
	FailOn detect.Severity
	// Allow holds the fingerprints accepted for good.
	Allow map[string]bool
	// Exclude reports whether a file, by absolute path, is left out; a
	// directory's path ends in a separator. Nil excludes nothing.
	Exclude func(path string) bool
	// Baseline, when set, holds findings accepted for now.
	Baseline *baseline.File
	// KeepAllowed keeps findings marked djguard:allow: for verify, a key
	// committed with the marker is leaked all the same.
	KeepAllowed bool
}

// ParseFailOn reads "high", "low" or "never" (0).
func ParseFailOn(s string) (detect.Severity, bool) {
	if s == "never" {
		return 0, true
	}
	return detect.ParseSeverity(s)
}

// Excluded reports whether the file at path is not to be read at all.
func (p *Policy) Excluded(path string) bool {
	return p != nil && p.Exclude != nil && p.Exclude(path)
}

// Excludes reports whether the policy excludes any file at all, so that a
// source with many paths to ask about need not ask.
func (p *Policy) Excludes() bool {
	return p != nil && p.Exclude != nil
}

// Reported reports whether a finding the detector made is reported,
// before the baseline.
func (p *Policy) Reported(f detect.Finding) bool {
	if f.Allowed && (p == nil || !p.KeepAllowed) {
		return false
	}
	return p == nil || !p.Allow[f.Fingerprint]
}

// Keep returns the findings that Reported keeps, in order, reusing fs.
func (p *Policy) Keep(fs []detect.Finding) []detect.Finding {
	kept := fs[:0]
	for _, f := range fs {
		if p.Reported(f) {
			kept = append(kept, f)
		}
	}
	return kept
}

// ApplyBaseline leaves out the findings the baseline accepts. It returns
// the findings left, how many it left out, and the baseline entries that
// matched nothing (stale: the file can shrink).
func (p *Policy) ApplyBaseline(fs []detect.Finding) (kept []detect.Finding, baselined int, stale []baseline.Entry) {
	if p == nil || p.Baseline == nil {
		return fs, 0, nil
	}
	return p.Baseline.Apply(fs)
}

// Failing counts the findings that fail a scan run with this FailOn.
func Failing(fs []detect.Finding, failOn detect.Severity) int {
	n := 0
	for _, f := range fs {
		if Fails(f, failOn) {
			n++
		}
	}
	return n
}

// Fails says whether f fails a scan run with this FailOn; 0 fails none.
func Fails(f detect.Finding, failOn detect.Severity) bool {
	return failOn != 0 && f.Severity >= failOn
}
