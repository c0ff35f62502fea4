package main

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/policy"
	"github.com/djguard/djguard/report"
)

// maxCommittedChecks bounds the files whose last commit is read to tell
// whether a key is committed; past it the answer is "committed".
const maxCommittedChecks = 100

// inNoCommit reports whether no failing finding of a scan of files has its
// key in HEAD's version of its file: the key then only has to leave the
// code, and the report does not call it leaked. Every doubt (no
// repository, an object it cannot read, too many files) answers false:
// rotating a key is never wrong, keeping a leaked one is.
func inNoCommit(rep *report.Report, cfg scanConfig, e env) bool {
	var failing []detect.Finding
	for _, f := range rep.Findings {
		if policy.Fails(f, rep.FailOn) {
			failing = append(failing, f)
		}
	}
	if len(failing) == 0 || len(failing) > maxCommittedChecks {
		return false
	}
	cwd, err := filepath.Abs(e.resolve("."))
	if err != nil {
		return false
	}
	root := gitrepo.WorkTreeRoot(cwd)
	repo, err := gitrepo.Open(root)
	if err != nil {
		return false
	}
	head, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return true // no commit at all yet
	}
	if err != nil {
		return false
	}
	commit, err := repo.CommitObject(head.Hash())
	if err != nil {
		return false
	}
	tree, err := commit.Tree()
	if err != nil {
		return false
	}
	held := map[string]*headFile{} // by path: HEAD's version of the file
	for _, f := range failing {
		path := e.resolve(f.Path)
		h, ok := held[path]
		if !ok {
			h = readHeadFile(tree, root, path, cfg.detector)
			held[path] = h
		}
		if h == nil || h.keys[f.Fingerprint] || strings.Contains(h.text, f.Secret) {
			return false
		}
	}
	return true
}

// headFile is HEAD's version of a file: its text and the fingerprints of
// the keys in it.
type headFile struct {
	text string
	keys map[string]bool
}

// readHeadFile reads the tree's version of the file at path: an empty one
// when the tree has no such file, nil when it cannot be told (any error),
// which counts as committed.
func readHeadFile(tree *object.Tree, root, path string, det *detect.Detector) *headFile {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	rel, err := filepath.Rel(root, abs)
	rel = filepath.ToSlash(rel)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return nil // outside the work tree
	}
	file, err := tree.File(rel)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return &headFile{}
	}
	if err != nil {
		return nil
	}
	content, err := file.Contents()
	if err != nil {
		return nil
	}
	if det == nil {
		det = detect.NewDetector(nil)
	}
	h := &headFile{text: content, keys: map[string]bool{}}
	for _, g := range det.Detect(rel, []byte(content)) {
		h.keys[g.Fingerprint] = true
	}
	return h
}
