package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// historyPair is a history audit's two findings: one a commit added on
// line 2 of mysite/settings.py that HEAD holds on line 7 (five lines were
// inserted above it later), and one HEAD no longer holds, added on line 3
// of old.env.
func historyPair(t *testing.T) (*Report, []string) {
	t.Helper()
	kept, gone := testenv.FakeKey("kept-in-head"), testenv.FakeKey("gone-from-head")
	moved := detect.Detect("mysite/settings.py", []byte("import os\nSECRET_KEY = '"+kept+"'\n"))
	removed := detect.Detect("old.env", []byte("A=1\nB=2\nDJANGO_SECRET_KEY="+gone+"\n"))
	if len(moved) != 1 || len(removed) != 1 || moved[0].Line != 2 || removed[0].Line != 3 {
		t.Fatalf("fixture: %+v %+v", moved, removed)
	}
	f, g := moved[0], removed[0]
	f.Origin = &detect.Origin{Commit: strings.Repeat("1a", 20), Summary: "add settings", CommitCount: 2, Paths: []string{f.Path}, InHead: true,
		Head: &detect.Location{Path: f.Path, Line: 7, Column: f.Column, EndLine: 7, EndColumn: f.EndColumn}}
	g.Origin = &detect.Origin{Commit: strings.Repeat("2b", 20), Summary: "add env", CommitCount: 1, Paths: []string{g.Path}}
	return &Report{Findings: []detect.Finding{f, g}, FailOn: detect.High, History: &HistorySummary{Commits: 3}}, []string{kept, gone}
}

type sarifOut struct {
	Runs []struct {
		Results []struct {
			Message   struct{ Text string } `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					Region           map[string]int       `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

// SARIF places a history audit's finding where code scanning shows it, on
// the analysed commit's (HEAD's) file: line 7, not the introducing
// commit's line 2. A finding HEAD no longer holds gets line 1 of its file
// and no columns, and its message names the commit and the line there.
// The log still validates against the official schema.
func TestSARIFPlacesHistoryFindingsOnTheAnalysedCommit(t *testing.T) {
	r, keys := historyPair(t)
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, r, Options{Version: "test"}) })
	assertNoSecrets(t, out, keys)
	if err := testenv.Validate(t, testenv.SARIFSchema(t), out); err != nil {
		t.Errorf("the SARIF log does not validate: %v", err)
	}
	var log sarifOut
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	kept, gone := res[0], res[1]
	if got := kept.Locations[0].PhysicalLocation; got.ArtifactLocation.URI != "mysite/settings.py" || got.Region["startLine"] != 7 || got.Region["endLine"] != 7 || got.Region["startColumn"] != r.Findings[0].Column {
		t.Errorf("the key HEAD holds on line 7 is at %+v", got)
	}
	if kept.Properties["commitLine"] != float64(2) || strings.Contains(kept.Message.Text, "line 1") {
		t.Errorf("kept key: properties %v, message %q", kept.Properties, kept.Message.Text)
	}
	if got := gone.Locations[0].PhysicalLocation; got.ArtifactLocation.URI != "old.env" || len(got.Region) != 1 || got.Region["startLine"] != 1 {
		t.Errorf("the key HEAD no longer holds is at %+v, want line 1 of old.env and nothing more", got)
	}
	if msg := gone.Message.Text; !strings.Contains(msg, "commit 2b2b2b2b2b2b added it at old.env line 3") || !strings.Contains(msg, "shown at line 1") {
		t.Errorf("the removed key's message does not say where the commit had it: %q", msg)
	}
}

// GitHub annotations are shown on the checked-out commit's files too:
// line 7 with its columns for the key HEAD holds; line 1 with no columns,
// and the commit's line in the message, for the one it does not.
func TestGitHubAnnotationsPlaceHistoryFindingsOnTheAnalysedCommit(t *testing.T) {
	r, keys := historyPair(t)
	out := string(render(t, func(b *bytes.Buffer) error { return GitHub(b, r, Options{}) }))
	assertNoSecrets(t, []byte(out), keys)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d annotations, want 2:\n%s", len(lines), out)
	}
	if !strings.HasPrefix(lines[0], "::error file=mysite/settings.py,line=7,col=") || !strings.Contains(lines[0], ",endLine=7,") {
		t.Errorf("the key HEAD holds on line 7: %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "::error file=old.env,line=1,title=") || !strings.Contains(lines[1], "added it at old.env line 3") {
		t.Errorf("the key HEAD no longer holds: %q", lines[1])
	}
}

// GitLab shows Code Quality issues on the merge request's files: the same
// places, and fingerprints that do not move with HEAD's lines.
func TestCodeQualityPlacesHistoryFindingsOnTheAnalysedCommit(t *testing.T) {
	r, keys := historyPair(t)
	out := render(t, func(b *bytes.Buffer) error { return CodeQuality(b, r, Options{}) })
	assertNoSecrets(t, out, keys)
	var issues []struct {
		Description string `json:"description"`
		Fingerprint string `json:"fingerprint"`
		Location    struct {
			Path  string              `json:"path"`
			Lines struct{ Begin int } `json:"lines"`
		} `json:"location"`
	}
	if err := json.Unmarshal(out, &issues); err != nil {
		t.Fatal(err)
	}
	if l := issues[0].Location; l.Path != "mysite/settings.py" || l.Lines.Begin != 7 {
		t.Errorf("the key HEAD holds on line 7 is at %+v", l)
	}
	if l := issues[1].Location; l.Path != "old.env" || l.Lines.Begin != 1 || !strings.Contains(issues[1].Description, "added it at old.env line 3") {
		t.Errorf("the key HEAD no longer holds is at %+v: %q", l, issues[1].Description)
	}
	r.Findings[0].Origin.Head.Line = 12
	again := render(t, func(b *bytes.Buffer) error { return CodeQuality(b, r, Options{}) })
	if !bytes.Contains(again, []byte(issues[0].Fingerprint)) {
		t.Error("moving the key in HEAD changed its Code Quality fingerprint")
	}
}

// JSON describes the introducing commit, as the text report does, and
// adds where HEAD holds the key (TestJSONValidatesAgainstItsPublishedSchema
// checks "head" against the schema).
func TestJSONKeepsTheCommitsLineAndAddsHeads(t *testing.T) {
	r, _ := historyPair(t)
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, r, Options{Version: "test"}) })
	var doc struct {
		Findings []struct {
			Line int `json:"line"`
			Head *struct {
				Path string `json:"path"`
				Line int    `json:"line"`
			} `json:"head"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	kept, gone := doc.Findings[0], doc.Findings[1]
	if kept.Line != 2 || kept.Head == nil || kept.Head.Line != 7 || kept.Head.Path != "mysite/settings.py" {
		t.Errorf("kept key: line %d, head %+v", kept.Line, kept.Head)
	}
	if gone.Line != 3 || gone.Head != nil {
		t.Errorf("removed key: line %d, head %+v", gone.Line, gone.Head)
	}
}
