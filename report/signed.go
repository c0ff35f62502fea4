package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/leaked"
	"github.com/djguard/djguard/signed"
)

// This file is verify --signed's text: which key signed a value, or why
// none is ruled out, and how to name a value so that one is.

// Signer writes verify --signed's verdict on a value the leaked key k
// signed (listed: k comes from a key file, not from a leak), and what
// follows from it.
func Signer(w io.Writer, m *signed.Match, k leaked.Leak, listed bool) {
	// Where the key was seen is a path: one named after the key holds it.
	scrub := newScrubber(false)
	scrub.add(detect.Finding{Secret: k.Secret, Severity: detect.High})
	where := Printable(scrub.name(k.Where))
	who := fmt.Sprintf("the leaked key with fingerprint %s, first seen at %s", k.Fingerprint, where)
	head := "LEAKED KEY IN USE"
	if listed {
		who = fmt.Sprintf("the key on %s (fingerprint %s)", where, k.Fingerprint)
		head = "LISTED KEY IN USE"
	}
	fmt.Fprintf(w, "%s: %s signed this value with %s. The value is %s (Django %s).\n", head, who, algorithmName(m.Algorithm), m.Kind.Description, m.Releases())
	if m.Algorithm == "sha1" {
		fmt.Fprintln(w, "  SHA-1: Django 4.0 and later neither make nor accept SHA-1 signatures, so whatever signed this ran Django 3.2 or earlier.")
	}
	if m.SignedAt.IsZero() {
		fmt.Fprintln(w, "  This kind carries no timestamp, so it may predate the redeploy: check a value the site hands out after it too.")
	} else {
		fmt.Fprintf(w, "  It was signed at %s, by its own timestamp: if that is after the redeploy, the site still signs with this key.\n", m.SignedAt.Format(time.DateTime+" UTC"))
	}
	fmt.Fprintln(w, "  Rotate it now: djguard keygen, set the new key where the deployment reads it, redeploy every process, and check a freshly signed value again. Do not keep the old key in SECRET_KEY_FALLBACKS.")
}

// NoSigner is verify --signed's verdict on a value none of the keys of set
// signed: ok only when the value was named (opt), nothing casts doubt on
// what it was named, and every key was seen; otherwise the message says
// why no key is ruled out, for stderr.
func NoSigner(res signed.Result, set *leaked.Set, opt signed.Options) (msg string, ok bool) {
	none := fmt.Sprintf("%s signed this value (%s)", noneOf(cmp.Or(set.Listed, len(set.Keys)), set.From), res.Layout)
	if res.Doubt != signed.NoDoubt {
		as := ""
		switch {
		case res.Doubt == signed.NotNamed:
			as = " as any kind djguard tried: " + KindList(res.Tried)
		case len(res.Tried) > 0:
			as = " as " + KindList(res.Tried)
		}
		return fmt.Sprintf("%s%s.\n  %s\n", none, as, strings.TrimSuffix(doubtful(res, opt), "\n")), false
	}
	if set.Incomplete != "" {
		return fmt.Sprintf("%s, but cannot say the site runs another key: %s.\n", none, set.Incomplete), false
	}
	return fmt.Sprintf("ok: %s as %s: the site signs with another key.\n", none, KindList(res.Tried)), true
}

// doubtful says why a value no candidate signed rules none out, and what
// to do.
func doubtful(res signed.Result, opt signed.Options) string {
	switch res.Doubt {
	case signed.NotNamed:
		return "That rules out no key: Django salts each kind differently, and a site signs values of its own (signed cookies, signing.dumps and TimestampSigner with salts of its own) that look like these. Say what the value is:\n" + howToName(res.Likely, res.CookieName)
	case signed.SeveralCookies:
		return "That rules out no key: this is a Cookie header holding several cookies. Paste one cookie, NAME=value or its value alone."
	case signed.DjangoCookie:
		return fmt.Sprintf("That rules out no key: %q is the name Django gives its own %s, which request.get_signed_cookie does not read: %s. If the site does sign a cookie of that name with set_signed_cookie, say so with --kind cookie --cookie-name %s.",
			opt.CookieName, djangoCookies[opt.CookieName], cookieAdvice(opt.CookieName), opt.CookieName)
	case signed.OtherCookie:
		return fmt.Sprintf("That rules out no key: the value came as the cookie %q, which is not what it was named. Check which cookie it is; %s.",
			res.CookieName, cookieAdvice(res.CookieName))
	}
	named, _ := signed.Kinds(opt)
	return fmt.Sprintf("That rules out no key: it is laid out as %s, which is not how Django writes %s. Check that it is the value you meant, and what --kind, --cookie-name or --salt say it is.", res.Layout, KindList(named))
}

// naming tells how to name each kind on the command line, by Kind.Name.
var naming = map[string]string{
	"session":   "the sessionid cookie (or SESSION_COOKIE_NAME) of the signed_cookies session backend? run again with --kind session",
	"messages":  "the messages cookie? run again with --kind messages",
	"cookie":    "a cookie the site reads with request.get_signed_cookie? run again with --cookie-name NAME, and --salt SALT if the code passes one",
	"dumps":     "a signing.dumps value? run again with --kind dumps, and --salt SALT if the code passes one",
	"timestamp": "a TimestampSigner value? run again with --kind timestamp, and --salt SALT if the code passes one",
	"signer":    "a Signer value? run again with --kind signer, and --salt SALT if the code passes one",
}

// djangoCookies are the names Django gives its own signed cookies.
var djangoCookies = map[string]string{"sessionid": "session cookie", "messages": "messages cookie"}

// howToName lists, one a line, how to name each of the kinds a value
// likely is; the cookie the value came as, if any, comes first.
func howToName(likely []string, cookie string) string {
	var b strings.Builder
	seen := map[string]bool{}
	if cookie != "" {
		fmt.Fprintf(&b, "  - it came as the cookie %q: %s\n", cookie, cookieAdvice(cookie))
		// The line for the kind that cookie is goes without saying.
		switch cookie {
		case "sessionid":
			seen["session"] = true
		case "messages":
			seen["messages"] = true
		default:
			seen["cookie"] = true
		}
	}
	for _, name := range likely {
		if how, ok := naming[name]; ok && !seen[name] {
			fmt.Fprintf(&b, "  - %s\n", how)
		}
	}
	return b.String()
}

// cookieAdvice says how to name a value that came as the cookie name.
func cookieAdvice(name string) string {
	switch name {
	case "sessionid":
		return "if it is the session cookie of the signed_cookies session backend, run again with --kind session"
	case "messages":
		return "if it is the messages cookie, run again with --kind messages"
	}
	return fmt.Sprintf("if the site reads it with request.get_signed_cookie, run again with --cookie-name %s, and --salt SALT if the code passes one; if it is the session cookie (SESSION_COOKIE_NAME), with --kind session", name)
}

// noneOf is the subject of "signed this value" when no key did.
func noneOf(n int, from string) string {
	if n == 1 {
		return "the one key in " + from + " has not"
	}
	return fmt.Sprintf("none of the %d keys in %s", n, from)
}

func algorithmName(a string) string {
	if a == "sha1" {
		return "HMAC-SHA1"
	}
	return "HMAC-SHA256"
}

// KindList names kinds in one line, for messages.
func KindList(kinds []signed.Kind) string {
	var b bytes.Buffer
	for i, k := range kinds {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k.Description)
	}
	return b.String()
}
