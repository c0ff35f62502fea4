package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// Each failing finding is one error annotation on its file and line, with
// the property values escaped so that a file name cannot end the command
// or start another; no secret is whole, and no replacement key is there.
func TestGitHubAnnotatesEachFailingFindingOnItsLine(t *testing.T) {
	r, keys := sample(t)
	r.Findings[0].Path = "a,b:c%\n::error::forged.env"
	r.Findings[1].Path = "docs/x\x1b]0;pwned\x07.md"
	var buf bytes.Buffer
	if err := GitHub(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if want := r.Failing(); len(lines) != want {
		t.Fatalf("%d annotation lines for %d failing findings:\n%s", len(lines), want, buf.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error file=") || strings.Count(l, "::") != 2 {
			t.Errorf("not one error command: %q", l)
		}
	}
	if !strings.HasPrefix(lines[0], "::error file=a%2Cb%3Ac%25%0A%3A%3Aerror%3A%3Aforged.env,line=1,") {
		t.Errorf("file name not escaped as a property: %q", lines[0])
	}
	if strings.ContainsAny(buf.String(), "\x1b\x07") || !strings.Contains(buf.String(), "file=docs/x%1B]0;pwned%07.md,") {
		t.Errorf("a file name with terminal escapes reaches the log raw:\n%q", buf.String())
	}
	if !strings.Contains(buf.String(), "file=mysite/settings.py,line=2,col=") {
		t.Errorf("no annotation on mysite/settings.py line 2:\n%s", buf.String())
	}
	for _, secret := range append(keys, valuesOf(r.Replacements)...) {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the annotations hold a whole secret or replacement key")
		}
	}
	if strings.Contains(buf.String(), "ci.py") {
		t.Errorf("a low finding below --fail-on high is annotated:\n%s", buf.String())
	}
}

// The job summary is a Markdown table of the failing findings, with a
// file name that holds a table's cell break kept in its cell, and the
// next step.
func TestJobSummaryTablesTheFailingFindings(t *testing.T) {
	r, keys := sample(t)
	r.Findings[1].Path = "docs/a|b`.md"
	var buf bytes.Buffer
	if err := JobSummary(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	rows := strings.Count(out, "\n| `")
	if rows != r.Failing() {
		t.Errorf("%d table rows for %d failing findings:\n%s", rows, r.Failing(), out)
	}
	for _, want := range []string{"| `docs/a\\|b'.md` | 1 | bare-key | high |", "**Next step:**", "djguard help rotation"} {
		if !strings.Contains(out, want) {
			t.Errorf("the job summary lacks %q:\n%s", want, out)
		}
	}
	for _, k := range keys {
		if strings.Contains(out, k) {
			t.Errorf("the job summary holds a whole secret")
		}
	}
}

// GitLab's Code Quality report has the fields GitLab documents, each of
// the type it documents, one issue per finding, fingerprints unique (GitLab
// shows one issue per fingerprint) and severities from GitLab's scale.
func TestCodeQualityHasGitLabsFields(t *testing.T) {
	r, keys := sample(t)
	r.Findings = append(r.Findings, r.Findings[0])
	r.Findings[len(r.Findings)-1].Line = 9
	var buf bytes.Buffer
	if err := CodeQuality(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var issues []struct {
		Description string `json:"description"`
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&issues); err != nil {
		t.Fatalf("not GitLab's issue array: %v", err)
	}
	if len(issues) != len(r.Findings) {
		t.Fatalf("%d issues for %d findings", len(issues), len(r.Findings))
	}
	seen := map[string]bool{}
	scale := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	for i, is := range issues {
		f := r.Findings[i]
		if is.Description == "" || is.CheckName != "djguard/"+string(f.Class) || !scale[is.Severity] ||
			is.Location.Path != f.Path || is.Location.Lines.Begin != f.Line || len(is.Fingerprint) != 32 {
			t.Errorf("issue %d: %+v for %s:%d", i, is, f.Path, f.Line)
		}
		if seen[is.Fingerprint] {
			t.Errorf("issue %d repeats a fingerprint", i)
		}
		seen[is.Fingerprint] = true
		if want := f.Severity == detect.High; (is.Severity == "blocker") != want {
			t.Errorf("issue %d: severity %s for a %s finding failing on high", i, is.Severity, f.Severity)
		}
	}
	for _, secret := range append(keys, valuesOf(r.Replacements)...) {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the Code Quality report holds a whole secret or replacement key")
		}
	}
	var empty bytes.Buffer
	if err := CodeQuality(&empty, &Report{}, Options{}); err != nil || empty.String() != "[]\n" {
		t.Errorf("no findings: %q, %v", empty.String(), err)
	}
}

func valuesOf(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// A key in a commit's message, which HEAD's files cannot hold, is shown at
// line 1 with a note that says it is the message, not a file's line.
func TestAKeyInAMessageIsSaidToBeInTheMessage(t *testing.T) {
	key := testenv.FakeKey("in a message")
	f := detect.Detect("(commit-message)", []byte("temporarily set SECRET_KEY = '"+key+"'\n"))
	if len(f) != 1 {
		t.Fatalf("%d findings", len(f))
	}
	f[0].Origin = &detect.Origin{Commit: strings.Repeat("3c", 20), Summary: "temporarily set the key", CommitCount: 1}
	r := &Report{Findings: f, FailOn: detect.High, History: &HistorySummary{Commits: 1}}
	var buf bytes.Buffer
	if err := GitHub(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "The message of 3c3c3c3c3c3c holds it, line 1.") || strings.Contains(out, "added it at (commit-message)") {
		t.Errorf("%s", out)
	}
}
