package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/shell"
)

// minPurgeLength: shorter values (weak keys such as "changeme") are left
// out of a purge plan, since replacing every occurrence of them would
// rewrite unrelated text across the whole history.
const minPurgeLength = 20

// PurgePlan is a git filter-repo --replace-text expressions file that
// replaces each leaked value with ***REMOVED***. Its Text holds the leaked
// keys themselves: it is for a private file, never for a log.
type PurgePlan struct {
	Text string
	Keys int // how many values it replaces
	// Left are the findings of values too short, or shaped so, to be
	// replaced everywhere safely.
	Left []detect.Finding
}

// NewPurgePlan makes the plan for every distinct leaked value.
func NewPurgePlan(findings []detect.Finding) PurgePlan {
	var p PurgePlan
	var b strings.Builder
	seen := map[string]bool{}
	for _, f := range findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		if len(f.Secret) < minPurgeLength || strings.ContainsAny(f.Secret, "\n\r") || strings.Contains(f.Secret, "==>") {
			p.Left = append(p.Left, f)
			continue
		}
		fmt.Fprintf(&b, "literal:%s==>***REMOVED***\n", f.Secret)
		p.Keys++
	}
	p.Text = b.String()
	return p
}

// WriteInstructions says how to use the plan written at path: rotation
// first, then the purge, step by step, with commands a shell runs as
// printed.
func (p PurgePlan) WriteInstructions(w io.Writer, path string) error {
	ew := &errWriter{w: w}
	ew.printf("djguard: purge plan for %s written to %s.\n", plural(p.Keys, "leaked key"), Printable(path))
	ew.printf(`
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
`, Printable(shell.Quote(path)), Printable(shell.Quote(path)))
	scrub := newScrubber(false)
	for _, f := range p.Left {
		scrub.add(f)
	}
	for _, f := range p.Left {
		ew.printf("Not in the plan, too short to replace everywhere safely: %s:%d (%s). Edit it by hand if it must go.\n", Printable(scrub.name(f.Path)), f.Line, f.Class)
	}
	return ew.err
}
