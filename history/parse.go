package history

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/djguard/djguard/detect"
)

// commitInfo is what the history audit keeps of a commit.
type commitInfo struct {
	tree    plumbing.Hash
	parents []plumbing.Hash
	author  string
	email   string
	when    stamp // author date
	commit  int64 // committer time, for ordering
	summary string
	order   int // position in history order, from 1; 0 when not selected
}

var errBadObject = errors.New("malformed object")

// parseCommit reads a raw commit object, and returns its message apart:
// the audit scans it, and keeps only its summary.
func parseCommit(data []byte) (c *commitInfo, message []byte, err error) {
	c = &commitInfo{}
	message, ok := eachHeader(data, func(key, val []byte) bool {
		switch string(key) {
		case "tree":
			h, ok := parseHash(val)
			c.tree = h
			return ok
		case "parent":
			h, ok := parseHash(val)
			c.parents = append(c.parents, h)
			return ok
		case "author":
			c.author, c.email, c.when = parseSignature(val)
		case "committer":
			_, _, t := parseSignature(val)
			c.commit = t.sec
		}
		return true
	})
	if !ok || c.tree.IsZero() {
		return nil, nil, errBadObject
	}
	c.summary = summaryOf(message)
	return c, message, nil
}

// eachHeader calls fn with each header line of a raw commit or tag
// object, split at its first space, up to the blank line that starts the
// message, and returns the message (nil when there is none); ok is false
// when fn refused a line.
func eachHeader(data []byte, fn func(key, val []byte) bool) (message []byte, ok bool) {
	rest := data
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			nl = len(rest)
		}
		line := rest[:nl]
		rest = rest[min(nl+1, len(rest)):]
		if len(line) == 0 {
			return rest, true
		}
		key, val, _ := bytes.Cut(line, []byte(" "))
		if !fn(key, val) {
			return nil, false
		}
	}
	return nil, true
}

func summaryOf(msg []byte) string {
	if i := bytes.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	const max = 200
	if len(msg) > max {
		msg = msg[:max]
	}
	return string(bytes.TrimSpace(msg))
}

func parseHash(b []byte) (plumbing.Hash, bool) {
	if len(b) != 40 {
		return plumbing.ZeroHash, false
	}
	var h plumbing.Hash
	if _, err := hex.Decode(h[:], b); err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}

// parseSignature reads "Name <email> 1400000000 +0100".
func parseSignature(b []byte) (name, email string, when stamp) {
	lt := bytes.LastIndexByte(b, '<')
	gt := bytes.LastIndexByte(b, '>')
	if lt < 0 || gt < lt {
		return string(bytes.TrimSpace(b)), "", stamp{}
	}
	name = string(bytes.TrimSpace(b[:lt]))
	email = string(b[lt+1 : gt])
	fields := bytes.Fields(b[gt+1:])
	if len(fields) >= 1 {
		if sec, err := strconv.ParseInt(string(fields[0]), 10, 64); err == nil {
			when.sec, when.valid = sec, true
			if len(fields) >= 2 && len(fields[1]) == 5 {
				if tz, err := strconv.Atoi(string(fields[1][1:])); err == nil {
					off := (tz/100)*3600 + (tz%100)*60
					if fields[1][0] == '-' {
						off = -off
					}
					when.offset = int32(off)
				}
			}
		}
	}
	return name, email, when
}

// stamp is a commit's time as git writes it: seconds and the zone's
// offset. It becomes a time.Time only for the few commits a report names,
// since a time.Location for each of a large history's commits costs more
// than the rest of the commit.
type stamp struct {
	sec    int64
	offset int32 // seconds east of UTC
	valid  bool
}

// time returns the stamp in its own zone, named as git writes it (+0200).
func (s stamp) time() time.Time {
	if !s.valid {
		return time.Time{}
	}
	loc := time.UTC
	if s.offset != 0 {
		sign, off := '+', s.offset
		if off < 0 {
			sign, off = '-', -off
		}
		loc = time.FixedZone(fmt.Sprintf("%c%02d%02d", sign, off/3600, off%3600/60), int(s.offset))
	}
	return time.Unix(s.sec, 0).In(loc)
}

// parseTagTarget reads the object an annotated tag points at.
func parseTagTarget(data []byte) (plumbing.Hash, bool) {
	if !bytes.HasPrefix(data, []byte("object ")) || len(data) < 47 {
		return plumbing.ZeroHash, false
	}
	return parseHash(data[7:47])
}

// tagInfo is what the history audit keeps of an annotated tag whose
// message holds findings: who made it, when, and what it says.
type tagInfo struct {
	name     string
	tagger   string
	email    string
	when     stamp
	summary  string
	findings []detect.Finding
}

// parseTag reads an annotated tag's name, tagger and message.
func parseTag(data []byte) (t *tagInfo, message []byte) {
	t = &tagInfo{}
	message, _ = eachHeader(data, func(key, val []byte) bool {
		switch string(key) {
		case "tag":
			t.name = string(val)
		case "tagger":
			t.tagger, t.email, t.when = parseSignature(val)
		}
		return true
	})
	return t, message
}

// treeEntry is one entry of a raw tree object.
type treeEntry struct {
	mode uint32
	name []byte
	hash plumbing.Hash
}

const (
	modeTree    = 0o40000
	modeSymlink = 0o120000
	modeGitlink = 0o160000
)

// eachTreeEntry calls fn for each entry of a raw tree, in the tree's
// (sorted) order.
func eachTreeEntry(data []byte, fn func(treeEntry)) error {
	for len(data) > 0 {
		e, n, err := nextTreeEntry(data)
		if err != nil {
			return err
		}
		data = data[n:]
		fn(e)
	}
	return nil
}

// nextTreeEntry reads the entry at the start of a raw tree, and how many
// bytes it takes.
func nextTreeEntry(data []byte) (treeEntry, int, error) {
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 {
		return treeEntry{}, 0, errBadObject
	}
	var mode uint32
	for _, c := range data[:sp] {
		if c < '0' || c > '7' {
			return treeEntry{}, 0, errBadObject
		}
		mode = mode<<3 | uint32(c-'0')
	}
	rest := data[sp+1:]
	nul := bytes.IndexByte(rest, 0)
	if nul < 0 || len(rest) < nul+1+20 {
		return treeEntry{}, 0, errBadObject
	}
	e := treeEntry{mode: mode, name: rest[:nul]}
	copy(e.hash[:], rest[nul+1:nul+21])
	return e, sp + 1 + nul + 21, nil
}
