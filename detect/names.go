package detect

import (
	"bytes"
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

// namesKey reports whether a name, in capitals with dashes as
// underscores, is one roleOf gives a role to: findNamed reads values for
// these names only, so a text that spells none of them gives findNamed
// nothing to claim (see Quiet).
func (det *Detector) namesKey(norm string) bool {
	switch {
	case det != nil && det.extra[norm]:
		return true
	case norm == "SECRET_KEY" || norm == "DJANGO_SECRET_KEY",
		norm == "SECRET_KEY_FALLBACKS" || norm == "DJANGO_SECRET_KEY_FALLBACKS",
		norm == "SECRETKEY" || strings.HasSuffix(norm, "_SECRET_KEY") || strings.HasSuffix(norm, "_SECRETKEY"):
		return true
	}
	return false
}

// roleOf classifies the name d.b[ts:te].
func (d *doc) roleOf(ts, te int) role {
	name := string(d.b[ts:te])
	norm := normName(name)
	if !d.det.namesKey(norm) {
		return roleNone
	}
	if d.det != nil && d.det.extra[norm] {
		return roleKey
	}
	exact := name == norm // written in capitals, as Django settings are
	switch {
	case norm == "SECRET_KEY" || norm == "DJANGO_SECRET_KEY":
		if exact || d.syn.configLike && !d.nearAccessKey(ts) {
			return roleKey
		}
		return roleProfile
	case norm == "SECRET_KEY_FALLBACKS" || norm == "DJANGO_SECRET_KEY_FALLBACKS":
		return roleList
	case norm == "SECRETKEY" || strings.HasSuffix(norm, "_SECRET_KEY") || strings.HasSuffix(norm, "_SECRETKEY"):
		switch {
		case isOtherService(norm):
			return roleProfile
		case exact && d.feedsKey(name):
			// DEV_SECRET_KEY = ... where the file passes it on as the
			// key: --build-arg SECRET_KEY=$(DEV_SECRET_KEY).
			return roleKey
		case d.settings || d.syn.buildConfig || d.afterBuildArg(ts):
			// A project's own prefixed key (MYPROJECT_SECRET_KEY) in a
			// settings module or in what builds the project's image:
			// its value may come from any generator.
			return roleRandom
		}
		return roleProfile
	}
	return roleNone
}

// afterBuildArg reports whether the name at ts is a build argument's,
// docker build --build-arg NAME=value.
func (d *doc) afterBuildArg(ts int) bool {
	const flag = "--build-arg"
	p := ts
	for p > 0 && ts-p < 16 && (d.b[p-1] == ' ' || d.b[p-1] == '\t' || d.b[p-1] == '=') {
		p--
	}
	return p < ts && p >= len(flag) && string(d.b[p-len(flag):p]) == flag
}

// feedsKey reports whether the file passes the variable name on as
// Django's key: SECRET_KEY=$(name), SECRET_KEY=${name}, SECRET_KEY="$name",
// SECRET_KEY: ${name:-...}, ENV SECRET_KEY $name. The names so passed are
// gathered once per file.
func (d *doc) feedsKey(name string) bool {
	if d.keyFeeds == nil {
		d.keyFeeds = map[string]bool{}
		for _, at := range indexAll(d.b, anchorUpper, nil) {
			ts, te := d.token(at)
			if n := string(d.b[ts:te]); n != "SECRET_KEY" && n != "DJANGO_SECRET_KEY" && (d.det == nil || !d.det.extra[n]) {
				continue
			}
			if ref := variableAfter(d.b, te); ref != "" {
				d.keyFeeds[ref] = true
			}
		}
	}
	return d.keyFeeds[name]
}

// variableAfter returns the variable that a name at b[:p] is set from:
// after '=', ':' or blanks (and a quote), $(NAME), ${NAME...} or $NAME;
// "" when there is none.
func variableAfter(b []byte, p int) string {
	q := skipBlanks(b, p)
	if q < len(b) && (b[q] == '=' || b[q] == ':') {
		q = skipBlanks(b, q+1)
	} else if q == p {
		return ""
	}
	if q < len(b) && isQuote(b[q]) {
		q++
	}
	if q >= len(b) || b[q] != '$' {
		return ""
	}
	q++
	if q < len(b) && (b[q] == '(' || b[q] == '{') {
		q++
	}
	e := q
	for e < len(b) && e-q < 128 && isIdentByte(b[e]) {
		e++
	}
	return string(b[q:e])
}

// nearAccessKey reports whether an access_key stands within a few lines of
// offset i: a lowercase secret_key beside one is the other half of an S3
// or cloud credential pair (Terraform, rclone, MinIO), not a Django key.
func (d *doc) nearAccessKey(i int) bool {
	w := bytes.ToLower(d.b[max(0, i-256):min(len(d.b), i+256)])
	return bytes.Contains(w, []byte("access_key")) || bytes.Contains(w, []byte("accesskey")) || bytes.Contains(w, []byte("access-key"))
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
		r := d.roleOf(ts, te)
		if r == roleNone {
			continue
		}
		d.named(ts, te, r)
	}
}

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
		return d.syn.dashInNames
	}
	return false
}

// named looks at what follows the name b[ts:te] and claims the value it is
// given, if that value is a literal.
func (d *doc) named(ts, te int, r role) {
	name := string(d.b[ts:te])
	for _, f := range d.syn.forms {
		if f(d, ts, te, r, name) {
			return
		}
	}
	if q := d.quoteBefore(ts); q != "" {
		if te < len(d.b) && d.b[te] == '=' {
			// A whole "KEY=value" item in quotes, as in a compose list.
			if s, ok := d.itemValue(te+1, q); ok {
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
		if d.syn.python {
			d.annotated(p+1, r, name, ts)
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

// itemValue reads the value of a whole "KEY=value" item in quotes; q is
// the quote that opened it (see quoteBefore).
func (d *doc) itemValue(p int, q string) (span, bool) {
	if d.syn.jsonStrings {
		return jsonItemValue(d.b, p, q)
	}
	return parseBare(d.b, p, q[len(q)-1:])
}

// quotedName handles a name written as a string: a mapping key
// ("SECRET_KEY": ...), a quoted key given a value ("SECRET_KEY" = ... in
// TOML and Nix), an item assignment (os.environ["SECRET_KEY"] = ...),
// the first argument of a call (os.environ.get("SECRET_KEY", ...)), or a
// name/value pair ({"name": "SECRET_KEY", "value": ...}).
func (d *doc) quotedName(open, p int, r role, name string) {
	if r == roleProfile && d.settings && !isOtherService(normName(name)) {
		// {"secret_key": ...} in a settings module is Django's key, read
		// from a dict of defaults; {"myapp_secret_key": ...} may be any
		// generator's.
		if n := normName(name); n == "SECRET_KEY" || n == "DJANGO_SECRET_KEY" {
			r = roleKey
		} else {
			r = roleRandom
		}
	} else if r == roleProfile && d.syn.python && d.readIntoKey(name) {
		// The same dict outside a settings module, where the file itself
		// sets SECRET_KEY from it: SECRET_KEY = CONFIG["secret_key"].
		r = roleKey
	}
	p = skipBlanks(d.b, p)
	if p >= len(d.b) {
		return
	}
	switch d.b[p] {
	case ':':
		d.mapped(p+1, r, name, open)
	case '=':
		// A quoted name given a value, where the syntax allows one:
		// TOML's "SECRET_KEY" = ..., Nix's "SECRET_KEY" = ...;.
		if !d.syn.python && p+1 < len(d.b) && d.b[p+1] != '=' {
			d.assigned(p+1, r, name, open, HardcodedKey)
		}
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

// readIntoKey reports whether the file sets SECRET_KEY (or another of
// Django's key names) from a string key spelled name, on the right of the
// assignment: SECRET_KEY = CONFIG["secret_key"], SECRET_KEY =
// conf.get('secret_key', ...). The strings so read are gathered once per
// file, so a file of many such lines costs one pass.
func (d *doc) readIntoKey(name string) bool {
	if d.keyReads == nil {
		d.keyReads = map[string]bool{}
		for _, at := range indexAll(d.b, anchorUpper, nil) {
			ts, te := d.token(at)
			if r := d.roleOf(ts, te); r != roleKey {
				continue
			}
			p := skipBlanks(d.b, te)
			if p+1 >= len(d.b) || d.b[p] != '=' || d.b[p+1] == '=' {
				continue
			}
			end := lineEnd(d.b, p, p+256)
			for q := p + 1; q < end; q++ {
				if isQuote(d.b[q]) {
					s, next, ok := parseQuoted(d.b[:end], q)
					if !ok {
						break
					}
					d.keyReads[s.value] = true
					q = next - 1
				}
			}
		}
	}
	return d.keyReads[name]
}

// assigned claims the value of NAME = value.
func (d *doc) assigned(p int, r role, name string, anchor int, class Class) {
	if r == roleList {
		d.list(p, name, anchor)
		return
	}
	if d.syn.python {
		d.pythonAssigned(p, r, name, anchor, class)
		return
	}
	d.claim(d.value(skipBlanks(d.b, p)), class, r, name, anchor)
}

// mapped claims the value of NAME: value (YAML, JSON, a Python dict).
func (d *doc) mapped(p int, r role, name string, anchor int) {
	if r == roleList {
		d.list(p, name, anchor)
		return
	}
	p = skipBlanks(d.b, p)
	if p < len(d.b) && d.b[p] == '{' {
		d.claim(d.objectValue(p), HardcodedKey, r, name, anchor)
		return
	}
	if d.syn.pyEscapes {
		d.claim(d.pythonValue(p, true), HardcodedKey, r, name, anchor)
		return
	}
	if d.syn.blockScalars {
		if s, ok := d.blockScalar(p); ok {
			d.claim(s, HardcodedKey, r, name, anchor)
			return
		}
	}
	d.claim(d.value(p), HardcodedKey, r, name, anchor)
}

// value reads a literal at p: quoted in any file, or bare where the syntax
// writes values bare (see bareRule).
func (d *doc) value(p int) *span {
	if p >= len(d.b) {
		return nil
	}
	if s, _, ok := d.literal(p); ok {
		return &s
	}
	if c := d.b[p]; isQuote(c) || c == '\\' {
		return nil // a quote that did not close: not a literal we can read
	}
	if d.syn.hashComments && d.b[p] == '#' && p > 0 && (d.b[p-1] == ' ' || d.b[p-1] == '\t') {
		return nil // NAME: # a comment, no value
	}
	var s span
	var ok bool
	if d.syn.lineValues {
		s, ok = lineValue(d.b, p)
	} else {
		s, ok = parseBare(d.b, p, d.syn.bareStops)
	}
	if !ok || d.syn.bare == bareNever {
		return nil
	}
	if strings.HasPrefix(s.value, "$(") || strings.HasPrefix(s.value, "`") {
		return nil // a command's output, computed at run time
	}
	if d.syn.tags && d.isTag(s) {
		return nil
	}
	if d.syn.bare == bareKeyShaped && !djangoShaped(s.value) && !strings.HasPrefix(s.value, keygen.InsecurePrefix) {
		return nil
	}
	return &s
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
		if d.syn.pyEscapes {
			d.claim(d.pythonValue(p, true), HardcodedKey, roleKey, name, anchor)
		} else if s, next, ok := parseQuoted(d.b, p); ok {
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

// judge is judge, remembered per file: a file that repeats one assignment
// a million times is judged once per distinct value.
func (d *doc) judge(v string, computed bool, class Class, r role) (verdict, bool) {
	k := judgeKey{v, computed, d.syn.asWritten, class, r}
	if j, ok := d.judged[k]; ok {
		return j.verdict, j.ok
	}
	if d.judged == nil {
		d.judged = map[judgeKey]judgment{}
	}
	j, ok := judge(v, computed, d.syn.asWritten, class, r)
	d.judged[k] = judgment{j, ok}
	return j, ok
}

type judgeKey struct {
	value     string
	computed  bool
	asWritten bool
	class     Class
	role      role
}

type judgment struct {
	verdict
	ok bool
}

// claim judges a value and records it.
func (d *doc) claim(s *span, class Class, r role, name string, anchor int) {
	if s == nil {
		return
	}
	s = d.asSeen(s)
	if s.computed && (r == roleProfile || r == roleRandom) && name == normName(name) && !isOtherService(name) {
		// 'z' * 50 under MYAPP_SECRET_KEY: an expression that pads a
		// value to a key's length was written to fill a key, so it is
		// judged as SECRET_KEY's would be (weak), not passed over for
		// lacking a generator's shape.
		r = roleKey
	}
	v, ok := d.judge(s.value, s.computed, class, r)
	if !ok {
		return
	}
	d.out = append(d.out, candidate{span: *s, verdict: v, name: name, anchor: anchor})
}

// composeUnescape returns v as Docker Compose, or make, passes it on,
// where the file is a compose file or a Makefile: $$ stands for one $.
func (d *doc) composeUnescape(v string) string {
	if (d.compose || d.syn.dollarEscapes) && strings.Contains(v, "$$") {
		return strings.ReplaceAll(v, "$$", "$")
	}
	return v
}

// asSeen turns a value as written into the value as the application sees
// it: without an extra pair of quotes, with compose's (and make's) $$ as
// $, and decoded from base64 where the syntax allows it (a Kubernetes
// Secret's data:) and the value is base64 of printable text.
func (d *doc) asSeen(s *span) *span {
	v := s.value
	if len(v) >= 2 && isQuote(v[0]) && v[len(v)-1] == v[0] {
		inner := *s
		inner.start, inner.end, inner.value = s.start+1, s.end-1, v[1:len(v)-1]
		s, v = &inner, inner.value
	}
	if seen := d.composeUnescape(v); seen != v {
		out := *s
		out.value = seen
		return &out
	}
	if d.syn.base64Values && len(v) >= 12 {
		if dec, ok := decodePrintableBase64(v); ok {
			out := *s
			out.value = dec
			return &out
		}
	}
	return s
}
