package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// wheel is one binary wheel (PEP 427, the binary distribution format):
// djguard's binary as a script, so that pip, pipx and uv put the Go binary
// itself on PATH — no Python process runs when the hook calls djguard.
type wheel struct {
	version string // PEP 440, 0.1.0rc1
	release string // the release's git tag, v0.1.0-rc.1
	tag     string // the platform tag set, manylinux_2_17_x86_64.manylinux2014_x86_64
	exeName string
	exe     []byte
	docs    map[string][]byte
}

// requiresPython is the oldest Python the wheel installs under. The
// binary needs none; 3.8 is the oldest pip, pipx and uv still install for.
const requiresPython = ">=3.8"

// fileName is the wheel's name: {name}-{version}-{python}-{abi}-{platform}.whl.
func (w wheel) fileName() string {
	return fmt.Sprintf("djguard-%s-py3-none-%s.whl", w.version, w.tag)
}

// entries are the wheel's files, RECORD last as the format asks.
func (w wheel) entries() []entry {
	data := fmt.Sprintf("djguard-%s.data", w.version)
	info := fmt.Sprintf("djguard-%s.dist-info", w.version)
	entries := []entry{
		// A file in .data/scripts is installed into the environment's
		// bin (Scripts on Windows) as it is: pip rewrites only a script
		// that starts with #!python, and keeps the executable mode.
		{data + "/scripts/" + w.exeName, 0o755, w.exe},
		{info + "/METADATA", 0o644, []byte(w.metadata())},
		{info + "/WHEEL", 0o644, []byte(w.wheelFile())},
		{info + "/licenses/LICENSE", 0o644, w.docs["LICENSE"]},
	}
	return append(entries, entry{info + "/RECORD", 0o644, record(entries, info+"/RECORD")})
}

// metadata is the core metadata (version 2.4, for the SPDX licence
// expression), with the README as the long description.
func (w wheel) metadata() string {
	var b strings.Builder
	for _, line := range []string{
		"Metadata-Version: 2.4",
		"Name: djguard",
		"Version: " + w.version,
		"Summary: Keeps Django SECRET_KEY values out of git repositories: finds hardcoded keys, hands over fresh ones, and prints the rotation steps for a leaked key.",
		"Keywords: django,secret-key,secrets,scanner,pre-commit,security",
		"Author: djguard",
		"License-Expression: Apache-2.0",
		"License-File: LICENSE",
		"Project-URL: Source, https://github.com/djguard/djguard",
		"Project-URL: Changelog, https://github.com/djguard/djguard/blob/main/CHANGELOG.md",
		"Classifier: Development Status :: 4 - Beta",
		"Classifier: Environment :: Console",
		"Classifier: Framework :: Django",
		"Classifier: Framework :: Pre-commit",
		"Classifier: Intended Audience :: Developers",
		"Classifier: Operating System :: MacOS",
		"Classifier: Operating System :: Microsoft :: Windows",
		"Classifier: Operating System :: POSIX :: Linux",
		"Classifier: Programming Language :: Go",
		"Classifier: Topic :: Security",
		"Classifier: Topic :: Software Development :: Quality Assurance",
		"Requires-Python: " + requiresPython,
		"Description-Content-Type: text/markdown",
	} {
		b.WriteString(line + "\n")
	}
	b.WriteString("\n")
	b.WriteString(absoluteLinks(string(w.docs["README.md"]), w.release))
	return b.String()
}

// relativeLink is a Markdown link to a file of the repository.
var relativeLink = regexp.MustCompile(`\]\(([A-Za-z0-9_./-]+\.md(?:#[^)\s]*)?)\)`)

// absoluteLinks points the README's links to the repository's files
// (docs/commands.md) at the repository as it is at the release's tag, so
// that they resolve from PyPI's page, where the README is the long
// description.
func absoluteLinks(readme, tag string) string {
	return relativeLink.ReplaceAllString(readme, "](https://github.com/djguard/djguard/blob/"+tag+"/$1)")
}

// wheelFile is the WHEEL file: one Tag line for each tag of the set.
// Root-Is-Purelib is false because the wheel holds a platform binary.
func (w wheel) wheelFile() string {
	var b strings.Builder
	b.WriteString("Wheel-Version: 1.0\nGenerator: djguard-release\nRoot-Is-Purelib: false\n")
	for _, platform := range strings.Split(w.tag, ".") {
		b.WriteString("Tag: py3-none-" + platform + "\n")
	}
	return b.String()
}

// record is the RECORD file over entries: each path with the URL-safe,
// unpadded base64 of its SHA-256 and its size; RECORD itself has neither.
func record(entries []entry, self string) []byte {
	var b strings.Builder
	for _, e := range entries {
		sum := sha256.Sum256(e.data)
		fmt.Fprintf(&b, "%s,sha256=%s,%d\n", e.name, base64.RawURLEncoding.EncodeToString(sum[:]), len(e.data))
	}
	fmt.Fprintf(&b, "%s,,\n", self)
	return []byte(b.String())
}

// writeWheel writes w into out and returns its file name.
func writeWheel(out string, w wheel, mtime time.Time) (string, error) {
	data, err := zipBytes("", w.entries(), mtime)
	if err != nil {
		return "", fmt.Errorf("pack %s: %w", w.fileName(), err)
	}
	return w.fileName(), writeNew(filepath.Join(out, w.fileName()), data)
}
