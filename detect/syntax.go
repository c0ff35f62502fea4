package detect

import (
	"path"
	"strings"
)

// syntax is how one kind of file writes names and values. Each is defined
// in a file of its own (python.go, dotenv.go, yaml.go, ...) beside the
// forms only it has, and syntaxOf picks one by the file's name.
type syntax struct {
	// dashInNames: a '-' continues a name, as in django-secret-key in YAML,
	// INI and .env; in Python it is an operator.
	dashInNames bool
	// bare says when an unquoted word after NAME= or NAME: is a value.
	bare bareRule
	// bareStops are the bytes, besides white space, that end an unquoted
	// value.
	bareStops string
	// configLike: a lowercase secret_key is as much a Django setting as
	// SECRET_KEY (INI, TOML, YAML, .env, JSON). In Python a lowercase
	// secret_key is as often another service's client argument, so there it
	// must hold a Django-shaped value to count.
	configLike bool
	// python: values are Python expressions, read by python.go.
	python bool
	// pyEscapes: string literals are Python source as written, so their
	// escapes are Python's (in a notebook they are held in JSON strings,
	// escaped twice).
	pyEscapes bool
	// jsonStrings: the text is JSON, so what stands inside its strings is
	// escaped as JSON escapes it (a notebook's Python source and output).
	jsonStrings bool
	// base64Values: a value may be base64 of the key, as a Kubernetes
	// Secret's data: holds it.
	base64Values bool
	// blockScalars and tags: YAML's | and > values on the next line, and
	// its !tag values.
	blockScalars, tags bool
	// lineValues: an unquoted value runs to the end of the line, where
	// white space and '#' start a comment (.env files as python-dotenv
	// reads them).
	lineValues bool
	// hashComments: '#' after white space starts a comment, so NAME: #...
	// has no value (YAML, shell).
	hashComments bool
	// asWritten: values are used as written, by a tool that reads the
	// file (pyproject.toml's environment tables, a Nix attribute set), so
	// "..." or "xxx" there is the value set, not one left out.
	asWritten bool
	// buildConfig: the file builds the project's image or runs its
	// tasks (a Dockerfile, a Makefile), so a project's own
	// *_SECRET_KEY there is its key, from any generator, as in a
	// settings module.
	buildConfig bool
	// dollarEscapes: $$ stands for one $ (make, as in compose files).
	dollarEscapes bool
	// forms are this syntax's own recognisers, tried on a name before the
	// generic ones; each reports whether the name was its to handle.
	forms []form
}

// form is a syntax's own recogniser for the name d.b[ts:te].
type form func(d *doc, ts, te int, r role, name string) bool

// bareRule says when an unquoted word is a value.
type bareRule int

const (
	bareNever     bareRule = iota // an unquoted word is an expression (Python, JSON)
	bareKeyShaped                 // only when it looks like a Django key (prose, unknown files)
	bareAlways                    // always (.env, YAML, INI, Dockerfile)
)

// otherSyntax is any file djguard has no syntax for: quoted values after a
// key's name count, bare words only when they look like a Django key.
var otherSyntax = &syntax{dashInNames: true, bare: bareKeyShaped}

// syntaxOf picks a file's syntax by its name. A new syntax is a file of its
// own plus one line here.
func syntaxOf(name string) *syntax {
	base := strings.ToLower(path.Base(name))
	switch {
	case base == "dockerfile" || base == "containerfile" ||
		strings.HasPrefix(base, "dockerfile.") || strings.HasSuffix(base, ".dockerfile"):
		return dockerfileSyntax
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		return dotenvSyntax
	case base == ".envrc" || base == "procfile":
		return shellSyntax
	case base == "makefile" || base == "gnumakefile" || strings.HasSuffix(base, ".mk"):
		return makefileSyntax
	case base == "pyproject.toml":
		return pyprojectSyntax
	}
	switch path.Ext(base) {
	case ".py", ".pyi", ".pyw":
		return pythonSyntax
	case ".ipynb":
		return notebookSyntax
	case ".sh", ".bash", ".zsh", ".ksh":
		return shellSyntax
	case ".xml", ".iml", ".config", ".csproj", ".plist":
		return xmlSyntax
	case ".ini", ".toml", ".cfg", ".conf", ".properties", ".tfvars":
		return iniSyntax
	case ".yml", ".yaml":
		return yamlSyntax
	case ".json":
		return jsonSyntax
	case ".md", ".markdown", ".rst", ".rest", ".txt":
		return markdownSyntax
	case ".nix":
		return nixSyntax
	}
	return otherSyntax
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
