package detect

import (
	"path"
	"strings"
)

// kind is what a file's name says about the syntax of its values.
type kind int

const (
	kindOther    kind = iota // unknown: only quoted or key-shaped values count
	kindPython               // .py: an unquoted value is an expression, never a literal
	kindNotebook             // .ipynb: Python source inside JSON strings
	kindShell                // .env, .sh: KEY=value where value may be unquoted
	kindDocker               // Dockerfile: ENV KEY=value and ENV KEY value
	kindConfig               // INI, TOML, .cfg, .conf, .properties
	kindYAML                 // YAML, including compose and Kubernetes manifests
	kindJSON                 // JSON
)

func kindOf(name string) kind {
	base := strings.ToLower(path.Base(name))
	switch {
	case base == "dockerfile" || base == "containerfile" ||
		strings.HasPrefix(base, "dockerfile.") || strings.HasSuffix(base, ".dockerfile"):
		return kindDocker
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env") ||
		base == ".envrc" || base == "procfile":
		return kindShell
	}
	switch path.Ext(base) {
	case ".py", ".pyi", ".pyw":
		return kindPython
	case ".ipynb":
		return kindNotebook
	case ".sh", ".bash", ".zsh", ".ksh", ".envrc":
		return kindShell
	case ".ini", ".toml", ".cfg", ".conf", ".properties", ".tfvars":
		return kindConfig
	case ".yml", ".yaml":
		return kindYAML
	case ".json":
		return kindJSON
	}
	return kindOther
}

// unquotedValues reports whether a bare word after KEY= or KEY: is a value
// in this kind of file, as in .env, YAML and INI, rather than an expression.
func (k kind) unquotedValues() bool {
	switch k {
	case kindShell, kindDocker, kindConfig, kindYAML:
		return true
	}
	return false
}

// configLike reports whether a lowercase secret_key name in this kind of
// file is as much a Django setting as SECRET_KEY (INI, TOML, YAML, .env).
// In Python a lowercase secret_key is as often another service's client
// argument, so there it must hold a Django-shaped value to count.
func (k kind) configLike() bool {
	return k.unquotedValues() || k == kindJSON
}

// isSettingsModule reports whether a Python file is a Django settings
// module by its name: settings.py, local_settings.py, settings/prod.py.
func isSettingsModule(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".py") {
		return false
	}
	base := path.Base(lower)
	return strings.Contains(base, "settings") || strings.Contains(lower, "/settings/") || strings.HasPrefix(lower, "settings/")
}

// isTestFile reports whether a file holds tests: test_*.py, *_test.go,
// tests/ and the like.
func isTestFile(name string) bool {
	lower := strings.ToLower(name)
	base := path.Base(lower)
	return strings.HasPrefix(base, "test_") || strings.Contains(base, "_test.") || strings.HasSuffix(base, "_tests.py") ||
		base == "tests.py" || base == "conftest.py" || strings.Contains("/"+lower, "/tests/") || strings.Contains("/"+lower, "/test/") ||
		strings.Contains(base, ".spec.") || strings.Contains(base, ".test.")
}

// isCompose reports whether a file is a docker compose file.
func isCompose(name string) bool {
	base := strings.ToLower(path.Base(name))
	return strings.Contains(base, "compose") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml"))
}
