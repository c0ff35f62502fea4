package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/safefile"
	"github.com/djguard/djguard/internal/shell"
)

// minPurgeLength: shorter values (weak keys such as "changeme") are left
// out of a purge plan, since replacing every occurrence of them would
// rewrite unrelated text across the whole history.
const minPurgeLength = 20

// writePurgePlan writes a git filter-repo --replace-text expressions file
// that replaces each leaked value with ***REMOVED***, and prints on stderr
// how to use it. The file holds the leaked keys themselves, so it is
// created with mode 0600.
func writePurgePlan(findings []detect.Finding, path string, e env) error {
	var b strings.Builder
	seen := map[string]bool{}
	n := 0
	var left []string
	for _, f := range findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		if len(f.Secret) < minPurgeLength || strings.ContainsAny(f.Secret, "\n\r") || strings.Contains(f.Secret, "==>") {
			left = append(left, fmt.Sprintf("%s:%d (%s)", f.Path, f.Line, f.Class))
			continue
		}
		fmt.Fprintf(&b, "literal:%s==>***REMOVED***\n", f.Secret)
		n++
	}
	err := safefile.Replace(path, safefile.Private, func(w io.Writer) error {
		_, err := io.WriteString(w, b.String())
		return err
	})
	if err != nil {
		return fmt.Errorf("write the purge plan: %w", err)
	}
	abs, _ := filepath.Abs(path)
	w := e.stderr
	fmt.Fprintf(w, "djguard: purge plan for %s written to %s.\n", plural(n, "leaked key"), abs)
	fmt.Fprintf(w, `
Purging does not un-leak a key: clones, forks, CI caches and mirrors keep
it. Rotate every key first (the steps below), then, if you want the history
clean as well:

  1. Work in a fresh mirror clone:
       git clone --mirror URL repo-purge.git && cd repo-purge.git
  2. Rewrite every commit, replacing each key with ***REMOVED***:
       git filter-repo --replace-text %s
  3. Check nothing is left:
       djguard scan --history .
  4. Push the rewritten history over the old one:
       git push --force --mirror URL
  5. Ask every collaborator to re-clone (a pull would bring the keys back),
     and delete the forks and CI caches you control.
  6. In each clone that must stay, drop the old objects:
       git reflog expire --expire=now --all && git gc --prune=now --aggressive
     Hosting services keep their own copies (pull request refs, caches):
     ask yours to purge them.

%s holds the leaked keys themselves: keep it private, and delete it once
the purge is done.
`, shell.Quote(abs), shell.Quote(abs))
	for _, l := range left {
		fmt.Fprintf(w, "Not in the plan, too short to replace everywhere safely: %s. Edit it by hand if it must go.\n", l)
	}
	return nil
}
