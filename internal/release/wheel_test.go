package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestPythonVersionFollowsPEP440(t *testing.T) {
	for in, want := range map[string]string{
		"v0.1.0":         "0.1.0",
		"v0.1.0-rc.1":    "0.1.0rc1",
		"v1.12.3-beta.2": "1.12.3b2",
		"v2.0.0-alpha.0": "2.0.0a0",
	} {
		if got, err := pythonVersion(in); err != nil || got != want {
			t.Errorf("pythonVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0.1.0", "v0.1", "v0.1.0-rc1", "v01.0.0", "v0.1.0-dev.1", "v0.1.0+meta", "v0.1.0/../x"} {
		if got, err := pythonVersion(bad); err == nil {
			t.Errorf("pythonVersion(%q) = %q, want an error", bad, got)
		}
	}
}

// readZip returns a zip's entries by name, in order.
func readZip(t *testing.T, data []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	content := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		content[f.Name] = b
	}
	return zr.File, content
}

func testWheel() wheel {
	return wheel{version: "0.1.0rc1", release: "v0.1.0-rc.1", tag: "manylinux_2_17_x86_64.manylinux2014_x86_64", exeName: "djguard",
		exe:  []byte("\x7fELF not really"),
		docs: map[string][]byte{"LICENSE": []byte("Apache License\n"), "README.md": []byte("# djguard\n\nLong description, [the commands](docs/commands.md#scan) and [the site](https://example.com/x.md).\n"), "CHANGELOG.md": []byte("## v0.1.0\n")}}
}

func TestWheelHoldsTheBinaryAsAScriptWithARecordThatMatches(t *testing.T) {
	w := testWheel()
	if got, want := w.fileName(), "djguard-0.1.0rc1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"; got != want {
		t.Errorf("file name %q, want %q", got, want)
	}
	data, err := zipBytes("", w.entries(), time.Date(2026, 12, 4, 1, 2, 3, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	files, content := readZip(t, data)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	wantNames := []string{
		"djguard-0.1.0rc1.data/scripts/djguard",
		"djguard-0.1.0rc1.dist-info/METADATA",
		"djguard-0.1.0rc1.dist-info/WHEEL",
		"djguard-0.1.0rc1.dist-info/licenses/LICENSE",
		"djguard-0.1.0rc1.dist-info/RECORD",
	}
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Fatalf("entries:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	}
	if mode := files[0].Mode(); mode.Perm() != 0o755 {
		t.Errorf("the script's mode is %v, want 0755: pip would install a binary it cannot run", mode)
	}
	if !bytes.Equal(content[wantNames[0]], w.exe) {
		t.Error("the script is not the binary byte for byte")
	}

	// Every entry but RECORD is in RECORD with its SHA-256 and size.
	record := string(content["djguard-0.1.0rc1.dist-info/RECORD"])
	for _, name := range wantNames[:4] {
		sum := sha256.Sum256(content[name])
		line := fmt.Sprintf("%s,sha256=%s,%d\n", name, base64.RawURLEncoding.EncodeToString(sum[:]), len(content[name]))
		if !strings.Contains(record, line) {
			t.Errorf("RECORD lacks %q:\n%s", line, record)
		}
	}
	if !strings.HasSuffix(record, "djguard-0.1.0rc1.dist-info/RECORD,,\n") {
		t.Errorf("RECORD does not end with its own line:\n%s", record)
	}

	wheelFile := string(content["djguard-0.1.0rc1.dist-info/WHEEL"])
	for _, want := range []string{"Wheel-Version: 1.0\n", "Root-Is-Purelib: false\n", "Tag: py3-none-manylinux_2_17_x86_64\n", "Tag: py3-none-manylinux2014_x86_64\n"} {
		if !strings.Contains(wheelFile, want) {
			t.Errorf("WHEEL lacks %q:\n%s", want, wheelFile)
		}
	}
	meta := string(content["djguard-0.1.0rc1.dist-info/METADATA"])
	for _, want := range []string{"Name: djguard\n", "Version: 0.1.0rc1\n", "Requires-Python: >=3.8\n", "License-Expression: Apache-2.0\n", "License-File: LICENSE\n", "Description-Content-Type: text/markdown\n",
		"\n\n# djguard\n\nLong description, [the commands](https://github.com/djguard/djguard/blob/v0.1.0-rc.1/docs/commands.md#scan) and [the site](https://example.com/x.md).\n"} {
		if !strings.Contains(meta, want) {
			t.Errorf("METADATA lacks %q:\n%s", want, meta)
		}
	}
}

func TestArchivesAreTheSameBytesForTheSameInput(t *testing.T) {
	tgt := targets[0]
	w := testWheel()
	stamp := time.Date(2026, 12, 4, 1, 2, 3, 0, time.UTC)
	dir, entries := archiveEntries(tgt, "v0.1.0", w.exe, w.docs)
	for name, pack := range map[string]func(string, []entry, time.Time) ([]byte, error){"tar.gz": tarGzBytes, "zip": zipBytes} {
		a, errA := pack(dir, entries, stamp)
		b, errB := pack(dir, entries, stamp)
		c, errC := pack(dir, entries, stamp.Add(time.Second))
		if errA != nil || errB != nil || errC != nil {
			t.Fatal(errA, errB, errC)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two packs of the same entries differ", name)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: the time is not in the archive: this test would not see it change", name)
		}
	}
}
