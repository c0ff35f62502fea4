package policy

import (
	"testing"

	"github.com/djguard/djguard/baseline"
	"github.com/djguard/djguard/detect"
)

func finding(secret string, sev detect.Severity) detect.Finding {
	return detect.Finding{Path: "settings.py", Class: detect.HardcodedKey, Severity: sev, Secret: secret, Fingerprint: detect.Fingerprint(secret)}
}

func TestReportedHonoursTheInlineMarkerAndTheAllowList(t *testing.T) {
	plain, listed, marked := finding("one", detect.High), finding("two", detect.High), finding("three", detect.High)
	marked.Allowed = true
	p := &Policy{Allow: map[string]bool{listed.Fingerprint: true}}
	for _, tc := range []struct {
		name string
		pol  *Policy
		f    detect.Finding
		want bool
	}{
		{"a plain finding", p, plain, true},
		{"a fingerprint on the allow list", p, listed, false},
		{"a line marked djguard:allow", p, marked, false},
		{"the marker with no policy", nil, marked, false},
		{"a plain finding with no policy", nil, plain, true},
	} {
		if got := tc.pol.Reported(tc.f); got != tc.want {
			t.Errorf("%s: Reported = %v, want %v", tc.name, got, tc.want)
		}
	}
	kept := p.Keep([]detect.Finding{plain, listed, marked})
	if len(kept) != 1 || kept[0].Secret != "one" {
		t.Errorf("Keep = %+v, want only the plain finding", kept)
	}
}

func TestExcludedAsksTheExcludeFunction(t *testing.T) {
	var none *Policy
	if none.Excluded("/x/.env") || none.Excludes() {
		t.Error("a nil policy excludes something")
	}
	p := &Policy{Exclude: func(path string) bool { return path == "/x/.env" }}
	if !p.Excludes() || !p.Excluded("/x/.env") || p.Excluded("/x/settings.py") {
		t.Error("Exclude is not what Excluded answers")
	}
}

func TestApplyBaselineLeavesOutAcceptedFindingsAndNamesStaleEntries(t *testing.T) {
	a, b := finding("accepted", detect.High), finding("new", detect.Low)
	p := &Policy{Baseline: &baseline.File{Entries: []baseline.Entry{{Fingerprint: a.Fingerprint}, {Fingerprint: "00ff"}}}}
	kept, n, stale := p.ApplyBaseline([]detect.Finding{a, b})
	if len(kept) != 1 || kept[0].Secret != "new" || n != 1 || len(stale) != 1 || stale[0].Fingerprint != "00ff" {
		t.Errorf("ApplyBaseline = %v, %d, %v", kept, n, stale)
	}
	if kept, n, _ := (&Policy{}).ApplyBaseline([]detect.Finding{a}); len(kept) != 1 || n != 0 {
		t.Error("no baseline left something out")
	}
}

func TestFailingCountsFindingsAtOrAboveFailOn(t *testing.T) {
	fs := []detect.Finding{finding("a", detect.High), finding("b", detect.Low), finding("c", detect.Low)}
	for word, want := range map[string]int{"high": 1, "low": 3, "never": 0} {
		failOn, ok := ParseFailOn(word)
		if !ok {
			t.Fatalf("ParseFailOn(%q) failed", word)
		}
		if got := Failing(fs, failOn); got != want {
			t.Errorf("--fail-on %s: %d failing, want %d", word, got, want)
		}
	}
	if _, ok := ParseFailOn("medium"); ok {
		t.Error("ParseFailOn accepted medium")
	}
}
