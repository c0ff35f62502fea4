package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"
)

// entry is one file of an archive.
type entry struct {
	name string
	mode fs.FileMode
	data []byte
}

// archiveEntries are what a target's archive holds, in order: the binary,
// then the docs, all in one directory named as the archive.
func archiveEntries(t target, version string, exe []byte, text map[string][]byte) (dir string, entries []entry) {
	dir = t.archiveBase(version)
	entries = append(entries, entry{dir + "/" + t.exe(), 0o755, exe})
	for _, name := range docs {
		entries = append(entries, entry{dir + "/" + name, 0o644, text[name]})
	}
	return dir, entries
}

// writeArchive writes t's archive into out: .zip for Windows, where it is
// the format every tool opens, .tar.gz elsewhere, keeping the binary's
// mode.
func writeArchive(out string, t target, version string, exe []byte, text map[string][]byte, mtime time.Time) (string, error) {
	dir, entries := archiveEntries(t, version, exe, text)
	var data []byte
	var err error
	name := dir + ".tar.gz"
	if t.goos == "windows" {
		name = dir + ".zip"
		data, err = zipBytes(dir, entries, mtime)
	} else {
		data, err = tarGzBytes(dir, entries, mtime)
	}
	if err != nil {
		return "", fmt.Errorf("pack %s: %w", name, err)
	}
	return name, writeNew(filepath.Join(out, name), data)
}

// tarGzBytes packs entries under dir. Owner, group and time are fixed and
// the gzip header names no file and no time, so the bytes depend on the
// content alone.
func tarGzBytes(dir string, entries []entry, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	hdr := func(name string, mode fs.FileMode, size int64, kind byte) *tar.Header {
		return &tar.Header{Typeflag: kind, Name: name, Mode: int64(mode), Size: size,
			ModTime: mtime, Uname: "root", Gname: "root", Format: tar.FormatUSTAR}
	}
	if err := tw.WriteHeader(hdr(dir+"/", 0o755, 0, tar.TypeDir)); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := tw.WriteHeader(hdr(e.name, e.mode, int64(len(e.data)), tar.TypeReg)); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// zipBytes packs entries, under dir when it is not empty (a wheel's
// entries stand at its root). Every entry has the same time and a Unix
// mode, which pip and unzip honour.
func zipBytes(dir string, entries []entry, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if dir != "" {
		h := &zip.FileHeader{Name: dir + "/", Method: zip.Store, Modified: mtime}
		h.SetMode(fs.ModeDir | 0o755)
		if _, err := zw.CreateHeader(h); err != nil {
			return nil, err
		}
	}
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
