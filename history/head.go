package history

import (
	"io"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/source"
)

// headPlaces returns where HEAD's tree holds each secret, by fingerprint;
// paths are those the audit found secrets under. A HEAD the audit walked
// (audited: a commit it audits or stops at, as a pull request's HEAD is)
// costs nothing more, since its files' findings are known. Any other HEAD
// (an audit of one branch, a range or a push that leaves it out) is read
// only at those paths: a few files, never its whole tree.
func (a *audit) headPlaces(paths []string, audited func(plumbing.Hash) bool) (map[string][]detect.Location, error) {
	out := map[string][]detect.Location{}
	head, err := a.repo.Head()
	if err != nil {
		return out, nil // an empty repository, or an unborn branch
	}
	h := a.peel(head.Hash())
	c, ok := a.commits[h]
	if !ok {
		return out, nil
	}
	note := func(at string, fs []detect.Finding) { notePlaces(out, at, fs) }
	if audited(h) {
		items, err := a.treeItems(c.tree)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if !a.excluded(it.path) {
				note(it.path, it.findings)
			}
		}
		return out, nil
	}
	for _, p := range paths {
		if a.excluded(p) {
			continue
		}
		if blob, name, ok := a.fileIn(c.tree, p); ok {
			note(p, a.headFindings(blob, name, p))
		}
	}
	return out, nil
}

// notePlaces records where in the file at the findings fs stand, by
// fingerprint.
func notePlaces(out map[string][]detect.Location, at string, fs []detect.Finding) {
	for _, f := range fs {
		out[f.Fingerprint] = append(out[f.Fingerprint], detect.Location{Path: at, Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn})
	}
}

// fileIn finds the blob at path p in a tree, and its name's number.
func (a *audit) fileIn(tree plumbing.Hash, p string) (blob, name uint32, ok bool) {
	s := a.objects
	id, ok := s.lookup(tree)
	if !ok {
		return 0, 0, false
	}
	parts := strings.Split(p, "/")
	for i, part := range parts {
		refs, ok := s.entries(id)
		if !ok {
			return 0, 0, false
		}
		j := slices.IndexFunc(refs, func(r treeRef) bool { return s.names[r.name&^refMask] == part })
		if j < 0 {
			return 0, 0, false
		}
		r := refs[j]
		switch kind, last := r.name&refMask, i == len(parts)-1; {
		case last && kind == refBlob:
			return r.obj, r.name &^ refMask, true
		case !last && kind == refTree:
			id = r.obj
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// headFindings returns the findings in one file of a HEAD the audit did
// not walk: those the audit has if it scanned the same blob under a name
// of the same kind, else what a scan of the blob, read now, finds. A blob
// that cannot be read, is too large or is binary holds none here: HEAD's
// location is a courtesy to the reports, and the audit itself is done.
func (a *audit) headFindings(blob, name uint32, p string) []detect.Finding {
	s := a.objects
	if !s.present(blob) {
		return nil
	}
	kind := s.nameKinds[name]
	if a.blobs.need.has(blob) && slices.Contains(a.blobs.kindsOf(blob), kind) {
		return a.blobs.findings[findKey{blob, kind}]
	}
	obj, err := a.st.EncodedObject(plumbing.BlobObject, s.hash(blob))
	if err != nil || obj.Size() > a.opt.MaxFileSize {
		return nil
	}
	r, err := obj.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil
	}
	text, ok := source.AsText(data)
	if !ok || !a.opt.Detector.MayHoldKey(text) {
		return nil
	}
	// A blob has no Added lines to read, so scan cannot fail.
	fs, _ := source.Fragment{Path: p, Content: text}.Scan(a.opt.Detector, a.opt.Policy)
	return fs
}

// headPlace picks where reports show a secret that HEAD's tree holds at
// places: in the file the introducing commit had it in (intro) if HEAD
// still holds it there, else in the first file by path; the first place
// in that file.
func headPlace(places []detect.Location, intro string) (detect.Location, bool) {
	if len(places) == 0 {
		return detect.Location{}, false
	}
	return slices.MinFunc(places, func(x, y detect.Location) int {
		switch {
		case (x.Path == intro) != (y.Path == intro):
			if x.Path == intro {
				return -1
			}
			return 1
		case x.Path != y.Path:
			return strings.Compare(x.Path, y.Path)
		case x.Line != y.Line:
			return x.Line - y.Line
		}
		return x.Column - y.Column
	}), true
}
