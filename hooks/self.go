package hooks

import (
	"os"
	"path/filepath"
	"strings"
)

// SelfPath is the absolute path of the running djguard, to record in a hook
// ("" when it cannot be found); temporary says it is a build of 'go run',
// in a temporary directory or Go's build cache, that will not last.
func SelfPath(getenv func(string) string) (path string, temporary bool) {
	p, err := os.Executable()
	if err != nil {
		return "", false
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return p, inBuildCache(p, getenv)
}

// inBuildCache reports whether p is where 'go run' puts what it builds:
// a go-build<digits> directory (the temporary directory's work folder) on
// its path, or Go's build cache (GOCACHE, as the environment or 'go env
// -w' sets it, by default the user cache directory's go-build).
func inBuildCache(p string, getenv func(string) string) bool {
	for _, part := range strings.Split(filepath.ToSlash(p), "/") {
		if digits, ok := strings.CutPrefix(part, "go-build"); ok && digits != "" && strings.Trim(digits, "0123456789") == "" {
			return true
		}
	}
	cache := goCache(getenv)
	return cache != "" && strings.HasPrefix(p, filepath.Clean(cache)+string(filepath.Separator))
}

// goCache returns Go's build cache directory as the go command finds it,
// without running it: GOCACHE in the environment, else in the file 'go
// env -w' writes (GOENV, by default go/env in the user config directory),
// else the user cache directory's go-build.
func goCache(getenv func(string) string) string {
	if c := getenv("GOCACHE"); c != "" {
		return c
	}
	file := getenv("GOENV")
	if file == "" {
		if dir, err := os.UserConfigDir(); err == nil {
			file = filepath.Join(dir, "go", "env")
		}
	}
	if b, err := os.ReadFile(file); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "GOCACHE="); ok && v != "" {
				return v
			}
		}
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "go-build")
	}
	return ""
}
