package scanner

import (
	"context"
	"testing"
)

func BenchmarkTryHistory(b *testing.B) {
	for b.Loop() {
		if _, err := ScanHistory(context.Background(), HistoryOptions{Repo: "/tmp/djg-bench/repo20k"}); err != nil {
			b.Fatal(err)
		}
	}
}
