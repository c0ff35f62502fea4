package detect

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/djguard/djguard/keygen"
)

// role is what a variable's name says about the value it holds.
type role int

const (
	roleNone    role = iota
	roleKey          // SECRET_KEY, DJANGO_SECRET_KEY: any literal counts
	roleList         // SECRET_KEY_FALLBACKS: each literal element counts
	roleProfile      // MYAPP_SECRET_KEY and the like: only a Django-shaped value counts
	roleRandom       // the same in a settings module: a random-looking value of any alphabet counts
)

// otherServices are prefixes of *_SECRET_KEY names that belong to another
// service's credentials, not to a Django key: STRIPE_SECRET_KEY holds a
// Stripe key whatever the file.
var otherServices = []string{
	"STRIPE", "AWS", "S3", "RECAPTCHA", "HCAPTCHA", "PAYPAL", "TWILIO", "SENDGRID", "MAILGUN",
	"MAILCHIMP", "MANDRILL", "POSTMARK", "ALGOLIA", "PUSHER", "BRAINTREE", "SOCIAL_AUTH", "GITHUB",
	"GITLAB", "GOOGLE", "FACEBOOK", "TWITTER", "LINKEDIN", "SLACK", "OKTA", "AUTH0", "KEYCLOAK",
	"SENTRY", "CLOUDINARY", "MINIO", "SPACES", "AZURE", "GCP", "GCS", "FIREBASE", "OPENAI", "PLAID",
	"ADYEN", "SQUARE", "RAZORPAY", "MOLLIE", "BINANCE", "COINBASE", "KRAKEN", "ALPACA", "POLYGON",
	"OAUTH", "API", "CLIENT", "CONSUMER", "APP_STORE", "PADDLE", "CHARGEBEE", "ZOOM", "VONAGE",
	"NEXMO", "MESSAGEBIRD", "B2", "BACKBLAZE", "LINODE", "WASABI", "HCLOUD",
}

func isOtherService(norm string) bool {
	for _, s := range otherServices {
		if strings.HasPrefix(norm, s+"_") || strings.HasPrefix(norm, s) && !strings.Contains(norm, "_") {
			return true
		}
	}
	return false
}

// roleOf classifies a name found around an anchor.
func (d *doc) roleOf(name string) role {
	norm := normName(name)
	if d.det != nil && d.det.extra[norm] {
		return roleKey
	}
	k := d.kind
	exact := name == norm // written in capitals, as Django settings are
	switch {
	case norm == "SECRET_KEY" || norm == "DJANGO_SECRET_KEY":
		if exact || k.configLike() {
			return roleKey
		}
		return roleProfile
	case norm == "SECRET_KEY_FALLBACKS" || norm == "DJANGO_SECRET_KEY_FALLBACKS":
		return roleList
	case norm == "SECRETKEY" || strings.HasSuffix(norm, "_SECRET_KEY") || strings.HasSuffix(norm, "_SECRETKEY"):
		// A project's own prefixed key (MYPROJECT_SECRET_KEY); in a
		// settings module its value may come from any generator.
		if d.settings && !isOtherService(norm) {
			return roleRandom
		}
		return roleProfile
	}
	return roleNone
}

// candidate is one recogniser's claim on a span of the text.
type candidate struct {
	span
	verdict
	name   string
	anchor int // where the name that gave the value stands, for suppression
}

// doc is one file being scanned.
type doc struct {
	det        *Detector // nil: Django's own names only
	b          []byte
	kind       kind
	settings   bool // a Python settings module
	test       bool // a test file
	compose    bool // a docker compose file, where $$ stands for $
	out        []candidate
	allowLines [][2]int // lines marked djguard:allow, found on first need
}

var (
	anchorLower = []byte("ecret")
	anchorUpper = []byte("ECRET")
)

// findNamed runs the recognisers that start from a variable's name: every
// occurrence of "secret" in any of its usual cases is expanded to the whole
// name, and the name's surroundings decide how its value is written.
func (d *doc) findNamed() {
	hits := indexAll(d.b, anchorLower, nil)
	hits = indexAll(d.b, anchorUpper, hits)
	if d.det != nil {
		for _, a := range d.det.anchors {
			hits = indexAll(d.b, a, hits)
		}
	}
	if len(hits) == 0 {
		return
	}
	slices.Sort(hits)
	lastEnd := -1
	for _, h := range hits {
		if h < lastEnd {
			continue // another occurrence inside a name already handled
		}
		ts, te := d.token(h)
		lastEnd = te
		r := d.roleOf(string(d.b[ts:te]))
		if r == roleNone {
			continue
		}
		d.named(ts, te, r)
	}
}

// indexAll appends the offsets of every needle in b to into. It searches
// in windows of searchWindow bytes: for a text this short bytes.Index uses
// its vectorised search at once, while on long text it first hunts for the
// needle's first byte, which for "ecret" is the commonest letter of code and
// costs three times as much.
func indexAll(b, needle []byte, into []int) []int {
	n := len(needle)
	for off := 0; off+n <= len(b); off += searchWindow - n + 1 {
		w := b[off:min(len(b), off+searchWindow)]
		for base := 0; base+n <= len(w); {
			i := bytes.Index(w[base:], needle)
			if i < 0 {
				break
			}
			into = append(into, off+base+i)
			base += i + n
		}
	}
	return into
}

// searchWindow is the text length up to which bytes.Index searches with
// SIMD directly (bytealg.MaxBruteForce on amd64).
const searchWindow = 64

// token expands position i to the name that holds it.
func (d *doc) token(i int) (int, int) {
	s, e := i, i
	for s > 0 && d.isNameByte(d.b[s-1]) {
		s--
	}
	for e < len(d.b) && d.isNameByte(d.b[e]) {
		e++
	}
	return s, e
}

func (d *doc) isNameByte(c byte) bool {
	switch {
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		return true
	case c == '-':
		// In Python a dash is an operator; in YAML, INI and .env it is part
		// of a key such as django-secret-key.
		return d.kind != kindPython && d.kind != kindNotebook
	}
	return false
}

// named looks at what follows the name b[ts:te] and claims the value it is
// given, if that value is a literal.
func (d *doc) named(ts, te int, r role) {
	name := string(d.b[ts:te])
	if q := d.quoteBefore(ts); q != "" {
		if te < len(d.b) && d.b[te] == '=' {
			// A whole "KEY=value" item in quotes, as in a compose list.
			if s, ok := parseBare(d.b, te+1, q[len(q)-1:]); ok {
				d.claim(&s, HardcodedKey, r, name, ts)
			}
			return
		}
		if bytes.HasPrefix(d.b[te:], []byte(q)) {
			d.quotedName(ts-len(q), te+len(q), r, name)
			return
		}
	}
	if d.shellDefault(ts, te, r, name) {
		return
	}
	if d.kind == kindDocker && d.legacyEnv(ts, te, r, name) {
		return
	}
	if d.kind == kindYAML && d.namedEnvEntry(ts, te, r, name) {
		return
	}
	p := skipBlanks(d.b, te)
	if p >= len(d.b) {
		return
	}
	switch d.b[p] {
	case '=':
		if p+1 < len(d.b) && d.b[p+1] == '=' {
			return // a comparison
		}
		d.assigned(p+1, r, name, ts, HardcodedKey)
	case ':':
		if d.kind == kindPython || d.kind == kindNotebook {
			// A lowercase annotated name is a settings-class field
			// (pydantic, dataclasses): its value is a default that the
			// environment overrides.
			class := HardcodedKey
			if name != normName(name) {
				class = HardcodedFallback
			}
			d.annotated(p+1, r, name, ts, class)
			return
		}
		d.mapped(p+1, r, name, ts)
	}
}

// quoteBefore returns the quote that opens right before position i: ', ",
// or the \" and \' of source embedded in a JSON string.
func (d *doc) quoteBefore(i int) string {
	if i == 0 || !isQuote(d.b[i-1]) {
		return ""
	}
	if i >= 2 && d.b[i-2] == '\\' {
		return string(d.b[i-2 : i])
	}
	return string(d.b[i-1 : i])
}

// quotedName handles a name written as a string: a mapping key
// ("SECRET_KEY": ...), an item assignment (os.environ["SECRET_KEY"] = ...),
// the first argument of a call (os.environ.get("SECRET_KEY", ...)), or a
// name/value pair ({"name": "SECRET_KEY", "value": ...}).
func (d *doc) quotedName(open, p int, r role, name string) {
	if r == roleProfile && d.settings && !isOtherService(normName(name)) {
		r = roleRandom // {"secret_key": ...} in a settings module
	}
	p = skipBlanks(d.b, p)
	if p >= len(d.b) {
		return
	}
	switch d.b[p] {
	case ':':
		d.mapped(p+1, r, name, open)
	case ']':
		p = skipBlanks(d.b, p+1)
		if p+1 < len(d.b) && d.b[p] == '=' && d.b[p+1] != '=' {
			d.assigned(p+1, r, name, open, HardcodedKey)
		}
	case ',', ')':
		if d.call(open, p, r, name) {
			return
		}
		if d.b[p] == ',' {
			d.pair(p+1, r, name, open)
		}
	}
}

// assigned claims the value of NAME = value.
func (d *doc) assigned(p int, r role, name string, anchor int, class Class) {
	if r == roleList {
		d.list(p, name, anchor)
		return
	}
	if d.kind == kindPython || d.kind == kindNotebook {
		if s := d.schemeDefault(p); s != nil {
			d.claim(s, HardcodedFallback, r, name, anchor)
			return
		}
		if s := d.callDefault(p); s != nil {
			d.claim(s, HardcodedFallback, r, name, anchor)
			return
		}
		d.claim(d.pythonValue(p), class, r, name, anchor)
		return
	}
	d.claim(d.value(skipBlanks(d.b, p)), class, r, name, anchor)
}

// annotated handles NAME: type = value in Python; NAME: with no assignment
// on the line is left alone.
func (d *doc) annotated(p int, r role, name string, anchor int, class Class) {
	end := lineEnd(d.b, p, p+256)
	eq := bytes.IndexByte(d.b[p:end], '=')
	if eq < 0 {
		return
	}
	p += eq
	if p+1 < len(d.b) && d.b[p+1] == '=' {
		return
	}
	d.assigned(p+1, r, name, anchor, class)
}

// mapped claims the value of NAME: value (YAML, JSON, a Python dict).
func (d *doc) mapped(p int, r role, name string, anchor int) {
	if r == roleList {
		d.list(p, name, anchor)
		return
	}
	p = skipBlanks(d.b, p)
	if p < len(d.b) && d.b[p] == '{' {
		// Heroku app.json: "SECRET_KEY": {"value": "..."}, looked for only
		// inside this entry's braces.
		end := min(len(d.b), p+256)
		if c := bytes.IndexByte(d.b[p:end], '}'); c >= 0 {
			end = p + c
		}
		if i := bytes.Index(d.b[p:end], []byte(`"value"`)); i >= 0 {
			if c := skipBlanks(d.b, p+i+len(`"value"`)); c < len(d.b) && d.b[c] == ':' {
				d.claim(d.value(skipBlanks(d.b, c+1)), HardcodedKey, r, name, anchor)
			}
		}
		return
	}
	if d.kind == kindYAML && p < len(d.b) && (d.b[p] == '|' || d.b[p] == '>') {
		// A block scalar: the value is on the next line.
		next := lineEnd(d.b, p, p+256) + 1
		d.claim(d.value(skipSpace(d.b, next)), HardcodedKey, r, name, anchor)
		return
	}
	d.claim(d.value(p), HardcodedKey, r, name, anchor)
}

// pair handles {"name": "SECRET_KEY", "value": "..."}, the shape of a
// dumpdata fixture of a settings model.
func (d *doc) pair(p int, r role, name string, anchor int) {
	p = skipBlanks(d.b, p)
	for _, key := range []string{`"value"`, `'value'`} {
		if bytes.HasPrefix(d.b[p:], []byte(key)) {
			c := skipBlanks(d.b, p+len(key))
			if c < len(d.b) && d.b[c] == ':' {
				d.claim(d.value(skipBlanks(d.b, c+1)), HardcodedKey, r, name, anchor)
			}
			return
		}
	}
}

// legacyEnv handles a Dockerfile's ENV NAME value (no equals sign).
func (d *doc) legacyEnv(ts, te int, r role, name string) bool {
	ls := lineStart(d.b, ts, ts-256)
	head := bytes.TrimLeft(d.b[ls:ts], " \t")
	if len(head) < 4 || !bytes.EqualFold(head[:3], []byte("ENV")) || len(bytes.TrimSpace(head[3:])) != 0 {
		return false
	}
	if te >= len(d.b) || (d.b[te] != ' ' && d.b[te] != '\t') {
		return false
	}
	p := skipBlanks(d.b, te)
	if p < len(d.b) && d.b[p] == '=' {
		return false
	}
	d.claim(d.value(p), HardcodedKey, r, name, ts)
	return true
}

// value reads a literal at p: quoted in any file, or bare where this kind
// of file writes values bare. Bare words in files of unknown kind count only
// when they look like a Django key.
func (d *doc) value(p int) *span {
	if p >= len(d.b) {
		return nil
	}
	if s, _, ok := parseQuoted(d.b, p); ok {
		return &s
	}
	if c := d.b[p]; isQuote(c) || c == '\\' {
		return nil // a quote that did not close: not a literal we can read
	}
	stops := ""
	switch d.kind {
	case kindYAML, kindJSON:
		stops = ",]}"
	case kindShell, kindDocker:
		stops = ";"
	}
	s, ok := parseBare(d.b, p, stops)
	if !ok || d.kind == kindPython || d.kind == kindNotebook || d.kind == kindJSON {
		return nil
	}
	if strings.HasPrefix(s.value, "$(") || strings.HasPrefix(s.value, "`") {
		return nil // a command's output, computed at run time
	}
	if d.kind == kindYAML && strings.HasPrefix(s.value, "!") && s.end < len(d.b) && d.b[s.end] == ' ' {
		return nil // a YAML tag such as !env NAME
	}
	if !d.kind.unquotedValues() && !djangoShaped(s.value) && !strings.HasPrefix(s.value, keygen.InsecurePrefix) {
		return nil
	}
	return &s
}

// pythonValue reads the right-hand side of a Python assignment: a literal,
// possibly parenthesised and split over lines as implicitly concatenated
// pieces.
func (d *doc) pythonValue(p int) *span {
	p = skipBlanks(d.b, p)
	for n := 0; n < 4 && p < len(d.b) && d.b[p] == '('; n++ {
		p = skipSpace(d.b, p+1)
	}
	first, next, ok := parseQuoted(d.b, p)
	if !ok {
		return nil
	}
	whole := first
	var joined strings.Builder
	joined.WriteString(first.value)
	for n := 0; n < 8; n++ {
		q := skipSpace(d.b, next)
		piece, after, ok := parseQuoted(d.b, q)
		if !ok {
			break
		}
		joined.WriteString(piece.value)
		whole.end = piece.end
		next = after
	}
	whole.value = joined.String()
	return &whole
}

// list claims each literal of a list or tuple: SECRET_KEY_FALLBACKS.
func (d *doc) list(p int, name string, anchor int) {
	p = skipBlanks(d.b, p)
	if p >= len(d.b) || (d.b[p] != '[' && d.b[p] != '(') {
		return
	}
	closer := byte(']')
	if d.b[p] == '(' {
		closer = ')'
	}
	limit := min(len(d.b), p+maxLiteral)
	p++
	for n := 0; n < 64 && p < limit; n++ {
		p = skipSpace(d.b, p)
		if p >= limit || d.b[p] == closer {
			return
		}
		if s, next, ok := parseQuoted(d.b, p); ok {
			d.claim(&s, HardcodedKey, roleKey, name, anchor)
			p = next
		}
		p = skipArgument(d.b, p, limit) // whatever else stands in this element
		if p >= limit || d.b[p] != ',' {
			return
		}
		p++
	}
}

// claim judges a value and records it.
func (d *doc) claim(s *span, class Class, r role, name string, anchor int) {
	if s == nil {
		return
	}
	s = d.asSeen(s)
	v, ok := judge(s.value, class, r)
	if !ok {
		return
	}
	d.out = append(d.out, candidate{span: *s, verdict: v, name: name, anchor: anchor})
}

// skipBlanks skips spaces and tabs.
func skipBlanks(b []byte, p int) int {
	for p < len(b) && (b[p] == ' ' || b[p] == '\t') {
		p++
	}
	return p
}

// skipSpace skips white space across lines, and a line continuation
// backslash, a little way: enough for a value on the next line, not so far
// that a stray name pulls in an unrelated literal.
func skipSpace(b []byte, p int) int {
	limit := min(len(b), p+256)
	for p < limit {
		switch b[p] {
		case ' ', '\t', '\n', '\r':
			p++
		case '\\':
			if p+1 < len(b) && (b[p+1] == '\n' || b[p+1] == '\r') {
				p++
				continue
			}
			return p
		default:
			return p
		}
	}
	return p
}

// lineStart returns where the line holding offset i starts, looking back
// no further than floor: callers bound it so that long lines (minified
// files) cost no more than short ones.
func lineStart(b []byte, i, floor int) int {
	floor = max(floor, 0)
	return floor + bytes.LastIndexByte(b[floor:i], '\n') + 1
}

// lineEnd returns where the line holding offset i ends, looking no further
// than ceiling.
func lineEnd(b []byte, i, ceiling int) int {
	ceiling = min(ceiling, len(b))
	if j := bytes.IndexByte(b[i:ceiling], '\n'); j >= 0 {
		return i + j
	}
	return ceiling
}

// shellDefault handles ${NAME:-value} and its kin (${NAME-value},
// ${NAME:=value}, ${NAME=value}): a literal the shell or compose uses when
// the variable is unset.
func (d *doc) shellDefault(ts, te int, r role, name string) bool {
	if ts < 2 || d.b[ts-1] != '{' || d.b[ts-2] != '$' {
		return false
	}
	p := te
	for _, op := range []string{":-", ":=", "-", "="} {
		if bytes.HasPrefix(d.b[p:], []byte(op)) {
			p += len(op)
			end := bytes.IndexByte(d.b[p:min(len(d.b), p+maxLiteral)], '}')
			if end < 0 {
				return true
			}
			v := string(d.b[p : p+end])
			if strings.ContainsAny(v, "\n\r") {
				return true
			}
			d.claim(&span{start: p, end: p + end, value: v}, HardcodedFallback, r, name, ts)
			return true
		}
	}
	return false
}

// namedEnvEntry handles a Kubernetes container's env entry, where the
// name and the value stand on two lines:
//
//   - name: DJANGO_SECRET_KEY
//     value: "..."
func (d *doc) namedEnvEntry(ts, te int, r role, name string) bool {
	ls := lineStart(d.b, ts, ts-256)
	head := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(d.b[ls:ts])), "-"))
	head = strings.TrimRight(head, "\"' ")
	if head != "name:" {
		return false
	}
	le := lineEnd(d.b, te, te+256)
	if strings.Trim(string(d.b[te:le]), "\"' \r") != "" || le >= len(d.b) {
		return false
	}
	next := skipBlanks(d.b, le+1)
	if !bytes.HasPrefix(d.b[next:], []byte("value:")) {
		return true
	}
	d.claim(d.value(skipBlanks(d.b, next+len("value:"))), HardcodedKey, r, name, ts)
	return true
}

// schemeDefault reads the default of a django-environ scheme entry,
// NAME=(cast, "literal"), as in environ.Env(DJANGO_SECRET_KEY=(str, "...")).
func (d *doc) schemeDefault(p int) *span {
	p = skipBlanks(d.b, p)
	if p >= len(d.b) || d.b[p] != '(' {
		return nil
	}
	p = skipSpace(d.b, p+1)
	q := p
	for q < len(d.b) && (isIdentByte(d.b[q]) || d.b[q] == '.') {
		q++
	}
	if q == p {
		return nil
	}
	q = skipSpace(d.b, q)
	if q >= len(d.b) || d.b[q] != ',' {
		return nil
	}
	s, next, ok := parseQuoted(d.b, skipSpace(d.b, q+1))
	if !ok {
		return nil
	}
	if c := skipSpace(d.b, next); c >= len(d.b) || (d.b[c] != ')' && d.b[c] != ',') {
		return nil
	}
	return &s
}

// callDefault reads a literal default= argument of a call on the right of
// an assignment: pydantic's Field(default="..."), and any reader of the
// same shape.
func (d *doc) callDefault(p int) *span {
	p = skipBlanks(d.b, p)
	q := p
	for q < len(d.b) && q-p < 128 && (isIdentByte(d.b[q]) || d.b[q] == '.') {
		q++
	}
	if q == p || q >= len(d.b) || d.b[q] != '(' {
		return nil
	}
	limit := min(len(d.b), q+512)
	for a := q + 1; a < limit; {
		a = skipSpace(d.b, a)
		if bytes.HasPrefix(d.b[a:], []byte("default")) {
			eq := skipBlanks(d.b, a+len("default"))
			if eq < len(d.b) && d.b[eq] == '=' && eq+1 < len(d.b) && d.b[eq+1] != '=' {
				return d.pythonValue(eq + 1)
			}
		}
		a = skipArgument(d.b, a, limit)
		if a >= limit || d.b[a] != ',' {
			return nil
		}
		a++
	}
	return nil
}

// asSeen turns a value as written into the value as the application sees
// it: without an extra pair of quotes, with compose's $$ as $, and decoded
// from base64 where a YAML or JSON value (a Kubernetes Secret's data:) is
// base64 of printable text.
func (d *doc) asSeen(s *span) *span {
	v := s.value
	if len(v) >= 2 && isQuote(v[0]) && v[len(v)-1] == v[0] {
		inner := *s
		inner.start, inner.end, inner.value = s.start+1, s.end-1, v[1:len(v)-1]
		s, v = &inner, inner.value
	}
	if d.compose && strings.Contains(v, "$$") {
		out := *s
		out.value = strings.ReplaceAll(v, "$$", "$")
		return &out
	}
	if (d.kind == kindYAML || d.kind == kindJSON) && len(v) >= 12 {
		if dec, ok := decodePrintableBase64(v); ok {
			out := *s
			out.value = dec
			return &out
		}
	}
	return s
}

// decodePrintableBase64 decodes standard base64 whose content is
// printable ASCII text, as a Secret's data: holds a key.
func decodePrintableBase64(v string) (string, bool) {
	if len(v)%4 != 0 {
		return "", false
	}
	dec, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(dec) < 8 {
		return "", false
	}
	for _, c := range dec {
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	return string(dec), true
}
