package main

import "github.com/djguard/djguard/history"

// pushes says what a --pre-push audit covers. git's own lines come first:
// pre-commit's variables may be inherited from a shell that ran it.
func pushes(cfg scanConfig, e env) ([]history.Push, error) {
	if cfg.remote != "" {
		if e.stdin == nil {
			return nil, nil
		}
		return history.ReadPushLines(e.stdin, cfg.remote)
	}
	if p, ok := history.PushesFromPreCommit(e.getenv); ok {
		return p, nil
	}
	return []history.Push{{Local: "HEAD", AllRemotes: true}}, nil
}
