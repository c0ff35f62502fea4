package source

import (
	"context"
	"errors"
	"io"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/djguard/djguard/detect"
)

// scanFiles reads and scans the files on up to opt.Workers goroutines.
func scanFiles(ctx context.Context, jobs []fileJob, opt TreeOptions, res *TreeResult) error {
	type outcome struct {
		findings []detect.Finding
		notRead  *Skip
		warning  *Skip
		bytes    int64
	}
	outcomes := make([]outcome, len(jobs))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(opt.Workers)
	for i, job := range jobs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			content, err := readLimited(job.abs, opt.MaxFileSize)
			text, isText := AsText(content)
			switch {
			case errors.Is(err, errTooLarge):
				outcomes[i].notRead = &Skip{job.display, OverLimit(opt.MaxFileSize) + " (--max-file-size): it grew while being read"}
			case err != nil:
				outcomes[i].warning = &Skip{job.display, unwrapPathError(err).Error()}
			case !isText:
				outcomes[i].notRead = &Skip{job.display, "binary"}
			default:
				content = text
				// A file has no Added lines to read, so scan cannot fail.
				outcomes[i].findings, _ = Fragment{Path: job.display, Content: content}.Scan(opt.Detector, opt.Policy)
				outcomes[i].bytes = int64(len(content))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, o := range outcomes {
		switch {
		case o.notRead != nil:
			res.NotRead = append(res.NotRead, *o.notRead)
		case o.warning != nil:
			res.unread(*o.warning)
		default:
			res.Files++
			res.Bytes += o.bytes
			res.Findings = append(res.Findings, o.findings...)
		}
	}
	return nil
}

var errTooLarge = errors.New("file over the size limit")

// readLimited reads a whole file, refusing to read more than limit bytes
// even if the file grew since it was listed.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}
