package gitdb

import (
	"context"

	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Walk opens the object database, walks it once (see DB.Walk) and closes
// it: the tests' one-shot walk.
func Walk(ctx context.Context, st *filesystem.Storage, opt Options, visit func(*Object) error) (Stats, error) {
	db, err := Open(st)
	if err != nil {
		return Stats{}, err
	}
	defer db.Close()
	return db.Walk(ctx, opt, visit)
}

// changedRanges reads a whole delta, its two size headers included, and
// returns the ranges plan marks as changed: the tests' way into plan.
func changedRanges(delta []byte) (changed []Range, ok bool) {
	if _, delta, ok = leb128(delta); !ok { // base size
		return nil, false
	}
	if _, delta, ok = leb128(delta); !ok { // target size
		return nil, false
	}
	_, changed, ok = plan(-1, delta, nil)
	return changed, ok
}
