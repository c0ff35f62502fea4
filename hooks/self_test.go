package hooks

import (
	"os"
	"path/filepath"
	"testing"
)

// A build of go run lives in a go-build<digits> directory or in Go's build
// cache, wherever GOCACHE or go env -w puts it.
func TestInBuildCache(t *testing.T) {
	goenv := filepath.Join(t.TempDir(), "env")
	os.WriteFile(goenv, []byte("GOCACHE=/srv/gocache\n"), 0o644)
	vars := map[string]string{"GOENV": goenv}
	getenv := func(k string) string { return vars[k] }
	for p, want := range map[string]bool{
		"/tmp/go-build2407533341/b001/exe/djguard": true,
		"/srv/gocache/8f/djguard":                  true, // GOCACHE from go env -w
		"/opt/go-builds/bin/djguard":               false,
		"/home/dev/go/bin/djguard":                 false,
		"/srv/gocache-other/djguard":               false,
	} {
		if got := inBuildCache(p, getenv); got != want {
			t.Errorf("%s: %v, want %v", p, got, want)
		}
	}
}
