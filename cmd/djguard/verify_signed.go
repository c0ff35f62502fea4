package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/djguard/djguard/gitrepo"
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
	e.scrub.AddSecret(value)
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
			report.Redact(value), bad.Reason, report.KindList(kinds))
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
			e.scrub.AddSecret(k.Secret)
		}
		return l, nil
	}
	l, err := findLeaks(ctx, cfg, e)
	if err != nil {
		return nil, err
	}
	hidden := l.RecoverSecrets(reportPaths(cfg, e))
	for _, k := range l.Keys {
		e.scrub.AddSecret(k.Secret)
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

// reportPaths gives the places a path in the --against report may stand
// for: from the working directory, from the report's own directory, and
// from the repository's root, so that verify run in another directory than
// the scan was still finds the files the report names.
func reportPaths(cfg verifyConfig, e env) func(string) []string {
	wd, _ := filepath.Abs(e.resolve("."))
	bases := []string{wd}
	if cfg.against != "" {
		bases = append(bases, filepath.Dir(e.resolve(cfg.against)))
	}
	bases = append(bases, gitrepo.WorkTreeRoot(wd))
	return func(p string) []string {
		if filepath.IsAbs(p) {
			return []string{p}
		}
		var out []string
		for _, b := range bases {
			if c := filepath.Join(b, p); !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		return out
	}
}

// printSigner says which candidate signed the value, and what follows.
func printSigner(m *signed.Match, cands *leaked.Set, cfg verifyConfig, e env) {
	report.Signer(e.stdout, m, cands.Keys[m.Key], cfg.keyFile != "")
}

// noSigner reports a value no candidate signed: ok only when the value
// was named, nothing casts doubt on what it was named, and every candidate
// was seen; an error otherwise.
func noSigner(res signed.Result, cands *leaked.Set, cfg verifyConfig, e env) int {
	msg, ok := report.NoSigner(res, cands, cfg.opt)
	if !ok {
		fmt.Fprintf(e.stderr, "djguard verify: %s", msg)
		return exitError
	}
	fmt.Fprint(e.stdout, msg)
	return exitClean
}

// kindMisuse says what is wrong with how --kind, --cookie-name and --salt
// name the value.
func kindMisuse(err error) string {
	return fmt.Sprintf("--kind, --cookie-name and --salt do not fit together: %v", err)
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
