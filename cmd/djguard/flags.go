package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/djguard/djguard/config"
	"github.com/djguard/djguard/source"
)

// parseInterleaved parses flags that may come before, between or after
// positional arguments (djguard scan DIR --format json), as users type
// them; "--" ends the flags. -h prints the command's usage; a bad flag
// prints one line and where the help is, not the whole usage, which would
// bury the line in a CI log.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, w := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	positional, err := parseAll(fs, args)
	fs.Usage = usage
	fs.SetOutput(w)
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
	case err != nil:
		fmt.Fprintf(w, "djguard %s: %v (see 'djguard help %s')\n", fs.Name(), err, fs.Name())
	}
	return positional, err
}

func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting,
// and prints its usage to w.
func newFlagSet(name, synopsis string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// byteSize is a flag.Value for sizes such as 10MB, 512k or 1048576.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	n, err := config.ParseSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

// choice is a flag.Value that accepts one of a fixed set of words.
type choice struct {
	value   string
	allowed []string
}

func (c *choice) String() string { return c.value }

func (c *choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			c.value = s
			return nil
		}
	}
	return fmt.Errorf("want one of %s", strings.Join(c.allowed, ", "))
}

// btoi counts a true flag as one, to count the modes chosen.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// projectFlags are the flags every command that reads a project shares:
// where its configuration is, which files are too large to read, and,
// for the commands that audit history, which history. One binder defines
// them, so each command names them, and loads the project, alike.
type projectFlags struct {
	config  string
	maxSize byteSize
	verbose bool
	history bool
	since   string
	branch  string
}

// historyFlags says whether a command takes --history, and what the flag
// does there.
type historyFlags struct {
	usage string // the help of --history; "" when the command has none
	// ranges adds --since and --branch, which narrow the audit: verify
	// has none, since a key outside the range is leaked all the same.
	ranges bool
}

// bindProject defines the shared flags on fs.
func bindProject(fs *flag.FlagSet, h historyFlags) *projectFlags {
	p := &projectFlags{maxSize: byteSize(source.DefaultMaxFileSize)}
	fs.StringVar(&p.config, "config", "", "read settings from this file instead of the nearest .djguard.toml or pyproject.toml [tool.djguard]")
	fs.Var(&p.maxSize, "max-file-size", "skip files larger than this (e.g. 10MB, 512KB)")
	fs.BoolVar(&p.verbose, "v", false, "also list the files skipped and why")
	if h.usage != "" {
		fs.BoolVar(&p.history, "history", false, h.usage)
	}
	if h.ranges {
		fs.StringVar(&p.since, "since", "", "with --history: audit what HEAD adds to REV, REV..HEAD (a pull request: --since origin/main; keys REV already holds are left out); REV1..REV2 for another range; in a bare repository, every ref's commits not reachable from REV")
		fs.StringVar(&p.branch, "branch", "", "with --history: audit only this branch, remote-tracking branch or tag")
	}
	return p
}

// scanConfig is the scan these flags ask for over paths; set holds the
// flags the command line gave, so that the configuration fills in only
// the others.
func (p *projectFlags) scanConfig(fs *flag.FlagSet, paths []string) scanConfig {
	cfg := scanConfig{
		paths: paths, configFile: p.config, maxFileSize: int64(p.maxSize), verbose: p.verbose,
		history: p.history, since: p.since, branch: p.branch, set: map[string]bool{},
	}
	fs.Visit(func(f *flag.Flag) { cfg.set[f.Name] = true })
	return cfg
}

// historyMisuse says what is wrong with --since or --branch given without
// --history, or "".
func (p *projectFlags) historyMisuse() string {
	if !p.history && (p.since != "" || p.branch != "") {
		return "--since and --branch go with --history"
	}
	return ""
}
