package mapfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestMapGivesTheFilesBytes(t *testing.T) {
	for _, content := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("djguard\n"), 10000)} {
		path := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		data, unmap, err := Map(f, int64(len(content)))
		f.Close() // the mapping outlives the file
		if err != nil {
			t.Fatalf("%d bytes: %v", len(content), err)
		}
		if !bytes.Equal(data, content) {
			t.Errorf("%d bytes: got %d bytes, not the file's", len(content), len(data))
		}
		if err := unmap(); err != nil {
			t.Error(err)
		}
	}
}

func TestReadRefusesWhatItCannotHold(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := read(f, -1); err == nil {
		t.Error("a negative size was read")
	}
	if _, _, err := read(f, MaxSize+1); err == nil {
		t.Error("a size over MaxSize was read")
	}
}
