package source

import (
	"sort"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/policy"
)

// Fragment is what every source hands the detector: one file's content
// under the path that says its syntax.
type Fragment struct {
	Path    string
	Content []byte
	// Added, when set, gives the lines (from 1) whose findings are kept:
	// a staged scan reports what the commit adds, not what HEAD already
	// has. It is called only when the content holds a finding, so that the
	// common case reads nothing more.
	Added func() (map[int]bool, error)
}

// Scan finds the keys in a fragment and keeps those the policy reports.
func (f Fragment) Scan(det *detect.Detector, pol *policy.Policy) ([]detect.Finding, error) {
	found := pol.Keep(det.Detect(f.Path, f.Content))
	if f.Added == nil || len(found) == 0 {
		return found, nil
	}
	added, err := f.Added()
	if err != nil {
		return nil, err
	}
	kept := found[:0]
	for _, x := range found {
		for l := x.Line; l <= x.EndLine; l++ {
			if added[l] {
				kept = append(kept, x)
				break
			}
		}
	}
	return kept, nil
}

// SortFindings orders findings by path, then position.
func SortFindings(fs []detect.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Start < b.Start
	})
}
