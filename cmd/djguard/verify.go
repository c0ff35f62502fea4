package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/keygen"
	"github.com/djguard/djguard/source"
)

const verifySynopsis = `djguard verify [--env NAME] (--against REPORT.json | --history [REPO])

Tells whether the key a deployment runs with is one of the leaked ones, by
fingerprint, and whether Django's deploy check (security.W009) would accept
it. Run it where the deployment's environment is. The key is never printed.
Exit 0: neither leaked nor weak; 1: leaked or weak; 2: error (the variable is
unset, the report unreadable).`

func runVerify(ctx context.Context, args []string, e env) int {
	fs := newFlagSet("verify", verifySynopsis, e.stderr)
	name := fs.String("env", keygen.EnvName, "the environment variable that holds the running key")
	against := fs.String("against", "", "a djguard JSON report (scan --format json) listing the leaked keys")
	history := fs.Bool("history", false, "audit the repository's history now and compare with what it finds")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if (*against == "") == !*history || len(rest) > 1 || (len(rest) == 1 && !*history) {
		fmt.Fprintln(e.stderr, "djguard verify: give --against REPORT.json or --history [REPO]")
		fs.Usage()
		return exitError
	}
	key := e.getenv(*name)
	if key == "" {
		fmt.Fprintf(e.stderr, "djguard verify: %s is unset or empty here; run verify where the deployment's environment is\n", *name)
		return exitError
	}
	leaked, source, incomplete, err := leakedFingerprints(ctx, *against, *history, rest, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard verify: %v\n", err)
		return exitError
	}
	fp := detect.Fingerprint(key)
	code := exitClean
	if where, bad := leaked[fp]; bad {
		fmt.Fprintf(e.stdout, "LEAKED: the key in %s (fingerprint %s) is one of the keys in %s, first seen at %s. Rotate it: djguard keygen, set the new key, redeploy.\n", *name, fp, source, where)
		code = exitFindings
	}
	if why := keygen.Problem(key); why != "" {
		fmt.Fprintf(e.stdout, "WEAK: the key in %s fails Django's deploy check (security.W009): %s.\n", *name, why)
		code = exitFindings
	}
	if code == exitClean && incomplete != "" {
		fmt.Fprintf(e.stderr, "djguard verify: cannot say the key in %s is safe: %s, so a leaked key may not have been seen. Audit a full clone, or verify --against a report made from one.\n", *name, incomplete)
		return exitError
	}
	if code == exitClean {
		fmt.Fprintf(e.stdout, "ok: the key in %s (fingerprint %s) is none of the %d leaked keys in %s, and passes Django's deploy check.\n", *name, fp, len(leaked), source)
	}
	return code
}

// leakedFingerprints lists the leaked keys' fingerprints, each with where
// it was found; incomplete says why a history audit could not see all of
// the history ("" when it did).
func leakedFingerprints(ctx context.Context, against string, history bool, rest []string, e env) (leaked map[string]string, from, incomplete string, err error) {
	out := map[string]string{}
	if against != "" {
		data, err := os.ReadFile(e.resolve(against))
		if err != nil {
			return nil, "", "", err
		}
		var rep struct {
			Version  int `json:"version"`
			Findings []struct {
				Path        string `json:"path"`
				Line        int    `json:"line"`
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(data, &rep); err != nil || rep.Version != 1 {
			return nil, "", "", fmt.Errorf("%s is not a djguard JSON report (djguard scan --format json)", against)
		}
		for _, f := range rep.Findings {
			if _, ok := out[f.Fingerprint]; !ok {
				out[f.Fingerprint] = fmt.Sprintf("%s:%d", f.Path, f.Line)
			}
		}
		return out, against, "", nil
	}
	repo := "."
	if len(rest) == 1 {
		repo = rest[0]
	}
	res, err := source.ScanHistory(ctx, source.HistoryOptions{Repo: e.resolve(repo)})
	if err != nil {
		return nil, "", "", err
	}
	for _, f := range res.Findings {
		out[f.Fingerprint] = fmt.Sprintf("%s:%d in commit %s", f.Path, f.Line, f.Origin.Commit[:12])
	}
	switch {
	case len(res.Shallow) > 0:
		incomplete = "the clone is shallow (history cut at " + plural(len(res.Shallow), "commit") + ")"
	case len(res.Missing) > 0:
		incomplete = "the history audit of " + repo + " is incomplete (" + plural(len(res.Missing), "object is", "objects are") + " missing)"
	}
	return out, "the history of " + repo, incomplete, nil
}
