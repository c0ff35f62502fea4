package main

import (
	"bytes"
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
	for _, f := range failing {
		if committedIn(tree, root, e.resolve(f.Path), f, cfg.detector) {
			return false
		}
	}
	return true
}

// committedIn reports whether the tree's version of the file at path holds
// the finding's key, or may: any error reading it answers true.
func committedIn(tree *object.Tree, root, path string, f detect.Finding, det *detect.Detector) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	rel, err := filepath.Rel(root, abs)
	rel = filepath.ToSlash(rel)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return true // outside the work tree
	}
	file, err := tree.File(rel)
	if errors.Is(err, object.ErrFileNotFound) || errors.Is(err, object.ErrDirectoryNotFound) {
		return false
	}
	if err != nil {
		return true
	}
	content, err := file.Contents()
	if err != nil {
		return true
	}
	if bytes.Contains([]byte(content), []byte(f.Secret)) {
		return true
	}
	if det == nil {
		det = detect.NewDetector(nil)
	}
	for _, g := range det.Detect(rel, []byte(content)) {
		if g.Fingerprint == f.Fingerprint {
			return true
		}
	}
	return false
}
