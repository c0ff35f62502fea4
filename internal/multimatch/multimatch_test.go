package multimatch

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// Find and Each report what a search for each text with strings.Index
// reports, on random texts and lines over a small alphabet, where texts
// nest in each other and overlap often.
func TestMatcherFindsWhatIndexFinds(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abc"[r.Intn(3)]
		}
		return string(b)
	}
	for round := 0; round < 300; round++ {
		texts := make([]string, 1+r.Intn(8))
		for i := range texts {
			texts[i] = word(r.Intn(5))
		}
		line := word(r.Intn(40))
		m := New(texts)
		var want []int
		wantAt := map[[2]int]bool{}
		for i, tx := range texts {
			if tx == "" || slices.Index(texts, tx) != i {
				continue
			}
			if strings.Contains(line, tx) {
				want = append(want, i)
			}
			for at := 0; at+len(tx) <= len(line); at++ {
				if line[at:at+len(tx)] == tx {
					wantAt[[2]int{i, at + len(tx)}] = true
				}
			}
		}
		if got := m.Find([]byte(line), nil); !slices.Equal(got, want) {
			t.Fatalf("Find(%q) in %q = %v, want %v", texts, line, got, want)
		}
		gotAt := map[[2]int]bool{}
		m.Each(line, func(text, end int) { gotAt[[2]int{text, end}] = true })
		if len(gotAt) != len(wantAt) {
			t.Fatalf("Each(%q) in %q: %v, want %v", texts, line, gotAt, wantAt)
		}
		for k := range wantAt {
			if !gotAt[k] {
				t.Fatalf("Each(%q) in %q: missed %v", texts, line, k)
			}
		}
	}
}
