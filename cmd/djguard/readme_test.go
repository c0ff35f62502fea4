package main

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// The README's pre-commit rev: and the action's @ref name something that
// exists: a tag or a commit of this repository, a release CHANGELOG.md
// records (a clone may lack its tag), or the COMMIT placeholder the README
// tells the reader how to fill in. A release tag that was never made sends
// every reader's first try to an error. The same holds for the refs in
// CONTRIBUTING.md and docs/, which repeat the README's snippets.
func TestReadmeNamesRefsThatExist(t *testing.T) {
	root := filepath.Join("..", "..")
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	refRe := regexp.MustCompile("(?m)(?:\\brev:[ \t]*|\\bdjguard/djguard@)([A-Za-z0-9][^\\s#`]*)")
	files := docFiles(t)
	if len(refRe.FindAllStringSubmatch(files["README.md"], -1)) == 0 {
		t.Fatal("the README names no rev: and no djguard/djguard@ ref; this test looks for them")
	}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		for _, m := range refRe.FindAllStringSubmatch(files[file], -1) {
			ref := m[1]
			if ref == "COMMIT" || regexp.MustCompile(`(?m)^## `+regexp.QuoteMeta(ref)+` `).Match(changelog) {
				continue
			}
			cmd := exec.Command("git", "rev-parse", "--verify", "--quiet", ref+"^{commit}")
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s names %q, which is no tag or commit here (%v %s)", file, ref, err, out)
			}
		}
	}
}
