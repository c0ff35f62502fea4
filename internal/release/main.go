// Command release builds djguard's release artefacts, offline and
// reproducibly: a static binary for each supported platform, packed in an
// archive with the LICENSE, README and CHANGELOG; a Python wheel for each
// platform tag that pip, pipx and uv install; and SHA256SUMS over them all.
// Two runs on the same commit with the same Go toolchain give the same
// bytes: every timestamp is the commit's time, entries are in a fixed
// order, and the binaries carry no build paths or build ids.
//
//	go run ./internal/release -version v0.1.0 -out dist
//
// It is what make dist runs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.version, "version", "", "the release version, vMAJOR.MINOR.PATCH with an optional -alpha.N, -beta.N or -rc.N")
	fs.StringVar(&cfg.out, "out", "dist", "the directory to write the artefacts to; it must be empty or absent")
	fs.StringVar(&cfg.src, "src", ".", "djguard's source tree, a git checkout")
	fs.BoolVar(&cfg.allowModified, "allow-modified", false, "build even when the work tree has changes not committed (the release then matches no commit)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "release: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	files, err := release(cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "release: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return 0
}

// usageError is an error in what the caller asked for, not in the build.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
