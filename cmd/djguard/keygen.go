package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/djguard/djguard/internal/safefile"
	"github.com/djguard/djguard/keygen"
)

func runKeygen(args []string, e env) int {
	fs := newFlagSet("keygen", "djguard keygen [-n N] [--length L] [--format raw|env|python|json] [--output FILE]", e.stderr)
	count := fs.Int("n", 1, "how many keys to print")
	length := fs.Int("length", keygen.Length, fmt.Sprintf("characters per key (at least %d, as Django's deploy check wants)", keygen.Length))
	format := &choice{value: "raw", allowed: []string{"raw", "env", "python", "json"}}
	fs.Var(format, "format", "raw (the key), env (DJANGO_SECRET_KEY='...'), python (SECRET_KEY = '...') or json")
	output := fs.String("output", "", "write the keys to this new file, created with mode 0600 (it must not exist)")
	rest, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "djguard keygen: unexpected argument %q\n", rest[0])
		fs.Usage()
		return exitError
	}
	if *count < 1 || *count > 10000 {
		fmt.Fprintln(e.stderr, "djguard keygen: -n takes a number from 1 to 10000")
		return exitError
	}
	keys := make([]string, *count)
	for i := range keys {
		if keys[i], err = keygen.Generate(e.rand, *length); err != nil {
			fmt.Fprintf(e.stderr, "djguard keygen: %v\n", err)
			return exitError
		}
	}
	text, err := keygen.Format(keys, format.value)
	if err != nil {
		fmt.Fprintf(e.stderr, "djguard keygen: %v\n", err)
		return exitError
	}
	if *output == "" {
		if _, err := io.WriteString(e.stdout, text); err != nil {
			fmt.Fprintf(e.stderr, "djguard keygen: %v\n", err)
			return exitError
		}
		return exitClean
	}
	if err := safefile.Create(e.resolve(*output), safefile.Private, func(w io.Writer) error { _, err := io.WriteString(w, text); return err }); err != nil {
		fmt.Fprintf(e.stderr, "djguard keygen: %v\n", err)
		return exitError
	}
	return exitClean
}
