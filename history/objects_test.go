package history

import (
	"testing"
	"time"
)

func TestParseSignatureKeepsTheAuthorsZone(t *testing.T) {
	name, email, when := parseSignature([]byte("Ada Lovelace <ada@example.com> 1700000000 +0530"))
	if name != "Ada Lovelace" || email != "ada@example.com" {
		t.Errorf("name %q, email %q", name, email)
	}
	got := when.time()
	if !got.Equal(time.Unix(1700000000, 0)) || got.Format("-0700") != "+0530" {
		t.Errorf("time %v, want 1700000000 at +0530", got)
	}
	_, _, west := parseSignature([]byte("B <b@e> 1700000000 -0800"))
	if west.time().Format("-0700") != "-0800" {
		t.Errorf("zone %s, want -0800", west.time().Format("-0700"))
	}
	if _, _, none := parseSignature([]byte("no date")); !none.time().IsZero() {
		t.Error("a signature with no date gave a time")
	}
}
