package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// The README's pre-commit rev: and the action's @ref name something that
// exists: a tag or a commit of this repository, a release CHANGELOG.md
// records (a clone may lack its tag), or the COMMIT placeholder the README
// tells the reader how to fill in. A release tag that was never made sends
// every reader's first try to an error.
func TestReadmeNamesRefsThatExist(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile("(?m)(?:\\brev:[ \t]*|\\bdjguard/djguard@)([A-Za-z0-9][^\\s#`]*)").FindAllSubmatch(readme, -1)
	if len(refs) == 0 {
		t.Fatal("the README names no rev: and no djguard/djguard@ ref; this test looks for them")
	}
	changelog, err := os.ReadFile(filepath.Join(root, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range refs {
		ref := string(m[1])
		if ref == "COMMIT" || regexp.MustCompile(`(?m)^## `+regexp.QuoteMeta(ref)+` `).Match(changelog) {
			continue
		}
		cmd := exec.Command("git", "rev-parse", "--verify", "--quiet", ref+"^{commit}")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the README names %q, which is no tag or commit here (%v %s)", ref, err, out)
		}
	}
}
