package main

import (
	"github.com/djguard/djguard/source"
)

// pushes says what a --pre-push audit covers. git's own lines come first:
// pre-commit's variables may be inherited from a shell that ran it.
func pushes(cfg scanConfig, e env) ([]source.Push, error) {
	if cfg.remote != "" {
		if e.stdin == nil {
			return nil, nil
		}
		return source.ReadPushLines(e.stdin, cfg.remote)
	}
	if p, ok := source.PushesFromPreCommit(e.getenv); ok {
		return p, nil
	}
	return []source.Push{{Local: "HEAD", AllRemotes: true}}, nil
}
