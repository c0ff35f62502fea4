package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/baseline"
	"github.com/djguard/djguard/config"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/policy"
	"github.com/djguard/djguard/report"
	"github.com/djguard/djguard/rotation"
)

// loadProject reads the project's configuration (--config, or the nearest
// .djguard.toml or pyproject.toml from the scanned directory up to the
// repository's root) and applies what the command line did not set: flags
// win over files.
func loadProject(cfg *scanConfig, e env) error {
	var project *config.Config
	var err error
	if cfg.configFile != "" {
		path := e.resolve(cfg.configFile)
		if project, err = config.Load(path); err != nil {
			return err
		}
		if project == nil {
			return fmt.Errorf("%s has no [tool.djguard] table", path)
		}
	} else {
		start := cfg.startDir(e)
		if project, err = config.Find(start, searchStop(start, e)); err != nil {
			return err
		}
	}
	if project == nil {
		return nil
	}
	if e.scrub != nil {
		e.scrub.Add(project.Baseline)
	}
	if !cfg.set["fail-on"] && project.Set["fail-on"] {
		cfg.policy.FailOn, _ = policy.ParseFailOn(project.FailOn)
	}
	if !cfg.set["max-file-size"] && project.Set["max-file-size"] {
		cfg.maxFileSize = project.MaxFileSize
	}
	if !cfg.set["baseline"] && project.Set["baseline"] {
		cfg.baselineFile = project.Baseline
	}
	if len(project.ExtraNames) > 0 {
		cfg.detector = detect.NewDetector(project.ExtraNames)
	}
	cfg.policy.Exclude = project.Excluder()
	cfg.policy.Allow = map[string]bool{}
	for _, fp := range project.Allow {
		cfg.policy.Allow[fp] = true
	}
	if cfg.verbose {
		fmt.Fprintf(e.stderr, "djguard: configuration from %s\n", project.Path)
	}
	return nil
}

// searchStop is where the configuration search ends: the repository's
// root, or, outside git, the working directory when the scan is below it.
func searchStop(start string, e env) string {
	if root := gitrepo.WorkTreeRoot(start); root != start {
		return root
	}
	wd := e.dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if rel, err := filepath.Rel(wd, start); err == nil && !strings.HasPrefix(rel, "..") {
		return wd
	}
	return start
}

// djangoVersion finds the Django version of the scanned project: in the
// scanned directory, else at the repository's root.
func djangoVersion(cfg scanConfig, e env) *rotation.Version {
	start := cfg.startDir(e)
	if v := rotation.FindVersion(start); v != nil {
		return v
	}
	if root := gitrepo.WorkTreeRoot(start); root != start {
		return rotation.FindVersion(root)
	}
	return nil
}

// startDir is where the configuration search starts, absolute: the
// scanned directory (a file's own, standard input's by --stdin-name), or
// the working directory.
func (cfg *scanConfig) startDir(e env) string {
	start := e.dir
	if start == "" {
		start, _ = os.Getwd()
	}
	first := ""
	if len(cfg.paths) > 0 {
		first = cfg.paths[0]
	}
	if first == "-" {
		first = ""
		if cfg.stdinName != "" {
			first = filepath.Dir(cfg.stdinName)
		}
	}
	if first != "" {
		p := e.resolve(first)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			p = filepath.Dir(p)
		}
		start = p
	}
	if abs, err := filepath.Abs(start); err == nil {
		start = abs
	}
	return start
}

// applyBaseline leaves out the findings the baseline accepts for now. It
// says on stderr how many, and with -v which baseline entries matched
// nothing.
func applyBaseline(rep *report.Report, cfg scanConfig, e env) error {
	if cfg.baselineFile == "" {
		return nil
	}
	path := e.resolve(cfg.baselineFile)
	b, err := baseline.Load(path)
	if err != nil {
		return err
	}
	cfg.policy.Baseline = b
	var stale []baseline.Entry
	rep.Findings, rep.Baselined, stale = cfg.policy.ApplyBaseline(rep.Findings)
	if rep.Baselined > 0 && !cfg.quiet {
		fmt.Fprintf(e.stderr, "djguard: %s in the baseline (%s) not reported\n", plural(rep.Baselined, "finding"), cfg.baselineFile)
	}
	if cfg.verbose {
		for _, s := range stale {
			fmt.Fprintf(e.stderr, "djguard: stale baseline entry %s (%s, was %s:%d): nothing matches it any more\n", s.Fingerprint, s.Class, s.Path, s.Line)
		}
	}
	return nil
}
