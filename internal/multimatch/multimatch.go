// Package multimatch finds which of a set of texts occur in a line
// (Aho–Corasick): in time linear in the line's length and in what it
// finds, however many texts there are, so that hiding the keys of a
// settings module of thousands of keys, or redacting a report's secrets
// in each of its commit summaries, costs the length of the lines, not
// their number times the number of keys.
package multimatch

import (
	"slices"
	"sort"
)

// Matcher finds a set of texts in lines. It is not safe for concurrent
// use: Find keeps a note of what it reported.
//
// The trie is built from the texts in sorted order, so that a node's
// children are made in the order of their bytes and its edges can be laid
// out as one sorted run (start[n]:start[n+1] of label and child) that a
// binary search reads: no hash map, whose size would make a trie of a
// hundred thousand keys slow to build and slower to walk.
type Matcher struct {
	label []byte  // the byte that leads to a node
	start []int32 // a node's edges: child[start[n]:start[n+1]], sorted by label
	child []int32
	fail  []int32 // the node of the longest proper suffix of a node's text
	out   []int32 // the text that ends at a node, or -1
	link  []int32 // the nearest node down the fail chain where a text ends, or -1
	stamp []int   // per text: the last Find that reported it, 1-based
	finds int
}

// New builds a Matcher of texts; Find and Each report them by index. Of
// texts written twice, the first is reported; empty texts never are.
func New(texts []string) *Matcher {
	m := &Matcher{stamp: make([]int, len(texts))}
	order := make([]int, 0, len(texts))
	for i, t := range texts {
		if t != "" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return texts[order[a]] < texts[order[b]] })
	parent := m.build(texts, order)
	m.layEdges(parent)
	m.links()
	return m
}

// build makes the trie's nodes from the texts in sorted order: each text
// shares with the one before the path of their common prefix. It returns
// each node's parent.
func (m *Matcher) build(texts []string, order []int) (parent []int32) {
	m.label, m.out, parent = []byte{0}, []int32{-1}, []int32{-1}
	var path []int32 // path[d] is the node at depth d+1 of the previous text
	prev := ""
	for _, i := range order {
		t := texts[i]
		common := commonPrefix(prev, t)
		path = path[:common]
		for d := common; d < len(t); d++ {
			p := int32(0)
			if d > 0 {
				p = path[d-1]
			}
			m.label = append(m.label, t[d])
			m.out = append(m.out, -1)
			parent = append(parent, p)
			path = append(path, int32(len(m.label)-1))
		}
		if n := path[len(t)-1]; m.out[n] < 0 || int32(i) < m.out[n] {
			m.out[n] = int32(i)
		}
		prev = t
	}
	return parent
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// layEdges lays out each node's children as one run of child, in the
// order they were made, which is the order of their bytes.
func (m *Matcher) layEdges(parent []int32) {
	n := len(m.label)
	m.start = make([]int32, n+1)
	for v := 1; v < n; v++ {
		m.start[parent[v]+1]++
	}
	for v := 0; v < n; v++ {
		m.start[v+1] += m.start[v]
	}
	m.child = make([]int32, n)
	fill := slices.Clone(m.start[:n])
	for v := 1; v < n; v++ {
		p := parent[v]
		m.child[fill[p]] = int32(v)
		fill[p]++
	}
}

// next is the child of node by byte c, or -1.
func (m *Matcher) next(node int32, c byte) int32 {
	lo, hi := m.start[node], m.start[node+1]
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		if l := m.label[m.child[mid]]; l < c {
			lo = mid + 1
		} else if l > c {
			hi = mid
		} else {
			return m.child[mid]
		}
	}
	return -1
}

// links sets the fail and output links, breadth first.
func (m *Matcher) links() {
	n := len(m.label)
	m.fail = make([]int32, n)
	m.link = make([]int32, n)
	m.link[0] = -1
	queue := make([]int32, 0, n)
	queue = append(queue, m.child[m.start[0]:m.start[1]]...)
	for _, v := range queue[:len(queue)] {
		m.link[v] = -1
	}
	for k := 0; k < len(queue); k++ {
		u := queue[k]
		for _, v := range m.child[m.start[u]:m.start[u+1]] {
			queue = append(queue, v)
			f := m.fail[u]
			for {
				if w := m.next(f, m.label[v]); w >= 0 {
					m.fail[v] = w
					break
				}
				if f == 0 {
					break
				}
				f = m.fail[f]
			}
			if fv := m.fail[v]; m.out[fv] >= 0 {
				m.link[v] = fv
			} else {
				m.link[v] = m.link[fv]
			}
		}
	}
}

// Find appends to found[:0] the index of every text that occurs in line,
// each once, in the order of the texts, and returns it.
func (m *Matcher) Find(line []byte, found []int) []int {
	found = found[:0]
	m.finds++
	each(m, line, func(t int32, _ int) {
		if m.stamp[t] != m.finds {
			m.stamp[t] = m.finds
			found = append(found, int(t))
		}
	})
	slices.Sort(found)
	return found
}

// Each calls fn for every occurrence of a text in line, with the text's
// index and the offset just past its end, in the order the ends come.
func (m *Matcher) Each(line string, fn func(text, end int)) {
	each(m, line, func(t int32, end int) { fn(int(t), end) })
}

func each[T string | []byte](m *Matcher, line T, fn func(text int32, end int)) {
	s := int32(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		for {
			if n := m.next(s, c); n >= 0 {
				s = n
				break
			}
			if s == 0 {
				break
			}
			s = m.fail[s]
		}
		o := s
		if m.out[o] < 0 {
			o = m.link[o]
		}
		for ; o >= 0; o = m.link[o] {
			fn(m.out[o], i+1)
		}
	}
}
