package source

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

type plantedSecret struct {
	Class  string   `json:"class"`
	Value  string   `json:"value"`
	Path   string   `json:"path"`
	Line   int      `json:"line"`
	Refs   []string `json:"refs"`
	AtHead bool     `json:"at_head"`
}

// makeRepo builds a Django-shaped history with planted leaks and returns
// its directory and ground truth.
func makeRepo(t testing.TB, commits string) (string, []plantedSecret) {
	t.Helper()
	dir := testenv.MakeRepo(t, commits)
	data, err := os.ReadFile(dir + ".answers.json")
	if err != nil {
		t.Fatal(err)
	}
	var answers struct {
		Secrets []plantedSecret `json:"secrets"`
	}
	if err := json.Unmarshal(data, &answers); err != nil {
		t.Fatal(err)
	}
	return dir, answers.Secrets
}

// plantedCommits is the size of the generated history the planted-secret
// tests read: 200 commits, or 2,000 with -tags integration
// (recall_integration_test.go). The generator plants the same secrets, of
// every class, on the same paths and branches, at either size; the larger
// history adds a merged feature branch and binary files between them.
var plantedCommits = 200

func TestScanTreeFindsEveryPlantedSecretAtHeadAndNothingElse(t *testing.T) {
	dir, planted := makeRepo(t, strconv.Itoa(plantedCommits))
	res, err := ScanTree(context.Background(), TreeOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var want []plantedSecret
	for _, p := range planted {
		if p.AtHead && slices.Contains(p.Refs, "main") {
			want = append(want, p)
		}
	}
	if len(want) < 10 {
		t.Fatalf("only %d planted secrets at HEAD; the generator changed", len(want))
	}
	found := map[string]detect.Finding{}
	for _, f := range res.Findings {
		found[f.Path+"\x00"+f.Secret] = f
	}
	for _, p := range want {
		f, ok := found[p.Path+"\x00"+p.Value]
		if !ok {
			t.Errorf("missed the %s planted in %s line %d", p.Class, p.Path, p.Line)
			continue
		}
		if f.Line != p.Line || string(f.Class) != p.Class {
			t.Errorf("%s: found %s at line %d, want %s at line %d", p.Path, f.Class, f.Line, p.Class, p.Line)
		}
		delete(found, p.Path+"\x00"+p.Value)
	}
	for _, f := range found {
		t.Errorf("false positive: %s:%d %s (%s)", f.Path, f.Line, f.Class, f.Severity)
	}
	for _, f := range res.Findings {
		if f.Path == "mysite/settings/decoys.py" {
			t.Errorf("a decoy was reported: line %d", f.Line)
		}
	}
	t.Logf("%d files, %d bytes, %d findings, %d skipped", res.Files, res.Bytes, len(res.Findings), len(res.Skipped))
}
