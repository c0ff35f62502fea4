package main

import (
	"testing"
)

func TestPythonStringReadsAFallbacksEntry(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		ok         bool
	}{
		{`'old-key'`, "old-key", true},
		{`'old-key',`, "old-key", true},
		{`"old-key" ,  # rotated in May`, "old-key", true},
		{`u'old-key'`, "old-key", true},
		{`'it\'s \\ "x"'`, `it's \ "x"`, true},
		{`"tab\there\x41\101\u00e9\U0001F600"`, "tab\there" + "AA\u00e9\U0001F600", true},
		{`'unknown \d escape'`, `unknown \d escape`, true},
		{`r'raw\n\'kept'`, `raw\n\'kept`, true},
		{`'x' + 'y'`, "", false},
		{`'unclosed`, "", false},
		{`r'ends in a backslash\'`, "", false},
		{`'''triple'''`, "", false},
		{`b'bytes'`, "", false},
		{`'short \x4'`, "", false},
		{`'a surrogate \ud800'`, "", false},
		{`'a name \N{BULLET}'`, "", false},
		{`old-key`, "", false},
		{`'old-key' # no comma`, "old-key", true},
		{`'old-key' trailing`, "", false},
	} {
		got, ok := pythonString(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}
