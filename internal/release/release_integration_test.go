//go:build integration

package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// head is the commit the source tree is at.
func head(t *testing.T) string {
	t.Helper()
	testenv.Tool(t, "git")
	return strings.TrimSpace(testenv.Git(t, srcRoot(t), "rev-parse", "HEAD"))
}

var (
	distOnce sync.Once
	distPath string
	distErr  error
)

// dist is a release build of HEAD: the one CI made with make dist
// (DJGUARD_DIST), or one this test binary makes once, as v0.1.0-rc.1.
func dist(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("DJGUARD_DIST"); d != "" {
		return d
	}
	if testing.Short() {
		t.Skip("-short: a release build takes a while; set DJGUARD_DIST to a make dist directory to check it")
	}
	testenv.Tool(t, "go")
	head(t)
	distOnce.Do(func() {
		distPath, distErr = os.MkdirTemp("", "djguard-dist-test-")
		if distErr == nil {
			_, distErr = release(config{version: "v0.1.0-rc.1", out: distPath, src: srcRoot(t), allowModified: true}, io.Discard)
		}
	})
	if distErr != nil {
		t.Fatal(distErr)
	}
	return distPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if distPath != "" {
		os.RemoveAll(distPath)
	}
	os.Exit(code)
}

// distVersion reads the release's version from its linux/amd64 archive.
func distVersion(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "djguard-v*-linux-amd64.tar.gz"))
	if len(m) != 1 {
		t.Fatalf("%s holds %d linux-amd64 archives, want 1", dir, len(m))
	}
	return strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m[0]), "djguard-"), "-linux-amd64.tar.gz")
}

func TestReleaseHasEveryArtefactAndTheirSums(t *testing.T) {
	dir := dist(t)
	version := distVersion(t, dir)
	py, err := pythonVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tg := range targets {
		ext := ".tar.gz"
		if tg.goos == "windows" {
			ext = ".zip"
		}
		want = append(want, tg.archiveBase(version)+ext)
		for _, tag := range tg.wheelTags {
			want = append(want, wheel{version: py, tag: tag}.fileName())
		}
	}
	sort.Strings(want)
	if len(want) != 14 {
		t.Fatalf("the targets make %d artefacts, want 6 archives and 8 wheels", len(want))
	}
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("SHA256SUMS has %d lines, want %d:\n%s", len(lines), len(want), sums)
	}
	for i, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || name != want[i] {
			t.Errorf("SHA256SUMS line %d is %q, want the sum of %s", i+1, line, want[i])
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: SHA256SUMS says %s, the file's is %x", name, sum, got)
		}
	}
	// And as sha256sum itself reads it.
	if sha, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command(sha, "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
}

// executable checks that exe is a binary of goos/goarch.
func executable(t *testing.T, goos, goarch string, exe []byte) {
	t.Helper()
	r := bytes.NewReader(exe)
	var ok bool
	switch goos {
	case "linux":
		f, err := elf.NewFile(r)
		ok = err == nil && f.Machine == map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[goarch]
	case "darwin":
		f, err := macho.NewFile(r)
		ok = err == nil && f.Cpu == map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
	case "windows":
		f, err := pe.NewFile(r)
		ok = err == nil && f.Machine == map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[goarch]
	}
	if !ok {
		t.Errorf("the binary is not a %s/%s executable", goos, goarch)
	}
}

// TestEveryArchiveHoldsAStaticBinaryOfItsPlatform opens each archive and
// wheel: one directory with the binary, LICENSE, README and CHANGELOG; a
// binary of the right format and processor, static, built from HEAD with
// the release's version and no build paths; the same binary in each wheel.
func TestEveryArchiveHoldsAStaticBinaryOfItsPlatform(t *testing.T) {
	dir := dist(t)
	version := distVersion(t, dir)
	py, _ := pythonVersion(version)
	commit := head(t)
	root := srcRoot(t)
	for _, tg := range targets {
		t.Run(tg.goos+"-"+tg.goarch, func(t *testing.T) {
			base := tg.archiveBase(version)
			var content map[string][]byte
			var names []string
			if tg.goos == "windows" {
				data, err := os.ReadFile(filepath.Join(dir, base+".zip"))
				if err != nil {
					t.Fatal(err)
				}
				var files []*zipFile
				files, content = readZipNames(t, data)
				for _, f := range files {
					names = append(names, f.name)
				}
			} else {
				names, content = readTarGz(t, filepath.Join(dir, base+".tar.gz"))
			}
			want := []string{base + "/", base + "/" + tg.exe(), base + "/LICENSE", base + "/README.md", base + "/CHANGELOG.md"}
			if strings.Join(names, " ") != strings.Join(want, " ") {
				t.Errorf("entries %q, want %q", names, want)
			}
			for _, doc := range docs {
				src, _ := os.ReadFile(filepath.Join(root, doc))
				if !bytes.Equal(content[base+"/"+doc], src) {
					t.Errorf("%s differs from the source tree's", doc)
				}
			}
			exe := content[base+"/"+tg.exe()]
			executable(t, tg.goos, tg.goarch, exe)
			bi, err := buildinfo.Read(bytes.NewReader(exe))
			if err != nil {
				t.Fatalf("build information: %v", err)
			}
			settings := map[string]string{}
			for _, s := range bi.Settings {
				settings[s.Key] = s.Value
			}
			for k, v := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": tg.goos, "GOARCH": tg.goarch, "vcs.revision": commit} {
				if settings[k] != v {
					t.Errorf("built with %s=%q, want %q", k, settings[k], v)
				}
			}
			// -trimpath keeps -ldflags out of the build information: the
			// version is in the binary's data, the build id is empty.
			if !bytes.Contains(exe, []byte("\x00"+version)) && !bytes.Contains(exe, []byte(version)) {
				t.Errorf("the binary does not hold its version %s", version)
			}
			if id := buildID(t, exe); id != "" {
				t.Errorf("the binary has the build id %q, want none", id)
			}
			if bytes.Contains(exe, []byte(root)) {
				t.Errorf("the binary holds the build path %s", root)
			}
			for _, tag := range tg.wheelTags {
				data, err := os.ReadFile(filepath.Join(dir, wheel{version: py, tag: tag}.fileName()))
				if err != nil {
					t.Fatal(err)
				}
				_, wc := readZip(t, data)
				if !bytes.Equal(wc["djguard-"+py+".data/scripts/"+tg.exe()], exe) {
					t.Errorf("the %s wheel does not hold the archive's binary", tag)
				}
			}
		})
	}
}

// buildID is the Go build id go tool buildid reads in exe.
func buildID(t *testing.T, exe []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "exe")
	if err := os.WriteFile(f, exe, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testenv.Tool(t, "go"), "tool", "buildid", f).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool buildid: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

type zipFile struct{ name string }

func readZipNames(t *testing.T, data []byte) ([]*zipFile, map[string][]byte) {
	files, content := readZip(t, data)
	var out []*zipFile
	for _, f := range files {
		out = append(out, &zipFile{f.Name})
	}
	return out, content
}

func readTarGz(t *testing.T, path string) ([]string, map[string][]byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	content := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "root" {
			t.Errorf("%s is owned by %d:%d %s", h.Name, h.Uid, h.Gid, h.Uname)
		}
		names = append(names, h.Name)
		b, _ := io.ReadAll(tr)
		content[h.Name] = b
		if h.Name == filepath.Base(path) {
			continue
		}
		if strings.HasSuffix(h.Name, "/djguard") && h.Mode != 0o755 {
			t.Errorf("%s has mode %o, want 0755", h.Name, h.Mode)
		}
	}
	return names, content
}

// pipPlatforms are what pip is told the machine is, and the wheel it must
// choose for each: the tags are right when pip, which alone decides, picks
// each wheel for its own platform and a newer one of the same family.
var pipPlatforms = map[string]string{
	"manylinux2014_x86_64":       "manylinux_2_17_x86_64.manylinux2014_x86_64",
	"manylinux2014_aarch64":      "manylinux_2_17_aarch64.manylinux2014_aarch64",
	"musllinux_1_1_x86_64":       "musllinux_1_1_x86_64",
	"musllinux_1_1_aarch64":      "musllinux_1_1_aarch64",
	"macosx_12_0_x86_64":         "macosx_12_0_x86_64",
	"macosx_14_0_arm64":          "macosx_12_0_arm64",
	"win_amd64":                  "win_amd64",
	"win_arm64":                  "win_arm64",
	"macosx_11_0_arm64":          "",
	"linux_armv7l":               "",
	"manylinux2014_i686":         "",
	"musllinux_1_1_ppc64le":      "",
	"macosx_10_15_x86_64":        "",
	"win32":                      "",
	"manylinux2010_x86_64":       "",
	"manylinux_2_17_riscv64":     "",
	"musllinux_1_0_x86_64":       "",
	"macosx_12_0_universal2":     "",
	"android_24_arm64_v8a":       "",
	"ios_13_0_arm64_iphoneos":    "",
	"freebsd_14_0_release_amd64": "",
}

func TestPipChoosesEachWheelForItsPlatform(t *testing.T) {
	dir := dist(t)
	py, _ := pythonVersion(distVersion(t, dir))
	python := testenv.Tool(t, "python3")
	if out, err := exec.Command(python, "-m", "pip", "--version").CombinedOutput(); err != nil {
		testenv.Missing(t, "DJGUARD_REQUIRE_TOOLS", "python3 has no pip: "+string(out))
	}
	for platform, wantTag := range pipPlatforms {
		platform, wantTag := platform, wantTag
		t.Run(platform, func(t *testing.T) {
			t.Parallel()
			target := t.TempDir()
			cmd := exec.Command(python, "-m", "pip", "install", "--disable-pip-version-check", "--no-index", "--find-links", dir,
				"--only-binary=:all:", "--platform", platform, "--python-version", "3.11", "--target", target, "djguard=="+py)
			cmd.Env = append(os.Environ(), "PIP_CONFIG_FILE=/dev/null")
			out, err := cmd.CombinedOutput()
			if wantTag == "" {
				if err == nil {
					t.Errorf("pip installed a wheel on %s, which djguard has none for:\n%s", platform, out)
				}
				return
			}
			if err != nil {
				t.Fatalf("pip install for %s: %v\n%s", platform, err, out)
			}
			if !strings.Contains(string(out), wheel{version: py, tag: wantTag}.fileName()) {
				t.Errorf("pip did not choose the %s wheel:\n%s", wantTag, out)
			}
			exe := "djguard"
			if strings.HasPrefix(platform, "win") {
				exe = "djguard.exe"
			}
			if info, err := os.Stat(filepath.Join(target, "bin", exe)); err != nil || info.Mode().Perm()&0o111 == 0 {
				t.Errorf("pip installed no executable bin/%s: %v", exe, err)
			}
		})
	}
}

// TestWheelInstallsTheBinaryItself installs the linux/amd64 wheel into a
// virtual environment, as pip install djguard does: djguard on the
// environment's PATH is the Go binary, not a Python launcher, and names
// its release and commit.
func TestWheelInstallsTheBinaryItself(t *testing.T) {
	dir := dist(t)
	version := distVersion(t, dir)
	py, _ := pythonVersion(version)
	venv := newVenv(t)
	whl := filepath.Join(dir, wheel{version: py, tag: targets[0].wheelTags[0]}.fileName())
	if out, err := exec.Command(filepath.Join(venv, "bin", "pip"), "install", "--disable-pip-version-check", "--no-index", whl).CombinedOutput(); err != nil {
		t.Fatalf("pip install: %v\n%s", err, out)
	}
	bin := filepath.Join(venv, "bin", "djguard")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\x7fELF")) {
		t.Errorf("%s is not the binary but starts %q", bin, data[:min(len(data), 40)])
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^djguard `+regexp.QuoteMeta(version)+`\n`).Match(out) || !strings.Contains(string(out), "commit: "+head(t)) {
		t.Errorf("djguard version: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "scan", "examples/demo")
	cmd.Dir = srcRoot(t)
	if out, err := cmd.CombinedOutput(); exitCode(err) != 1 {
		t.Errorf("djguard scan examples/demo exited %d, want 1:\n%.2000s", exitCode(err), out)
	}
}

// newVenv makes a Python virtual environment with pip.
func newVenv(t *testing.T) string {
	t.Helper()
	python := testenv.Tool(t, "python3")
	venv := filepath.Join(t.TempDir(), "venv")
	if out, err := exec.Command(python, "-m", "venv", venv).CombinedOutput(); err != nil {
		testenv.Missing(t, "DJGUARD_REQUIRE_TOOLS", "python3 -m venv: "+string(out))
	}
	return venv
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// TestPipxInstallsTheWheel installs the linux/amd64 wheel with pipx, as a
// user installs a command-line tool: djguard on pipx's PATH is the binary.
func TestPipxInstallsTheWheel(t *testing.T) {
	dir := dist(t)
	version := distVersion(t, dir)
	py, _ := pythonVersion(version)
	pipx := testenv.Tool(t, "pipx")
	home := t.TempDir()
	cmd := exec.Command(pipx, "install", filepath.Join(dir, wheel{version: py, tag: targets[0].wheelTags[0]}.fileName()))
	// Offline, pipx's upgrade of its own shared pip fails; it says so
	// and goes on.
	cmd.Env = append(os.Environ(), "PIPX_HOME="+filepath.Join(home, "pipx"), "PIPX_BIN_DIR="+filepath.Join(home, "bin"),
		"PIP_NO_INDEX=1", "PIP_CONFIG_FILE=/dev/null", "HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pipx install: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(home, "bin", "djguard"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "djguard "+version+"\n") {
		t.Errorf("djguard version after pipx install: %v\n%s", err, out)
	}
}
