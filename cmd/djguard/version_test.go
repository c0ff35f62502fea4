package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionSaysReleaseCommitAndModified(t *testing.T) {
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261204012200-3f2a9c0e1b2d+dirty"},
			Settings: []debug.BuildSetting{{Key: "GOOS", Value: "darwin"}, {Key: "GOARCH", Value: "arm64"},
				{Key: "vcs.revision", Value: "3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70"}, {Key: "vcs.time", Value: "2026-12-04T01:22:00Z"}, {Key: "vcs.modified", Value: modified}}}
	}
	for _, tc := range []struct {
		name    string
		bi      *debug.BuildInfo
		release string
		want    []string
	}{
		{"a release names its version and commit", vcs("false"), "v0.1.0",
			[]string{"djguard v0.1.0\n", "commit: 3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70\n", "commit time: 2026-12-04T01:22:00Z\n", "built with: go1.26.8 darwin/arm64\n"}},
		{"a build of a modified tree says so", vcs("true"), "",
			[]string{"djguard v0.0.0-20261204012200-3f2a9c0e1b2d+dirty\n", "commit: 3f2a9c0e1b2d4f5a6b7c8d9e0f1a2b3c4d5e6f70 (modified"}},
		{"a build with no information says what it lacks", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "",
			[]string{"djguard dev\n", "commit: unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			buildFrom(tc.bi, tc.release).write(&b)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %q:\n%s", w, b.String())
				}
			}
			if got := buildFrom(tc.bi, tc.release).Platform; tc.bi.Settings != nil && got != "darwin/arm64" {
				t.Errorf("platform %q, want the GOOS/GOARCH the build recorded", got)
			}
		})
	}
}
