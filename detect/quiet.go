package detect

import (
	"bytes"
	"sync"
)

// A quiet text is one Detect finds nothing in under any file name, for a
// reason that lies in small pieces of the text: it spells no name
// findNamed reads a value for, holds no base64 of django-insecure-, and
// has no run of the key alphabet that the run recognisers claim. Each of
// those pieces — a name with the bytes either side of it, a run with the
// bytes either side of it, the base64 prefix — is judged by its own bytes
// alone, whatever the file and whatever else the text holds. So a text
// made from a quiet one by changing some of its bytes is quiet when the
// pieces that touch a change are: the history audit learns that from a
// delta's changed ranges and the bytes around them, without reading the
// rest of the version the delta builds.

// Quiet reports whether Detect finds nothing in content under any name,
// for the reasons above. False does not mean Detect finds something: a
// settings module that reads SECRET_KEY from the environment is not
// quiet, and has no finding.
func (det *Detector) Quiet(content []byte) bool {
	_, quiet := det.loudPiece(content, []Change{{0, len(content)}})
	return quiet
}

// Witness reports whether content is quiet, and returns, for a text that
// is not, a piece of it that makes any text holding it not quiet — the
// name, run or base64 prefix in the way, with the bytes either side of it
// — and where it starts. The piece is nil when it starts or ends content:
// there no byte beside it holds it in place.
func (det *Detector) Witness(content []byte) (piece []byte, at int, quiet bool) {
	p, quiet := det.loudPiece(content, []Change{{0, len(content)}})
	if quiet || p.Start == 0 || p.End == len(content) {
		return nil, 0, quiet
	}
	return content[p.Start-1 : p.End+1], p.Start - 1, false
}

// Change is a half-open range [Start, End) of a text's bytes that an
// edit wrote; an empty one marks a point where two unchanged stretches
// that were apart meet.
type Change struct{ Start, End int }

// QuietAfter reports whether content is Quiet, given that it was made
// from a quiet text by an edit that wrote only the bytes in changed:
// outside them, each stretch of content between two changes stood, as it
// is, in the quiet text. changed is in order of Start. Only the names and
// runs that touch a change are read; the start and the end of content
// count as changes, since a run or a name there may have been longer in
// the quiet text. When the quiet text was quiet, the answer is Quiet's.
func (det *Detector) QuietAfter(content []byte, changed []Change) bool {
	names := det.quietNames()
	least := 0
	if names.margin == 0 {
		least = names.least
	}
	buf, _ := zoneBufs.Get().(*[]Change)
	if buf == nil {
		buf = new([]Change)
	}
	*buf = zones((*buf)[:0], content, changed, least)
	_, quiet := det.loudPiece(content, *buf)
	zoneBufs.Put(buf)
	return quiet
}

// zoneBufs holds slices for zones to fill, for reuse: the history audit
// asks QuietAfter of every version of every file.
var zoneBufs sync.Pool

// pieceByte marks the bytes a piece is made of: those of names (letters,
// digits, '_' and '-'), of the key alphabet, and so of the base64 prefix.
var pieceByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = keyAlphabet[c] || c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// zones widens each change, and the start and end of content, to the
// whole stretches of piece bytes that touch it — those ending where it
// starts and those starting where it ends — and merges what meets or
// stands closer than zoneGap, in order; a zone shorter than least is
// left out. A piece with a changed byte or change point in it, or right
// beside it, lies inside a zone; every other piece, with the bytes either
// side of it, lies inside one unchanged stretch, or inside a zone too.
// Each byte is looked at a bounded number of times, however many changes
// fall inside one long stretch. The zones are appended to out.
func zones(out []Change, content []byte, changed []Change, least int) []Change {
	add := func(c Change) {
		lo, hi := c.Start, c.End
		floor := 0
		if k := len(out) - 1; k >= 0 {
			if hi <= out[k].End {
				return
			}
			floor = out[k].End
		}
		for lo > floor && pieceByte[content[lo-1]] {
			lo--
		}
		for hi < len(content) && pieceByte[content[hi]] {
			hi++
		}
		switch k := len(out) - 1; {
		case hi-lo < least:
		case k >= 0 && lo <= out[k].End+zoneGap:
			out[k].End = hi
		default:
			out = append(out, Change{lo, hi})
		}
	}
	add(Change{0, 0})
	for _, c := range changed {
		add(c)
	}
	add(Change{len(content), len(content)})
	return out
}

// zoneGap is how close two zones may stand and stay apart: reading the
// bytes between costs less than looking at a zone.
const zoneGap = 64

// loudPiece returns the first piece that lies in a zone and makes
// content other than quiet — the base64 prefix, a name findNamed reads a
// value for, a run findRuns claims — and false; or true, when there is
// none. A name is the token around an anchor ("ecret", "ECRET", a
// project's names); its extent depends on whether the syntax lets '-'
// into names, so it is judged both ways. A run is judged as a compose
// file reads it ($$ as $) and as other files do.
func (det *Detector) loudPiece(content []byte, zs []Change) (Change, bool) {
	names := det.quietNames()
	anchors, least, margin := names.anchors, names.least, names.margin
	strict := doc{b: content, syn: plainNames, det: det}
	dashed := doc{b: content, syn: dashedNames, det: det}
	compose := doc{b: content, syn: plainNames, compose: true}
	for _, z := range zs {
		if z.End-z.Start < least && margin == 0 {
			continue // holds no anchor, and too short for a run
		}
		if i := bytes.Index(content[z.Start:z.End], b64InsecurePrefix); i >= 0 {
			return Change{z.Start + i, z.Start + i + len(b64InsecurePrefix)}, false
		}
		lo, hi := max(z.Start-margin, 0), min(z.End+margin, len(content))
		for _, a := range anchors {
			strictEnd, dashedEnd := -1, -1 // each token is judged once
			var name Change
			found := false
			indexEach(content[lo:hi], a, func(at int) bool {
				if name, found = strict.keyNameAt(lo+at, &strictEnd); !found {
					name, found = dashed.keyNameAt(lo+at, &dashedEnd)
				}
				return !found
			})
			if found {
				return name, false
			}
		}
		if z.End-z.Start < minProfileLen {
			continue
		}
		if strict.findRunsIn(z.Start, z.End); len(strict.out) > 0 {
			return runAround(content, strict.out[0].span), false
		}
		if bytes.Contains(content[z.Start:z.End], []byte("$$")) {
			if compose.findRunsIn(z.Start, z.End); len(compose.out) > 0 {
				return runAround(content, compose.out[0].span), false
			}
		}
	}
	return Change{}, true
}

// plainNames and dashedNames are the two ways a syntax reads a name, as
// far as the quiet test cares: with '-' in it or not.
var (
	plainNames  = &syntax{}
	dashedNames = &syntax{dashInNames: true}
)

// runAround returns the run of the key alphabet a claim lies in.
func runAround(b []byte, s span) Change {
	r := Change{s.start, s.end}
	for r.Start > 0 && keyAlphabet[b[r.Start-1]] {
		r.Start--
	}
	for r.End < len(b) && keyAlphabet[b[r.End]] {
		r.End++
	}
	return r
}

// quietNames is what the quiet test looks for names by: every anchor,
// the length of the shortest (a zone shorter holds no piece: the base64
// prefix is longer, a run longer still), and how far past a zone's edge
// to look — nowhere, unless a project's name holds a byte no piece is
// made of, which a zone's edge may then cut.
type quietNames struct {
	anchors       [][]byte
	least, margin int
}

func quietNamesOf(extra [][]byte) quietNames {
	q := quietNames{anchors: append([][]byte{anchorLower, anchorUpper}, extra...), least: len(b64InsecurePrefix)}
	for _, a := range q.anchors {
		q.least = min(q.least, len(a))
		for _, c := range a {
			if !pieceByte[c] {
				q.margin = max(q.margin, len(a))
			}
		}
	}
	return q
}

// djangoQuietNames is quietNames for Django's own names.
var djangoQuietNames = quietNamesOf(nil)

// quietNames returns what the quiet test looks for names by.
func (det *Detector) quietNames() quietNames {
	if det == nil || det.quiet.anchors == nil {
		return djangoQuietNames
	}
	return det.quiet
}

// keyNameAt returns the token around offset i and whether it is a name
// roleOf gives a role to; a token that ends after i was judged already,
// and the end of the one judged is kept in *end.
func (d *doc) keyNameAt(i int, end *int) (Change, bool) {
	if i < *end {
		return Change{}, false
	}
	ts, te := d.token(i)
	*end = te
	return Change{ts, te}, d.det.namesKey(normName(string(d.b[ts:te])))
}
