package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// StagedOptions says what a staged scan looks at.
type StagedOptions struct {
	// Dir is a directory in the repository; "" means the working directory.
	Dir string
	// Paths limits the scan to these files (as pre-commit passes them),
	// relative to Dir. Empty means every staged file.
	Paths []string
	// MaxFileSize: larger blobs are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
}

// StagedResult is what a staged scan found.
type StagedResult struct {
	// Findings are secrets on lines the commit adds, with paths relative to
	// the repository's root.
	Findings []Finding
	Files    int // staged files that differ from HEAD and were scanned
	Bytes    int64
	Skipped  []Skip
}

// ScanStaged scans what the next commit will contain: the blobs in the
// index, not the files in the work tree. It reports only secrets on lines
// the commit adds relative to HEAD; a key already committed is the history
// audit's business. A new file counts as all added, and so does everything
// in a repository with no commit yet.
func ScanStaged(ctx context.Context, opt StagedOptions) (*StagedResult, error) {
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	dir := opt.Dir
	if dir == "" {
		dir = "."
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("open the repository at %s: %w", dir, err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("a staged scan needs a work tree: %w", err)
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return nil, fmt.Errorf("read the index: %w", err)
	}
	only, err := rootRelative(wt.Filesystem.Root(), dir, opt.Paths)
	if err != nil {
		return nil, err
	}
	head, err := headTree(repo)
	if err != nil {
		return nil, err
	}
	res := &StagedResult{}
	for _, e := range idx.Entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if e.Stage != 0 || !e.Mode.IsFile() || e.Mode == filemode.Symlink {
			continue // conflicts block the commit anyway; links and submodules hold no text
		}
		if only != nil && !only[e.Name] {
			continue
		}
		if err := scanStagedEntry(repo, head, e.Name, e.Hash, opt.MaxFileSize, res); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Start < b.Start
	})
	return res, nil
}

// rootRelative turns paths given relative to dir into slash-separated
// paths relative to the work tree's root, as the index names files.
func rootRelative(root, dir string, paths []string) (map[string]bool, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	if d, err := filepath.EvalSymlinks(absDir); err == nil {
		absDir = d
	}
	out := make(map[string]bool, len(paths))
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(absDir, p)
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%s is outside the repository", p)
		}
		out[filepath.ToSlash(rel)] = true
	}
	return out, nil
}

// headTree returns HEAD's tree, or nil in a repository with no commit.
func headTree(repo *git.Repository) (*object.Tree, error) {
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	c, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("read HEAD's commit: %w", err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read HEAD's tree: %w", err)
	}
	return t, nil
}

// scanStagedEntry scans one staged file against its version in HEAD.
func scanStagedEntry(repo *git.Repository, head *object.Tree, name string, h plumbing.Hash, maxSize int64, res *StagedResult) error {
	var before plumbing.Hash
	if head != nil {
		if te, err := head.FindEntry(name); err == nil {
			before = te.Hash
		}
	}
	if before == h {
		return nil // unchanged: nothing added
	}
	content, skip, err := readBlob(repo, h, maxSize)
	if err != nil {
		return fmt.Errorf("read the staged %s: %w", name, err)
	}
	if skip != "" {
		res.Skipped = append(res.Skipped, Skip{name, skip})
		return nil
	}
	res.Files++
	res.Bytes += int64(len(content))
	if !mayHoldKey(content) {
		return nil
	}
	found := Detect(name, content)
	if len(found) == 0 {
		return nil
	}
	var old []byte
	if !before.IsZero() {
		if old, _, err = readBlob(repo, before, 1<<62); err != nil {
			return fmt.Errorf("read %s in HEAD: %w", name, err)
		}
	}
	added := addedLines(old, content)
	for _, f := range found {
		for l := f.Line; l <= f.EndLine; l++ {
			if added[l] {
				res.Findings = append(res.Findings, f)
				break
			}
		}
	}
	return nil
}

// readBlob reads a blob unless it is too large or binary, in which case it
// says why instead.
func readBlob(repo *git.Repository, h plumbing.Hash, maxSize int64) ([]byte, string, error) {
	b, err := repo.BlobObject(h)
	if err != nil {
		return nil, "", err
	}
	if b.Size > maxSize {
		return nil, tooLarge(b.Size, maxSize), nil
	}
	r, err := b.Reader()
	if err != nil {
		return nil, "", err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, "", err
	}
	if isBinary(data) {
		return nil, "binary", nil
	}
	return data, "", nil
}

// addedLines returns the 1-based numbers of the lines of after that are
// not lines of before: every line of before is matched at most once, so a
// line written twice where it stood once counts as added once. Line ends
// (LF or CRLF) do not count.
func addedLines(before, after []byte) map[int]bool {
	have := map[string]int{}
	for _, l := range splitLines(before) {
		have[string(l)]++
	}
	added := map[int]bool{}
	for i, l := range splitLines(after) {
		if have[string(l)] > 0 {
			have[string(l)]--
			continue
		}
		added[i+1] = true
	}
	return added
}

func splitLines(b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimSuffix(l, []byte("\r"))
	}
	return lines
}
