package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Class names the kind of leak a finding is.
type Class string

// The classes of finding, from the most specific to the least.
const (
	// InsecureKey is a key with Django's django-insecure- prefix, anywhere.
	InsecureKey Class = "insecure-key"
	// HardcodedFallback is a literal default in an environment read, such
	// as os.environ.get("DJANGO_SECRET_KEY", "...").
	HardcodedFallback Class = "hardcoded-fallback"
	// HardcodedKey is SECRET_KEY (or a variable that holds it) set to a literal.
	HardcodedKey Class = "hardcoded-key"
	// WeakKey is a literal key that Django's deploy check (W009) rejects for
	// its length or its few distinct characters.
	WeakKey Class = "weak-key"
	// BareKey is a string with no key context that has the statistical
	// profile of a key made by get_random_secret_key.
	BareKey Class = "bare-key"
)

// Classes lists every class, most specific first.
var Classes = []Class{InsecureKey, HardcodedFallback, HardcodedKey, WeakKey, BareKey}

// rank orders classes when two recognisers claim the same value: the more
// specific claim wins.
func (c Class) rank() int {
	for i, k := range Classes {
		if k == c {
			return i
		}
	}
	return len(Classes)
}

// Severity says how sure and how serious a finding is.
type Severity int

// Severities, in increasing order.
const (
	// Low findings are reported but do not fail a scan by default: weak
	// keys and placeholder-looking values.
	Low Severity = iota + 1
	// High findings are real-looking keys.
	High
)

// String returns "low" or "high".
func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case High:
		return "high"
	}
	return "unknown"
}

// ParseSeverity reads "low" or "high".
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "low":
		return Low, true
	case "high":
		return High, true
	}
	return 0, false
}

// Finding is one leaked value in one file. It is plain data: the secret is
// held in full, and redaction happens where text leaves the process.
type Finding struct {
	Path string // slash-separated, as the source names the file
	// Line and Column locate the secret's first character, both from 1;
	// Column counts characters (Unicode code points), not bytes.
	Line, Column int
	// EndLine and EndColumn locate the character after the secret.
	EndLine, EndColumn int
	// Start and End are the secret's byte span in the scanned content.
	Start, End  int
	Class       Class
	Severity    Severity
	Name        string // the setting or variable that held the value; "" for bare keys
	Secret      string // the value as the application would see it
	Fingerprint string // Fingerprint(Secret)
	// Allowed says that the secret's line, or the line of the name that
	// gave it, carries the marker djguard:allow: the user has looked and
	// judged it no leak. Package policy leaves such findings out.
	Allowed bool
	// Origin is set by the history audit: where the secret came in.
	Origin *Origin
	// Image is set by the scan of a container image: the layer or config
	// field the secret stands in.
	Image *ImagePlace
}

// ImagePlace says where in a container image a secret stands. The
// detector never sets it: the image scan does.
type ImagePlace struct {
	Image     string   // the image, as named on the command line
	Platforms []string // the platforms whose image holds it; "" for an image that names none
	Layer     string   // the layer's digest; "" for the image config
	// Step is the history step that made the layer (or that the config
	// field is): the Dockerfile line, as the builder recorded it.
	Step    string
	Field   string // the config field ("Env", "Cmd", "Entrypoint", "Labels", "history[3]"); "" in a layer
	Deleted bool   // a later layer deletes the file: gone from a container, not from the image
}

// fingerprintDomain separates djguard fingerprints from any other use of
// SHA-256 over the same value.
const fingerprintDomain = "djguard fingerprint v1\x00"

// Fingerprint returns a stable identifier for a secret value: the first 128
// bits of SHA-256 over a fixed domain string and the value, in hex. It is the
// same on every machine and run, and reveals nothing of a random key; a weak
// word such as "changeme" can still be guessed from it, as from any
// deterministic fingerprint.
func Fingerprint(secret string) string {
	sum := sha256.Sum256([]byte(fingerprintDomain + secret))
	return hex.EncodeToString(sum[:16])
}

// Origin says where a secret found in a repository's history came from.
// The detector never sets it: a history source does, once it knows which
// commit brought the secret in.
type Origin struct {
	Commit      string    // the oldest commit, in history order, whose tree holds it
	Author      string    // that commit's author
	Email       string    // the author's email
	Date        time.Time // the author date
	Summary     string    // the first line of the commit message
	CommitCount int       // how many audited commits' trees hold it
	Paths       []string  // every path it appeared under, sorted
	InHead      bool      // whether HEAD's tree still holds it
	// Head, set when InHead is, is where HEAD's tree holds it: the file
	// the introducing commit had it in if HEAD still holds it there, else
	// the first file by path that does; the first place in that file.
	// Forges show a history audit's findings on HEAD's files (a pull
	// request's analysed commit), where the introducing commit's line may
	// hold something else.
	Head *Location
}

// Location is a place in a file: its path and the span of a secret in
// it, counted as in Finding.
type Location struct {
	Path               string
	Line, Column       int
	EndLine, EndColumn int
}
