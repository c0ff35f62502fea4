//go:build integration

package source

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestScanStagedCostDoesNotGrowWithTheHistory: the same change staged in
// the same tree costs a staged scan the same memory whether the
// repository's pack holds a few objects or 150,000 more: the scan finds
// the objects it reads through the pack index in place, never loading it.
func TestScanStagedCostDoesNotGrowWithTheHistory(t *testing.T) {
	small := stagedRepoWithHistory(t, 0)
	big := stagedRepoWithHistory(t, 150000)
	largest := int64(0)
	idx, _ := filepath.Glob(filepath.Join(big, ".git", "objects", "pack", "pack-*.idx"))
	for _, p := range idx {
		if info, err := os.Stat(p); err == nil {
			largest = max(largest, info.Size())
		}
	}
	if largest < 4<<20 {
		t.Fatalf("the largest pack index, of %d bytes, is too small to tell", largest)
	}
	a, b := allocatedByScan(t, small), allocatedByScan(t, big)
	t.Logf("allocated by a staged scan: %d bytes with a small history, %d with 150,000 objects more", a, b)
	if b > a+a/4+64<<10 {
		t.Errorf("a staged scan allocates %d bytes with 150,000 objects more in the pack, %d without", b, a)
	}
}

// stagedRepoWithHistory makes a repository with a commit of a few files
// and, with extra > 0, a pack of that many more blobs no commit names
// (the weight of a long history), checks the commit out and stages a key
// in one file.
func stagedRepoWithHistory(t *testing.T, extra int) string {
	t.Helper()
	dir := t.TempDir()
	testenv.Git(t, dir, "init", "-q", "-b", "main")
	var in bytes.Buffer
	fmt.Fprintf(&in, "commit refs/heads/main\ncommitter Dev <dev@example.com> 1600000000 +0000\ndata 4\ntree\n")
	for i := range 20 {
		data := fmt.Sprintf("VALUE = %d\n", i)
		fmt.Fprintf(&in, "M 100644 inline app%d/module.py\ndata %d\n%s\n", i, len(data), data)
	}
	// Packed, as a clone is, even with so few objects.
	gitStdin(t, dir, &in, "-c", "fastimport.unpackLimit=0", "fast-import", "--quiet")
	if extra > 0 {
		gitStdin(t, dir, bytes.NewReader(blobPack(extra)), "index-pack", "--stdin")
	}
	testenv.Git(t, dir, "reset", "-q", "--hard")
	os.WriteFile(filepath.Join(dir, "app3", "module.py"), []byte(settingsWith(testenv.FakeKey("history"))), 0o644)
	testenv.Git(t, dir, "add", "app3/module.py")
	return dir
}

// gitStdin runs git in dir with standard input, isolated as testenv.Git
// runs it.
func gitStdin(t *testing.T, dir string, stdin io.Reader, args ...string) {
	t.Helper()
	cmd := exec.Command(testenv.Tool(t, "git"), args...)
	cmd.Dir, cmd.Stdin = dir, stdin
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "XDG_CONFIG_HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// blobPack returns a pack of n small blobs, each stored whole (git
// fast-import takes minutes over as many).
func blobPack(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("PACK")
	binary.Write(&buf, binary.BigEndian, [2]uint32{2, uint32(n)})
	zw := zlib.NewWriter(nil)
	for i := range n {
		data := fmt.Appendf(nil, "history blob %d\n", i)
		size := len(data)
		c := byte(3<<4) | byte(size&15) // type 3: a blob
		for size >>= 4; size > 0; size >>= 7 {
			buf.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
		}
		buf.WriteByte(c)
		zw.Reset(&buf)
		zw.Write(data)
		zw.Close()
	}
	sum := sha1.Sum(buf.Bytes())
	return append(buf.Bytes(), sum[:]...)
}

// allocatedByScan returns the bytes a staged scan of dir allocates, the
// least of a few runs.
func allocatedByScan(t *testing.T, dir string) uint64 {
	t.Helper()
	least := uint64(1 << 63)
	for range 3 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := ScanStaged(t.Context(), StagedOptions{Dir: dir})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 1 || res.Findings[0].Path != "app3/module.py" {
			t.Fatalf("%d findings, want the staged key", len(res.Findings))
		}
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}
