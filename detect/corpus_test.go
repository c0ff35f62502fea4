package detect

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusMarker stands in a corpus file for a key made at test time, so that
// no key-looking value is committed: @@KEY:name@@ is a Django key,
// @@INSECURE:name@@ a startproject one, @@URLSAFE:name@@ and
// @@PRINTABLE:name@@ keys of other generators, @@B64KEY:name@@ and
// @@B64INSECURE:name@@ base64 of them, @@DOLLARKEY:name@@ a key with
// compose's $$ escape; keys that Django's W009 calls weak but that are
// real secrets: @@SHORT:name@@ (49 characters of Django's alphabet),
// @@HEX:name@@ (40 hex digits), @@B64:name@@ (44 characters of base64),
// @@ALNUM:name@@ (25 letters and digits); and @@SEMIKEY:name@@, a key
// holding a ';'.
var corpusMarker = regexp.MustCompile(`@@([A-Z0-9]+):([a-z0-9]+)@@`)

func expandCorpus(text string) string {
	return corpusMarker.ReplaceAllStringFunc(text, func(m string) string {
		parts := corpusMarker.FindStringSubmatch(m)
		k := fakeKey("corpus-" + parts[2])
		switch parts[1] {
		case "KEY":
			return k
		case "INSECURE":
			return "django-insecure-" + k
		case "URLSAFE":
			return base64.RawURLEncoding.EncodeToString([]byte(k))[:56]
		case "PRINTABLE":
			return strings.NewReplacer("a", "Q", "e", " ", "i", "`", "o", "~", "u", "R").Replace(k)
		case "B64KEY":
			return base64.StdEncoding.EncodeToString([]byte(k))
		case "B64INSECURE":
			return base64.StdEncoding.EncodeToString([]byte("django-insecure-" + k))
		case "DOLLARKEY":
			return strings.ReplaceAll(k[:45]+"$"+k[45:], "$", "$$")
		case "SHORT":
			return k[:49]
		case "HEX":
			sum := sha256.Sum256([]byte(k))
			return hex.EncodeToString(sum[:])[:40]
		case "B64":
			sum := sha256.Sum256([]byte(k))
			return base64.StdEncoding.EncodeToString(sum[:])
		case "ALNUM":
			sum := sha256.Sum256([]byte(k))
			return strings.NewReplacer("+", "", "/", "", "=", "").Replace(base64.StdEncoding.EncodeToString(sum[:]))[:25]
		case "SEMIKEY":
			return k[:20] + ";" + k[20:]
		}
		panic("unknown corpus marker " + m)
	})
}

type corpusLabel struct {
	path     string
	line     int
	class    Class
	severity Severity
}

func (l corpusLabel) String() string {
	return fmt.Sprintf("%s:%d %s %s", l.path, l.line, l.class, l.severity)
}

func readLabels(t *testing.T) map[corpusLabel]bool {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus.labels"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels := map[corpusLabel]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		n, err := strconv.Atoi(fields[1])
		sev, ok := ParseSeverity(fields[3])
		if len(fields) != 4 || err != nil || !ok {
			t.Fatalf("bad label %q", line)
		}
		labels[corpusLabel{fields[0], n, Class(fields[2]), sev}] = true
	}
	return labels
}

// TestCorpus runs the detector over the corpus of realistic files and
// compares with the labels: it prints recall and false positives per class
// and fails on any miss or any false positive.
func TestCorpus(t *testing.T) {
	want := readLabels(t)
	root := filepath.Join("testdata", "corpus")
	got := map[corpusLabel]bool{}
	files := 0
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		for _, f := range Detect(rel, []byte(expandCorpus(string(data)))) {
			got[corpusLabel{rel, f.Line, f.Class, f.Severity}] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 80 {
		t.Errorf("the corpus has %d files; it should have at least 80", files)
	}
	type tally struct{ labelled, found, falsePos int }
	per := map[Class]*tally{}
	for _, c := range Classes {
		per[c] = &tally{}
	}
	var problems []string
	for l := range want {
		per[l.class].labelled++
		if got[l] {
			per[l.class].found++
		} else {
			problems = append(problems, "missed: "+l.String())
		}
	}
	for l := range got {
		if !want[l] {
			per[l.class].falsePos++
			problems = append(problems, "false positive: "+l.String())
		}
	}
	t.Logf("corpus: %d files", files)
	for _, c := range Classes {
		x := per[c]
		recall := 1.0
		if x.labelled > 0 {
			recall = float64(x.found) / float64(x.labelled)
		}
		t.Logf("%-19s labelled %3d  found %3d  recall %.2f  false positives %d", c, x.labelled, x.found, recall, x.falsePos)
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
