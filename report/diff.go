package report

// This file is the unified diff fix shows of the change it plans.

import (
	"bytes"
	"fmt"
	"io"
)

// maxDiffCells bounds the line-matching table; larger pairs of files are
// shown as one hunk that replaces the first changed line to the last.
const maxDiffCells = 16 << 20

// Diff writes a unified diff (three lines of context) between two versions
// of a file, a and b, in lines with their line ends; shownA and shownB are
// the same lines as they are to be shown (fix hides the keys it moves). Line ends are kept as they are, so a CRLF file shows
// its \r. Lines are matched on their text and printed as shown returns
// them, so that what is hidden does not change what matches.
func Diff(w io.Writer, name string, a, b, shownA, shownB [][]byte) error {
	shown := func(op diffOp) []byte {
		if op.kind == '+' {
			return shownB[op.bLine]
		}
		return shownA[op.aLine]
	}
	ops := diffLines(a, b)
	if ops == nil {
		return nil
	}
	if _, err := fmt.Fprintf(w, "--- a/%s\n+++ b/%s\n", Printable(name), Printable(name)); err != nil {
		return err
	}
	const context = 3
	for i := 0; i < len(ops); {
		// Find the next change and the stretch of changes close to it.
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(0, i-context)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*context {
				break
			}
		}
		stop := min(len(ops), end+context+1)
		aStart, bStart := ops[start].aLine, ops[start].bLine
		var aCount, bCount int
		var body bytes.Buffer
		for _, op := range ops[start:stop] {
			switch op.kind {
			case ' ':
				aCount++
				bCount++
			case '-':
				aCount++
			case '+':
				bCount++
			}
			body.WriteByte(op.kind)
			body.Write(shown(op))
			if !bytes.HasSuffix(op.text, []byte("\n")) {
				body.WriteString("\n\\ No newline at end of file\n")
			}
		}
		if _, err := fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n", hunkStart(aStart, aCount), aCount, hunkStart(bStart, bCount), bCount); err != nil {
			return err
		}
		if _, err := w.Write(body.Bytes()); err != nil {
			return err
		}
		i = stop
	}
	return nil
}

type diffOp struct {
	kind         byte // ' ', '-' or '+'
	text         []byte
	aLine, bLine int // 0-based positions before this op
}

// diffLines matches lines by longest common subsequence; it returns nil
// when the files are equal.
func diffLines(a, b [][]byte) []diffOp {
	if equalLines(a, b) {
		return nil
	}
	// Common prefix and suffix first: edits are small and local.
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', a[i], i, i})
	}
	ops = append(ops, middle(ma, mb, pre)...)
	for i := 0; i < suf; i++ {
		ai, bi := len(a)-suf+i, len(b)-suf+i
		ops = append(ops, diffOp{' ', a[ai], ai, bi})
	}
	return ops
}

// middle diffs the differing middle parts, which start at line off.
func middle(a, b [][]byte, off int) []diffOp {
	var ops []diffOp
	if len(a)*len(b) > maxDiffCells {
		for i, l := range a {
			ops = append(ops, diffOp{'-', l, off + i, off})
		}
		for j, l := range b {
			ops = append(ops, diffOp{'+', l, off + len(a), off + j})
		}
		return ops
	}
	// lcs[i][j]: length of the common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if bytes.Equal(a[i], b[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && bytes.Equal(a[i], b[j]):
			ops = append(ops, diffOp{' ', a[i], off + i, off + j})
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', a[i], off + i, off + j})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j], off + i, off + j})
			j++
		}
	}
	return ops
}

func equalLines(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// hunkStart is a hunk's first line number, 1-based; an empty side names
// the line it follows, as diff does.
func hunkStart(line, count int) int {
	if count == 0 {
		return line
	}
	return line + 1
}
