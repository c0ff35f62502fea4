package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const fp = "0123456789abcdef0123456789abcdef"

func TestLoadReadsBothFiles(t *testing.T) {
	dir := t.TempDir()
	py := write(t, dir, "pyproject.toml", `[project]
name = "mysite"
dependencies = ["django>=5"]

[tool.ruff]
line-length = 100

[tool.djguard]
exclude = ["tests/fixtures/", "*.ipynb"]
extra-names = ["MYAPP_SIGNING_KEY"]
fail-on = "low"
max-file-size = "2MB"
allow = ["`+fp+`"]
baseline = ".djguard-baseline.json"
`)
	c, err := Load(py)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exclude) != 2 || c.ExtraNames[0] != "MYAPP_SIGNING_KEY" || c.FailOn != "low" || c.MaxFileSize != 2<<20 ||
		c.Allow[0] != fp || c.Baseline != filepath.Join(dir, ".djguard-baseline.json") || !c.Set["fail-on"] || c.Set["nothing"] {
		t.Errorf("pyproject: %+v", c)
	}
	dj := write(t, dir, ".djguard.toml", "fail-on = \"never\"\nmax-file-size = 4096\n")
	c, err = Load(dj)
	if err != nil || c.FailOn != "never" || c.MaxFileSize != 4096 || c.Set["exclude"] {
		t.Errorf(".djguard.toml: %+v, %v", c, err)
	}
	none := write(t, t.TempDir(), "pyproject.toml", "[tool.black]\nline-length = 88\n")
	if c, err := Load(none); c != nil || err != nil {
		t.Errorf("a pyproject.toml without [tool.djguard]: %+v, %v", c, err)
	}
}

func TestLoadNamesFileLineAndKeyOfEveryError(t *testing.T) {
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"unknown key", ".djguard.toml", "fail-on = \"high\"\nexlcude = [\"x\"]\n", ".djguard.toml:2: key exlcude: unknown key"},
		{"unknown key in the table", "pyproject.toml", "[tool.ruff]\nselect = [\"E\"]\n\n[tool.djguard]\nfail-on = \"high\"\nbasline = \"b.json\"\n", "pyproject.toml:6: key tool.djguard.basline: unknown key"},
		{"bad fail-on", ".djguard.toml", "\n\nfail-on = \"medium\"\n", ".djguard.toml:3: key fail-on: \"medium\": want high, low or never"},
		{"bad fail-on in the table", "pyproject.toml", "[project]\nname = \"x\"\n[tool.djguard]\nfail-on = \"sometimes\"\n", "pyproject.toml:4: key fail-on"},
		{"bad size", ".djguard.toml", "max-file-size = \"lots\"\n", ".djguard.toml:1: key max-file-size: \"lots\""},
		{"negative size", ".djguard.toml", "max-file-size = -5\n", ".djguard.toml:1: key max-file-size"},
		{"bad fingerprint", ".djguard.toml", "allow = [\"changeme\"]\n", ".djguard.toml:1: key allow: entry 1 (8 characters) is not a djguard fingerprint"},
		{"bad name", ".djguard.toml", "extra-names = [\"MY KEY\"]\n", ".djguard.toml:1: key extra-names"},
		{"wrong type", ".djguard.toml", "exclude = \"tests/\"\n", ".djguard.toml:1: key exclude"},
		{"malformed", ".djguard.toml", "fail-on = \"high\"\nexclude = [\"x\"\n", ".djguard.toml:2"},
	} {
		p := write(t, t.TempDir(), tc.file, tc.content)
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p) {
			t.Errorf("%s: err = %v, want it to start with the path and hold %q", tc.name, err, tc.want)
		}
		if tc.name == "bad fingerprint" && strings.Contains(err.Error(), "changeme") {
			t.Error("the error echoes the value given for a fingerprint")
		}
	}
}

func TestFindWalksUpToTheRepositoryRoot(t *testing.T) {
	root := t.TempDir()
	write(t, root, "pyproject.toml", "[tool.djguard]\nfail-on = \"low\"\n")
	write(t, root, "app/pyproject.toml", "[tool.black]\nline-length = 88\n")
	sub := filepath.Join(root, "app", "deep")
	os.MkdirAll(sub, 0o755)
	c, err := Find(sub, root)
	if err != nil || c == nil || c.FailOn != "low" {
		t.Fatalf("Find from a subdirectory: %+v, %v", c, err)
	}
	write(t, root, "app/.djguard.toml", "fail-on = \"never\"\n")
	if c, _ := Find(sub, root); c == nil || c.FailOn != "never" {
		t.Errorf("the nearest file does not win: %+v", c)
	}
	// Nothing above the stop directory is read.
	if c, err := Find(filepath.Join(root, "app", "deep"), filepath.Join(root, "app", "deep")); c != nil || err != nil {
		t.Errorf("Find read above its stop: %+v, %v", c, err)
	}
}

func TestExcluderMatchesRelativeToTheFile(t *testing.T) {
	root := t.TempDir()
	p := write(t, root, ".djguard.toml", "exclude = [\"**/testdata/\", \"examples/demo/\", \"*_test.go\"]\n")
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Excluder()
	for path, want := range map[string]bool{
		"detect/testdata/":      true,
		"detect/testdata/x.txt": true,
		"examples/demo/":        true,
		"examples/other.py":     false,
		"detect/detect_test.go": true,
		"detect/detect.go":      false,
	} {
		abs := filepath.Join(root, filepath.FromSlash(path))
		if strings.HasSuffix(path, "/") {
			abs += string(filepath.Separator)
		}
		if got := ex(abs); got != want {
			t.Errorf("exclude %s = %v, want %v", path, got, want)
		}
	}
	if ex(filepath.Join(filepath.Dir(root), "elsewhere", "x_test.go")) {
		t.Error("a path outside the configuration's directory was excluded")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"10MB": 10 << 20, "512kb": 512 << 10, "1G": 1 << 30, "4096": 4096, " 7 B ": 7} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "lots", "-1MB", "0", "99999999999999999999G"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
