package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

func TestBaselineRoundTripAndApply(t *testing.T) {
	k1, k2, k3 := testenv.FakeKey("b1"), testenv.FakeKey("b2"), testenv.FakeKey("b3")
	old := append(detect.Detect("settings.py", []byte("SECRET_KEY = '"+k1+"'\n")),
		detect.Detect(".env", []byte("DJANGO_SECRET_KEY="+k2+"\nSECRET_KEY="+k1+"\n"))...)
	b := New(old)
	if len(b.Entries) != 2 {
		t.Fatalf("%d entries for 2 distinct secrets", len(b.Entries))
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{k1, k2} {
		if strings.Contains(buf.String(), k) {
			t.Fatal("the baseline holds a secret")
		}
	}
	p := filepath.Join(t.TempDir(), "baseline.json")
	os.WriteFile(p, buf.Bytes(), 0o644)
	loaded, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	// Today: k1 moved to another file, k2 is gone, k3 is new.
	now := append(detect.Detect("mysite/settings.py", []byte("SECRET_KEY = '"+k1+"'\n")),
		detect.Detect("deploy.env", []byte("DJANGO_SECRET_KEY="+k3+"\n"))...)
	kept, n, stale := loaded.Apply(now)
	if len(kept) != 1 || kept[0].Secret != k3 || n != 1 || len(stale) != 1 || stale[0].Fingerprint != detect.Fingerprint(k2) {
		t.Errorf("kept %d, baselined %d, stale %d", len(kept), n, len(stale))
	}
}

func TestLoadRefusesWhatItDoesNotUnderstand(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not json":        "hello",
		"other version":   `{"version": 2, "entries": []}`,
		"bad fingerprint": `{"version": 1, "entries": [{"fingerprint": "changeme"}]}`,
	} {
		p := filepath.Join(dir, "b.json")
		os.WriteFile(p, []byte(content), 0o644)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
