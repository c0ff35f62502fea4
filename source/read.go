package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
)

// scanFiles reads and scans the files on up to opt.Workers goroutines.
func scanFiles(ctx context.Context, jobs []fileJob, opt TreeOptions, res *TreeResult) error {
	outcomes := make([]outcome, len(jobs))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(opt.Workers)
	for i, job := range jobs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if archive.FormatOf(job.abs) != archive.None {
				if o, ok := scanArchive(job, opt); ok {
					outcomes[i] = o
					return nil
				}
			}
			bufp := buffers.Get().(*[]byte)
			defer buffers.Put(bufp)
			content, binary, err := readFile(job.abs, job.size, opt.MaxFileSize, bufp)
			text, isText := AsText(content)
			switch {
			case errors.Is(err, errTooLarge):
				outcomes[i].notRead = &Skip{job.display, OverLimit(opt.MaxFileSize) + " (--max-file-size): it grew while being read"}
			case err != nil:
				outcomes[i].warning = &Skip{job.display, unwrapPathError(err).Error()}
			case binary || !isText:
				outcomes[i].notRead = &Skip{job.display, "binary"}
			default:
				content = text
				// A file has no Added lines to read, so scan cannot fail.
				// The detector keeps no part of content (findings hold
				// copies), so its buffer is reused for the next file.
				outcomes[i].findings, _ = Fragment{Path: job.display, Content: content}.Scan(opt.Detector, opt.Policy)
				outcomes[i].bytes = int64(len(content))
				outcomes[i].files = 1
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, o := range outcomes {
		if o.notRead != nil {
			res.NotRead = append(res.NotRead, *o.notRead)
		}
		if o.warning != nil {
			res.unread(*o.warning)
		}
		res.NotRead = append(res.NotRead, o.members...)
		res.Files += o.files
		res.Bytes += o.bytes
		res.Findings = append(res.Findings, o.findings...)
	}
	return nil
}

// outcome is what reading and scanning one file gave.
type outcome struct {
	findings []detect.Finding
	notRead  *Skip
	warning  *Skip
	members  []Skip // members of an archive not read
	files    int    // files scanned: 1, or an archive's members
	bytes    int64
}

var errTooLarge = errors.New("file over the size limit")

// buffers hold files' content while they are scanned, reused between
// files.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

// sniffFirst is the size from which a file is read in two steps: its first
// binarySniff bytes, which tell a binary file, then the rest of a text
// file. A smaller file is read at once.
const sniffFirst = 64 << 10

// readFile reads a whole file the walk saw at size bytes into *buf
// (grown as needed), refusing to read more than limit bytes even if the
// file grew since it was listed. A large file that is binary by its first
// binarySniff bytes (a NUL, and no byte-order mark that would make it
// UTF-16 or UTF-32 text) is left there: binary is set and content is nil.
func readFile(name string, size, limit int64, buf *[]byte) (content []byte, binary bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	// One byte more than expected, to see a file that grew.
	want := int(min(max(size, 0), limit)) + 1
	n := 0
	if size >= sniffFirst && want > binarySniff {
		if cap(*buf) < binarySniff {
			*buf = make([]byte, binarySniff)
		}
		n, err = io.ReadFull(f, (*buf)[:binarySniff])
		if err == nil && !hasByteOrderMark((*buf)[:n]) && IsBinary((*buf)[:n]) {
			return nil, true, nil
		}
	}
	if cap(*buf) < want {
		grown := make([]byte, want)
		copy(grown, (*buf)[:n])
		*buf = grown
	}
	b := (*buf)[:want]
	if err == nil {
		var m int
		m, err = io.ReadFull(f, b[n:])
		n += m
	}
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return b[:n], false, nil // as large as listed, or smaller
	case err != nil:
		return nil, false, err
	}
	// Larger than listed: read on, up to the limit.
	rest, err := io.ReadAll(io.LimitReader(f, limit+1-int64(n)))
	if err != nil {
		return nil, false, err
	}
	if int64(n+len(rest)) > limit {
		return nil, false, errTooLarge
	}
	*buf = append(b, rest...)
	return *buf, false, nil
}

// hasByteOrderMark reports whether b starts with a byte-order mark that
// makes it UTF-16 or UTF-32 text to AsText.
func hasByteOrderMark(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF})
}
