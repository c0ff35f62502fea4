package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitindex"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/policy"
)

// StagedOptions says what a staged scan looks at.
type StagedOptions struct {
	// Dir is a directory in the repository; "" means the working directory.
	Dir string
	// Paths limits the scan to these files (as pre-commit passes them),
	// relative to Dir. Empty means every staged file.
	Paths []string
	// WholeUnstaged scans a file named in Paths with nothing staged whole:
	// asked about a file outside a commit, the user wants to hear about
	// the key it holds, staged now or long ago. In a commit it stays off:
	// pre-commit names unchanged files too (a conflict resolved to our
	// side, a mode change), and an old key is no reason to refuse them.
	WholeUnstaged bool
	// MaxFileSize: larger blobs are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// IndexFile overrides the index to read, as GIT_INDEX_FILE does: git
	// points hooks at a temporary index for 'git commit -a' and 'git commit
	// PATH'. Relative to Dir.
	IndexFile string
	// Detector finds the keys; nil means Django's own names only.
	Detector *detect.Detector
	// Policy says which files not to read and which findings to keep;
	// nil honours the inline marker only.
	Policy *policy.Policy
}

// StagedResult is what a staged scan found.
type StagedResult struct {
	// Findings are secrets on lines the commit adds, with paths relative to
	// the repository's root.
	Findings []detect.Finding
	Files    int // files scanned: staged changes, and named files scanned whole
	Bytes    int64
	Skipped  []Skip
	// NotRead are staged files that could hold a key and were not read:
	// binary, over the size limit, or damaged in the index.
	NotRead []Skip
}

// ScanStaged scans what the next commit will contain: the blobs in the
// index, not the files in the work tree. It reports only secrets on lines
// the commit adds relative to HEAD; a key already committed is the history
// audit's business. A new file counts as all added, and so does everything
// in a repository with no commit yet. With opt.WholeUnstaged, a file
// named in opt.Paths with nothing staged is scanned whole.
func ScanStaged(ctx context.Context, opt StagedOptions) (*StagedResult, error) {
	opt.MaxFileSize = MaxSize(opt.MaxFileSize)
	dir := opt.Dir
	if dir == "" {
		dir = "."
	}
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return nil, err
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, fmt.Errorf("a staged scan needs a work tree: %w", err)
	}
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return nil, errors.New("unsupported repository storage")
	}
	gitDir := st.Filesystem().Root()
	objs, err := openObjects(repo, dir, gitDir)
	if err != nil {
		return nil, err
	}
	defer objs.close()
	indexFile := opt.IndexFile
	if indexFile == "" {
		indexFile = filepath.Join(gitDir, "index")
	} else if !filepath.IsAbs(indexFile) {
		indexFile = filepath.Join(dir, indexFile)
	}
	// A split index's shared part is in the git directory whichever index
	// file git points at.
	idx, err := gitindex.Read(indexFile, gitDir)
	if err != nil {
		return nil, err
	}
	only, err := rootRelative(wt.Filesystem.Root(), dir, opt.Paths)
	if err != nil {
		return nil, err
	}
	root, err := headTree(repo, objs)
	if err != nil {
		return nil, err
	}
	head := newHeadFiles(objs, root, idx.Trees)
	res := &StagedResult{}
	for _, e := range idx.Entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if e.Stage != 0 {
			continue // conflicts block the commit anyway
		}
		if only != nil && !only[e.Name] {
			continue
		}
		if !stagedText(e) {
			if e.Damaged() && !Excluded(opt.Policy, wt.Filesystem.Root(), e.Name) {
				res.NotRead = append(res.NotRead, Skip{e.Name, damagedMode(e)})
			}
			continue
		}
		if Excluded(opt.Policy, wt.Filesystem.Root(), e.Name) {
			continue // before HEAD's trees are read for it
		}
		whole := only != nil && opt.WholeUnstaged
		clean, before, err := head.find(e.Name)
		if err != nil {
			return nil, err
		}
		if clean && !whole {
			continue
		}
		unstaged := clean || before == e.Hash
		if unstaged && !whole {
			continue // nothing staged, nothing added
		}
		if err := scanStagedEntry(objs, before, e.Name, e.Hash, unstaged, &opt, res); err != nil {
			return nil, err
		}
	}
	SortFindings(res.Findings)
	return res, nil
}

// stagedText reports whether a staged entry is content to scan: a file,
// as git will commit it. A link or a submodule holds no text; but a link
// whose mode is damaged (a flipped bit) was a file a moment ago, and git
// commits its blob all the same, as the link's target: it is read.
func stagedText(e gitindex.Entry) bool {
	switch e.Mode {
	case filemode.Regular, filemode.Executable:
		return true
	case filemode.Symlink:
		return e.Damaged()
	}
	return false
}

// damagedMode says why an entry whose damaged mode git would commit as a
// submodule was not read, and how to repair it.
func damagedMode(e gitindex.Entry) string {
	return fmt.Sprintf("damaged in the index: its mode, %o, is none git writes, and git would commit it as a submodule (%o), not as a file; stage it again (git rm --cached, then git add)", e.Raw, uint32(e.Mode))
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

// scanStagedEntry scans one staged file against its version in HEAD
// (before; zero for a new file); a file with nothing staged, which only a
// named file gets here as, whole.
func scanStagedEntry(objs *objects, before plumbing.Hash, name string, h plumbing.Hash, unstaged bool, opt *StagedOptions, res *StagedResult) error {
	if format := archive.FormatOf(name); format != archive.None {
		if done, err := scanStagedArchive(objs, before, name, h, format, unstaged, opt, res); done || err != nil {
			return err
		}
	}
	content, skip, err := readBlob(objs, h, opt.MaxFileSize)
	if err != nil {
		return fmt.Errorf("read the staged %s: %w", name, err)
	}
	if skip != "" {
		res.NotRead = append(res.NotRead, Skip{name, skip})
		return nil
	}
	res.Files++
	res.Bytes += int64(len(content))
	if !opt.Detector.MayHoldKey(content) {
		return nil
	}
	frag := Fragment{Path: name, Content: content}
	if !unstaged {
		frag.Added = func() (map[int]bool, error) {
			var old []byte
			if !before.IsZero() {
				var err error
				if old, _, err = readBlob(objs, before, 1<<62); err != nil {
					return nil, fmt.Errorf("read %s in HEAD: %w", name, err)
				}
			}
			return addedLines(old, content), nil
		}
	}
	found, err := frag.Scan(opt.Detector, opt.Policy)
	res.Findings = append(res.Findings, found...)
	return err
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
