// Package leaked is the set of leaked keys verify checks a deployment's
// key, or a value the site signed, against: read from a djguard JSON
// report, from the findings of a history audit, or from a key file, one
// entry per key by fingerprint.
package leaked

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/pystr"
)

// Leak is one leaked key: its fingerprint, where it was first seen, and
// the key itself when the source holds it ("" for a redacted report).
type Leak struct {
	Fingerprint, Where, Secret string
	// Files are the files a report names for it, where a redacted key
	// may be read again if they still hold it.
	Files []string
}

// Set is what verify compares with: the leaked keys of one source.
type Set struct {
	Keys []Leak // one per fingerprint, in the source's order
	From string // the source, for messages: "report.json", "the history of ."
	// Listed is how many keys the source lists, when it lists fewer than
	// it has candidates (a key file's line may be read several ways); 0
	// means len(keys).
	Listed int
	// Incomplete says why a leaked key may not have been seen ("" when
	// every one was).
	Incomplete string
}

// ByFingerprint returns the leak with fingerprint fp.
func (l *Set) ByFingerprint(fp string) (Leak, bool) {
	for _, k := range l.Keys {
		if k.Fingerprint == fp {
			return k, true
		}
	}
	return Leak{}, false
}

// Add records a leak, once per fingerprint: the first place a key was
// seen is the one to name.
func (l *Set) Add(k Leak) {
	for i := range l.Keys {
		if old := &l.Keys[i]; old.Fingerprint == k.Fingerprint {
			old.Files = append(old.Files, k.Files...)
			if old.Secret == "" {
				old.Secret = k.Secret
			}
			return
		}
	}
	l.Keys = append(l.Keys, k)
}

// reportFinding is what verify reads of a finding in a JSON report.
type reportFinding struct {
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Fingerprint string `json:"fingerprint"`
	Secret      string `json:"secret"`
	Redacted    bool   `json:"redacted"`
	Commit      string `json:"commit"`
}

// ReadReport reads the leaked keys of a djguard JSON report. A key is
// kept only when the report shows it whole (--show-secrets) and it has
// the fingerprint the report gives it.
func ReadReport(path, name string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep struct {
		Version  int             `json:"version"`
		Findings []reportFinding `json:"findings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil || rep.Version != 1 {
		return nil, fmt.Errorf("%s is not a djguard JSON report (djguard scan --format json)", name)
	}
	out := &Set{From: name}
	for _, f := range rep.Findings {
		k := Leak{Fingerprint: f.Fingerprint, Where: fmt.Sprintf("%s:%d", f.Path, f.Line), Files: []string{f.Path}}
		if f.Commit != "" {
			k.Where += " in commit " + f.Commit[:min(12, len(f.Commit))]
		}
		if !f.Redacted && detect.Fingerprint(f.Secret) == f.Fingerprint {
			k.Secret = f.Secret
		}
		out.Add(k)
	}
	return out, nil
}

// RecoverSecrets fills in the keys a redacted report hides from the files
// it names, as they are now, drops the keys it cannot, and returns those.
// A report's paths are relative to where its scan ran, which the report
// does not say: locate gives the places a path may stand for, and the
// first that holds a key of the right fingerprint counts.
func (l *Set) RecoverSecrets(locate func(string) []string) (hidden []Leak) {
	kept := l.Keys[:0]
	for _, k := range l.Keys {
		for _, f := range k.Files {
			for _, path := range locate(f) {
				if k.Secret != "" {
					break
				}
				k.Secret = secretIn(path, f, k.Fingerprint)
			}
		}
		if k.Secret == "" {
			hidden = append(hidden, k)
			continue
		}
		kept = append(kept, k)
	}
	l.Keys = kept
	return hidden
}

// secretIn finds the secret with the given fingerprint in a file, or "".
func secretIn(path, name, fingerprint string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, f := range detect.Detect(name, data) {
		if f.Fingerprint == fingerprint {
			return f.Secret
		}
	}
	return ""
}

// ReadKeyFile reads a key file (verify --signed --key-file): one key per line, blank lines skipped. A
// line is a candidate as written but for the line ending, and trimmed of
// surrounding blanks; a line that is a Python string literal (as an entry
// of SECRET_KEY_FALLBACKS is written: 'key', with an optional comma and
// comment after it) is also a candidate as Python reads it. A key may hold
// quotes, '#' and '=' itself, so no reading replaces the line as written.
// A UTF-8 byte order mark, which editors on Windows put first, is dropped.
func ReadKeyFile(path, name string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := &Set{From: name}
	text := strings.TrimPrefix(string(data), "\ufeff")
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		out.Listed++
		where := fmt.Sprintf("line %d of %s", i+1, name)
		for _, c := range lineCandidates(line) {
			out.Add(Leak{Fingerprint: detect.Fingerprint(c.key), Secret: c.key, Where: where + c.how})
		}
	}
	if len(out.Keys) == 0 {
		return nil, fmt.Errorf("%s holds no key (one per line)", name)
	}
	return out, nil
}

// candidate is one reading of a key file's line; how says which, after
// the line's place ("" for the line as written).
type candidate struct{ key, how string }

// lineCandidates are the keys a line of --key-file may stand for.
func lineCandidates(line string) []candidate {
	cands := []candidate{{key: line}}
	trimmed := strings.TrimSpace(line)
	if trimmed != line {
		cands = append(cands, candidate{key: trimmed, how: ", trimmed"})
	}
	if s, ok := pystr.Literal(trimmed); ok && s != trimmed && s != "" {
		cands = append(cands, candidate{key: s, how: ", read as a Python string"})
	}
	return cands
}
