// Command gitdbwalk reads every object of a repository with gitdb, on
// every core, as the history audit's passes read them, and does nothing
// with them: the floor bench/floor.sh holds the audit's CPU against. It
// prints what it read.
//
//	go run ./bench/gitdbwalk REPO
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/djguard/djguard/gitdb"
	"github.com/djguard/djguard/gitrepo"
	"github.com/djguard/djguard/source"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gitdbwalk REPO")
		os.Exit(2)
	}
	if err := walk(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "gitdbwalk: %v\n", err)
		os.Exit(2)
	}
}

func walk(dir string) error {
	repo, err := gitrepo.Open(dir)
	if err != nil {
		return err
	}
	st, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return fmt.Errorf("%s: unsupported storage", dir)
	}
	db, err := gitdb.Open(st)
	if err != nil {
		return err
	}
	defer db.Close()
	// Blobs over the audit's default size limit are not inflated, as
	// the audit does not inflate them.
	opt := gitdb.Options{Reuse: true, MaxBlobSize: source.DefaultMaxFileSize}
	stats, err := db.Walk(context.Background(), opt, func(*gitdb.Object) error { return nil })
	if err != nil {
		return err
	}
	fmt.Printf("%d objects, %d bytes\n", stats.Objects, stats.Bytes)
	return nil
}
