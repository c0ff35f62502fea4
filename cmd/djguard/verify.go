package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/leaked"
	"github.com/djguard/djguard/policy"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/signed"
)

const verifySynopsis = `djguard verify [--env NAME] (--against REPORT.json | --history [REPO])
       djguard verify --signed VALUE|- [--kind KIND] [--cookie-name NAME] [--salt SALT] (--against REPORT.json | --history [REPO] | --key-file FILE)

Tells whether the key a deployment runs with is one of the leaked ones, by
fingerprint, and whether Django's deploy check (security.W009) would accept
it. Run it where the deployment's environment is. The key is never printed.
Exit 0: neither leaked nor weak; 1: leaked or weak; 2: error (the variable is
unset, the report unreadable).

With --signed, it tells instead, offline, whether a value the site signed
was signed by one of the leaked keys (or of the keys in --key-file, one per
line, each also read as Python reads it when written as a string, as in
SECRET_KEY_FALLBACKS: 'old-key',), and by which, by fingerprint. Give - to read the value from standard
input, which keeps it out of shell history (at a terminal, it is not shown
as it is typed); it is never printed whole. A
cookie may come alone, as NAME=value or as a Set-Cookie header line; its
name is a hint, never the kind, and one that contradicts the kind named
exits 2.
--against needs the keys themselves: a report made with --show-secrets, or
one whose files still hold them.

Say what the value is, or a value no key signed proves nothing (Django
salts each kind differently, and a site's own values look like Django's):
  --kind session          the sessionid cookie (or SESSION_COOKIE_NAME) of
                          the signed_cookies session backend
  --kind messages         the messages cookie (messages-3.1 and
                          messages-legacy name its older formats alone)
  --cookie-name NAME      a cookie the site reads with get_signed_cookie
                          (kind cookie), with --salt SALT if the code passes one
  --kind dumps|timestamp|signer [--salt SALT]
                          a signing.dumps, TimestampSigner or Signer value,
                          with the salt the code passes (none: Django's default)
  --salt SALT             alone: a signing.dumps, TimestampSigner or Signer
                          value signed with SALT
Exit 0: none of the keys signed it as what it was named (the site runs
another key); 1: one did, rotate now; 2: the value is malformed, was not
named (djguard then tries every kind and says how to name it), is not laid
out as what it was named, or an error.`

// verifyConfig is a parsed verify command line.
type verifyConfig struct {
	env     string // the variable that holds the running key
	against string // a JSON report
	history bool
	repo    []string // the repository of --history, if given
	// signed is the value of --signed; "" checks the running key instead.
	signed  string
	keyFile string
	opt     signed.Options
	// project is how --history reads the project: its configuration
	// (--config, or the nearest), the file size limit, -v.
	project *projectFlags
	fs      *flag.FlagSet
}

func parseVerify(args []string, e env) (verifyConfig, int, bool) {
	fs := newFlagSet("verify", verifySynopsis, e.stderr)
	name := fs.String("env", keygen.EnvName, "the environment variable that holds the running key")
	against := fs.String("against", "", "a djguard JSON report (scan --format json) listing the leaked keys")
	project := bindProject(fs, historyFlags{usage: "audit the repository's history now and compare with what it finds"})
	value := fs.String("signed", "", "a value the site signed (a cookie, a token), or - to read it from standard input: tell which key signed it")
	kind := fs.String("kind", "", "with --signed: what the value is: "+strings.Join(signed.Names(), ", "))
	cookie := fs.String("cookie-name", "", "with --signed: the cookie the value came from, for a value the site reads with request.get_signed_cookie (kind cookie)")
	salt := fs.String("salt", "", "with --signed: the salt the site's code passes to get_signed_cookie, signing.dumps, TimestampSigner or Signer")
	keyFile := fs.String("key-file", "", "with --signed: check against the keys in this file, one per line, instead of the leaked keys; a line written as a Python string ('old-key',) is also tried as Python reads it")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return verifyConfig{}, exitClean, false
	}
	if err != nil {
		return verifyConfig{}, exitError, false
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	cfg := verifyConfig{env: *name, against: *against, history: project.history, repo: rest, signed: *value, project: project, fs: fs,
		keyFile: *keyFile, opt: signed.Options{Kind: *kind, CookieName: *cookie, Salt: *salt}}
	if cfg.signed != "-" && e.scrub != nil {
		// A value the site signed is a credential (a session, a reset
		// token), whatever it looks like: no message quotes it whole.
		e.scrub.AddSecret(cfg.signed)
	}
	if why := cfg.misuse(set); why != "" {
		fmt.Fprintf(e.stderr, "djguard verify: %s\n", why)
		fs.Usage()
		return verifyConfig{}, exitError, false
	}
	return cfg, 0, true
}

// misuse says what is wrong with the combination of flags given, or "".
func (cfg verifyConfig) misuse(set map[string]bool) string {
	sources := 0
	for _, given := range []bool{cfg.against != "", cfg.history, cfg.keyFile != ""} {
		if given {
			sources++
		}
	}
	switch {
	case !set["signed"] && (set["kind"] || set["cookie-name"] || set["salt"] || set["key-file"]):
		return "--kind, --cookie-name, --salt and --key-file go with --signed"
	case set["signed"] && cfg.signed == "":
		return "--signed needs a value, or - to read it from standard input"
	case set["signed"] && set["env"]:
		return "--env checks the running key and --signed a value the site signed: one at a time"
	case set["signed"] && sources != 1:
		return "give one of --against REPORT.json, --history [REPO] or --key-file FILE"
	case !set["signed"] && sources != 1:
		return "give --against REPORT.json or --history [REPO]"
	case len(cfg.repo) > 1 || len(cfg.repo) == 1 && !cfg.history:
		return "only --history takes an argument, the repository"
	case !cfg.history && (set["config"] || set["max-file-size"] || set["v"]):
		return "--config, --max-file-size and -v go with --history, which reads the project"
	case set["signed"]:
		if _, err := signed.Kinds(cfg.opt); err != nil {
			return kindMisuse(err)
		}
	}
	return ""
}

func runVerify(ctx context.Context, args []string, e env) int {
	// verify's verdicts quote file names of the history it reads: none
	// of them reaches the terminal raw. (Its stderr is the audit's, whose
	// messages escape what they quote, around a progress line drawn with
	// the terminal's own controls.)
	e.stdout = report.PrintableWriter(e.stdout)
	cfg, code, ok := parseVerify(args, e)
	if !ok {
		return code
	}
	if cfg.signed != "" {
		return verifySigned(ctx, cfg, e)
	}
	return verifyRunningKey(ctx, cfg, e)
}

// verifyRunningKey compares the key in the deployment's environment with
// the leaked keys, and with Django's W009 rules.
func verifyRunningKey(ctx context.Context, cfg verifyConfig, e env) int {
	key := e.getenv(cfg.env)
	if key == "" {
		fmt.Fprintf(e.stderr, "djguard verify: %s is unset or empty here; run verify where the deployment's environment is\n", cfg.env)
		return exitError
	}
	keys, err := findLeaks(ctx, cfg, e)
	if err != nil {
		sayError(e, "djguard verify", err)
		return exitError
	}
	bad, doubt := report.RunningKey(e.stdout, cfg.env, key, keys)
	switch {
	case bad:
		return exitFindings
	case doubt != "":
		fmt.Fprintf(e.stderr, "djguard verify: %s\n", doubt)
		return exitError
	}
	return exitClean
}

// errSaid is an error whose reason is already on stderr.
var errSaid = errors.New("failed; the reason is above")

// sayError prints err on stderr after prefix, unless it was said already.
func sayError(e env, prefix string, err error) {
	if !errors.Is(err, errSaid) {
		fmt.Fprintf(e.stderr, "%s: %v\n", prefix, err)
	}
}

// findLeaks lists the leaked keys of the report or of a history audit.
func findLeaks(ctx context.Context, cfg verifyConfig, e env) (*leaked.Set, error) {
	if cfg.against != "" {
		return leaked.ReadReport(e.resolve(cfg.against), cfg.against)
	}
	// The history is read as scan --history reads it, with the project's
	// configuration (names it adds, its size limit); but every key found
	// counts, even one the project excludes, allows or baselines, or one
	// a djguard:allow marker passes: a deployment running it runs a key
	// anyone with a clone holds.
	sc := cfg.project.scanConfig(cfg.fs, cfg.repo)
	sc.history = true
	if err := loadProject(&sc, e); err != nil {
		return nil, err
	}
	sc.policy = policy.Policy{KeepAllowed: true}
	rep := gatherHistory(ctx, sc, e)
	if rep == nil {
		return nil, errSaid
	}
	repo := "."
	if len(cfg.repo) == 1 {
		repo = cfg.repo[0]
	}
	out := &leaked.Set{From: "the history of " + repo}
	for _, f := range rep.Findings {
		out.Add(leaked.Leak{Fingerprint: f.Fingerprint, Secret: f.Secret,
			Where: fmt.Sprintf("%s:%d in commit %s", f.Path, f.Line, f.Origin.Commit[:12])})
	}
	switch h := rep.History; {
	case h.Shallow > 0:
		out.Incomplete = "the clone is shallow (history cut at " + plural(h.Shallow, "commit") + ")"
	case h.Missing > 0:
		out.Incomplete = "the history audit of " + repo + " is incomplete (" + plural(h.Missing, "object is", "objects are") + " missing)"
	}
	return out, nil
}
