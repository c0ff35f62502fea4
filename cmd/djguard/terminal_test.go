package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

func TestVerifySignedHidesWhatIsTypedAtATerminal(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"keys.txt": "predictable-secret\n"})
	for _, tc := range []struct {
		typed string
		code  int
		says  string
	}{
		{"foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0\r", exitFindings, "LISTED KEY IN USE"},
		{"foo:jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0\x03", exitError, "interrupted"},
		{"\r", exitError, "no value was typed"},
	} {
		var stdout, stderr bytes.Buffer
		var events []string
		e := env{
			stdin: strings.NewReader(tc.typed), stdinTTY: true, stdout: &stdout, stderr: &stderr,
			getenv: func(string) string { return "" }, dir: dir,
			hideTyping: func() (func(), error) {
				events = append(events, "hidden at "+stderr.String())
				return func() { events = append(events, "restored") }, nil
			},
		}
		code := run(context.Background(), []string{"verify", "--signed", "-", "--key-file", "keys.txt", "--kind", "signer"}, e)
		out := stdout.String() + stderr.String()
		if code != tc.code || !strings.Contains(out, tc.says) || !strings.Contains(stderr.String(), "(it is not shown)") {
			t.Errorf("%q: exit %d\n%s", tc.typed, code, out)
		}
		if strings.Join(events, "; ") != "hidden at ; restored" {
			t.Errorf("%q: the terminal was %q: hidden before the prompt, restored after", tc.typed, events)
		}
		if strings.Contains(out, "jZQoX_FtSO70") {
			t.Errorf("%q: the value was shown:\n%s", tc.typed, out)
		}
	}
}
