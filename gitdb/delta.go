package gitdb

import "errors"

// Range is a half-open byte range [Start, End) of an object's content.
type Range struct{ Start, End int }

// plan reads a delta's instructions (after its header) without copying:
// it returns the size of the target they make and, appended to changed,
// the target's changed ranges: the bytes the delta inserts, and, as empty
// ranges, the points where two copies from different places of the base
// meet. A byte sequence of the target that touches none of them stood in
// the base as it is. ok is false for an
// instruction that cannot be read or, when baseSize is not -1, does not
// fit the base.
func plan(baseSize int, delta []byte, changed []Range) (n int, _ []Range, ok bool) {
	return build(nil, nil, baseSize, delta, changed)
}

// build is plan that, when dst is not nil, also writes the target into
// dst from base as it reads the instructions: dst is then as long as the
// target the delta declares, and an instruction that writes past its end
// cannot be read.
func build(dst, base []byte, baseSize int, delta []byte, changed []Range) (n int, _ []Range, ok bool) {
	pos := 0
	prevEnd := -1 // where in the base the previous copy ended; -1 after an insert or at the start
	for len(delta) > 0 {
		var in instruction
		if in, delta, ok = nextInstruction(delta); !ok {
			return 0, changed, false
		}
		if in.insert != nil {
			changed = appendRange(changed, Range{pos, pos + len(in.insert)})
			if dst != nil {
				if pos+len(in.insert) > len(dst) {
					return 0, changed, false
				}
				copy(dst[pos:], in.insert)
			}
			pos += len(in.insert)
			prevEnd = -1
		} else {
			if baseSize >= 0 && in.off+in.size > baseSize {
				return 0, changed, false
			}
			if pos > 0 && in.off != prevEnd {
				changed = append(changed, Range{pos, pos})
			}
			if dst != nil {
				if pos+in.size > len(dst) {
					return 0, changed, false
				}
				copy(dst[pos:], base[in.off:in.off+in.size])
			}
			pos += in.size
			prevEnd = in.off + in.size
		}
		if pos > maxObjectSize {
			return 0, changed, false
		}
	}
	return pos, changed, true
}

// appendRange adds r, merging it into the last range when they touch.
func appendRange(rs []Range, r Range) []Range {
	if k := len(rs) - 1; k >= 0 && rs[k].End >= r.Start {
		rs[k].End = max(rs[k].End, r.End)
		return rs
	}
	return append(rs, r)
}

// leb128 reads a size of a delta's header: at most 63 bits, as git
// writes them.
func leb128(b []byte) (uint64, []byte, bool) {
	var v uint64
	for i := 0; i < len(b) && i < 9; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}

// errBadDelta marks a delta that does not rebuild a target from its base.
var errBadDelta = errors.New("malformed delta")

// maxObjectSize bounds the target a delta may claim, as inflate bounds an
// object: a corrupt size must not allocate the machine away.
const maxObjectSize = 1 << 34

// patch applies a delta (git's pack delta format) to base and returns the
// target, built in dst when its capacity suffices (dst's content is
// overwritten), else in a new buffer a little larger (see roomy), and,
// appended to changed[:0], the target's changed ranges (see plan). A new
// buffer is made only once the instructions are checked against the base
// and the declared size, so a corrupt delta costs no memory; in a buffer
// already there, the target is built as the instructions are checked.
func patch(dst, base, delta []byte, changed []Range) ([]byte, []Range, error) {
	srcSize, delta, ok := leb128(delta)
	if !ok || srcSize != uint64(len(base)) {
		return nil, changed, errBadDelta
	}
	dstSize, delta, ok := leb128(delta)
	if !ok || dstSize > maxObjectSize {
		return nil, changed, errBadDelta
	}
	if uint64(cap(dst)) < dstSize {
		n, checked, ok := plan(len(base), delta, changed[:0])
		if !ok || uint64(n) != dstSize {
			return nil, checked, errBadDelta
		}
		changed, dst = checked, make([]byte, dstSize, roomy(dstSize))
	}
	dst = dst[:dstSize]
	n, changed, ok := build(dst, base, len(base), delta, changed[:0])
	if !ok || uint64(n) != dstSize {
		return nil, changed, errBadDelta
	}
	return dst, changed, nil
}

// roomy is the capacity to give a new buffer for n bytes: a little more,
// since the next version of a file, which a reused buffer may hold, is
// most often a little larger.
func roomy[T int64 | uint64](n T) T {
	return n + n/8 + 256
}

// Copy is a stretch of a delta's target that it copied from its base:
// Len bytes at At in the target, from From in the base.
type Copy struct{ At, From, Len int }

// copiesOf appends to out the copies of a delta patch has applied (its
// instructions are known to be good), those that continue one another
// merged.
func copiesOf(delta []byte, out []Copy) []Copy {
	_, delta, _ = leb128(delta)
	_, delta, _ = leb128(delta)
	pos := 0
	for len(delta) > 0 {
		in, rest, ok := nextInstruction(delta)
		if !ok {
			break
		}
		delta = rest
		if in.insert != nil {
			pos += len(in.insert)
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].At+out[k].Len == pos && out[k].From+out[k].Len == in.off {
			out[k].Len += in.size
		} else {
			out = append(out, Copy{At: pos, From: in.off, Len: in.size})
		}
		pos += in.size
	}
	return out
}

// instruction is one step of a delta: insert bytes, or copy size bytes of
// the base from off.
type instruction struct {
	insert    []byte // nil for a copy
	off, size int
}

// nextInstruction decodes the instruction at the start of delta.
func nextInstruction(delta []byte) (instruction, []byte, bool) {
	if len(delta) == 0 {
		return instruction{}, nil, false
	}
	cmd := delta[0]
	delta = delta[1:]
	switch {
	case cmd&0x80 != 0:
		var in instruction
		for i := 0; i < 4; i++ {
			if cmd&(1<<i) != 0 {
				if len(delta) == 0 {
					return instruction{}, nil, false
				}
				in.off |= int(delta[0]) << (8 * i)
				delta = delta[1:]
			}
		}
		for i := 0; i < 3; i++ {
			if cmd&(0x10<<i) != 0 {
				if len(delta) == 0 {
					return instruction{}, nil, false
				}
				in.size |= int(delta[0]) << (8 * i)
				delta = delta[1:]
			}
		}
		if in.size == 0 {
			in.size = 0x10000
		}
		return in, delta, true
	case cmd != 0:
		n := int(cmd)
		if len(delta) < n {
			return instruction{}, nil, false
		}
		return instruction{insert: delta[:n]}, delta[n:], true
	}
	return instruction{}, nil, false // 0 is reserved
}
