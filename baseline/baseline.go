// Package baseline records the findings a team accepts for now, by
// fingerprint and never by value, so that a legacy repository can start
// clean and only new leaks fail a scan.
package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"

	"github.com/djguard/djguard/detect"
)

// Version is the baseline file format's version.
const Version = 1

// File is a baseline: what `djguard baseline` writes and `scan --baseline`
// reads.
type File struct {
	Version int     `json:"version"`
	Tool    string  `json:"tool"`
	Entries []Entry `json:"entries"`
}

// Entry is one accepted secret, known by its fingerprint. Path and Line
// say where it was when the baseline was taken; Reason is for a person to
// fill in.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Class       string `json:"class"`
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Commit      string `json:"commit,omitempty"`
	Reason      string `json:"reason"`
}

// New makes a baseline of findings, one entry per distinct secret.
func New(findings []detect.Finding) *File {
	f := &File{Version: Version, Tool: "djguard", Entries: []Entry{}}
	seen := map[string]bool{}
	for _, x := range findings {
		if seen[x.Fingerprint] {
			continue
		}
		seen[x.Fingerprint] = true
		e := Entry{Fingerprint: x.Fingerprint, Class: string(x.Class), Path: x.Path, Line: x.Line}
		if x.Origin != nil {
			e.Commit = x.Origin.Commit
		}
		f.Entries = append(f.Entries, e)
	}
	sort.SliceStable(f.Entries, func(i, j int) bool {
		if f.Entries[i].Path != f.Entries[j].Path {
			return f.Entries[i].Path < f.Entries[j].Path
		}
		return f.Entries[i].Line < f.Entries[j].Line
	})
	return f
}

// Write writes the baseline as indented JSON.
func (f *File) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

var fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Load reads a baseline file, refusing one it does not understand.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the baseline: %w", err)
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a djguard baseline: %w", path, err)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d; this djguard reads version %d", path, f.Version, Version)
	}
	for i, e := range f.Entries {
		if !fingerprintPattern.MatchString(e.Fingerprint) {
			// The value is not echoed: it could be a key pasted by mistake.
			return nil, fmt.Errorf("%s: entry %d: the fingerprint (%d characters) is not a djguard fingerprint: 32 hex digits", path, i+1, len(e.Fingerprint))
		}
	}
	return &f, nil
}

// Apply removes the findings whose secret the baseline accepts. It returns
// the findings left, how many it removed, and the entries that matched
// nothing (stale: the file can shrink).
func (f *File) Apply(findings []detect.Finding) (kept []detect.Finding, baselined int, stale []Entry) {
	accepted := map[string]bool{}
	for _, e := range f.Entries {
		accepted[e.Fingerprint] = true
	}
	used := map[string]bool{}
	for _, x := range findings {
		if accepted[x.Fingerprint] {
			used[x.Fingerprint] = true
			baselined++
			continue
		}
		kept = append(kept, x)
	}
	for _, e := range f.Entries {
		if !used[e.Fingerprint] {
			stale = append(stale, e)
		}
	}
	return kept, baselined, stale
}
