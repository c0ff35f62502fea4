// Package source is where the content djguard scans comes from: the files
// of a working tree (ScanTree, honouring .gitignore), what the next commit
// will contain (ScanStaged, reporting only the lines it adds), and standard
// input (ScanReader); package history reads every commit. Each hands the
// detector (package detect) one Fragment at a time and collects what it
// finds; the rules every source shares for what is not read at all (binary
// content, size, excluded paths) live in skip.go, exported for history.
// Nothing here prints: callers decide what the user sees.
package source
