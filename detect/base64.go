package detect

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// b64InsecurePrefix is "django-insecure" in base64, as it starts a
// base64-encoded startproject key (a Kubernetes Secret's data:).
var b64InsecurePrefix = []byte("ZGphbmdvLWluc2VjdXJl")

// findEncodedInsecure claims base64-encoded django-insecure- keys anywhere.
func (d *doc) findEncodedInsecure() {
	for off := 0; ; {
		i := bytes.Index(d.b[off:], b64InsecurePrefix)
		if i < 0 {
			return
		}
		start := off + i
		end := start
		for end < len(d.b) && end-start < maxLiteral && isBase64Byte(d.b[end]) {
			end++
		}
		off = end
		run := string(d.b[start:end])
		dec, err := base64.StdEncoding.DecodeString(run)
		if err != nil {
			dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(run, "="))
		}
		if err != nil || !bytes.HasPrefix(dec, insecurePrefix) {
			continue
		}
		k := len(insecurePrefix)
		for k < len(dec) && keyAlphabet[dec[k]] {
			k++
		}
		v := d.severityInTests(insecureVerdict(string(dec[len(insecurePrefix):k])))
		d.out = append(d.out, candidate{span: span{start: start, end: end, value: string(dec[:k])}, verdict: v, anchor: start})
	}
}

func isBase64Byte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
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
