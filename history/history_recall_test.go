package history

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// TestScanHistoryFindsEveryPlantedSecret checks the audit against the
// generator's ground truth: every planted secret, on every branch, deleted
// or not, with its introducing commit, path, line and HEAD flag, and
// nothing else, in a history of testenv.PlantedCommits commits.
// DJGUARD_RECALL_COMMITS=20000 runs it on the benchmark's size of history.
func TestScanHistoryFindsEveryPlantedSecret(t *testing.T) {
	commits := os.Getenv("DJGUARD_RECALL_COMMITS")
	if commits == "" {
		commits = strconv.Itoa(testenv.PlantedCommits)
	}
	n, err := strconv.Atoi(commits)
	if err != nil || n <= 0 {
		t.Fatalf("DJGUARD_RECALL_COMMITS=%q: want a positive number", commits)
	}
	dir, planted := testenv.PlantedRepo(t, commits)
	res, err := Scan(context.Background(), Options{Repo: dir})
	if err != nil {
		t.Fatal(err)
	}
	bySecret := map[string]detect.Finding{}
	for _, f := range res.Findings {
		bySecret[f.Secret] = f
	}
	for _, p := range planted {
		f, ok := bySecret[p.Value]
		if !ok {
			t.Errorf("missed the %s planted in %s (commit %s)", p.Class, p.Path, p.Commit[:10])
			continue
		}
		delete(bySecret, p.Value)
		o := f.Origin
		if f.Path != p.Path || f.Line != p.Line || string(f.Class) != p.Class {
			t.Errorf("%s: found %s at %s:%d, want %s at %s:%d", p.Path, f.Class, f.Path, f.Line, p.Class, p.Path, p.Line)
		}
		if o.Commit != p.Commit {
			t.Errorf("%s: introduced in %s, want %s", p.Path, o.Commit[:10], p.Commit[:10])
		}
		if o.InHead != p.AtHead {
			t.Errorf("%s: in HEAD = %v, want %v", p.Path, o.InHead, p.AtHead)
		}
		if o.CommitCount < 1 || len(o.Paths) == 0 || o.Author == "" || o.Date.IsZero() {
			t.Errorf("%s: incomplete origin %+v", p.Path, o)
		}
	}
	for _, f := range bySecret {
		t.Errorf("false positive: %s:%d %s", f.Path, f.Line, f.Class)
	}
	if res.Commits < n || len(res.Missing) != 0 || len(res.Shallow) != 0 {
		t.Errorf("audited %d commits, %d missing, %d shallow", res.Commits, len(res.Missing), len(res.Shallow))
	}
}
