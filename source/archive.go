package source

import (
	"os"
	"strings"

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
