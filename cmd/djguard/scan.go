package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/safefile"
	"github.com/djguard/djguard/policy"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/source"
)

// scanConfig is a parsed scan command line.
type scanConfig struct {
	paths       []string
	format      string
	output      string
	maxFileSize int64
	showSecrets bool
	verbose     bool
	// quiet keeps the text report to findings and the summary.
	quiet bool
	// stdin scans standard input (the PATH "-"), under stdinName.
	stdin     bool
	stdinName string
	staged    bool
	// image names a container image on disk to scan.
	image string
	// allowUnreadable accepts a scan that could not read some files.
	allowUnreadable bool
	// prePush audits what a push sends; remote is the remote git names
	// to the pre-push hook, whose lines are then on standard input.
	prePush bool
	remote  string
	// history audit
	history bool
	since   string
	branch  string
	strict  bool
	// project settings
	configFile   string
	baselineFile string
	purgePlan    string
	set          map[string]bool // flags given on the command line
	detector     *detect.Detector
	// policy decides what is reported and what fails: the allow list,
	// excludes, the baseline and --fail-on.
	policy policy.Policy
}

const scanSynopsis = "djguard scan [--staged | --pre-push [--remote NAME] | --history [--since REV|REV1..REV2] [--branch NAME] [--strict] | --image PATH] [--config FILE] [--baseline FILE] [--format text|json|sarif|github|codequality] [--output FILE] [--fail-on high|low|never] [--max-file-size SIZE] [--show-secrets] [-v] [--quiet] [--allow-unreadable] [PATH... | - [--stdin-name PATH]]"

func parseScan(args []string, e env) (scanConfig, int, bool) {
	fs := newFlagSet("scan", scanSynopsis+`

Scans files for Django secret keys. With no PATH, the git work tree that
holds the current directory (or the directory itself outside git), honouring
.gitignore. A PATH that is a file is scanned as given, ignored or not.
The PATH - scans standard input; --stdin-name names the file it stands
for, so that its syntax (settings.py, .env) and the excludes apply.
With --staged, what the next commit will contain is scanned (PATHs limit it
to those files), and only lines it adds are reported: the pre-commit hook.
A PATH with nothing staged is scanned whole, and so is every PATH when the
pre-commit framework runs djguard outside a commit (pre-commit run
--all-files). With --pre-push, the commits a push sends are audited: those
git's pre-push lines on standard input name (with --remote, as the hook
passes it), those pre-commit names in PRE_COMMIT_FROM_REF and
PRE_COMMIT_TO_REF, or, run by hand, HEAD's commits on no remote-tracking
branch.
With --history, PATH is a repository (default: the current directory) and
every commit of every ref is audited.`, e.stderr)
	format := &choice{value: "text", allowed: []string{"text", "json", "sarif", "github", "codequality"}}
	fs.Var(format, "format", "report format: text, json, sarif, github (GitHub Actions annotations) or codequality (GitLab Code Quality)")
	output := fs.String("output", "", "write the report to this file (mode 0600) instead of standard output")
	failOn := &choice{value: "high", allowed: []string{"high", "low", "never"}}
	fs.Var(failOn, "fail-on", "exit 1 when a finding is at or above this severity: high, low or never")
	show := fs.Bool("show-secrets", false, "print secrets in full (by default only their first characters and length)")
	quiet := fs.Bool("quiet", false, "print only the findings and the summary: no rotation steps, no baseline note")
	allowUnreadable := fs.Bool("allow-unreadable", false, "exit 0, not 2, when no key is found but some files or directories could not be read")
	staged := fs.Bool("staged", false, "scan what the next commit will contain (the index), reporting only lines it adds")
	stdinName := fs.String("stdin-name", "", "with the PATH -: the path standard input stands for, for its syntax and the excludes")
	prePush := fs.Bool("pre-push", false, "audit the commits a push sends (the pre-push hook)")
	image := fs.String("image", "", "scan a container image on disk: an OCI image layout (a directory or a tar: skopeo's oci: and oci-archive:) or a docker save archive")
	remote := fs.String("remote", "", "with --pre-push: the remote pushed to, as git passes it to the hook; git's pre-push lines are then read from standard input")
	strict := fs.Bool("strict", false, "with --history: exit 2 when a partial clone lacks objects, since the audit is then incomplete")
	baselineFile := fs.String("baseline", "", "report only findings not in this baseline (made by djguard baseline)")
	project := bindProject(fs, historyFlags{usage: "audit every commit reachable from every ref (branches, remote-tracking branches, tags, the stash)", ranges: true})
	purgePlan := fs.String("purge-plan", "", "with --history: write a git filter-repo --replace-text file that removes every leaked key from history, and print how to use it")
	paths, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return scanConfig{}, exitClean, false
	}
	if err != nil {
		return scanConfig{}, exitError, false
	}
	cfg := project.scanConfig(fs, paths)
	cfg.format, cfg.output, cfg.showSecrets, cfg.quiet = format.value, *output, *show, *quiet
	cfg.allowUnreadable, cfg.staged, cfg.stdinName = *allowUnreadable, *staged, *stdinName
	cfg.prePush, cfg.remote, cfg.strict = *prePush, *remote, *strict
	cfg.image = *image
	cfg.baselineFile, cfg.purgePlan = *baselineFile, *purgePlan
	if !cfg.history && (cfg.since != "" || cfg.branch != "" || cfg.strict || cfg.purgePlan != "") {
		fmt.Fprintln(e.stderr, "djguard scan: --since, --branch, --strict and --purge-plan go with --history")
		return scanConfig{}, exitError, false
	}
	if btoi(cfg.staged)+btoi(cfg.history)+btoi(cfg.prePush)+btoi(cfg.image != "") > 1 {
		fmt.Fprintln(e.stderr, "djguard scan: choose one of --staged, --pre-push, --history and --image")
		return scanConfig{}, exitError, false
	}
	if cfg.remote != "" && !cfg.prePush {
		fmt.Fprintln(e.stderr, "djguard scan: --remote goes with --pre-push")
		return scanConfig{}, exitError, false
	}
	if cfg.prePush && len(cfg.paths) > 1 {
		fmt.Fprintln(e.stderr, "djguard scan: --pre-push takes one repository")
		return scanConfig{}, exitError, false
	}
	if code, ok := checkStdin(&cfg, e); !ok {
		return scanConfig{}, code, false
	}
	if cfg.staged && outsideCommit(e) {
		// pre-commit run --all-files, pre-commit.ci, a CI job: nothing is
		// being committed, and the files named are what to check.
		cfg.staged = false
	}
	if cfg.history && len(cfg.paths) > 1 {
		fmt.Fprintln(e.stderr, "djguard scan: --history takes one repository")
		return scanConfig{}, exitError, false
	}
	cfg.policy.FailOn, _ = policy.ParseFailOn(failOn.value)
	return cfg, 0, true
}

func runScan(ctx context.Context, args []string, e env) int {
	cfg, code, ok := parseScan(args, e)
	if !ok {
		return code
	}
	rep := collect(ctx, &cfg, e)
	if rep == nil {
		return exitError
	}
	if cfg.purgePlan != "" {
		// Every leaked key goes, baselined or not: the baseline only quiets
		// the scan.
		if err := writePurgePlan(rep.Findings, e.resolve(cfg.purgePlan), e); err != nil {
			fmt.Fprintf(e.stderr, "djguard: %v\n", err)
			return exitError
		}
	}
	if err := applyBaseline(rep, cfg, e); err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return exitError
	}
	if !cfg.history && !cfg.prePush && !cfg.staged && !cfg.stdin && cfg.image == "" {
		rep.Uncommitted = inNoCommit(rep, cfg, e)
	}
	code = finish(rep, cfg, e)
	if rep.Unread > 0 && code == exitClean && !cfg.allowUnreadable {
		fmt.Fprintf(e.stderr, "djguard: the scan is incomplete: %s could not be read (see the warnings above; --allow-unreadable accepts this)\n", plural(rep.Unread, "file or directory", "files or directories"))
		return exitError
	}
	if h := rep.History; h != nil && h.Damaged && code != exitError {
		fmt.Fprintf(e.stderr, "djguard: the audit is incomplete: objects are missing from a repository that should hold them (run git fsck to see the damage)\n")
		return exitError
	}
	if h := rep.History; cfg.strict && h != nil && h.Missing > 0 && code != exitError {
		fmt.Fprintf(e.stderr, "djguard: --strict: the audit is incomplete (%d missing objects)\n", h.Missing)
		return exitError
	}
	if h := rep.History; cfg.prePush && h != nil && h.Missing > 0 && code != exitError {
		// A partial clone fetches what it lacks as it pushes: the push
		// would send content no one has read.
		fmt.Fprintf(e.stderr, "djguard: the commits pushed refer to %s this partial clone does not hold, so djguard could not read all they send. Fetch them (git fetch --refetch, git 2.36 or later) and push again; git push --no-verify skips this check.\n", plural(h.Missing, "object", "objects"))
		return exitError
	}
	return code
}

// collect reads the project's configuration and runs the scan the command
// line asks for, leaving out what the policy does not report; nil means it
// failed and said why on stderr.
func collect(ctx context.Context, cfg *scanConfig, e env) *report.Report {
	if err := loadProject(cfg, e); err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	return gather(ctx, *cfg, e)
}

// gather runs the scan the command line asks for and returns its report;
// nil means it failed and said why on stderr.
func gather(ctx context.Context, cfg scanConfig, e env) *report.Report {
	switch {
	case cfg.history, cfg.prePush:
		return gatherHistory(ctx, cfg, e)
	case cfg.staged:
		return gatherStaged(ctx, cfg, e)
	case cfg.stdin:
		return gatherStdin(cfg, e)
	case cfg.image != "":
		return gatherImage(ctx, cfg, e)
	}
	res, err := source.ScanTree(ctx, source.TreeOptions{
		Paths: cfg.paths, Dir: e.dir, MaxFileSize: cfg.maxFileSize,
		Detector: cfg.detector, Policy: &cfg.policy,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	listSkipped(append(res.Skipped, res.NotRead...), cfg, e)
	return treeReport(res, cfg, e)
}

// treeReport says on stderr what a scan of files could not read, and
// makes its report.
func treeReport(res *source.TreeResult, cfg scanConfig, e env) *report.Report {
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "djguard: warning: %s: %s\n", report.Printable(report.Scrub(w.Path)), report.Printable(w.Reason))
	}
	return &report.Report{
		Findings: res.Findings,
		Files:    res.Files,
		Bytes:    res.Bytes,
		Skipped:  len(res.Skipped) + len(res.NotRead),
		NotRead:  notRead(res.NotRead),
		Unread:   res.Unread,
		FailOn:   cfg.policy.FailOn,
	}
}

// listSkipped names, with -v, what a scan left out and why.
func listSkipped(skipped []source.Skip, cfg scanConfig, e env) {
	if !cfg.verbose {
		return
	}
	for _, s := range skipped {
		fmt.Fprintf(e.stderr, "djguard: skipped %s: %s\n", report.Printable(report.Scrub(s.Path)), s.Reason)
	}
}

// finish gives each leaked value a replacement key, writes the report and
// returns the scan's exit code.
func finish(rep *report.Report, cfg scanConfig, e env) int {
	ci := inCI(e)
	if !ci {
		// In CI a replacement key would be printed into a log others read:
		// no replacement is made there at all.
		var err error
		if rep.Replacements, err = report.Replacements(rep.Findings, e.rand); err != nil {
			fmt.Fprintf(e.stderr, "djguard: %v\n", err)
			return exitError
		}
	}
	if err := writeReport(rep, cfg, ci, e); err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return exitError
	}
	if cfg.output != "" {
		fmt.Fprintf(e.stderr, "%s Report: %s\n", report.Summary(rep), cfg.output)
	}
	sayNotRead(rep, cfg, e)
	if err := showInGitHub(rep, cfg, e); err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return exitError
	}
	if rep.Failing() > 0 {
		return exitFindings
	}
	return exitClean
}

// showInGitHub gives a GitHub Actions job what it shows of a scan, whatever
// the report's format: an annotation per finding on its file and line
// (on stderr, which the runner reads too, unless the report itself is the
// annotations) and a Markdown job summary appended to $GITHUB_STEP_SUMMARY.
// Neither holds a replacement key or a whole secret.
func showInGitHub(rep *report.Report, cfg scanConfig, e env) error {
	if e.getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	opt := report.Options{ShowSecrets: cfg.showSecrets, CI: true}
	if cfg.format != "github" || cfg.output != "" {
		if err := report.GitHub(e.stderr, rep, opt); err != nil {
			return fmt.Errorf("write the annotations: %w", err)
		}
	}
	path := e.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(e.resolve(path), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("write the job summary: %w", err)
	}
	if err := report.JobSummary(f, rep, opt); err != nil {
		f.Close()
		return fmt.Errorf("write the job summary: %w", err)
	}
	return f.Close()
}

// inCI reports whether djguard runs in a CI job, as CI services say in
// the CI variable (GitHub Actions, GitLab, CircleCI, Travis, Buildkite,
// pre-commit.ci and most others set it).
func inCI(e env) bool {
	switch strings.ToLower(e.getenv("CI")) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// writeReport writes the report in the chosen format to stdout or to
// --output. A report file is private to its owner (see safefile.Replace): it
// holds replacement keys.
func writeReport(rep *report.Report, cfg scanConfig, ci bool, e env) error {
	opt := report.Options{ShowSecrets: cfg.showSecrets, Version: readBuild().Version, Quiet: cfg.quiet, CI: ci}
	render := func(w io.Writer) error {
		switch {
		case cfg.format == "text" && cfg.staged:
			return report.Hook(w, rep, opt)
		case cfg.format == "text" && cfg.prePush:
			return report.Push(w, rep, opt)
		case cfg.format == "json":
			return report.JSON(w, rep, opt)
		case cfg.format == "sarif":
			return report.SARIF(w, rep, opt)
		case cfg.format == "github":
			return report.GitHub(w, rep, opt)
		case cfg.format == "codequality":
			return report.CodeQuality(w, rep, opt)
		default:
			return report.Text(w, rep, opt)
		}
	}
	if cfg.output != "" {
		if err := safefile.Replace(e.resolve(cfg.output), safefile.Private, render); err != nil {
			return fmt.Errorf("write the report file: %w", err)
		}
		return nil
	}
	opt.Color = cfg.format == "text" && e.stdoutTTY && e.getenv("NO_COLOR") == ""
	// Buffered: a report of many findings is millions of small writes,
	// each a system call on an unbuffered standard output.
	if err := safefile.Buffered(e.stdout, render); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}

// resolve makes a path from the command line absolute against the
// command's working directory.
func (e env) resolve(p string) string {
	if e.dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.dir, p)
}

// gatherImage scans a container image on disk; nil means it failed and
// said why.
func gatherImage(ctx context.Context, cfg scanConfig, e env) *report.Report {
	res, err := source.ScanImage(ctx, cfg.image, source.TreeOptions{
		Dir: e.dir, MaxFileSize: cfg.maxFileSize, Detector: cfg.detector, Policy: &cfg.policy,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard: %v\n", err)
		return nil
	}
	listSkipped(res.NotRead, cfg, e)
	return treeReport(res, cfg, e)
}
