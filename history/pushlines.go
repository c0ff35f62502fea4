package history

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// A pre-push audit learns what is being pushed from git or from the
// pre-commit framework:
//
//   - git runs the pre-push hook with the remote's name and URL as
//     arguments and one line per ref on standard input:
//     "<local ref> <local hash> <remote ref> <remote hash>", a hash of
//     zeros for a ref that does not exist on that side;
//   - pre-commit reads those lines itself and hands its hooks the range of
//     the first ref with something to send, in PRE_COMMIT_FROM_REF and
//     PRE_COMMIT_TO_REF, or, for a ref whose history reaches a root commit
//     the remote lacks, only PRE_COMMIT_LOCAL_BRANCH.
//
// Run by hand, with neither, it audits what 'git push' of HEAD would send:
// the commits of HEAD on no remote-tracking branch.

// zeroHash is git's name for "no object" in the pre-push protocol (SHA-1
// and SHA-256 repositories alike: all zeros).
func zeroHash(h string) bool {
	return h != "" && strings.Trim(h, "0") == ""
}

// PushesFromPreCommit reads the pre-commit framework's variables, through
// getenv; ok is false when it did not set them (not a push stage).
func PushesFromPreCommit(getenv func(string) string) (pushes []Push, ok bool) {
	remote := getenv("PRE_COMMIT_REMOTE_NAME")
	from, to := getenv("PRE_COMMIT_FROM_REF"), getenv("PRE_COMMIT_TO_REF")
	if from != "" && to != "" {
		return []Push{{Local: to, Remote: from, RemoteName: remote}}, true
	}
	if local := getenv("PRE_COMMIT_LOCAL_BRANCH"); local != "" {
		return []Push{{Local: local, RemoteName: remote}}, true
	}
	return nil, false
}

// ReadPushLines parses git's pre-push lines, of a push to remote. Deleted refs send nothing
// and are left out.
func ReadPushLines(r io.Reader, remote string) ([]Push, error) {
	var out []Push
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		// A ref name holds no space, but the local side may be an
		// expression such as HEAD~2; the last three fields are fixed.
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("standard input line %d is not git's pre-push format (<local ref> <local hash> <remote ref> <remote hash>)", n)
		}
		local, remoteHash := f[len(f)-3], f[len(f)-1]
		if !isHex(local) || !isHex(remoteHash) {
			return nil, fmt.Errorf("standard input line %d is not git's pre-push format (<local ref> <local hash> <remote ref> <remote hash>)", n)
		}
		if zeroHash(local) {
			continue // a deletion
		}
		p := Push{Local: local, RemoteName: remote}
		if !zeroHash(remoteHash) {
			p.Remote = remoteHash
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read git's pre-push lines: %w", err)
	}
	return out, nil
}

func isHex(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
