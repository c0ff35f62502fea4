package source

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/containerimage"
	"github.com/djguard/djguard/detect"
)

// ImageConfigPath is the file a finding in an image's config stands in,
// after the image's own path and "!/".
const ImageConfigPath = "config.json"

// ScanImage scans a container image on disk (package containerimage):
// each platform's config, then every file of every layer, each as a file
// of a tree would be. A finding's Path is the image's path, "!/", and the
// file in the layer (or config.json); its Image says which layer and
// step, or which config field, and whether a later layer deletes the
// file. name is taken from opt.Dir, and findings are reported under it
// as given.
func ScanImage(ctx context.Context, name string, opt TreeOptions) (*TreeResult, error) {
	opt.MaxFileSize = MaxSize(opt.MaxFileSize)
	open := name
	if !filepath.IsAbs(open) && opt.Dir != "" {
		open = filepath.Join(opt.Dir, open)
	}
	im, err := containerimage.Open(open)
	if err != nil {
		return nil, err
	}
	defer im.Close()
	res := &TreeResult{}
	display := filepath.ToSlash(filepath.Clean(name))
	outs, err := im.Walk(archive.Limits{MaxMember: opt.MaxFileSize}, func(it containerimage.Item) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		at := display + "!/" + it.Path
		switch {
		case it.Layer == "":
			at = display + "!/" + ImageConfigPath
		case it.Path == "":
			at = display + "!/" + it.Layer // the layer itself
		}
		if it.Unreadable {
			res.unread(Skip{at, it.NotRead})
			return nil
		}
		if it.Content == nil {
			res.NotRead = append(res.NotRead, Skip{at, it.NotRead})
			return nil
		}
		text, ok := AsText(it.Content)
		if !ok {
			res.NotRead = append(res.NotRead, Skip{at, "binary"})
			return nil
		}
		// Under the item's own name: a config field is read in a
		// Dockerfile's words (ENV, ARG, RUN), a file as its name says.
		found, _ := Fragment{Path: it.Path, Content: text}.Scan(opt.Detector, opt.Policy)
		for i := range found {
			found[i].Path = at
			found[i].Image = &detect.ImagePlace{Image: display, Platforms: it.Platforms, Layer: it.Layer, Step: it.Step, Field: it.Field}
			if it.Layer == "" {
				found[i].Line, found[i].EndLine = 1, 1 // the field, not the text made of it
			}
		}
		res.Findings = append(res.Findings, found...)
		res.Files++
		res.Bytes += int64(len(text))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Image.Layer != "" {
			f.Image.Deleted = outs.Deletes(f.Image.Layer, strings.TrimPrefix(f.Path, display+"!/"))
		}
	}
	SortFindings(res.Findings)
	return res, nil
}
