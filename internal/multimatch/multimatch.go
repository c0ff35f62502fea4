// Package multimatch finds which of a set of texts occur in a line
// (Aho–Corasick): in time linear in the line's length and in what it
// finds, however many texts there are, so that hiding the keys of a
// settings module of thousands of keys, or redacting a report's secrets
// in each of its commit summaries, costs the length of the lines, not
// their number times the number of keys.
package multimatch

import "slices"

// Matcher finds a set of texts in lines. It is not safe for concurrent
// use: Find keeps a note of what it reported.
type Matcher struct {
	next  map[uint64]int32 // node<<8 | byte: the child of node by byte
	first []int32          // a node's first child, or -1: its children list, for building
	sib   []int32          // the next child of the same parent, or -1
	label []byte           // the byte that leads to a node
	fail  []int32          // the node of the longest proper suffix of a node's text
	out   []int32          // the text that ends at a node, or -1
	link  []int32          // the nearest node down the fail chain where a text ends, or -1
	stamp []int            // per text: the last find that reported it, 1-based
	finds int
}

// New builds a Matcher of texts; Find and Each report them by index. Of
// texts written twice, the first is reported; empty texts never are.
func New(texts []string) *Matcher {
	m := &Matcher{next: map[uint64]int32{}, stamp: make([]int, len(texts))}
	m.node(0)
	for i, t := range texts {
		if t == "" {
			continue
		}
		s := int32(0)
		for j := 0; j < len(t); j++ {
			n, ok := m.next[edge(s, t[j])]
			if !ok {
				n = m.node(t[j])
				m.sib[n], m.first[s] = m.first[s], n
				m.next[edge(s, t[j])] = n
			}
			s = n
		}
		if m.out[s] < 0 {
			m.out[s] = int32(i)
		}
	}
	m.links()
	return m
}

func edge(node int32, c byte) uint64 { return uint64(node)<<8 | uint64(c) }

// node adds a node reached by byte c and returns it.
func (m *Matcher) node(c byte) int32 {
	m.first = append(m.first, -1)
	m.sib = append(m.sib, -1)
	m.label = append(m.label, c)
	m.fail = append(m.fail, 0)
	m.out = append(m.out, -1)
	m.link = append(m.link, -1)
	return int32(len(m.out) - 1)
}

// links sets the fail and output links, breadth first.
func (m *Matcher) links() {
	var queue []int32
	for v := m.first[0]; v >= 0; v = m.sib[v] {
		queue = append(queue, v)
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for v := m.first[u]; v >= 0; v = m.sib[v] {
			queue = append(queue, v)
			if u == 0 {
				continue
			}
			f := m.fail[u]
			for {
				if n, ok := m.next[edge(f, m.label[v])]; ok {
					m.fail[v] = n
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
			if n, ok := m.next[edge(s, c)]; ok {
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
