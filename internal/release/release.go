package main

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// config is what the command line asks for.
type config struct {
	version       string // v0.1.0-rc.1
	out           string // the directory the artefacts go to
	src           string // djguard's source tree
	allowModified bool
}

// target is one platform djguard is released for, and the wheels its
// binary goes in: one wheel for each platform tag set.
type target struct {
	goos, goarch string
	wheelTags    []string
}

// targets are the release's platforms. A static Go binary runs on any
// Linux C library, so the linux binaries go in both a manylinux and a
// musllinux wheel; manylinux2014 is the legacy name pip before 20.3 knows.
// Go 1.25 and later need macOS 12 and Windows 10.
var targets = []target{
	{"linux", "amd64", []string{"manylinux_2_17_x86_64.manylinux2014_x86_64", "musllinux_1_1_x86_64"}},
	{"linux", "arm64", []string{"manylinux_2_17_aarch64.manylinux2014_aarch64", "musllinux_1_1_aarch64"}},
	{"darwin", "amd64", []string{"macosx_12_0_x86_64"}},
	{"darwin", "arm64", []string{"macosx_12_0_arm64"}},
	{"windows", "amd64", []string{"win_amd64"}},
	{"windows", "arm64", []string{"win_arm64"}},
}

// exe is the binary's file name on the target.
func (t target) exe() string {
	if t.goos == "windows" {
		return "djguard.exe"
	}
	return "djguard"
}

// archiveBase is the archive's name without its extension, which is also
// the one directory the archive holds.
func (t target) archiveBase(version string) string {
	return fmt.Sprintf("djguard-%s-%s-%s", version, t.goos, t.goarch)
}

// docs are the files every archive and wheel carries beside the binary.
var docs = []string{"LICENSE", "README.md", "CHANGELOG.md"}

// release builds every artefact into cfg.out and returns their names.
func release(cfg config, log io.Writer) ([]string, error) {
	pyVersion, err := pythonVersion(cfg.version)
	if err != nil {
		return nil, err
	}
	text, err := readDocs(cfg.src, cfg.version)
	if err != nil {
		return nil, err
	}
	if err := emptyDir(cfg.out); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "djguard-release-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var files []string
	var stamp *commit
	for _, t := range targets {
		fmt.Fprintf(log, "release: building %s/%s\n", t.goos, t.goarch)
		bin := filepath.Join(tmp, t.goos+"-"+t.goarch, t.exe())
		if err := goBuild(cfg.src, t, cfg.version, bin); err != nil {
			return nil, err
		}
		c, err := readCommit(bin)
		if err != nil {
			return nil, err
		}
		if stamp == nil {
			if c.modified && !cfg.allowModified {
				return nil, usageError{fmt.Sprintf("the work tree at %s has changes not in commit %s: a release must be one commit (commit or stash them, or pass -allow-modified for a trial build)", cfg.src, c.revision)}
			}
			stamp = &c
		} else if c != *stamp {
			return nil, fmt.Errorf("the source changed during the build (%s/%s was built from %s)", t.goos, t.goarch, c.revision)
		}
		exe, err := os.ReadFile(bin)
		if err != nil {
			return nil, err
		}
		name, err := writeArchive(cfg.out, t, cfg.version, exe, text, stamp.time)
		if err != nil {
			return nil, err
		}
		files = append(files, name)
		for _, tag := range t.wheelTags {
			name, err := writeWheel(cfg.out, wheel{version: pyVersion, release: cfg.version, tag: tag, exeName: t.exe(), exe: exe, docs: text}, stamp.time)
			if err != nil {
				return nil, err
			}
			files = append(files, name)
		}
	}
	sort.Strings(files)
	if err := writeSums(cfg.out, files); err != nil {
		return nil, err
	}
	return append(files, "SHA256SUMS"), nil
}

var releaseVersion = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-(alpha|beta|rc)\.(0|[1-9][0-9]*))?$`)

// pythonVersion maps a release version to the PEP 440 version its wheels
// carry: v0.1.0 is 0.1.0, v0.1.0-rc.1 is 0.1.0rc1.
func pythonVersion(v string) (string, error) {
	m := releaseVersion.FindStringSubmatch(v)
	if m == nil {
		return "", usageError{fmt.Sprintf("version %q is not vMAJOR.MINOR.PATCH with an optional -alpha.N, -beta.N or -rc.N (such as v0.1.0 or v0.1.0-rc.1)", v)}
	}
	py := m[1] + "." + m[2] + "." + m[3]
	if m[4] != "" {
		py += map[string]string{"alpha": "a", "beta": "b", "rc": "rc"}[m[4]] + m[5]
	}
	return py, nil
}

// readDocs reads the files every artefact carries. A final release must
// have its entry in the CHANGELOG; a pre-release may come before it.
func readDocs(src, version string) (map[string][]byte, error) {
	text := map[string][]byte{}
	for _, name := range docs {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w (is -src djguard's source tree?)", name, err)
		}
		text[name] = b
	}
	if !strings.Contains(version, "-") && !regexp.MustCompile(`(?m)^## `+regexp.QuoteMeta(version)+`(?:[ \t]|$)`).Match(text["CHANGELOG.md"]) {
		return nil, usageError{fmt.Sprintf("CHANGELOG.md has no entry '## %s': write what the release changes before releasing it", version)}
	}
	return text, nil
}

// emptyDir makes dir, or checks that it is empty: the release writes
// SHA256SUMS over every file it holds, and never overwrites one.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		return usageError{fmt.Sprintf("%s is not empty: name an empty or new directory", dir)}
	}
	return os.MkdirAll(dir, 0o755)
}

// goBuild builds djguard for t into bin. Every setting that changes the
// binary is named here rather than taken from the caller's environment
// (GOFLAGS, GOAMD64, CGO_ENABLED, a go.work, GOFIPS140), so the bytes depend only on the source
// and the Go toolchain; GOTOOLCHAIN=local keeps that toolchain the one
// installed, and nothing is downloaded.
func goBuild(src string, t target, version, bin string) error {
	cmd := exec.Command("go", "build",
		"-trimpath", "-buildvcs=true", "-mod=readonly",
		"-ldflags=-s -w -buildid= -X main.releaseVersion="+version,
		"-o", bin, "./cmd/djguard")
	cmd.Dir = src
	cmd.Env = append(os.Environ(),
		"CGO_ENABLED=0", "GOOS="+t.goos, "GOARCH="+t.goarch,
		"GOAMD64=v1", "GOARM64=v8.0", "GOFLAGS=", "GOTOOLCHAIN=local", "GOEXPERIMENT=",
		"GOWORK=off", "GOFIPS140=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build for %s/%s: %v\n%s", t.goos, t.goarch, err, out)
	}
	return nil
}

// commit is the source a binary was built from, as Go recorded it.
type commit struct {
	revision string
	time     time.Time
	modified bool
}

func readCommit(bin string) (commit, error) {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		return commit{}, fmt.Errorf("read the build information of %s: %w", bin, err)
	}
	var c commit
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			c.revision = s.Value
		case "vcs.time":
			c.time, err = time.Parse(time.RFC3339, s.Value)
			if err != nil {
				return commit{}, fmt.Errorf("read the commit time %q: %w", s.Value, err)
			}
		case "vcs.modified":
			c.modified = s.Value == "true"
		}
	}
	if c.revision == "" || c.time.IsZero() {
		return commit{}, usageError{"the source is not a git checkout (Go recorded no commit): a release is built from one, so that its version names a commit"}
	}
	c.time = c.time.UTC()
	return c, nil
}

// writeSums writes SHA256SUMS over files, in the format sha256sum -c reads.
func writeSums(dir string, files []string) error {
	var b strings.Builder
	for _, name := range files {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, name)
	}
	return writeNew(filepath.Join(dir, "SHA256SUMS"), []byte(b.String()))
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
