package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// releaseVersion is the release a build is, set only by the release build
// (make dist: -ldflags "-X main.releaseVersion=v0.1.0"). A build from a
// checkout or by go install leaves it empty and takes its version from
// the build information Go records.
var releaseVersion string

// build is what a djguard binary knows of how it was built.
type build struct {
	// Version is the release (v0.1.0), the module version go install
	// fetched, the pseudo-version go build gives a checkout
	// (v0.0.0-20261204012200-3f2a9c0e1b2d+dirty), or "dev" when Go
	// recorded none (go run).
	Version string
	// Commit is the git commit the source was at, "" when Go recorded
	// none; Modified says the work tree had changes not in that commit.
	Commit     string
	CommitTime string
	Modified   bool
	// Go and Platform are the toolchain and the GOOS/GOARCH it built for.
	Go       string
	Platform string
}

// readBuild reads the build information of the running binary.
func readBuild() build {
	bi, _ := debug.ReadBuildInfo()
	return buildFrom(bi, releaseVersion)
}

// buildFrom is readBuild over given information, for tests.
func buildFrom(bi *debug.BuildInfo, release string) build {
	b := build{Version: "dev", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		b.Go = bi.GoVersion
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			case "GOOS":
				b.Platform = s.Value + b.Platform[strings.IndexByte(b.Platform, '/'):]
			case "GOARCH":
				b.Platform = b.Platform[:strings.IndexByte(b.Platform, '/')+1] + s.Value
			}
		}
	}
	if release != "" {
		b.Version = release
	}
	return b
}

// write prints what djguard version prints.
func (b build) write(w io.Writer) {
	fmt.Fprintf(w, "djguard %s\n", b.Version)
	switch {
	case b.Commit == "":
		fmt.Fprintln(w, "commit: unknown (built outside a git checkout, or by go run)")
	case b.Modified:
		fmt.Fprintf(w, "commit: %s (modified: built with changes not in that commit)\n", b.Commit)
	default:
		fmt.Fprintf(w, "commit: %s\n", b.Commit)
	}
	if b.CommitTime != "" {
		fmt.Fprintf(w, "commit time: %s\n", b.CommitTime)
	}
	fmt.Fprintf(w, "built with: %s %s\n", b.Go, b.Platform)
}
