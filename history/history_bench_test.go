package history

import (
	"context"
	"os"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// BenchmarkTryHistory audits a generated Django-shaped history of
// DJGUARD_RECALL_COMMITS commits (2,000 by default); bench/history.sh
// measures the same against git on 20,000.
func BenchmarkTryHistory(b *testing.B) {
	commits := os.Getenv("DJGUARD_RECALL_COMMITS")
	if commits == "" {
		commits = "2000"
	}
	repo := testenv.MakeRepo(b, commits)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Scan(context.Background(), Options{Repo: repo}); err != nil {
			b.Fatal(err)
		}
	}
}
