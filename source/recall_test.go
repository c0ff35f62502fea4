package source

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

func TestScanTreeFindsEveryPlantedSecretAtHeadAndNothingElse(t *testing.T) {
	dir, planted := testenv.PlantedRepo(t, strconv.Itoa(testenv.PlantedCommits))
	res, err := ScanTree(context.Background(), TreeOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var want []testenv.Planted
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
