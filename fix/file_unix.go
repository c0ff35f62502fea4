//go:build unix

package fix

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"syscall"
)

// fileID is what a file is besides its bytes and mode: its owner, and how
// many names (hard links) it has.
type fileID struct {
	uid, gid int
	links    uint64
	known    bool
}

func idOf(info fs.FileInfo) fileID {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{links: 1}
	}
	return fileID{uid: int(st.Uid), gid: int(st.Gid), links: uint64(st.Nlink), known: true}
}

// canGive reports whether a file fix makes can be given this owner: root
// can give any; another user only himself and his own groups. A file fix
// could not give back its owner is refused rather than taken over.
func canGive(id fileID) error {
	euid := os.Geteuid()
	if !id.known || euid == 0 {
		return nil
	}
	if id.uid != euid {
		return fmt.Errorf("it belongs to user %d, and djguard fix, run by user %d, would replace it with a file of its own; run it as that user", id.uid, euid)
	}
	groups, _ := os.Getgroups()
	if id.gid != os.Getegid() && !slices.Contains(groups, id.gid) {
		return fmt.Errorf("its group is %d, which user %d cannot give the file that replaces it; run djguard fix as its owner with that group, or as root", id.gid, euid)
	}
	return nil
}

// newFileOwner is the owner a file fix creates in dir gets: when fix runs
// as root, the directory's owner (root fixing a user's project must not
// leave a .env the user cannot read); else whoever runs fix.
func newFileOwner(dir string) fileID {
	if os.Geteuid() != 0 {
		return fileID{}
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fileID{}
	}
	return idOf(info)
}

// chown gives f the owner id, when it is known and f does not have it.
func chown(f *os.File, id fileID) error {
	if !id.known {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if now := idOf(info); now.uid == id.uid && now.gid == id.gid {
		return nil
	}
	return f.Chown(id.uid, id.gid)
}
