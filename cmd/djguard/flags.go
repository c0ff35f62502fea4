package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/djguard/djguard/config"
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
