package action_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// fakeDjguard stands in for a release's binary.
const fakeDjguard = "#!/bin/sh\nif [ \"$1\" = version ]; then echo 'djguard v0.1.0-test'; fi\n"

// The release most fixtures stand for, on the runner the tests pretend to
// be (Linux, X64).
const (
	testVersion = "v0.1.0"
	testDir     = "djguard-" + testVersion + "-linux-amd64"
	testArchive = testDir + ".tar.gz"
)

const (
	releasedChangelog   = "# Changelog\n\n## v0.1.0 — 2026-12-04\n\n- First release.\n\n## v0.0.9 (2026-11-01)\n"
	unreleasedChangelog = "# Changelog\n\n## Unreleased\n\n- Work in progress.\n\n## v0.1.0 — 2026-12-04\n"
)

// tarEntry is one file or directory in a test archive.
type tarEntry struct {
	name string
	body string // a directory when name ends in '/'
	mode int64
}

// goodEntries is what the archive of testVersion holds.
func goodEntries() []tarEntry { return entriesOf(testDir) }

// entriesOf is what a release archive holds under its directory dir.
func entriesOf(dir string) []tarEntry {
	return []tarEntry{
		{name: dir + "/", mode: 0o755},
		{name: dir + "/djguard", body: fakeDjguard, mode: 0o755},
		{name: dir + "/LICENSE", body: "license\n", mode: 0o644},
		{name: dir + "/README.md", body: "# djguard\n", mode: 0o644},
		{name: dir + "/CHANGELOG.md", body: releasedChangelog, mode: 0o644},
	}
}

func tarGz(t *testing.T, entries []tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: e.mode, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// writeRelease writes <root>/v0.1.0/: the archive and a SHA256SUMS that
// lists it (when listed) beside another platform's archive, as sha256sum
// writes it.
func writeRelease(t *testing.T, root string, archive []byte, listed bool) {
	t.Helper()
	writeVersion(t, root, testVersion, archive, listed)
}

func writeVersion(t *testing.T, root, version string, archive []byte, listed bool) {
	t.Helper()
	dir := filepath.Join(root, version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := "djguard-" + version + "-linux-amd64.tar.gz"
	sums := sha256Hex([]byte("another platform")) + "  djguard-" + version + "-darwin-arm64.tar.gz\n"
	if listed {
		sums += sha256Hex(archive) + "  " + name + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), archive, 0o644); err != nil {
		t.Fatal(err)
	}
}

// release builds the release a case downloads and returns what the
// script's error output must then say.
type release func(t *testing.T, root string) (wantStderr []string)

func goodRelease(t *testing.T, root string) []string {
	writeRelease(t, root, tarGz(t, goodEntries()), true)
	return nil
}

func tamperedRelease(t *testing.T, root string) []string {
	archive := tarGz(t, goodEntries())
	writeRelease(t, root, archive, true)
	want := sha256Hex(archive)
	archive[len(archive)/2] ^= 0x01
	if err := os.WriteFile(filepath.Join(root, testVersion, testArchive), archive, 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"expected " + want, "got " + sha256Hex(archive)}
}

func unlistedRelease(t *testing.T, root string) []string {
	writeRelease(t, root, tarGz(t, goodEntries()), false)
	return []string{"not listed"}
}

// escapingRelease is a release whose archive, listed with its right
// digest, also holds the entry name.
func escapingRelease(name string) release {
	return func(t *testing.T, root string) []string {
		writeRelease(t, root, tarGz(t, append(goodEntries(), tarEntry{name: name, body: "evil\n", mode: 0o644})), true)
		return []string{name}
	}
}

func TestInstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fixture binary is a shell script")
	}
	bash := testenv.Tool(t, "bash")
	testenv.Tool(t, "curl")
	testenv.Tool(t, "tar")
	if _, err := exec.LookPath("shasum"); err != nil {
		testenv.Tool(t, "sha256sum") // macOS has shasum instead, which the script uses
	}
	script, err := filepath.Abs("install.sh")
	if err != nil {
		t.Fatal(err)
	}
	// Read once so that go test's cache knows the result depends on it:
	// it does not follow what a test runs.
	if _, err := os.ReadFile(script); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name      string
		changelog string // the fixture CHANGELOG.md; "-" for none
		version   string // DJGUARD_VERSION, the action's version input
		arch      string // RUNNER_ARCH; "" is X64
		release   release
		// stale puts a binary in RUNNER_TEMP/djguard-bin first, as an
		// earlier run of the action in the same job would.
		stale    bool
		wantCode int
		// wantOutput is what $GITHUB_OUTPUT must hold: the path is under RUNNER_TEMP.
		wantOutput string
		// wantDownload is whether the script may ask the server for anything.
		wantDownload bool
		wantStderr   string
	}{
		{
			name:      "a good archive whose digest matches SHA256SUMS is installed and its version printed",
			changelog: releasedChangelog, release: goodRelease,
			wantOutput: "build=release\npath=BIN\n", wantDownload: true,
		},
		{
			name:      "a listed archive whose binary does not run here is refused, nothing installed",
			changelog: releasedChangelog,
			release: func(t *testing.T, root string) []string {
				entries := goodEntries()
				entries[1].body = "\x7fELF not a program for this machine"
				writeRelease(t, root, tarGz(t, entries), true)
				return []string{"does not run here"}
			},
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "a release candidate heading with a parenthesised date downloads that version",
			changelog: "# Changelog\n\n## v0.1.0-rc.2 (2026-12-01)\n\n## v0.0.9\n",
			release: func(t *testing.T, root string) []string {
				// Only the candidate is on the server.
				writeVersion(t, root, "v0.1.0-rc.2", tarGz(t, entriesOf("djguard-v0.1.0-rc.2-linux-amd64")), true)
				return nil
			},
			wantOutput: "build=release\npath=BIN\n", wantDownload: true,
		},
		{
			name:      "the version input names a release even when the changelog says unreleased",
			changelog: unreleasedChangelog, version: testVersion, release: goodRelease,
			wantOutput: "build=release\npath=BIN\n", wantDownload: true,
		},
		{
			name:      "a tampered archive is refused and nothing is installed",
			changelog: releasedChangelog, release: tamperedRelease,
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "a refused archive leaves no binary an earlier run installed",
			changelog: releasedChangelog, release: tamperedRelease, stale: true,
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "an archive missing from SHA256SUMS is refused",
			changelog: releasedChangelog, release: unlistedRelease,
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "an archive with a ../evil entry is refused",
			changelog: releasedChangelog, release: escapingRelease("../evil"),
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "an archive with a .. inside its directory is refused",
			changelog: releasedChangelog, release: escapingRelease(testDir + "/../evil"),
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "an archive with an absolute path is refused",
			changelog: releasedChangelog, release: escapingRelease("/tmp/djguard-test-evil"),
			wantCode: 2, wantDownload: true,
		},
		{
			name:      "an unreleased changelog asks for a source build and downloads nothing",
			changelog: unreleasedChangelog, release: goodRelease,
			wantOutput: "build=source\npath=BIN\n",
		},
		{
			name:      "a checkout without a changelog asks for a source build",
			changelog: "-", release: goodRelease,
			wantOutput: "build=source\npath=BIN\n",
		},
		{
			name:      "a changelog without a version heading exits 2",
			changelog: "# Changelog\n\nNothing yet.\n", release: goodRelease,
			wantCode: 2, wantStderr: "no '## ' heading",
		},
		{
			name:      "the version input source asks for a source build and downloads nothing",
			changelog: releasedChangelog, version: "source", release: goodRelease,
			wantOutput: "build=source\npath=BIN\n",
		},
		{
			name:      "an unknown runner architecture exits 2",
			changelog: releasedChangelog, arch: "ARM", release: goodRelease,
			wantCode: 2, wantStderr: "RUNNER_ARCH 'ARM'",
		},
		{
			name:      "a changelog heading that names no version exits 2",
			changelog: "## 0.1.0\n", release: goodRelease,
			wantCode: 2, wantStderr: "'## 0.1.0'",
		},
		{
			name:      "a version input that is not a version exits 2",
			changelog: releasedChangelog, version: "v1/../../x", release: goodRelease,
			wantCode: 2, wantStderr: "version must be",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			wantStderr := tc.release(t, root)
			if tc.wantStderr != "" {
				wantStderr = append(wantStderr, tc.wantStderr)
			}
			var requests atomic.Int64
			files := http.FileServer(http.Dir(root))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				files.ServeHTTP(w, r)
			}))
			defer srv.Close()

			actionPath, runnerTemp := t.TempDir(), t.TempDir()
			if tc.changelog != "-" { // "-": none
				if err := os.WriteFile(filepath.Join(actionPath, "CHANGELOG.md"), []byte(tc.changelog), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			output := filepath.Join(runnerTemp, "github-output")
			bin := filepath.Join(runnerTemp, "djguard-bin", "djguard")
			if tc.stale {
				if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(bin, []byte(fakeDjguard), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			arch := tc.arch
			if arch == "" {
				arch = "X64"
			}
			cmd := exec.Command(bash, script)
			// Only what the script is meant to see: no proxy settings, no
			// .curlrc, no GITHUB_OUTPUT of a real runner.
			cmd.Env = []string{
				"PATH=" + os.Getenv("PATH"),
				"HOME=" + t.TempDir(),
				"GITHUB_ACTION_PATH=" + actionPath,
				"RUNNER_TEMP=" + runnerTemp,
				"GITHUB_OUTPUT=" + output,
				"RUNNER_OS=Linux",
				"RUNNER_ARCH=" + arch,
				"DJGUARD_VERSION=" + tc.version,
				"DJGUARD_RELEASE_URL=" + srv.URL,
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			report := fmt.Sprintf("stdout:\n%s\nstderr:\n%s", &stdout, &stderr)

			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tc.wantCode, report)
			}
			for _, s := range wantStderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr does not say %q\n%s", s, report)
				}
			}
			if n := requests.Load(); tc.wantDownload != (n > 0) {
				t.Errorf("%d requests to the release server, want a download: %v", n, tc.wantDownload)
			}

			got, _ := os.ReadFile(output)
			if want := strings.ReplaceAll(tc.wantOutput, "BIN", bin); string(got) != want {
				t.Errorf("GITHUB_OUTPUT holds %q, want %q\n%s", got, want, report)
			}
			installed := tc.wantCode == 0 && strings.Contains(tc.wantOutput, "build=release")
			if _, err := os.Stat(bin); installed != (err == nil) {
				t.Errorf("binary installed at %s: %v, want %v\n%s", bin, err == nil, installed, report)
			}
			if installed && !strings.Contains(stdout.String(), "djguard v0.1.0-test") {
				t.Errorf("the installed djguard's version is not printed\n%s", report)
			}
			// Nothing but the (possibly empty) install directory and the
			// outputs file is left in RUNNER_TEMP: the download is cleaned
			// up and no entry escaped.
			leftovers, _ := os.ReadDir(runnerTemp)
			for _, e := range leftovers {
				if e.Name() != "djguard-bin" && e.Name() != "github-output" {
					t.Errorf("RUNNER_TEMP holds %s after the script", e.Name())
				}
			}
		})
	}
}

// usesLine finds a step's 'uses:' and what it names.
var usesLine = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)

// pinnedBySHA is owner/repo[/path]@<40 hex>, with a '# vX' comment naming
// the release the commit is.
var pinnedBySHA = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

// unpinned returns the 'uses:' lines of an action or workflow whose
// action is not pinned by a full commit SHA with its version in a comment,
// and how many 'uses:' lines it read.
func unpinned(yaml string) (bad []string, n int) {
	for _, line := range strings.Split(yaml, "\n") {
		m := usesLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		if !pinnedBySHA.MatchString(m[1]) || !regexp.MustCompile(`^\s+#\s*v\d`).MatchString(m[2]) {
			bad = append(bad, strings.TrimSpace(line))
		}
	}
	return bad, n
}

func TestUnpinnedFindsTagsAndBranches(t *testing.T) {
	sha := "40f1582b2485089dde7abd97c1529aa768e1baff"
	yaml := strings.Join([]string{
		"    - uses: actions/setup-go@v5",
		"      uses: actions/checkout@main # v4",
		"    - uses: actions/setup-go@" + sha[:7] + " # v5.6.0",
		"    - uses: actions/setup-go@" + sha,
		"    - uses: actions/setup-go@" + sha + " # v5.6.0",
		"    - uses: github/codeql-action/upload-sarif@" + sha + " # v3.1.0",
	}, "\n")
	bad, n := unpinned(yaml)
	if n != 6 || len(bad) != 4 {
		t.Errorf("read %d uses lines, found %d unpinned, want 6 and 4: %q", n, len(bad), bad)
	}
}

func TestActionPinsEveryActionBySHA(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	bad, n := unpinned(string(data))
	if n == 0 {
		t.Fatal("action.yml has no uses: line; the test no longer reads it right")
	}
	for _, line := range bad {
		t.Errorf("action.yml does not pin by a full commit SHA with its version in a comment: %s", line)
	}
}

// TestInstallsARealRelease serves the release make dist built
// (DJGUARD_DIST, as CI sets it) and runs the script on it: the archive
// names and layout the action expects are the ones the release makes, and
// the binary it installs runs and names that release.
func TestInstallsARealRelease(t *testing.T) {
	dist := os.Getenv("DJGUARD_DIST")
	if dist == "" || runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("set DJGUARD_DIST to a make dist directory (linux/amd64) to run this")
	}
	bash := testenv.Tool(t, "bash")
	testenv.Tool(t, "curl")
	m, _ := filepath.Glob(filepath.Join(dist, "djguard-v*-linux-amd64.tar.gz"))
	if len(m) != 1 {
		t.Fatalf("%s holds %d linux-amd64 archives, want 1", dist, len(m))
	}
	version := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m[0]), "djguard-"), "-linux-amd64.tar.gz")
	srv := httptest.NewServer(http.StripPrefix("/"+version, http.FileServer(http.Dir(dist))))
	defer srv.Close()

	actionPath, runnerTemp := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(actionPath, "CHANGELOG.md"), []byte("# Changelog\n\n## "+version+" — 2026-12-04\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, "install.sh")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GITHUB_ACTION_PATH=" + actionPath,
		"RUNNER_TEMP=" + runnerTemp, "GITHUB_OUTPUT=" + filepath.Join(runnerTemp, "github-output"),
		"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "DJGUARD_RELEASE_URL=" + srv.URL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "djguard "+version+"\n") {
		t.Errorf("install.sh did not print the installed djguard's version %s:\n%s", version, out)
	}
	if got, err := exec.Command(filepath.Join(runnerTemp, "djguard-bin", "djguard"), "version").Output(); err != nil || !strings.HasPrefix(string(got), "djguard "+version+"\n") {
		t.Errorf("the installed djguard: %v\n%s", err, got)
	}
}
