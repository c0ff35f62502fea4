//go:build integration

package source

// The integration run reads the planted secrets from a history of 2,000
// commits (see plantedCommits).
func init() { plantedCommits = 2000 }
