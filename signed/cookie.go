package signed

import (
	"cmp"
	"strings"
)

// Names Django gives its own cookies: SESSION_COOKIE_NAME's default, and
// CookieStorage.cookie_name.
const (
	sessionCookie  = "sessionid"
	messagesCookie = "messages"
)

// reading is one way to take what the user pasted: as the value itself, or
// as the value of a cookie a header names.
type reading struct {
	v *value
	// cookie is the cookie's name, for a NAME=value reading; "" otherwise.
	cookie string
}

// pasted is what the user pasted, read each way it can be.
type pasted struct {
	// readings are the cookies a header names, then the text as it is,
	// keeping only the ways that read as a signed value.
	readings []reading
	// cookie is the name of the first cookie the text names, if any.
	cookie string
	// several: the text is a Cookie header with more than one cookie.
	several bool
}

// read takes text each way it may have been copied: the value alone, as a
// browser's storage tab shows it; "NAME=value", as a Cookie header or a
// "copy" gives one; "NAME=value; Path=/; HttpOnly", as a Set-Cookie header
// does (with or without "Set-Cookie:" before it); or a Cookie header of
// several cookies. A value of get_signed_cookie or Signer may itself hold
// "=" and ";", so the text as it is stays one of the readings.
func read(text string) (*pasted, error) {
	text = strings.TrimSpace(text)
	p := &pasted{}
	// Why the text is no value: as the cookie it names, when it names one.
	var why error
	cookies, several := cookieHeader(text)
	for _, c := range cookies {
		v, err := parse(c.value)
		if err != nil {
			why = cmp.Or(why, err)
			continue
		}
		p.readings = append(p.readings, reading{v: v, cookie: c.name})
	}
	if len(cookies) > 0 {
		p.cookie, p.several = cookies[0].name, several
	}
	v, err := parse(text)
	if err == nil {
		p.readings = append(p.readings, reading{v: v})
	}
	if len(p.readings) == 0 {
		return nil, cmp.Or(why, err)
	}
	return p, nil
}

// has reports whether some reading has layout l.
func (p *pasted) has(l layout) bool {
	for _, r := range p.readings {
		if r.v.has(l) {
			return true
		}
	}
	return false
}

// cookie is one NAME=value of a header.
type cookie struct{ name, value string }

// cookieHeader reads text as a Set-Cookie or Cookie header, or its value:
// NAME=value, then "; " and either Set-Cookie attributes or, in a Cookie
// header, more cookies. It returns nothing unless each name is a cookie
// name (an RFC 6265 token) and each part is a cookie or an attribute.
func cookieHeader(text string) (cookies []cookie, several bool) {
	for _, h := range []string{"set-cookie:", "cookie:"} {
		if len(text) > len(h) && strings.EqualFold(text[:len(h)], h) {
			text = text[len(h):]
			break
		}
	}
	for i, part := range splitCookieParts(text) {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case i > 0 && isCookieAttribute(name, ok):
			continue
		case !ok || !isToken(name) || value == "":
			return nil, false
		}
		cookies = append(cookies, cookie{name, value})
	}
	return cookies, len(cookies) > 1
}

// splitCookieParts splits a header at each ";" outside a quoted value; an
// unfinished quote leaves nothing to read.
func splitCookieParts(text string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == ';':
			parts = append(parts, text[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil
	}
	parts = append(parts, text[start:])
	for len(parts) > 1 && strings.TrimSpace(parts[len(parts)-1]) == "" {
		// A trailing "; ".
		parts = parts[:len(parts)-1]
	}
	return parts
}

// isCookieAttribute reports whether name (given with "=" when withValue)
// is an attribute of a Set-Cookie header (RFC 6265 and its successors).
func isCookieAttribute(name string, withValue bool) bool {
	switch strings.ToLower(name) {
	case "secure", "httponly", "partitioned":
		return true
	case "path", "domain", "expires", "max-age", "samesite", "priority", "comment", "version":
		return withValue
	}
	return false
}

// isToken reports whether s is a cookie name: an RFC 6265 token, ASCII
// without controls, spaces or separators.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}
