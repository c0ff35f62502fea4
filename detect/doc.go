// Package detect finds Django SECRET_KEY values in one file's content.
//
// A Detector takes a path and the bytes under it and returns Findings: where
// a key is, its class and severity, and its fingerprint. The path only says
// how values are written there. Each syntax has a file of its own
// (python.go, dotenv.go, yaml.go, dockerfile.go, makefile.go, json.go,
// ini.go, pyproject.go, nix.go, notebook.go, markdown.go, xml.go), chosen by
// the dispatch in syntax.go; the recognisers that need no syntax
// (django-insecure- keys, their base64, and bare strings with the profile
// of a generated key) are insecure.go, base64.go and barekey.go; judge.go
// decides what a value found under a key's name is worth, with
// randomness.go and pronounceable.go.
//
// The package reads no files and prints nothing: sources (package source)
// feed it content, and what is reported is decided by package policy.
package detect
