// Package rotation says how to replace a leaked Django SECRET_KEY: the
// steps, tailored to the Django version a project uses, which it finds in
// the project's dependency files.
package rotation

import (
	"fmt"
	"strings"
)

// Version is a Django release, major and minor (and patch when known).
type Version struct {
	Major, Minor, Patch int
	// Source names the file and line it came from, for the user.
	Source string
}

func (v Version) String() string {
	return fmt.Sprintf("%d.%d", v.Major, v.Minor)
}

// atLeast reports whether v is release major.minor.patch or later.
func (v Version) atLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// Steps returns what to do about a leaked key, for the Django version the
// project uses, or for any version when it is not known.
func Steps(v *Version) string {
	var b strings.Builder
	b.WriteString("How to rotate a leaked Django SECRET_KEY")
	if v != nil {
		fmt.Fprintf(&b, " (this project uses Django %s, from %s)", v, v.Source)
	}
	b.WriteString(`
  1. Generate a new key for each environment (djguard keygen; the
     replacements djguard scan prints are made on your machine as it runs
     and are yours to use, unless its output is stored where others can
     read it, such as a CI log: then make new ones).
  2. Store it where the deployment reads it, never in a committed file: an
     environment variable or a secrets manager (AWS Secrets Manager, Azure
     Key Vault, HashiCorp Vault, Google Secret Manager). djguard fix moves
     the key out of Python settings for you.
  3. Make settings read it, with no literal fallback in production:
         SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
  4. Redeploy every process that holds the old key. `)
	b.WriteString(fallbacksAdvice(v))
	b.WriteString(`
  5. Expect this: every user is logged out (the session auth hash is signed
     with the key), password-reset links already sent stop working, and
     signed cookies, the messages cookie and signing.dumps values become
     invalid. Libraries that derive encryption keys from SECRET_KEY lose
     access to data encrypted that way unless migrated: check yours.
  6. Check that the deployment really runs the new key:
         djguard verify --env DJANGO_SECRET_KEY --against REPORT.json
     run where the deployment's environment is (it never prints the key).
     Then check what the site signs with, from outside: after the redeploy,
     take a value it signed and say what it is. The messages cookie: make
     the site show a message (save a form in the admin) and copy the
     "messages" Set-Cookie header of the redirect, in the browser's
     developer tools (Network tab: the whole header, messages=..., or the
     value alone), then run
         djguard verify --signed - --kind messages --history
     in the repository and paste it: read on standard input, it stays out of
     shell history. The "sessionid" cookie, if SESSION_ENGINE is
     django.contrib.sessions.backends.signed_cookies (Storage or Application
     tab):
         djguard verify --signed - --kind session --history
     A signed token from the site's logs: --kind dumps, timestamp or signer,
     with --salt SALT if the code passes one. (Or --against a report made
     with --show-secrets instead of --history.) Exit 0: no leaked key signed
     it, the site runs another key; 1: a leaked key signed it, at the time it
     prints: if that is after the redeploy, the site still runs that key, so
     rotate again; 2: the value is malformed, not laid out as what --kind
     says, or not named (then it lists the kinds it tried and how to name
     the value).
  7. Optionally purge the key from git history (djguard scan --history
     --purge-plan FILE) and force-push. This does not un-leak it: clones,
     forks, CI caches and mirrors keep it. Rotate first, always.
`)
	return b.String()
}

// fallbacksAdvice explains SECRET_KEY_FALLBACKS as the version has it.
func fallbacksAdvice(v *Version) string {
	const never = `Do NOT put the leaked
     key in SECRET_KEY_FALLBACKS: Django would go on accepting everything
     signed with it, including what an attacker forges.`
	switch {
	case v == nil:
		return never + ` (SECRET_KEY_FALLBACKS,
     in Django 4.1 and later, is for routine rotation only: a key that has
     not leaked keeps old sessions valid while it is listed.)`
	case !v.atLeast(4, 1, 0):
		return `Django ` + v.String() + ` has no
     SECRET_KEY_FALLBACKS: the new key takes over at once, which is what a
     leak needs. Do not add the leaked key anywhere after upgrading either.`
	default:
		return never + ` SECRET_KEY_FALLBACKS
     is for routine rotation only, where keeping old sessions and reset
     links valid for a while is wanted; after a leak that is the danger.`
	}
}
