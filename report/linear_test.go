package report

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/djguard/djguard/detect"
)

// historyReport is a history audit's report of n distinct keys, each
// introduced by a commit whose summary names it, as a commit that adds a
// key with its value in the message would.
func historyReport(n int) *Report {
	r := &Report{FailOn: detect.High, History: &HistorySummary{Commits: n, Blobs: n}}
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("%050d", i)
		r.Findings = append(r.Findings, detect.Finding{
			Path: "settings.py", Line: i + 1, Column: 15, Class: detect.HardcodedKey, Severity: detect.High,
			Name: "SECRET_KEY", Secret: key, Fingerprint: detect.Fingerprint(key),
			Origin: &detect.Origin{
				Commit: fmt.Sprintf("%040x", i), Author: "Dev", Email: "dev@example.com", Date: time.Unix(0, 0).UTC(),
				Summary: "set the key to " + key, CommitCount: 1, Paths: []string{"settings.py"}, InHead: true,
			},
		})
	}
	return r
}

// allocated is the bytes write allocates, a measure of its work that the
// machine's load does not change.
func allocated(t *testing.T, write func() error) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := write(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The history reports redact every commit summary through an index of the
// report's secrets built once: four times the findings cost about four
// times the work, where collecting and sorting every secret for each
// finding cost sixteen times.
func TestHistoryReportsCostLinearWork(t *testing.T) {
	for name, write := range map[string]func(*Report) error{
		"text":  func(r *Report) error { return Text(io.Discard, r, Options{}) },
		"json":  func(r *Report) error { return JSON(io.Discard, r, Options{}) },
		"sarif": func(r *Report) error { return SARIF(io.Discard, r, Options{}) },
		"push":  func(r *Report) error { return Push(io.Discard, r, Options{}) },
	} {
		small, large := historyReport(1000), historyReport(4000)
		a := allocated(t, func() error { return write(small) })
		b := allocated(t, func() error { return write(large) })
		if b > 8*a {
			t.Errorf("%s: %d bytes allocated for 1,000 findings, %d for 4,000: %.1f times", name, a, b, float64(b)/float64(a))
		}
	}
}
