package detect

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// resolveSlowly is the plain statement of what resolveCluster computes:
// take the claims most specific first, keep each that overlaps none kept.
func resolveSlowly(c []candidate) []candidate {
	c = slices.Clone(c)
	sort.SliceStable(c, func(i, j int) bool {
		if level(c[i]) != level(c[j]) {
			return level(c[i]) < level(c[j])
		}
		return c[i].start < c[j].start
	})
	var kept []candidate
	for _, x := range c {
		if !slices.ContainsFunc(kept, func(k candidate) bool { return overlaps(&k, &x) }) {
			kept = append(kept, x)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

func TestResolveClusterKeepsWhatTheQuadraticRuleKeeps(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	names := []string{"", "SECRET_KEY"}
	for trial := range 5000 {
		n := 1 + r.IntN(12)
		c := make([]candidate, n)
		for i := range c {
			start := r.IntN(30)
			c[i].start, c[i].end = start, start+r.IntN(8) // some empty
			c[i].class = Classes[r.IntN(len(Classes))]
			c[i].name = names[r.IntN(2)]
			c[i].value = string(rune('a' + i))
		}
		sort.SliceStable(c, func(i, j int) bool { return c[i].start < c[j].start })
		want := resolveSlowly(c)
		var d doc
		got := d.resolveCluster(slices.Clone(c), nil)
		if !slices.EqualFunc(got, want, func(a, b candidate) bool { return a.value == b.value }) {
			t.Fatalf("trial %d: claims %+v\nkept %+v\nwant %+v", trial, c, got, want)
		}
	}
}
