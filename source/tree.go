package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/djguard/djguard/archive"
	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/gitindex"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/policy"
)

// TreeOptions says what a working-tree scan reads.
type TreeOptions struct {
	// Paths are files and directories to scan. Empty means the work tree
	// that holds Dir, or Dir itself outside git.
	Paths []string
	// Dir is the directory relative paths are taken from and reported
	// against; "" means the process's working directory.
	Dir string
	// MaxFileSize: larger files are skipped. 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Workers bounds how many files are read and scanned at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Detector finds the keys; nil means Django's own names only.
	Detector *detect.Detector
	// Policy says which files not to read and which findings to keep;
	// nil honours the inline marker only.
	Policy *policy.Policy
}

// TreeResult is what a working-tree scan found.
type TreeResult struct {
	Findings []detect.Finding // ordered by path, then position
	// Skipped are files left out on purpose: links, which are scanned
	// where they point or are not the tree's.
	Skipped []Skip
	// NotRead are files that could hold a key and were not read: binary,
	// or over the size limit.
	NotRead []Skip
	// Warnings are files that should have been read and could not be:
	// permission errors, dangling links, read errors.
	Warnings []Skip
	// Unread counts the warnings about content the scan did not see: a
	// file or directory that could not be read, a named path that is no
	// regular file, an index that could not be read. A scan with any is
	// incomplete.
	Unread int
	Files  int   // files scanned
	Bytes  int64 // bytes scanned
}

// unread records a warning about content the scan did not see.
func (r *TreeResult) unread(w Skip) {
	r.Warnings = append(r.Warnings, w)
	r.Unread++
}

// fileJob is one file to read: where it is and what to call it.
type fileJob struct {
	abs, display string
	size         int64
}

// ScanTree scans files and directories of a working tree. Directories are
// walked honouring every .gitignore and the repository's info/exclude,
// never entering .git and never following symbolic links; a file named in
// Paths is scanned as given, ignored or not. A path that does not exist is
// an error; a file that cannot be read is a warning and the scan goes on.
func ScanTree(ctx context.Context, opt TreeOptions) (*TreeResult, error) {
	opt.MaxFileSize = MaxSize(opt.MaxFileSize)
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("find the working directory: %w", err)
		}
		opt.Dir = wd
	}
	res := &TreeResult{}
	jobs, err := collect(opt, res)
	if err != nil {
		return nil, err
	}
	if err := scanFiles(ctx, jobs, opt, res); err != nil {
		return nil, err
	}
	SortFindings(res.Findings)
	return res, nil
}

// collect lists the files to scan.
func collect(opt TreeOptions, res *TreeResult) ([]fileJob, error) {
	paths := opt.Paths
	if len(paths) == 0 {
		wt, err := gitrepo.FindWorktree(opt.Dir)
		if err != nil {
			return nil, err
		}
		display, err := filepath.Rel(opt.Dir, wt.Root)
		if err != nil {
			display = wt.Root
		}
		w := walker{opt: opt, res: res, root: wt.Root, base: baseStack(wt), index: wt.Index, gitDir: wt.GitDir, from: opt.Dir}
		return w.walk(wt.Root, display), nil
	}
	var jobs []fileJob
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(p) {
			abs = filepath.Join(opt.Dir, p)
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", p, unwrapPathError(err))
		}
		display := filepath.ToSlash(filepath.Clean(p))
		switch {
		case info.IsDir():
			more, err := walkDir(opt, res, abs, display)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, more...)
		case info.Mode().IsRegular():
			// pre-commit names every staged file: the configuration's
			// excludes hold for a named file as for a walked one.
			if opt.Policy.Excluded(abs) {
				continue
			}
			if tooLarge(abs, info.Size(), opt.MaxFileSize) {
				res.NotRead = append(res.NotRead, Skip{display, TooLarge(info.Size(), opt.MaxFileSize)})
				continue
			}
			jobs = append(jobs, fileJob{abs: abs, display: display, size: info.Size()})
		default:
			res.unread(Skip{display, "not a regular file"})
		}
	}
	return jobs, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// walkDir walks a directory named on the command line, with the ignore
// patterns of the work tree that holds it.
func walkDir(opt TreeOptions, res *TreeResult, abs, display string) ([]fileJob, error) {
	wt, err := gitrepo.FindWorktree(abs)
	if err != nil {
		return nil, err
	}
	base, err := ancestorsStack(baseStack(wt), wt.Root, abs)
	if err != nil {
		return nil, fmt.Errorf("read ignore files above %s: %w", display, err)
	}
	w := walker{opt: opt, res: res, root: wt.Root, base: base, index: wt.Index, gitDir: wt.GitDir}
	return w.walk(abs, display), nil
}

// baseStack is the patterns in force at the root of a work tree before
// any .gitignore: the repository's info/exclude.
func baseStack(wt gitrepo.Worktree) ignoreStack {
	if len(wt.Exclude) == 0 {
		return nil
	}
	return ignoreStack{{dir: "", patterns: compilePatterns(wt.Exclude)}}
}

// walker lists the files under a directory.
type walker struct {
	opt  TreeOptions
	res  *TreeResult
	root string // the work tree's root: ignore patterns match paths relative to it
	base ignoreStack
	// index is the work tree's index file, read for what it tracks the
	// first time an ignore rule matches (tracked is nil until then).
	index   string
	gitDir  string // where a split index's shared part is
	tracked *trackedPaths
	// from, when set, is the directory paths are shown relative to (a
	// scan of the whole work tree from one of its subdirectories).
	from string
	jobs []fileJob
}

func (w *walker) walk(abs, display string) []fileJob {
	w.dir(abs, display, w.base, false)
	return w.jobs
}

// dir lists one directory, loading its .gitignore first. In an ignored
// directory (entered for files git tracks there) only tracked files are
// taken.
func (w *walker) dir(abs, display string, stack ignoreStack, inIgnored bool) {
	rel := w.rel(abs)
	stack, err := stack.withFile(filepath.Join(abs, ".gitignore"), rel)
	if err != nil {
		w.res.Warnings = append(w.res.Warnings, Skip{joinDisplay(display, ".gitignore"), err.Error()})
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.res.unread(Skip{display, unwrapPathError(err).Error()})
		return
	}
	for _, e := range entries {
		name := e.Name()
		if name == ".git" {
			continue
		}
		childAbs := filepath.Join(abs, name)
		childRel := path.Join(rel, name)
		childDisplay := w.display(display, childAbs, name)
		mode := e.Type()
		ignored := inIgnored || stack.ignored(childRel, mode.IsDir())
		if ignored && !w.tracks(childRel, mode.IsDir()) {
			continue
		}
		switch {
		case mode.IsDir():
			if w.opt.Policy.Excluded(childAbs + string(filepath.Separator)) {
				continue
			}
			w.dir(childAbs, childDisplay, stack, ignored)
		case mode&fs.ModeSymlink != 0:
			w.link(childAbs, childDisplay)
		case mode.IsRegular():
			if w.opt.Policy.Excluded(childAbs) {
				continue
			}
			w.file(e, childAbs, childDisplay)
		}
	}
}

// trackedPaths is what the index tracks: the files, and the directories
// that hold them, slash-separated from the work tree's root.
type trackedPaths struct {
	files, dirs map[string]bool
}

// tracks reports whether git tracks the file rel, or files under the
// directory rel. Git tracks a file whatever .gitignore says (it was added
// before the rule, or with 'git add -f'), so it is in every clone and is
// scanned; only untracked ignored files are skipped.
func (w *walker) tracks(rel string, isDir bool) bool {
	if w.tracked == nil {
		w.tracked = w.readTracked()
	}
	if isDir {
		return w.tracked.dirs[rel]
	}
	return w.tracked.files[rel]
}

func (w *walker) readTracked() *trackedPaths {
	t := &trackedPaths{files: map[string]bool{}, dirs: map[string]bool{}}
	if w.index == "" {
		return t
	}
	idx, err := gitindex.Read(w.index, w.gitDir)
	if err != nil {
		w.res.unread(Skip{"(git index)", "cannot be read, so files git tracks under ignored names may have been missed: " + err.Error()})
		return t
	}
	for _, e := range idx.Entries {
		t.files[e.Name] = true
		for d := path.Dir(e.Name); d != "." && !t.dirs[d]; d = path.Dir(d) {
			t.dirs[d] = true
		}
	}
	return t
}

func (w *walker) file(e fs.DirEntry, abs, display string) {
	info, err := e.Info()
	if err != nil {
		w.res.unread(Skip{display, unwrapPathError(err).Error()})
		return
	}
	if tooLarge(abs, info.Size(), w.opt.MaxFileSize) {
		w.res.NotRead = append(w.res.NotRead, Skip{display, TooLarge(info.Size(), w.opt.MaxFileSize)})
		return
	}
	w.jobs = append(w.jobs, fileJob{abs: abs, display: display, size: info.Size()})
}

// link records a symbolic link without following it: a link inside the
// tree is scanned where its target lives, one out of the tree is not
// djguard's to read, and a dangling one is worth a warning.
func (w *walker) link(abs, display string) {
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.res.Warnings = append(w.res.Warnings, Skip{display, "dangling symbolic link"})
		return
	}
	if rel, err := filepath.Rel(w.root, target); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		w.res.Skipped = append(w.res.Skipped, Skip{display, "symbolic link out of the tree"})
		return
	}
	w.res.Skipped = append(w.res.Skipped, Skip{display, "symbolic link (its target is scanned where it lives)"})
}

// display names a directory entry for the user.
func (w *walker) display(dirDisplay, abs, name string) string {
	if w.from != "" {
		if rel, err := filepath.Rel(w.from, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return joinDisplay(dirDisplay, name)
}

func (w *walker) rel(abs string) string {
	rel, err := filepath.Rel(w.root, abs)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}

func joinDisplay(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	return filepath.ToSlash(filepath.Join(dir, name))
}

// tooLarge reports whether a file is over the size limit, for a file
// read whole. An archive is read member by member, as a stream, and its
// members are held to the limit instead: a wheel or an sdist of any size
// is opened.
func tooLarge(name string, size, limit int64) bool {
	return size > limit && archive.FormatOf(name) == archive.None
}
