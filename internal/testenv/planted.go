package testenv

import (
	"encoding/json"
	"os"
	"testing"
)

// Planted is one secret ../shared/bench/mkrepo.py plants, as its answers
// file records it.
type Planted struct {
	Class  string   `json:"class"`
	Value  string   `json:"value"`
	Path   string   `json:"path"`
	Line   int      `json:"line"`
	Refs   []string `json:"refs"`
	AtHead bool     `json:"at_head"`
	Commit string   `json:"commit"` // the commit that introduced it
}

// PlantedCommits is the size of the generated history the planted-secret
// tests read: 200 commits, or 2,000 with -tags integration
// (planted_integration.go). The generator plants the same secrets, of
// every class, on the same paths and branches, at either size; the larger
// history adds a merged feature branch and binary files between them.
var PlantedCommits = 200

// PlantedRepo builds a Django-shaped history of the given number of
// commits with MakeRepo and returns its directory and ground truth.
func PlantedRepo(t testing.TB, commits string) (string, []Planted) {
	t.Helper()
	dir := MakeRepo(t, commits)
	data, err := os.ReadFile(dir + ".answers.json")
	if err != nil {
		t.Fatal(err)
	}
	var answers struct {
		Secrets []Planted `json:"secrets"`
	}
	if err := json.Unmarshal(data, &answers); err != nil {
		t.Fatal(err)
	}
	return dir, answers.Secrets
}
