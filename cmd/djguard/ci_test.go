package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/internal/testenv"
)

// TestBaselineWorkflowEndToEnd is the CI adoption path: a repository with
// a committed key takes a baseline; a new key is added; the scan reports
// only the new one, fails, and writes SARIF that validates and whose
// partial fingerprints are the same from run to run.
func TestBaselineWorkflowEndToEnd(t *testing.T) {
	old, added := testenv.FakeKey("legacy"), testenv.FakeKey("new")
	dir := testenv.WriteTree(t, map[string]string{
		"mysite/settings.py": "SECRET_KEY = '" + old + "'\n",
		"pyproject.toml":     "[project]\nname = \"mysite\"\n\n[tool.djguard]\nbaseline = \".djguard-baseline.json\"\n",
	})
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	wt.AddWithOptions(&git.AddOptions{All: true})
	sig := &object.Signature{Name: "Dev", Email: "d@e"}
	if _, err := wt.Commit("legacy", &git.CommitOptions{Author: sig}); err != nil {
		t.Fatal(err)
	}

	code, base, stderr := runCLI(t, dir, "baseline")
	if code != exitClean || bytes.Contains([]byte(base), []byte(old)) {
		t.Fatalf("baseline: exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, ".djguard-baseline.json"), []byte(base), 0o644)

	// Nothing new: clean, and the baselined finding is counted.
	code, out, stderr := runCLI(t, dir, "scan", "--format", "json")
	if code != exitClean || !bytes.Contains([]byte(stderr), []byte("1 finding in the baseline")) {
		t.Fatalf("scan with only baselined findings: exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Summary struct{ Baselined, Findings int }
	}
	json.Unmarshal([]byte(out), &rep)
	if rep.Summary.Baselined != 1 || rep.Summary.Findings != 0 {
		t.Errorf("summary %+v", rep.Summary)
	}

	// A new key: only it is reported, and the scan fails.
	os.WriteFile(filepath.Join(dir, "deploy.env"), []byte("DJANGO_SECRET_KEY="+added+"\n"), 0o644)
	sarifs := make([][]byte, 2)
	for i := range sarifs {
		code, _, stderr = runCLI(t, dir, "scan", "--format", "sarif", "--output", "djguard.sarif")
		if code != exitFindings {
			t.Fatalf("scan with a new key: exit %d, stderr %q", code, stderr)
		}
		sarifs[i], _ = os.ReadFile(filepath.Join(dir, "djguard.sarif"))
	}
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarifs[0], &log); err != nil {
		t.Fatal(err)
	}
	results := log.Runs[0].Results
	if len(results) != 1 || results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "deploy.env" {
		t.Fatalf("SARIF holds %d results, want only the new key's", len(results))
	}
	if !bytes.Equal(sarifs[0], sarifs[1]) || results[0].PartialFingerprints["djguardFinding/v1"] == "" {
		t.Error("two runs wrote different SARIF, or no partial fingerprint")
	}
	if err := testenv.Validate(t, testenv.SARIFSchema(t), sarifs[0]); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
}

// TestActionUsesOnlyRealFlags keeps the action consistent with the CLI:
// every flag its scan step passes must be one 'djguard scan' knows.
func TestActionUsesOnlyRealFlags(t *testing.T) {
	data := actionScript(t)
	_, stdout, stderr := runCLI(t, t.TempDir(), "scan", "-h")
	help := stdout + stderr
	flags := regexp.MustCompile(`(?:args\+?=\(|echo ")([^)"]*)[)"]`).FindAllStringSubmatch(data, -1)
	if len(flags) < 4 {
		t.Fatalf("found %d argument lists in action.yml; the test no longer reads it right", len(flags))
	}
	for _, m := range flags {
		for _, f := range regexp.MustCompile(`--[a-z-]+`).FindAllString(m[1], -1) {
			if !strings.Contains(help, "  -"+f[2:]) {
				t.Errorf("action.yml passes %s, which djguard scan does not know", f)
			}
		}
	}
	for _, mode := range [][]string{{"scan", "--format", "sarif", "--output", "x.sarif"}, {"scan", "--history", "--since", "origin/main", "--format", "sarif"}} {
		if _, code, ok := parseScan(mode[1:], env{stderr: io.Discard}); !ok {
			t.Errorf("%v does not parse (exit %d)", mode, code)
		}
	}
}

// TestReadmeDemoShowsFindings keeps the README's first command true: a
// scan of the demo project finds its leaks and fails, even though the
// repository's own configuration excludes the demo from the self-scan.
func TestReadmeDemoShowsFindings(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, root, "scan", "examples/demo", "--format", "json")
	var rep struct {
		Findings []struct{ Class string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if code != exitFindings || len(rep.Findings) < 5 {
		t.Errorf("the demo scan exits %d with %d findings; the README promises findings and exit 1", code, len(rep.Findings))
	}
	// And the self-scan leaves the demo out.
	if code, _, stderr := runCLI(t, root, "scan"); code != exitClean {
		t.Errorf("djguard's self-scan exits %d: %s", code, stderr)
	}
}

// actionScript returns the shell of action.yml's scan step, which runs
// action/scan.sh.
func actionScript(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "      id: scan\n") || !strings.Contains(string(data), `run: bash "$GITHUB_ACTION_PATH/action/scan.sh"`) {
		t.Fatal("action.yml's scan step does not run action/scan.sh; the test no longer reads it right")
	}
	script, err := os.ReadFile(filepath.Join("..", "..", "action", "scan.sh"))
	if err != nil {
		t.Fatal(err)
	}
	return string(script)
}

// TestActionAuditsPullRequestsAndRefusesPullRequestTarget runs the action's
// scan step with a stand-in djguard that records its arguments.
func TestActionAuditsPullRequestsAndRefusesPullRequestTarget(t *testing.T) {
	bash := testenv.Tool(t, "bash")
	script := actionScript(t)
	for _, tc := range []struct {
		event    string
		wantCode int
		wantArgs string
	}{
		{"pull_request", 0, "scan --format sarif --output djguard.sarif --history --since origin/main -- ."},
		{"push", 0, "scan --format sarif --output djguard.sarif --history -- ."},
		{"workflow_dispatch", 0, "scan --format sarif --output djguard.sarif -- ."},
		{"pull_request_target", 2, ""},
	} {
		tmp := t.TempDir()
		stub := "#!/bin/sh\necho \"$@\" > \"$RUNNER_TEMP/args\"\n"
		bin := filepath.Join(tmp, "djguard-bin", "djguard")
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bash, "-c", script)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+filepath.Join(tmp, "out"), "DJGUARD_BIN="+bin,
			"DJGUARD_PATH=.", "DJGUARD_HISTORY=auto", "DJGUARD_SARIF=djguard.sarif",
			"EVENT="+tc.event, "BASE_REF=main")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		args, _ := os.ReadFile(filepath.Join(tmp, "args"))
		if code != tc.wantCode || strings.TrimSpace(string(args)) != tc.wantArgs {
			t.Errorf("%s: exit %d, djguard ran with %q; output %s", tc.event, code, args, out)
		}
		if tc.wantCode == 2 && !strings.Contains(string(out), "pull_request_target") {
			t.Errorf("%s: no reason given: %s", tc.event, out)
		}
	}
}

// runCLIEnv is runCLI with environment variables.
func runCLIEnv(t *testing.T, dir string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runCLIInput(t, dir, vars, "", args...)
}

// runCLIInput runs djguard with environment variables vars and input on
// standard input.
func runCLIInput(t *testing.T, dir string, vars map[string]string, input string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{
		stdin: strings.NewReader(input), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return vars[k] },
		rand:   testenv.Rand(t.Name()), dir: dir,
	})
	return code, stdout.String(), stderr.String()
}

// What a CI log gets: a summary on stderr when the report goes to a file,
// no replacement key in any format, rotation steps only when the scan
// fails, and nothing about a baseline that left nothing out.
func TestCILogs(t *testing.T) {
	key := testenv.FakeKey("ci logs")
	dir := testenv.WriteTree(t, map[string]string{
		"settings.py":      "SECRET_KEY = '" + key + "'\n",
		"baseline.json":    `{"version": 1, "entries": []}`,
		"other/weak.py":    "SECRET_KEY = 'changeme'\n",
		"other/.gitignore": "",
	})
	ci := map[string]string{"CI": "true"}

	code, stdout, stderr := runCLIEnv(t, dir, nil, "scan", "--format", "sarif", "--output", "out.sarif", "settings.py")
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "1 finding (1 high, 0 low)") || !strings.Contains(stderr, "out.sarif") {
		t.Errorf("SARIF to a file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		code, stdout, stderr = runCLIEnv(t, dir, ci, "scan", "--format", format, "settings.py")
		if code != exitFindings || strings.Contains(stdout+stderr, "replacement  ") || regexp.MustCompile(`"replacement": "[^"]`).MatchString(stdout) {
			t.Errorf("CI=true, %s: exit %d, a replacement key in the output:\n%s", format, code, stdout)
		}
		if format == "text" && (!strings.Contains(stdout, "djguard keygen") || strings.Contains(stdout, "How to rotate")) {
			t.Errorf("CI=true, text: no pointer to keygen, or the rotation steps:\n%s", stdout)
		}
	}
	code, stdout, _ = runCLIEnv(t, dir, nil, "scan", "other/weak.py")
	if code != exitClean || strings.Contains(stdout, "How to rotate") || strings.Contains(stdout, "replacement") {
		t.Errorf("a low finding that does not fail: exit %d, rotation steps or a replacement:\n%s", code, stdout)
	}
	code, stdout, _ = runCLIEnv(t, dir, nil, "scan", "--quiet", "settings.py")
	if code != exitFindings || strings.Contains(stdout, "How to rotate") || !strings.Contains(stdout, "settings.py:1") {
		t.Errorf("--quiet: exit %d:\n%s", code, stdout)
	}
	code, _, stderr = runCLIEnv(t, dir, nil, "scan", "--baseline", "baseline.json", "settings.py")
	if code != exitFindings || strings.Contains(stderr, "baseline") {
		t.Errorf("a baseline that left nothing out: exit %d, stderr %q", code, stderr)
	}
}

// In a GitHub Actions job every format also gives the job an error
// annotation per failing finding (on stderr, which the runner reads) and
// a job summary appended to $GITHUB_STEP_SUMMARY; --format github writes
// the annotations as the report itself. Outside GitHub Actions neither.
func TestGitHubActionsJobsGetAnnotationsAndASummary(t *testing.T) {
	key := testenv.FakeKey("github job")
	dir := testenv.WriteTree(t, map[string]string{
		"mysite/settings.py": "import os\n\n\n\n\n\nSECRET_KEY = '" + key + "'\n",
		"summary.md":         "earlier step\n",
	})
	gh := map[string]string{"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md")}
	code, stdout, stderr := runCLIEnv(t, dir, gh, "scan", "--format", "sarif", "--output", "out.sarif")
	if code != exitFindings || stdout != "" || !strings.Contains(stderr, "::error file=mysite/settings.py,line=7,col=15,") {
		t.Errorf("SARIF in a GitHub job: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil || !strings.HasPrefix(string(summary), "earlier step\n### djguard: 1 Django secret key finding(s) failing the job") ||
		!strings.Contains(string(summary), "| `mysite/settings.py` | 7 | hardcoded-key | high |") {
		t.Errorf("job summary (%v):\n%s", err, summary)
	}
	code, stdout, stderr = runCLIEnv(t, dir, gh, "scan", "--format", "github")
	if code != exitFindings || strings.Count(stdout+stderr, "::error ") != 1 || !strings.HasPrefix(stdout, "::error file=mysite/settings.py,line=7,") {
		t.Errorf("--format github: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr+string(summary), key) {
		t.Errorf("a GitHub job's output holds the whole key")
	}
	code, _, stderr = runCLIEnv(t, dir, map[string]string{"CI": "true"}, "scan", "--format", "sarif", "--output", "out.sarif")
	if code != exitFindings || strings.Contains(stderr, "::error") {
		t.Errorf("outside GitHub Actions: exit %d, stderr %q", code, stderr)
	}
}

// djguard help rotation prints the rotation steps whole, for the Django
// version the project's requirements name.
func TestHelpRotationPrintsTheSteps(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"requirements.txt": "Django==4.2.11\n"})
	code, stdout, _ := runCLI(t, dir, "help", "rotation")
	if code != exitClean || !strings.HasPrefix(stdout, "How to rotate a leaked Django SECRET_KEY (this project uses Django 4.2") || !strings.Contains(stdout, "SECRET_KEY_FALLBACKS") {
		t.Errorf("help rotation: exit %d:\n%s", code, stdout)
	}
}
