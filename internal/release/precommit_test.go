package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// hookPin is the release python/djguard_hook_backend.py has pre-commit
// install, as PEP 440 spells it.
func hookPin(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(srcRoot(t), "python", "djguard_hook_backend.py"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^DJGUARD_VERSION = "([^"]+)"$`).FindSubmatch(src)
	if m == nil {
		t.Fatal(`python/djguard_hook_backend.py has no line DJGUARD_VERSION = "..."`)
	}
	return string(m[1])
}

// newestRelease is the newest version CHANGELOG.md names.
func newestRelease(t *testing.T) string {
	t.Helper()
	log, err := os.ReadFile(filepath.Join(srcRoot(t), "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## (v\S+)`).FindSubmatch(log)
	if m == nil {
		t.Fatal("CHANGELOG.md names no release (## vX.Y.Z)")
	}
	return string(m[1])
}

// The python hooks install the newest release: a release commit that
// forgot the pin would have pre-commit install the one before.
func TestHookBackendPinsTheNewestRelease(t *testing.T) {
	want, err := pythonVersion(newestRelease(t))
	if err != nil {
		t.Fatalf("CHANGELOG.md's newest release: %v", err)
	}
	if got := hookPin(t); got != want {
		t.Errorf("python/djguard_hook_backend.py pins djguard %s; CHANGELOG.md's newest release is %s", got, want)
	}
}
