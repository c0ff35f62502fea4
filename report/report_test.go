package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/keygen"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// sample is a report over a few files with one finding of each class,
// made from fake keys and deterministic replacements.
func sample(t *testing.T) (*Report, []string) {
	t.Helper()
	k1, k2, k3 := testenv.FakeKey("one"), testenv.FakeKey("two"), testenv.FakeKey("three")
	files := []struct{ path, content string }{
		{".env", "DJANGO_SECRET_KEY=" + k1 + "\n"},
		{"docs/notes.md", "The old key was " + k2 + " and must be rotated.\n"},
		{"mysite/settings.py", "# é\nSECRET_KEY = 'django-insecure-" + k3 + "'\n"},
		{"mysite/settings/base.py", "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '" + k1 + "')\n"},
		{"mysite/settings/ci.py", "SECRET_KEY = 'changeme'\n"},
	}
	var findings []detect.Finding
	for _, f := range files {
		findings = append(findings, detect.Detect(f.path, []byte(f.content))...)
	}
	if len(findings) != 5 {
		t.Fatalf("sample has %d findings, want 5", len(findings))
	}
	rnd := testenv.Rand("replacements")
	repl := map[string]string{}
	for _, f := range findings {
		if _, ok := repl[f.Fingerprint]; !ok {
			k, err := keygen.Generate(rnd, keygen.Length)
			if err != nil {
				t.Fatal(err)
			}
			repl[f.Fingerprint] = k
		}
	}
	return &Report{Findings: findings, Replacements: repl, Files: 5, Bytes: 321, Skipped: 1, FailOn: detect.High},
		[]string{k1, k2, k3}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is right, run go test ./report -update\n--- got\n%s", name, got)
	}
}

func render(t *testing.T, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func assertNoSecrets(t *testing.T, out []byte, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("output holds a whole secret")
		}
	}
}

func TestTextReportMatchesGolden(t *testing.T) {
	r, secrets := sample(t)
	out := render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{Version: "test"}) })
	assertNoSecrets(t, out, secrets)
	golden(t, "report.txt", out)
}

func TestJSONReportMatchesGolden(t *testing.T) {
	r, secrets := sample(t)
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, r, Options{Version: "test"}) })
	assertNoSecrets(t, out, secrets)
	golden(t, "report.json", out)
}

func TestSARIFReportMatchesGolden(t *testing.T) {
	r, secrets := sample(t)
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, r, Options{Version: "test"}) })
	assertNoSecrets(t, out, secrets)
	for _, k := range r.Replacements {
		if bytes.Contains(out, []byte(k)) {
			t.Error("SARIF holds a replacement key; it must not, since SARIF files are uploaded")
		}
	}
	golden(t, "report.sarif", out)
}

func TestShowSecretsPrintsThemWhole(t *testing.T) {
	r, secrets := sample(t)
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":  func(b *bytes.Buffer) error { return Text(b, r, Options{ShowSecrets: true}) },
		"json":  func(b *bytes.Buffer) error { return JSON(b, r, Options{ShowSecrets: true}) },
		"sarif": func(b *bytes.Buffer) error { return SARIF(b, r, Options{ShowSecrets: true}) },
	} {
		out := render(t, write)
		for _, s := range secrets {
			if !bytes.Contains(out, []byte(s)) {
				t.Errorf("%s with ShowSecrets lacks a secret", name)
			}
		}
	}
}

// assertValid checks reports against a schema, and that the schema can
// say no to a document that breaks it.
func assertValid(t *testing.T, schema *jsonschema.Schema, write func(*Report, *bytes.Buffer) error, broken string) {
	t.Helper()
	r, _ := sample(t)
	for name, rep := range map[string]*Report{"with findings": r, "empty": {FailOn: detect.High}} {
		out := render(t, func(b *bytes.Buffer) error { return write(rep, b) })
		if err := testenv.Validate(t, schema, out); err != nil {
			t.Errorf("%s: the report does not validate: %v", name, err)
		}
	}
	bad, err := jsonschema.UnmarshalJSON(strings.NewReader(broken))
	if err != nil {
		t.Fatal(err)
	}
	if schema.Validate(bad) == nil {
		t.Error("the schema accepted a broken document")
	}
}

func TestSARIFValidatesAgainstTheOfficialSchema(t *testing.T) {
	schema := testenv.SARIFSchema(t)
	assertValid(t, schema, func(r *Report, b *bytes.Buffer) error { return SARIF(b, r, Options{Version: "test"}) },
		`{"version": "2.1.0", "runs": [{"results": []}]}`)
	assertValid(t, schema, func(r *Report, b *bytes.Buffer) error { return SARIF(b, withHistory(r), Options{Version: "test"}) },
		`{"version": "2.1.0", "runs": [{"tool": {}, "results": []}]}`)
}

func TestJSONValidatesAgainstItsPublishedSchema(t *testing.T) {
	schema := testenv.Schema(t, "report.schema.json")
	assertValid(t, schema, func(r *Report, b *bytes.Buffer) error { return JSON(b, r, Options{Version: "test"}) },
		`{"version": 1, "tool": {"name": "djguard", "version": "x"}, "findings": [{"path": "a", "line": 0}], "summary": {}}`)
	assertValid(t, schema, func(r *Report, b *bytes.Buffer) error { return JSON(b, withHistory(r), Options{Version: "test"}) },
		`{"version": 1, "tool": {"name": "djguard", "version": "x"}, "findings": [], "summary": {"commits_audited": -1}}`)
}

// withHistory adds history-audit origins to a sample report: every other
// finding is still in HEAD, five lines further down than the introducing
// commit had it.
func withHistory(r *Report) *Report {
	h := *r
	h.History = &HistorySummary{Commits: 12, Blobs: 3}
	h.Findings = nil
	for i, f := range r.Findings {
		f.Origin = &detect.Origin{
			Commit: strings.Repeat("ab", 20), Author: "Dev", Email: "dev@example.com",
			Date: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Summary: "add settings",
			CommitCount: i + 1, Paths: []string{f.Path}, InHead: i%2 == 0,
		}
		if f.Origin.InHead {
			f.Origin.Head = &detect.Location{Path: f.Path, Line: f.Line + 5, Column: f.Column, EndLine: f.EndLine + 5, EndColumn: f.EndColumn}
		}
		h.Findings = append(h.Findings, f)
	}
	return &h
}

func TestHistoryReportsMatchGolden(t *testing.T) {
	r, secrets := sample(t)
	h := withHistory(r)
	for name, write := range map[string]func(*bytes.Buffer) error{
		"history.txt":   func(b *bytes.Buffer) error { return Text(b, h, Options{Version: "test"}) },
		"history.json":  func(b *bytes.Buffer) error { return JSON(b, h, Options{Version: "test"}) },
		"history.sarif": func(b *bytes.Buffer) error { return SARIF(b, h, Options{Version: "test"}) },
	} {
		out := render(t, write)
		assertNoSecrets(t, out, secrets)
		golden(t, name, out)
	}
}

func TestSARIFPartialFingerprintIgnoresLines(t *testing.T) {
	k := testenv.FakeKey("moved")
	a := detect.Detect("s.py", []byte("SECRET_KEY = '"+k+"'\n"))
	b := detect.Detect("s.py", []byte("import os\n\n\nSECRET_KEY = '"+k+"'\n"))
	c := detect.Detect("t.py", []byte("SECRET_KEY = '"+k+"'\n"))
	if partialFingerprint(a[0]) != partialFingerprint(b[0]) {
		t.Error("moving a finding down the file changed its partial fingerprint")
	}
	if partialFingerprint(a[0]) == partialFingerprint(c[0]) {
		t.Error("the same key in two files shares a partial fingerprint")
	}
}

func TestJSONReportFollowsTheDocumentedSchema(t *testing.T) {
	r, _ := sample(t)
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, r, Options{Version: "test"}) })
	var doc struct {
		Version  int              `json:"version"`
		Findings []map[string]any `json:"findings"`
		Summary  map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) != 5 {
		t.Fatalf("version %d, %d findings", doc.Version, len(doc.Findings))
	}
	for _, key := range []string{"path", "line", "column", "class", "severity", "fingerprint", "secret", "replacement"} {
		if _, ok := doc.Findings[0][key]; !ok {
			t.Errorf("finding lacks %q", key)
		}
	}
	if doc.Summary["failing"] != float64(4) || doc.Summary["fail_on"] != "high" {
		t.Errorf("summary = %v", doc.Summary)
	}
}

func TestRedactShowsAPrefixAndTheLength(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{strings.Repeat("a", 50), "aaaa… (50 characters)"},
		{"changeme", "ch… (8 characters)"},
		{"abc", "… (3 characters)"},
		{"ééééééééééééééééé", "éééé… (17 characters)"},
	} {
		if got := Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	r, _ := sample(t)
	plain := render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{}) })
	coloured := render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{Color: true}) })
	if bytes.Contains(plain, []byte("\x1b[")) {
		t.Error("plain text report has escape codes")
	}
	if !bytes.Contains(coloured, []byte("\x1b[")) {
		t.Error("coloured text report has no escape codes")
	}
}

// TestDescribeNotesW009OnShortRealKeys: a random key under 50 characters is
// a leak first; the message also says Django's deploy check calls it weak.
func TestDescribeNotesW009OnShortRealKeys(t *testing.T) {
	short := testenv.FakeKey("short")[:49]
	found := detect.Detect("settings.py", []byte("SECRET_KEY = '"+short+"'\n"))
	if len(found) != 1 || found[0].Severity != detect.High {
		t.Fatalf("a 49-character random key: %+v, want one high finding", found)
	}
	if msg := describe(found[0]); !strings.Contains(msg, "49 characters") || !strings.Contains(msg, "W009") {
		t.Errorf("message %q does not note W009", msg)
	}
	full := detect.Detect("settings.py", []byte("SECRET_KEY = '"+testenv.FakeKey("short")+"'\n"))
	if msg := describe(full[0]); strings.Contains(msg, "W009") {
		t.Errorf("a 50-character key's message %q mentions W009", msg)
	}
}

// TestCommitSummariesAreRedacted: a commit whose message holds the key
// ("hardcode SECRET_KEY=... for now") does not print it whole, in text or
// JSON, whether or not that key is one of the report's findings.
func TestCommitSummariesAreRedacted(t *testing.T) {
	r, keys := sample(t)
	other := testenv.FakeKey("only-in-the-message")
	r.Findings[0].Origin = &detect.Origin{Commit: strings.Repeat("a", 40), Summary: "hardcode SECRET_KEY=" + keys[0] + " for now"}
	r.Findings[1].Origin = &detect.Origin{Commit: strings.Repeat("b", 40), Summary: "temporary key " + other + " until deploy"}
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		var err error
		if format == "text" {
			err = Text(&buf, r, Options{})
		} else {
			err = JSON(&buf, r, Options{})
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{keys[0], other} {
			if strings.Contains(buf.String(), k) {
				t.Errorf("%s report prints a key from a commit summary whole", format)
			}
		}
		if !strings.Contains(buf.String(), "hardcode SECRET_KEY=") {
			t.Errorf("%s report lost the summary around the key", format)
		}
	}
	var shown bytes.Buffer
	if err := Text(&shown, r, Options{ShowSecrets: true}); err != nil || !strings.Contains(shown.String(), "hardcode SECRET_KEY="+keys[0]) {
		t.Errorf("--show-secrets hides the summary's key (%v)", err)
	}
}

func TestPrintableEscapesWhatATerminalWouldAct(t *testing.T) {
	for in, want := range map[string]string{
		"mysite/settings.py":        "mysite/settings.py",
		"caf\u00e9/\u65e5\u672c.py": "caf\u00e9/\u65e5\u672c.py",
		"evil\x1b[2J.py":            `evil\x1b[2J.py`,
		"line\nbreak\r.py":          `line\x0abreak\x0d.py`,
		"bad\xff.py":                `bad\xff.py`,
		"gnp.\u202eyp.py":           `gnp.\u202eyp.py`,
		"c1\u009bcontrol":           `c1\x9bcontrol`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTextReportEscapesFileNames: a file name with ESC in it is shown,
// not obeyed.
func TestTextReportEscapesFileNames(t *testing.T) {
	r, _ := sample(t)
	r.Findings[0].Path = "x\x1b]0;pwned\x07.env"
	var buf bytes.Buffer
	if err := Text(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(buf.String(), 0x1b) || !strings.Contains(buf.String(), `x\x1b]0;pwned\x07.env`) {
		t.Errorf("the text report prints the file name raw:\n%q", buf.String())
	}
}

// The scrubber redacts each of the report's secrets wherever it stands in
// a text, a longer secret before one it holds, and leaves alone secrets
// shorter than four characters, which would redact ordinary words.
func TestScrubberRedactsEverySecretOnce(t *testing.T) {
	long := testenv.FakeKey("long")
	inner := long[10:30]
	r := &Report{Findings: []detect.Finding{{Secret: inner}, {Secret: long}, {Secret: "abc"}, {Secret: "weak-key"}}}
	s := r.scrubber(Options{})
	for _, tc := range []struct{ in, want string }{
		{"key " + long + " here", "key " + Redact(long) + " here"},
		{inner + "/" + inner, Redact(inner) + "/" + Redact(inner)},
		{"abc weak-keyweak-key", "abc " + Redact("weak-key") + Redact("weak-key")},
		{"weak-ke", "weak-ke"},
		{"", ""},
	} {
		if got := s.scrub(tc.in); got != tc.want {
			t.Errorf("scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := r.scrubber(Options{ShowSecrets: true}).scrub(long); got != long {
		t.Errorf("with --show-secrets, scrub changed the text to %q", got)
	}
}

// Names djguard prints from the repository or the user — a commit's
// author, the path a finding stands at, every path it appeared under —
// go through the scrubber, in every format: an author named with the key
// (git -c user.name=KEY), a file named after it (scan - --stdin-name KEY).
// A weak key is a word, and a name holding it stays whole.
func TestNamesFromTheRepositoryAreRedacted(t *testing.T) {
	r, keys := sample(t)
	h := withHistory(r)
	other := testenv.FakeKey("only-in-a-name")
	for i := range h.Findings {
		o := h.Findings[i].Origin
		o.Author, o.Email = keys[i%len(keys)], other+"@example.com"
		o.Paths = append(o.Paths, "keys/"+keys[0]+".txt", "changeme/settings.py")
		if o.Head != nil {
			o.Head.Path = "keys/" + keys[1] + "/settings.py"
		}
		h.Findings[i].Path = other + "/" + h.Findings[i].Path
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"text":  func(b *bytes.Buffer) error { return Text(b, h, Options{}) },
		"json":  func(b *bytes.Buffer) error { return JSON(b, h, Options{}) },
		"sarif": func(b *bytes.Buffer) error { return SARIF(b, h, Options{}) },
		"push":  func(b *bytes.Buffer) error { return Push(b, h, Options{}) },
		"hook":  func(b *bytes.Buffer) error { return Hook(b, h, Options{}) },
		"github": func(b *bytes.Buffer) error {
			if err := GitHub(b, h, Options{}); err != nil {
				return err
			}
			return JobSummary(b, h, Options{})
		},
		"codequality": func(b *bytes.Buffer) error { return CodeQuality(b, h, Options{}) },
	} {
		out := render(t, write)
		for _, k := range append(slices.Clone(keys), other) {
			if bytes.Contains(out, []byte(k)) {
				t.Errorf("%s: a name holds a whole key", name)
			}
		}
		if (name == "text" || name == "json" || name == "sarif") && !bytes.Contains(out, []byte("changeme/settings.py")) {
			t.Errorf("%s: a path holding a weak key, a word, was redacted", name)
		}
	}
	shown := render(t, func(b *bytes.Buffer) error { return Text(b, h, Options{ShowSecrets: true}) })
	if !bytes.Contains(shown, []byte(other+"/")) {
		t.Error("with --show-secrets, a path was redacted")
	}
}

// withNotRead adds files the scan did not read to a sample report.
func withNotRead(r *Report) *Report {
	n := *r
	n.NotRead = []NotRead{{"u16.py", "binary"}, {"big.py", "over the 10 MiB limit (--max-file-size): 12000000 bytes"}}
	return &n
}

func TestReportsListTheFilesNotReadAndStillValidate(t *testing.T) {
	sampled, _ := sample(t)
	r := withNotRead(sampled)
	var j, s bytes.Buffer
	if err := JSON(&j, r, Options{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := SARIF(&s, r, Options{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := testenv.Validate(t, testenv.Schema(t, "report.schema.json"), j.Bytes()); err != nil {
		t.Errorf("JSON: %v", err)
	}
	if err := testenv.Validate(t, testenv.SARIFSchema(t), s.Bytes()); err != nil {
		t.Errorf("SARIF: %v", err)
	}
	for name, out := range map[string]string{"JSON": j.String(), "SARIF": s.String()} {
		if !strings.Contains(out, `"u16.py"`) || !strings.Contains(out, "over the 10 MiB limit") {
			t.Errorf("%s does not list the files not read:\n%s", name, out)
		}
	}
}

func TestNotReadLineCountsNamesAndEscapes(t *testing.T) {
	r := &Report{}
	if got := NotReadLine(r, Options{}); got != "" {
		t.Errorf("nothing unread: %q", got)
	}
	r = withNotRead(r)
	if got, want := NotReadLine(r, Options{}), "djguard: 2 files not read (binary, over the 10 MiB limit): u16.py, big.py"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for i := range 7 {
		r.NotRead = append(r.NotRead, NotRead{fmt.Sprintf("img\x1b[2J%d.png", i), "binary"})
	}
	got := NotReadLine(r, Options{})
	if strings.Contains(got, "\x1b") || !strings.Contains(got, `img\x1b[2J0.png`) || !strings.HasSuffix(got, "and 4 more (-v lists them)") || !strings.HasPrefix(got, "djguard: 9 files not read") {
		t.Errorf("%q", got)
	}
}
