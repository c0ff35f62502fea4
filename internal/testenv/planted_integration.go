//go:build integration

package testenv

// The integration run reads the planted secrets from a history of 2,000
// commits (see PlantedCommits).
func init() { PlantedCommits = 2000 }
