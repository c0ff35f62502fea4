package history

import (
	"bytes"
	"path"
	"strings"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/source"
)

// Archives committed to git (a wheel in dist/, a vendored sdist) are
// scanned member by member, as the work-tree scan reads them: a finding in
// a member has the member's place after "!/" as its Path
// ("!/pkg/settings.py"), to which attribution puts the archive's path in
// front. An archive blob is bounded as any blob is, by --max-file-size.

// memberMark starts the Path of a finding inside an archive.
const memberMark = "!/"

// archiveFindings scans the members of an archive blob of the given
// format. refused says why the archive was not read to its end (damage, a
// bomb), "" when it was.
func archiveFindings(data []byte, format archive.Format, det *detect.Detector, opt Options) (found []detect.Finding, scanned int, refused string) {
	err := archive.Walk("", format, bytes.NewReader(data), int64(len(data)), archive.Limits{MaxMember: opt.MaxFileSize}, func(m archive.Member) error {
		if m.Content == nil {
			return nil // members not read are not named in history: the archive is
		}
		text, ok := source.AsText(m.Content)
		if !ok || !det.MayHoldKey(text) {
			return nil
		}
		scanned++
		// A member has no Added lines to read, so scan cannot fail.
		fs, _ := source.Fragment{Path: path.Base(m.Path), Content: text}.Scan(det, opt.Policy)
		for i := range fs {
			fs[i].Path = memberMark + strings.TrimPrefix(m.Path, memberMark)
		}
		found = append(found, fs...)
		return nil
	})
	if err != nil {
		refused = strings.TrimPrefix(err.Error(), ": ")
	}
	return found, scanned, refused
}

// asNamed keeps a blob's findings under file name number name: the
// findings in an archive's members only where the name is an archive's.
// A blob read as an archive under one name (dist/app.whl) is no archive
// under another (dist/app-copy), as the work-tree scan reads it.
func (a *audit) asNamed(fs []detect.Finding, name uint32) []detect.Finding {
	if len(fs) > 0 && strings.HasPrefix(fs[0].Path, memberMark) && a.objects.formats[name] == archive.None {
		return nil
	}
	return fs
}

// memberItems gives a blob's findings as tree items at the path p: one
// item for the file itself, or, for an archive, one for each member that
// holds findings, at "p!/member".
func memberItems(p string, fs []detect.Finding) []treeItem {
	if len(fs) == 0 || !strings.HasPrefix(fs[0].Path, memberMark) {
		return []treeItem{{path: p, findings: fs}}
	}
	var out []treeItem
	for _, f := range fs {
		at := p + f.Path
		if n := len(out); n > 0 && out[n-1].path == at {
			out[n-1].findings = append(out[n-1].findings, f)
			continue
		}
		out = append(out, treeItem{path: at, findings: []detect.Finding{f}})
	}
	return out
}
