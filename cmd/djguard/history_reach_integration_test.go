//go:build integration

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// Keys a clone holds where only git's less travelled ways reach them,
// made by git itself: scan --history finds each (exit 1), and verify
// --history calls the key leaked.
func TestHistoryFindsKeysEveryWayGitReachesThem(t *testing.T) {
	settings := func(key string) string { return "SECRET_KEY = '" + key + "'\n" }
	cases := []struct {
		name  string
		plant func(dir, key string)
	}{
		{"a stash entry older than a reflog line over 64 KiB", func(dir, key string) {
			writeIn(t, dir, "a", "b\n")
			testenv.Git(t, dir, "stash", "push", "-q", "-m", strings.Repeat("m", 70000))
			writeIn(t, dir, "settings.py", settings(key))
			testenv.Git(t, dir, "add", "settings.py")
			testenv.Git(t, dir, "stash", "push", "-q", "-m", "key")
			writeIn(t, dir, "a", "c\n")
			testenv.Git(t, dir, "stash", "push", "-q", "-m", "newest")
		}},
		{"a lightweight tag of a blob", func(dir, key string) {
			writeIn(t, dir, "blob", settings(key))
			testenv.Git(t, dir, "tag", "keyblob", strings.TrimSpace(testenv.Git(t, dir, "hash-object", "-w", "blob")))
			os.Remove(filepath.Join(dir, "blob"))
		}},
		{"an annotated tag of a blob", func(dir, key string) {
			writeIn(t, dir, "blob", settings(key))
			testenv.Git(t, dir, "tag", "-a", "-m", "t", "keyblob", strings.TrimSpace(testenv.Git(t, dir, "hash-object", "-w", "blob")))
			os.Remove(filepath.Join(dir, "blob"))
		}},
		{"a commit only 17 nested annotated tags reach", func(dir, key string) {
			testenv.Git(t, dir, "checkout", "-q", "--orphan", "side")
			writeIn(t, dir, "settings.py", settings(key))
			testenv.Git(t, dir, "add", "settings.py")
			testenv.Git(t, dir, "commit", "-qm", "key")
			testenv.Git(t, dir, "tag", "-a", "-m", "x", "t1", "side")
			for i := 2; i <= 17; i++ {
				testenv.Git(t, dir, "tag", "-a", "-m", "x", fmt.Sprint("t", i), fmt.Sprint("t", i-1))
				testenv.Git(t, dir, "tag", "-d", fmt.Sprint("t", i-1))
			}
			testenv.Git(t, dir, "checkout", "-q", "-f", "main")
			testenv.Git(t, dir, "branch", "-q", "-D", "side")
			testenv.Git(t, dir, "reflog", "expire", "--expire=now", "--all")
		}},
		{"a key in a commit message", func(dir, key string) {
			testenv.Git(t, dir, "commit", "-q", "--allow-empty", "-m", "temporarily set "+settings(key))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			key := testenv.FakeKey(c.name)
			testenv.Git(t, dir, "init", "-q", "-b", "main")
			writeIn(t, dir, "a", "a\n")
			testenv.Git(t, dir, "add", "a")
			testenv.Git(t, dir, "commit", "-qm", "init")
			c.plant(dir, key)
			if code, _, stderr := runCLI(t, dir, "scan", "--history", "--quiet"); code != exitFindings {
				t.Errorf("scan --history: exit %d, want 1\n%s", code, stderr)
			}
			code, out, stderr := verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": key}, "--history")
			if code != exitFindings || !strings.Contains(out, "LEAKED") {
				t.Errorf("verify --history: exit %d, want 1 and LEAKED\n%s%s", code, out, stderr)
			}
		})
	}
}

// A packed-refs file cut inside its header makes git refuse the
// repository; djguard's audits refuse it too (exit 2, saying why), rather
// than audit the no refs left.
func TestHistoryRefusesAPackedRefsCutShort(t *testing.T) {
	dir := t.TempDir()
	key := testenv.FakeKey("packed-refs")
	testenv.Git(t, dir, "init", "-q", "-b", "main")
	writeIn(t, dir, "settings.py", "SECRET_KEY = '"+key+"'\n")
	testenv.Git(t, dir, "add", "-A")
	testenv.Git(t, dir, "commit", "-qm", "key")
	testenv.Git(t, dir, "pack-refs", "--all")
	p := filepath.Join(dir, ".git", "packed-refs")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data[:44], 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, dir, "scan", "--history")
	if code != exitError || !strings.Contains(stderr, "packed-refs line 1 is cut short") {
		t.Errorf("scan --history: exit %d, want 2 naming packed-refs\n%s", code, stderr)
	}
	code, _, stderr = verifyWith(t, dir, map[string]string{"DJANGO_SECRET_KEY": testenv.FakeKey("fresh")}, "--history")
	if code != exitError || !strings.Contains(stderr, "packed-refs") {
		t.Errorf("verify --history: exit %d, want 2 naming packed-refs\n%s", code, stderr)
	}
}

func writeIn(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
