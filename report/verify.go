package report

import (
	"fmt"
	"io"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/leaked"
)

// RunningKey writes verify's verdict on key, the key a deployment runs
// (from the variable name), against the leaked keys of set and Django's
// deploy check: LEAKED and WEAK lines, or ok. bad says the key is leaked or
// weak; doubt, when it is neither but set may lack leaked keys, says why
// it cannot be called safe, and nothing is written.
func RunningKey(w io.Writer, name, key string, set *leaked.Set) (bad bool, doubt string) {
	fp := detect.Fingerprint(key)
	ew := &errWriter{w: w}
	if l, ok := set.ByFingerprint(fp); ok {
		// Where the key was seen is a path from the repository: it may
		// hold a key, the running one above all.
		scrub := newScrubber(false)
		scrub.add(detect.Finding{Secret: key, Severity: detect.High})
		for _, k := range set.Keys {
			scrub.add(detect.Finding{Secret: k.Secret, Severity: detect.High})
		}
		ew.printf("LEAKED: the key in %s (fingerprint %s) is one of the keys in %s, first seen at %s. Rotate it: djguard keygen, set the new key, redeploy.\n", name, fp, Printable(scrub.name(set.From)), Printable(scrub.name(l.Where)))
		bad = true
	}
	if why := keygen.Problem(key); why != "" {
		ew.printf("WEAK: the key in %s fails Django's deploy check (security.W009): %s.\n", name, why)
		bad = true
	}
	switch {
	case bad:
	case set.Incomplete != "":
		return false, fmt.Sprintf("cannot say the key in %s is safe: %s, so a leaked key may not have been seen. Audit a full clone, or verify --against a report made from one.", name, set.Incomplete)
	default:
		ew.printf("ok: the key in %s (fingerprint %s) is none of the %d leaked keys in %s, and passes Django's deploy check.\n", name, fp, len(set.Keys), Printable(Scrub(set.From)))
	}
	return bad, ""
}
