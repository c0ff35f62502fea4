package source

import (
	"fmt"
	"io"
	"path/filepath"
)

// StdinName is what findings in standard input are reported under when
// the user gives it no name.
const StdinName = "(standard input)"

// ScanReader scans what r holds as one file (djguard scan -, an editor or
// a script piping a buffer in). name, when given, is the path the content
// stands for, relative to opt.Dir: it tells the detector the file's syntax
// (settings.py, .env, a notebook) and the policy whether it is excluded.
// Content over opt.MaxFileSize, or binary, is not scanned: the result
// lists it as not read, as a file of a tree would be.
func ScanReader(r io.Reader, name string, opt TreeOptions) (*TreeResult, error) {
	opt.MaxFileSize = MaxSize(opt.MaxFileSize)
	res := &TreeResult{}
	display := StdinName
	if name != "" {
		display = filepath.ToSlash(filepath.Clean(name))
		abs := name
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(opt.Dir, name)
		}
		if opt.Policy.Excluded(abs) {
			res.Skipped = append(res.Skipped, Skip{display, "excluded by the configuration"})
			return res, nil
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, opt.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	// The rest of an oversized stream is not read: it may never end.
	if int64(len(data)) > opt.MaxFileSize {
		res.NotRead = append(res.NotRead, Skip{display, OverLimit(opt.MaxFileSize) + " (--max-file-size)"})
		return res, nil
	}
	text, ok := AsText(data)
	if !ok {
		res.NotRead = append(res.NotRead, Skip{display, "binary"})
		return res, nil
	}
	found, err := Fragment{Path: display, Content: text}.Scan(opt.Detector, opt.Policy)
	if err != nil {
		return nil, err
	}
	res.Findings, res.Files, res.Bytes = found, 1, int64(len(data))
	SortFindings(res.Findings)
	return res, nil
}
