package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/pystr"
)

// keysInFile reads --key-file: one key per line, blank lines skipped. A
// line is a candidate as written but for the line ending, and trimmed of
// surrounding blanks; a line that is a Python string literal (as an entry
// of SECRET_KEY_FALLBACKS is written: 'key', with an optional comma and
// comment after it) is also a candidate as Python reads it. A key may hold
// quotes, '#' and '=' itself, so no reading replaces the line as written.
// A UTF-8 byte order mark, which editors on Windows put first, is dropped.
func keysInFile(path string, e env) (*leakSet, error) {
	data, err := os.ReadFile(e.resolve(path))
	if err != nil {
		return nil, err
	}
	out := &leakSet{from: path}
	text := strings.TrimPrefix(string(data), "\ufeff")
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		out.listed++
		where := fmt.Sprintf("line %d of %s", i+1, path)
		for _, c := range lineCandidates(line) {
			e.scrub.add("", c.key)
			out.add(leak{fingerprint: detect.Fingerprint(c.key), secret: c.key, where: where + c.how})
		}
	}
	if len(out.keys) == 0 {
		return nil, fmt.Errorf("%s holds no key (one per line)", path)
	}
	return out, nil
}

// candidate is one reading of a key file's line; how says which, after
// the line's place ("" for the line as written).
type candidate struct{ key, how string }

// lineCandidates are the keys a line of --key-file may stand for.
func lineCandidates(line string) []candidate {
	cands := []candidate{{key: line}}
	trimmed := strings.TrimSpace(line)
	if trimmed != line {
		cands = append(cands, candidate{key: trimmed, how: ", trimmed"})
	}
	if s, ok := pystr.Literal(trimmed); ok && s != trimmed && s != "" {
		cands = append(cands, candidate{key: s, how: ", read as a Python string"})
	}
	return cands
}
