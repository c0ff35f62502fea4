package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// A pull request's audit, as the GitHub Action runs it (scan --history
// --since BASE on the checked-out head): its key came in on line 2 of
// settings.py and a later commit of the pull request inserted five lines
// above it, so the analysed commit holds it on line 7, and code scanning
// and the annotations show it there. A key the pull request added and
// removed stands at line 1 of its file with no columns, and the message
// names the commit and the line it had there. The SARIF validates.
func TestPullRequestSARIFPlacesKeysOnTheAnalysedCommit(t *testing.T) {
	kept, removed := testenv.FakeKey("pull request kept"), testenv.FakeKey("pull request removed")
	f := testenv.NewGitRepo(t)
	f.Commit("start", map[string]string{"README.md": "demo\n"})
	f.Checkout("feature", true)
	f.Commit("add settings", map[string]string{"settings.py": "import os\nSECRET_KEY = '" + kept + "'\n"})
	added := f.Commit("add env", map[string]string{"deploy.env": "A=1\nB=2\nDJANGO_SECRET_KEY=" + removed + "\n"})
	f.Commit("imports, no env", map[string]string{
		"settings.py": strings.Repeat("import sys\n", 5) + "import os\nSECRET_KEY = '" + kept + "'\n",
		"deploy.env":  "",
	})

	code, _, stderr := runCLIEnv(t, f.Dir, map[string]string{"GITHUB_ACTIONS": "true"},
		"scan", "--history", "--since", "master", "--format", "sarif", "--output", "djguard.sarif")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	out, err := os.ReadFile(filepath.Join(f.Dir, "djguard.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{kept, removed} {
		if strings.Contains(string(out), k) || strings.Contains(stderr, k) {
			t.Fatal("a whole key was printed")
		}
	}
	if err := testenv.Validate(t, testenv.SARIFSchema(t), out); err != nil {
		t.Errorf("the SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string } `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           map[string]int       `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	at := map[string]map[string]int{}
	messages := map[string]string{}
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		at[loc.ArtifactLocation.URI], messages[loc.ArtifactLocation.URI] = loc.Region, r.Message.Text
	}
	if len(at) != 2 {
		t.Fatalf("results at %v, want settings.py and deploy.env", at)
	}
	if r := at["settings.py"]; r["startLine"] != 7 || r["endLine"] != 7 || r["startColumn"] != 15 {
		t.Errorf("the key the analysed commit holds on line 7 is at %v", r)
	}
	if r := at["deploy.env"]; len(r) != 1 || r["startLine"] != 1 {
		t.Errorf("the removed key is at %v, want line 1 and no columns", r)
	}
	if msg := messages["deploy.env"]; !strings.Contains(msg, "commit "+added.String()[:12]+" added it at deploy.env line 3") {
		t.Errorf("the removed key's message does not name its commit and line: %q", msg)
	}
	if !strings.Contains(stderr, "::error file=settings.py,line=7,col=15,") || !strings.Contains(stderr, "::error file=deploy.env,line=1,title=") {
		t.Errorf("the annotations are not on the analysed commit's lines:\n%s", stderr)
	}
}
