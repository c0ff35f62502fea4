package detect

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// allowMarker on a finding's line, in a comment of any syntax, marks the
// finding Allowed: the user has looked and judged it not a leak.
var allowMarker = []byte("djguard:allow")

// Detector finds Django secret keys. The zero value knows Django's own
// names; NewDetector adds a project's.
type Detector struct {
	// extra holds more names that hold a Django key, in capitals with
	// dashes as underscores, and the spellings to search the text for.
	extra   map[string]bool
	anchors [][]byte
	// quiet holds what the quiet test looks for names by (quietNames),
	// found once.
	quiet quietNames
}

// NewDetector returns a detector that also treats these names as holding
// a Django key, like SECRET_KEY (e.g. MYAPP_SIGNING_KEY), written in
// capitals, in lower case, or with dashes.
func NewDetector(extraNames []string) *Detector {
	d := &Detector{extra: map[string]bool{}}
	seen := map[string]bool{}
	for _, n := range extraNames {
		d.extra[normName(n)] = true
		dashed := strings.ReplaceAll(n, "_", "-")
		for _, v := range []string{n, strings.ToUpper(n), strings.ToLower(n), strings.ToLower(dashed), strings.ToUpper(dashed)} {
			if v != "" && !seen[v] {
				seen[v] = true
				d.anchors = append(d.anchors, []byte(v))
			}
		}
	}
	d.quiet = quietNamesOf(d.anchors)
	return d
}

func normName(n string) string {
	return strings.ToUpper(strings.ReplaceAll(n, "-", "_"))
}

// Detect finds the Django secret keys in one file's content with Django's
// own names (see Detector.Detect).
func Detect(name string, content []byte) []Finding {
	return (*Detector)(nil).Detect(name, content)
}

// Detect finds the Django secret keys in one file's content. name is the
// file's path; its name and extension say how values are written there
// (Python, .env, YAML, JSON, INI/TOML, Dockerfile, notebook). Content may be
// any bytes: invalid UTF-8 and CRLF line ends are read as they come.
// Findings are ordered by position, and no two overlap. A nil Detector
// knows Django's own names.
func (det *Detector) Detect(name string, content []byte) []Finding {
	fk := KindOf(name)
	d := doc{b: content, syn: fk.syntax, det: det, settings: fk.settings, test: fk.test, compose: fk.compose}
	return d.scan(name)
}

// scan runs every recogniser on the document and returns its findings.
func (d *doc) scan(name string) []Finding {
	d.findNamed()
	d.findRuns()
	d.findEncodedInsecure()
	if len(d.out) == 0 {
		return nil
	}
	kept := d.resolve()
	return d.findings(name, kept)
}

// doc is one file being scanned.
type doc struct {
	det        *Detector // nil: Django's own names only
	b          []byte
	syn        *syntax
	settings   bool // a Python settings module
	test       bool // a test file
	compose    bool // a docker compose file, where $$ stands for $
	out        []candidate
	allowLines [][2]int // lines marked djguard:allow, found on first need
	allowWork  int      // bytes and lines the allow check looked at, for tests of its cost
	judged     map[judgeKey]judgment
	keyReads   map[string]bool   // strings SECRET_KEY is read under (readIntoKey), found on first need
	keyFeeds   map[string]bool   // variables the file sets SECRET_KEY from (feedsKey), found on first need
	fences     []fence           // a Markdown text's code blocks of another syntax, found on first need
	prints     map[string]string // fingerprints by value
}

// candidate is one recogniser's claim on a span of the text.
type candidate struct {
	span
	verdict
	name   string
	anchor int // where the name that gave the value stands, for suppression
}

// resolve keeps, where claims overlap, the most specific one (see
// Class.rank), preferring a claim that knows the variable's name. Claims
// are first split into
// clusters of overlapping spans, so that the work stays linear when a file
// holds thousands of findings.
func (d *doc) resolve() []candidate {
	c := d.out
	sort.Slice(c, func(i, j int) bool { return c[i].start < c[j].start })
	kept := make([]candidate, 0, len(c))
	for lo := 0; lo < len(c); {
		hi, end := lo+1, c[lo].end
		for hi < len(c) && c[hi].start < max(end, c[lo].start+1) {
			end = max(end, c[hi].end)
			hi++
		}
		kept = d.resolveCluster(c[lo:hi], kept)
		lo = hi
	}
	return kept
}

// resolveCluster appends the winners of one cluster of overlapping claims,
// in order of position, to kept. Claims are judged by level (rank, then
// named before unnamed), and within a level by position; a claim wins when
// it overlaps no winner. Winners never overlap one another, so they stay in
// one list sorted by start, and a level's claims, taken in order of start,
// meet that list with a pointer that only moves forward: the work is the
// number of levels times the cluster's size, never its square (a file of
// repeated "SECRET_KEY = \"" is one cluster of a million claims).
func (d *doc) resolveCluster(c []candidate, kept []candidate) []candidate {
	if len(c) == 1 {
		return append(kept, c[0])
	}
	sort.SliceStable(c, func(i, j int) bool {
		if li, lj := level(c[i]), level(c[j]); li != lj {
			return li < lj
		}
		return c[i].start < c[j].start
	})
	// Winners are held as indexes into c: a cluster of a million claims
	// then costs 4 bytes a winner, not a copy of each claim.
	won := make([]int32, 0, len(c))
	next := make([]int32, 0, len(c))
	for lo := 0; lo < len(c); {
		hi := lo + 1
		for hi < len(c) && level(c[hi]) == level(c[lo]) {
			hi++
		}
		next = mergeWinners(next[:0], won, c, lo, hi)
		won, next = next, won
		lo = hi
	}
	for _, i := range won {
		kept = append(kept, c[i])
	}
	return kept
}

// level orders claims for resolveCluster: the more specific class first
// (see Class.rank), and a claim that knows its variable's name before one
// that does not.
func level(c candidate) int {
	l := 2 * c.class.rank()
	if c.name == "" {
		l++
	}
	return l
}

// mergeWinners returns, in dst, won (indexes into c, sorted by start, no
// two claims overlapping) together with each claim of c[lo:hi], one level
// sorted by start, that overlaps neither a claim of won nor an earlier
// winner of its own level.
func mergeWinners(dst, won []int32, c []candidate, lo, hi int) []int32 {
	p := 0 // won[:p] lies wholly before the current claim
	for i := lo; i < hi; i++ {
		x := &c[i]
		for p < len(won) && c[won[p]].end <= x.start && c[won[p]].start < x.start {
			dst = append(dst, won[p])
			p++
		}
		if p < len(won) && overlaps(&c[won[p]], x) {
			continue
		}
		if n := len(dst); n > 0 && overlaps(&c[dst[n-1]], x) {
			continue
		}
		dst = append(dst, int32(i))
	}
	return append(dst, won[p:]...)
}

// overlaps reports whether two claims share a byte or a start.
func overlaps(a, b *candidate) bool {
	return a.start < b.end && b.start < a.end || a.start == b.start
}

// allowed reports whether the claim's line, or the line of the name that
// gave it, is marked djguard:allow. The marked lines are sorted and apart,
// so each look is a binary search: a file of a million marked lines and a
// million claims costs no more than twice a million searches.
func (d *doc) allowed(x candidate) bool {
	if d.allowLines == nil {
		d.allowLines = d.markedLines()
	}
	return d.onMarkedLine(x.start) || d.onMarkedLine(x.anchor)
}

// onMarkedLine reports whether offset i lies on a marked line.
func (d *doc) onMarkedLine(i int) bool {
	lines := d.allowLines
	k := sort.Search(len(lines), func(j int) bool {
		d.allowWork++
		return lines[j][1] >= i
	})
	return k < len(lines) && lines[k][0] <= i
}

// markedLines returns the [start, end] offsets of each line that holds
// the allow marker, in order, each once; never nil, so it is computed once
// per file. A marker on a line already marked is passed over, and a
// line's start is looked for no further back than the last marked line's
// end, so every byte is looked at a bounded number of times however many
// markers a line holds.
func (d *doc) markedLines() [][2]int {
	lines := [][2]int{}
	end := -1 // where the last marked line ends
	for _, at := range indexAll(d.b, allowMarker, nil) {
		if at <= end {
			continue
		}
		start := lineStart(d.b, at, end+1)
		end = lineEnd(d.b, at, len(d.b))
		d.allowWork += end - start
		lines = append(lines, [2]int{start, end})
	}
	return lines
}

// findings turns kept claims, ordered by start, into Findings with lines
// and columns, walking the content once.
func (d *doc) findings(name string, kept []candidate) []Finding {
	var pos position
	out := make([]Finding, 0, len(kept))
	for _, k := range kept {
		line, col := pos.at(d.b, k.start)
		endPos := pos // a copy: the next start may lie before this end
		endLine, endCol := endPos.at(d.b, k.end)
		out = append(out, Finding{
			Path:        name,
			Line:        line,
			Column:      col,
			EndLine:     endLine,
			EndColumn:   endCol,
			Start:       k.start,
			End:         k.end,
			Class:       k.class,
			Severity:    k.severity,
			Name:        k.name,
			Secret:      k.value,
			Fingerprint: d.fingerprint(k.value),
			Allowed:     d.allowed(k),
		})
	}
	return out
}

// fingerprint is Fingerprint, remembered per file.
func (d *doc) fingerprint(v string) string {
	if fp, ok := d.prints[v]; ok {
		return fp
	}
	if d.prints == nil {
		d.prints = map[string]string{}
	}
	fp := Fingerprint(v)
	d.prints[v] = fp
	return fp
}

// position walks forward through content counting lines and characters.
type position struct {
	off, line, col int
}

// at returns the 1-based line and character column of offset i, which must
// not lie before the last offset asked for.
func (p *position) at(b []byte, i int) (line, col int) {
	if p.line == 0 {
		p.line, p.col = 1, 1
	}
	for {
		j := bytes.IndexByte(b[p.off:i], '\n')
		if j < 0 {
			break
		}
		p.off += j + 1
		p.line++
		p.col = 1
	}
	p.col += utf8.RuneCount(b[p.off:i])
	p.off = i
	return p.line, p.col
}

// MayHoldKey is Detect's cheap first look: false means Detect would find
// nothing in content under any name, so the history audit need not read
// the blob whole. It looks for a run of the key alphabet first: that look
// reads every 50th byte, and text that has runs (lockfiles, URLs) has one
// early, where looking for names first would read all of it. It looks for
// what each recogniser starts from: a run, a name, and the base64 of
// django-insecure (findEncodedInsecure), whose alphabet is not the key's.
func (det *Detector) MayHoldKey(content []byte) bool {
	return hasKeyRun(content) || det.hasName(content) || containsWindowed(content, b64InsecurePrefix)
}

// hasName reports whether content holds any spelling of a key's name.
func (det *Detector) hasName(content []byte) bool {
	if containsWindowed(content, anchorLower) || containsWindowed(content, anchorUpper) {
		return true
	}
	if det != nil {
		for _, a := range det.anchors {
			if containsWindowed(content, a) {
				return true
			}
		}
	}
	return false
}

// hasKeyRun reports whether content holds minProfileLen characters of the
// key alphabet in a row.
func hasKeyRun(content []byte) bool {
	for i := minProfileLen - 1; i < len(content); i += minProfileLen {
		if !keyAlphabet[content[i]] {
			continue
		}
		s, e := i, i+1
		for s > 0 && keyAlphabet[content[s-1]] && e-s < minProfileLen {
			s--
		}
		for e < len(content) && keyAlphabet[content[e]] && e-s < minProfileLen {
			e++
		}
		if e-s >= minProfileLen {
			return true
		}
	}
	return false
}

// FileKind is what a file's name tells the detector: the syntax of its
// values, and whether it is a settings module, a test or a compose file.
// Two names of the same FileKind give the same findings for the same
// content, so a source may scan content once per FileKind.
type FileKind struct {
	syntax                  *syntax
	settings, test, compose bool
}

// KindOf returns what the file name tells the detector.
func KindOf(name string) FileKind {
	return FileKind{syntax: syntaxOf(name), settings: isSettingsModule(name), test: isTestFile(name), compose: isCompose(name)}
}
