package main

import (
	"path/filepath"
	"testing"
)

// srcRoot is djguard's source tree, two levels up.
func srcRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}
