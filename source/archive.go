package source

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
)

// scanArchive scans the members of an archive in the tree (a wheel, an
// sdist, a zip), each as a file of the tree would be, under the path
// "ARCHIVE!/MEMBER". ok is false when the file does not start as an
// archive of the kind its name says: the caller reads it as any other
// file. One that starts so and cannot be read to its end is named as not
// read, with why, after its members before the damage.
func scanArchive(job fileJob, opt TreeOptions) (o outcome, ok bool) {
	f, err := os.Open(job.abs)
	if err != nil {
		o.warning = &Skip{job.display, unwrapPathError(err).Error()}
		return o, true
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		o.warning = &Skip{job.display, unwrapPathError(err).Error()}
		return o, true
	}
	format := archive.FormatOf(job.abs)
	var head [512]byte
	n, _ := f.ReadAt(head[:], 0)
	if !archive.Looks(format, head[:n]) {
		return outcome{}, false // not the archive its name says
	}
	err = archive.Walk(job.display, format, f, info.Size(), archive.Limits{MaxMember: opt.MaxFileSize}, func(m archive.Member) error {
		o.scanMember(m, opt)
		return nil
	})
	if err != nil {
		o.members = append(o.members, Skip{job.display, strings.TrimPrefix(err.Error(), job.display+": ")})
	}
	return o, true
}

// scanMember scans one member of an archive, or notes why it was not read.
func (o *outcome) scanMember(m archive.Member, opt TreeOptions) {
	if m.Content == nil {
		o.members = append(o.members, Skip{m.Path, m.NotRead})
		return
	}
	text, isText := AsText(m.Content)
	if !isText {
		o.members = append(o.members, Skip{m.Path, "binary"})
		return
	}
	// A member has no Added lines to read, so scan cannot fail.
	var found []detect.Finding
	found, _ = Fragment{Path: m.Path, Content: text}.Scan(opt.Detector, opt.Policy)
	o.findings = append(o.findings, found...)
	o.files++
	o.bytes += int64(len(text))
}

// scanStagedArchive scans a staged archive (a wheel, an sdist) member by
// member, reporting what its members add to the same members of HEAD's
// version, as a staged file's lines are. done is false when the blob does
// not start as the archive its name says: the caller reads it as any
// other file.
func scanStagedArchive(objs *objects, before plumbing.Hash, name string, h plumbing.Hash, format archive.Format, unstaged bool, opt *StagedOptions, res *StagedResult) (done bool, err error) {
	size, data, err := objs.read(h, plumbing.BlobObject, opt.MaxFileSize)
	if err != nil {
		return true, fmt.Errorf("read the staged %s: %w", name, err)
	}
	if size > opt.MaxFileSize {
		res.NotRead = append(res.NotRead, Skip{name, TooLarge(size, opt.MaxFileSize)})
		return true, nil
	}
	if !archive.Looks(format, data) {
		return false, nil
	}
	var old map[string][]byte // HEAD's members, by path
	if !unstaged && !before.IsZero() {
		old = map[string][]byte{}
		if _, prev, err := objs.read(before, plumbing.BlobObject, opt.MaxFileSize); err == nil && archive.Looks(format, prev) {
			archive.Walk(name, format, bytes.NewReader(prev), int64(len(prev)), archive.Limits{MaxMember: opt.MaxFileSize}, func(m archive.Member) error {
				if m.Content != nil {
					old[m.Path] = bytes.Clone(m.Content)
				}
				return nil
			})
		}
	}
	err = archive.Walk(name, format, bytes.NewReader(data), int64(len(data)), archive.Limits{MaxMember: opt.MaxFileSize}, func(m archive.Member) error {
		if m.Content == nil {
			res.NotRead = append(res.NotRead, Skip{m.Path, m.NotRead})
			return nil
		}
		text, ok := AsText(m.Content)
		if !ok {
			res.NotRead = append(res.NotRead, Skip{m.Path, "binary"})
			return nil
		}
		res.Files++
		res.Bytes += int64(len(text))
		if !opt.Detector.MayHoldKey(text) {
			return nil
		}
		frag := Fragment{Path: m.Path, Content: text}
		if !unstaged {
			prev := old[m.Path]
			frag.Added = func() (map[int]bool, error) { return addedLines(prev, text), nil }
		}
		found, err := frag.Scan(opt.Detector, opt.Policy)
		res.Findings = append(res.Findings, found...)
		return err
	})
	if err != nil {
		res.NotRead = append(res.NotRead, Skip{name, strings.TrimPrefix(err.Error(), name+": ")})
	}
	return true, nil
}
