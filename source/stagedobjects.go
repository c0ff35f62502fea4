package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
)

// objects reads the few objects a staged scan needs. gitdb's Reader finds
// each through the packs' mapped indexes, so that a hook costs the same
// in a repository of half a million objects as in a new one; go-git,
// which loads a pack's whole index to find one object, reads what that
// Reader refuses or cannot read, and so says what is wrong (an object a
// partial clone lacks, damage) as it always has.
type objects struct {
	repo  *git.Repository
	fast  *gitdb.Reader // nil where it refused the repository
	close func()
}

// openObjects prepares to read the objects of repo, opened from dir,
// whose git directory is gitDir.
func openObjects(repo *git.Repository, dir, gitDir string) (*objects, error) {
	if d, err := gitrepo.FindDirs(gitDir); err == nil {
		if r, err := gitdb.OpenReader(d.CommonDir); err == nil {
			return &objects{repo: repo, fast: r, close: func() { r.Close() }}, nil
		}
	}
	// Every read goes through go-git: keep its pack files open between
	// reads.
	kept, closeRepo, err := gitrepo.OpenForReads(dir)
	if err != nil {
		return nil, err
	}
	return &objects{repo: kept, close: closeRepo}, nil
}

// read returns the object h of type t: its size, and its content unless
// it is over limit bytes.
func (o *objects) read(h plumbing.Hash, t plumbing.ObjectType, limit int64) (int64, []byte, error) {
	if o.fast != nil {
		typ, size, data, err := o.fast.ReadLimit(h, limit)
		if err == nil && typ == t {
			return size, data, nil
		}
	}
	obj, err := o.repo.Storer.EncodedObject(t, h)
	if err != nil {
		return 0, nil, err
	}
	if obj.Size() > limit {
		return obj.Size(), nil, nil
	}
	r, err := obj.Reader()
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	return int64(len(data)), data, err
}

// decode reads the object h of type t whole, for go-git's decoder of that
// type.
func (o *objects) decode(h plumbing.Hash, t plumbing.ObjectType) (plumbing.EncodedObject, error) {
	_, data, err := o.read(h, t, 1<<62)
	if err != nil {
		return nil, err
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(t)
	if _, err := obj.Write(data); err != nil {
		return nil, err
	}
	return obj, nil
}

// headTree returns the hash of HEAD's tree, zero in a repository with no
// commit.
func headTree(repo *git.Repository, objs *objects) (plumbing.Hash, error) {
	ref, err := repo.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read HEAD: %w", err)
	}
	obj, err := objs.decode(ref.Hash(), plumbing.CommitObject)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read HEAD's commit: %w", err)
	}
	var c object.Commit
	if err := c.Decode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read HEAD's commit: %w", err)
	}
	return c.TreeHash, nil
}

// headFiles finds the blobs of HEAD's tree at the paths a staged scan
// asks about, reading only the trees on those paths, each once, and none
// below a directory the index's cache tree says is unchanged.
type headFiles struct {
	objs *objects
	root plumbing.Hash // zero: no commit yet
	// unchanged is the index's cache tree: the tree hash git recorded for
	// each directory ("" for the root) nothing was staged in since.
	unchanged map[string]plumbing.Hash
	trees     map[string]map[string]treeItem // HEAD's trees read, by directory
}

// treeItem is an entry of a tree: what it names, and how.
type treeItem struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

func newHeadFiles(objs *objects, root plumbing.Hash, unchanged map[string]plumbing.Hash) *headFiles {
	return &headFiles{objs: objs, root: root, unchanged: unchanged, trees: map[string]map[string]treeItem{}}
}

// find looks a staged path up in HEAD. clean is set when the path lies in
// a directory whose staged content git recorded with HEAD's tree hash
// there: nothing in it is staged, and its blob is not looked for.
// Otherwise blob is HEAD's file at the path, zero when HEAD has none.
func (f *headFiles) find(name string) (clean bool, blob plumbing.Hash, err error) {
	if f.root.IsZero() {
		return false, plumbing.ZeroHash, nil
	}
	if f.isUnchanged("", f.root) {
		return true, plumbing.ZeroHash, nil // nothing staged at all
	}
	dir, hash := "", f.root
	for {
		entries, err := f.tree(dir, hash)
		if err != nil {
			return false, plumbing.ZeroHash, err
		}
		rel := name
		if dir != "" {
			rel = name[len(dir)+1:]
		}
		first, rest, more := strings.Cut(rel, "/")
		e, ok := entries[first]
		if !more {
			if ok && e.mode.IsFile() {
				return false, e.hash, nil
			}
			return false, plumbing.ZeroHash, nil
		}
		if !ok || e.mode != filemode.Dir {
			return false, plumbing.ZeroHash, nil
		}
		dir = name[:len(name)-len(rest)-1]
		if f.isUnchanged(dir, e.hash) {
			return true, plumbing.ZeroHash, nil
		}
		hash = e.hash
	}
}

// isUnchanged reports whether git's cache tree records HEAD's tree hash
// for dir.
func (f *headFiles) isUnchanged(dir string, hash plumbing.Hash) bool {
	h, ok := f.unchanged[dir]
	return ok && h == hash
}

// tree returns the entries of HEAD's tree at dir by name, reading it the
// first time. A tree go-git would not decode is an error, as go-git
// words it; of two entries with one name (damage), the last counts.
func (f *headFiles) tree(dir string, h plumbing.Hash) (map[string]treeItem, error) {
	if t, ok := f.trees[dir]; ok {
		return t, nil
	}
	where := "HEAD's tree"
	if dir != "" {
		where = "HEAD's tree " + dir
	}
	_, data, err := f.objs.read(h, plumbing.TreeObject, 1<<62)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", where, err)
	}
	if !wellFormedTree(data) {
		// go-git is the judge: its error, or its reading written out
		// again in the form nextTreeEntry reads.
		if data, err = goGitTree(data); err != nil {
			return nil, fmt.Errorf("read %s: %w", where, err)
		}
	}
	entries := map[string]treeItem{}
	for len(data) > 0 {
		mode, name, eh, rest, _ := nextTreeEntry(data)
		entries[string(name)] = treeItem{mode, eh}
		data = rest
	}
	f.trees[dir] = entries
	return entries, nil
}

// goGitTree decodes a tree with go-git and writes its entries out again
// as git stores them, with the modes go-git gives them.
func goGitTree(data []byte) ([]byte, error) {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TreeObject)
	obj.Write(data)
	var t object.Tree
	if err := t.Decode(obj); err != nil {
		return nil, err
	}
	var out []byte
	for _, e := range t.Entries {
		out = fmt.Appendf(out, "%o %s\x00", uint32(e.Mode), e.Name)
		out = append(out, e.Hash[:]...)
	}
	return out, nil
}

// nextTreeEntry splits the first entry off a tree as git stores it:
// "MODE NAME\x00" and 20 bytes of hash. ok is false at the end, or where
// the tree is malformed (go-git's reading: a mode in octal, a name, a
// whole hash).
func nextTreeEntry(tree []byte) (mode filemode.FileMode, name []byte, h plumbing.Hash, rest []byte, ok bool) {
	sp := bytes.IndexByte(tree, ' ')
	if sp <= 0 {
		return 0, nil, h, nil, false
	}
	var m uint64
	for _, c := range tree[:sp] {
		if c < '0' || c > '7' {
			return 0, nil, h, nil, false
		}
		if m = m<<3 | uint64(c-'0'); m > 1<<32-1 {
			return 0, nil, h, nil, false
		}
	}
	nul := bytes.IndexByte(tree[sp+1:], 0)
	if nul <= 0 || sp+1+nul+1+20 > len(tree) {
		return 0, nil, h, nil, false
	}
	name = tree[sp+1 : sp+1+nul]
	copy(h[:], tree[sp+1+nul+1:])
	return canonicalTreeMode(filemode.FileMode(m)), name, h, tree[sp+1+nul+1+20:], true
}

// canonicalTreeMode is the mode go-git gives a tree entry: what its type
// bits say, as git reads a tree.
func canonicalTreeMode(m filemode.FileMode) filemode.FileMode {
	switch m & 0o170000 {
	case 0o040000:
		return filemode.Dir
	case 0o100000:
		if m&0o111 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case 0o120000:
		return filemode.Symlink
	}
	return filemode.Submodule
}

// wellFormedTree reports whether every entry of a tree reads.
func wellFormedTree(tree []byte) bool {
	for len(tree) > 0 {
		var ok bool
		if _, _, _, tree, ok = nextTreeEntry(tree); !ok {
			return false
		}
	}
	return true
}

// readBlob reads a blob unless it is too large or binary, in which case it
// says why instead.
func readBlob(objs *objects, h plumbing.Hash, maxSize int64) ([]byte, string, error) {
	size, data, err := objs.read(h, plumbing.BlobObject, maxSize)
	if err != nil {
		return nil, "", err
	}
	if size > maxSize {
		return nil, TooLarge(size, maxSize), nil
	}
	text, ok := AsText(data)
	if !ok {
		return nil, "binary", nil
	}
	return text, "", nil
}
