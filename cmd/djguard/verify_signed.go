package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/djguard/djguard/internal/prompt"
	"github.com/djguard/djguard/leaked"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/signed"
)

// maxSignedValue bounds what verify --signed reads from standard input:
// browsers keep a cookie to 4 KB, and Django's own tokens are shorter.
const maxSignedValue = 64 << 10

// verifySigned tells whether a value the site signed was signed by one of
// the candidate keys: the leaked ones, or those of --key-file.
func verifySigned(ctx context.Context, cfg verifyConfig, e env) int {
	value, err := signedValue(cfg.signed, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard verify: %v\n", err)
		return exitError
	}
	e.scrub.add("", value)
	cands, err := candidateKeys(ctx, cfg, e)
	if err != nil {
		sayError(e, "djguard verify", err)
		return exitError
	}
	secrets := make([]string, len(cands.Keys))
	for i, k := range cands.Keys {
		secrets[i] = k.Secret
	}
	res, err := signed.Verify(value, secrets, cfg.opt)
	if bad := (*signed.MalformedError)(nil); errors.As(err, &bad) {
		kinds, _ := signed.Kinds(cfg.opt)
		fmt.Fprintf(e.stderr, "djguard verify: the value (%s) is not one Django signs with its key: %s. djguard knows %s.\n",
			report.Redact(value), bad.Reason, kindList(kinds))
		return exitError
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard verify: %s\n", kindMisuse(err))
		return exitError
	}
	if res.Match != nil {
		printSigner(res.Match, cands, cfg, e)
		return exitFindings
	}
	return noSigner(res, cands, cfg, e)
}

// signedValue is the value of --signed, read from standard input for "-".
func signedValue(arg string, e env) (string, error) {
	if arg != "-" {
		fmt.Fprintln(e.stderr, "djguard verify: note: a value typed on the command line stays in the shell's history; --signed - reads it from standard input")
		return arg, nil
	}
	if e.stdin == nil {
		return "", errors.New("--signed -: there is no standard input to read the value from")
	}
	if e.stdinTTY && e.hideTyping != nil {
		if restore, err := e.hideTyping(); err == nil {
			return typedValue(restore, e)
		}
	}
	if e.stdinTTY {
		fmt.Fprintln(e.stderr, "djguard verify: paste the value, then press Enter (the terminal shows it):")
	}
	// One line: a person at a terminal ends it with Enter, not end-of-file.
	r := bufio.NewReader(io.LimitReader(e.stdin, maxSignedValue+1))
	line, err := r.ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the value from standard input: %w", err)
	}
	if len(line) > maxSignedValue {
		return "", fmt.Errorf("standard input holds more than %d KiB; give one value, such as one cookie's", maxSignedValue>>10)
	}
	if !e.stdinTTY {
		if rest, _ := io.ReadAll(r); strings.TrimSpace(string(rest)) != "" {
			return "", errors.New("standard input holds more than one line; give one value")
		}
	}
	text := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if strings.TrimSpace(text) == "" {
		return "", errors.New("standard input held no value")
	}
	return text, nil
}

// typedValue reads the value typed at a terminal that shows nothing typed,
// and puts the terminal back with restore.
func typedValue(restore func(), e env) (string, error) {
	fmt.Fprint(e.stderr, "djguard verify: paste the value (it is not shown), then press Enter: ")
	text, err := prompt.ReadLine(e.stdin, maxSignedValue)
	restore()
	fmt.Fprintln(e.stderr)
	switch {
	case errors.Is(err, prompt.ErrTooLong):
		return "", fmt.Errorf("the value typed is longer than %d KiB; give one value, such as one cookie's", maxSignedValue>>10)
	case errors.Is(err, io.EOF) || err == nil && strings.TrimSpace(text) == "":
		return "", errors.New("no value was typed")
	case err != nil:
		return "", fmt.Errorf("read the value typed: %w", err)
	}
	return text, nil
}

// candidateKeys lists the keys the value is checked against, each with its
// fingerprint and where it comes from; none lacks its secret.
func candidateKeys(ctx context.Context, cfg verifyConfig, e env) (*leaked.Set, error) {
	if cfg.keyFile != "" {
		l, err := leaked.ReadKeyFile(e.resolve(cfg.keyFile), cfg.keyFile)
		if err != nil {
			return nil, err
		}
		for _, k := range l.Keys {
			e.scrub.add("", k.Secret)
		}
		return l, nil
	}
	l, err := findLeaks(ctx, cfg, e)
	if err != nil {
		return nil, err
	}
	hidden := l.RecoverSecrets(e.resolve)
	for _, k := range l.Keys {
		e.scrub.add("", k.Secret)
	}
	if len(l.Keys) == 0 && len(hidden) > 0 {
		return nil, fmt.Errorf("%s lists %s by fingerprint only (redacted), and the files it names no longer hold %s: --signed needs the keys themselves. Use a report made with 'djguard scan --format json --show-secrets' (keep it private; delete it after), or --history", l.From, plural(len(hidden), "leaked key"), pronoun(len(hidden)))
	}
	if len(hidden) > 0 {
		why := fmt.Sprintf("%s of %s hides %s (redacted, and no longer in the files it names)", plural(len(hidden), "leaked key"), l.From, pronoun(len(hidden)))
		l.Incomplete = join(l.Incomplete, why)
	}
	return l, nil
}

// printSigner says which candidate signed the value, and what follows.
func printSigner(m *signed.Match, cands *leaked.Set, cfg verifyConfig, e env) {
	k := cands.Keys[m.Key]
	who := fmt.Sprintf("the leaked key with fingerprint %s, first seen at %s", k.Fingerprint, k.Where)
	head := "LEAKED KEY IN USE"
	if cfg.keyFile != "" {
		who = fmt.Sprintf("the key on %s (fingerprint %s)", k.Where, k.Fingerprint)
		head = "LISTED KEY IN USE"
	}
	fmt.Fprintf(e.stdout, "%s: %s signed this value with %s. The value is %s (Django %s).\n", head, who, algorithmName(m.Algorithm), m.Kind.Description, m.Releases())
	if m.Algorithm == "sha1" {
		fmt.Fprintln(e.stdout, "  SHA-1: Django 4.0 and later neither make nor accept SHA-1 signatures, so whatever signed this ran Django 3.2 or earlier.")
	}
	if m.SignedAt.IsZero() {
		fmt.Fprintln(e.stdout, "  This kind carries no timestamp, so it may predate the redeploy: check a value the site hands out after it too.")
	} else {
		fmt.Fprintf(e.stdout, "  It was signed at %s, by its own timestamp: if that is after the redeploy, the site still signs with this key.\n", m.SignedAt.Format(time.DateTime+" UTC"))
	}
	fmt.Fprintln(e.stdout, "  Rotate it now: djguard keygen, set the new key where the deployment reads it, redeploy every process, and check a freshly signed value again. Do not keep the old key in SECRET_KEY_FALLBACKS.")
}

// noSigner reports a value no candidate signed: ok only when the value
// was named, nothing casts doubt on what it was named, and every candidate
// was seen; an error otherwise.
func noSigner(res signed.Result, cands *leaked.Set, cfg verifyConfig, e env) int {
	none := fmt.Sprintf("%s signed this value (%s)", noneOf(cmp.Or(cands.Listed, len(cands.Keys)), cands.From), res.Layout)
	if res.Doubt != signed.NoDoubt {
		as := ""
		switch {
		case res.Doubt == signed.NotNamed:
			as = " as any kind djguard tried: " + kindList(res.Tried)
		case len(res.Tried) > 0:
			as = " as " + kindList(res.Tried)
		}
		fmt.Fprintf(e.stderr, "djguard verify: %s%s.\n  %s\n", none, as, strings.TrimSuffix(doubtful(res, cfg), "\n"))
		return exitError
	}
	if cands.Incomplete != "" {
		fmt.Fprintf(e.stderr, "djguard verify: %s, but cannot say the site runs another key: %s.\n", none, cands.Incomplete)
		return exitError
	}
	fmt.Fprintf(e.stdout, "ok: %s as %s: the site signs with another key.\n", none, kindList(res.Tried))
	return exitClean
}

// doubtful says why a value no candidate signed rules none out, and what
// to do.
func doubtful(res signed.Result, cfg verifyConfig) string {
	switch res.Doubt {
	case signed.NotNamed:
		return "That rules out no key: Django salts each kind differently, and a site signs values of its own (signed cookies, signing.dumps and TimestampSigner with salts of its own) that look like these. Say what the value is:\n" + howToName(res.Likely, res.CookieName)
	case signed.SeveralCookies:
		return "That rules out no key: this is a Cookie header holding several cookies. Paste one cookie, NAME=value or its value alone."
	case signed.DjangoCookie:
		return fmt.Sprintf("That rules out no key: %q is the name Django gives its own %s, which request.get_signed_cookie does not read: %s. If the site does sign a cookie of that name with set_signed_cookie, say so with --kind cookie --cookie-name %s.",
			cfg.opt.CookieName, djangoCookies[cfg.opt.CookieName], cookieAdvice(cfg.opt.CookieName), cfg.opt.CookieName)
	case signed.OtherCookie:
		return fmt.Sprintf("That rules out no key: the value came as the cookie %q, which is not what it was named. Check which cookie it is; %s.",
			res.CookieName, cookieAdvice(res.CookieName))
	}
	named, _ := signed.Kinds(cfg.opt)
	return fmt.Sprintf("That rules out no key: it is laid out as %s, which is not how Django writes %s. Check that it is the value you meant, and what --kind, --cookie-name or --salt say it is.", res.Layout, kindList(named))
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

// kindMisuse says what is wrong with how --kind, --cookie-name and --salt
// name the value.
func kindMisuse(err error) string {
	return fmt.Sprintf("--kind, --cookie-name and --salt do not fit together: %v", err)
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

// kindList names kinds in one line, for messages.
func kindList(kinds []signed.Kind) string {
	var b bytes.Buffer
	for i, k := range kinds {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k.Description)
	}
	return b.String()
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// join adds a reason to another, either possibly empty.
func join(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}
