// Package config reads djguard's settings from a project's files: the
// [tool.djguard] table of pyproject.toml, where Django projects configure
// their other tools, or a .djguard.toml. It never guesses: a malformed file
// or a key it does not know is an error naming the file, the line and the
// key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	ignore "github.com/sabhiram/go-gitignore"
)

// File names djguard looks for, nearest first in each directory.
const (
	DjguardFile   = ".djguard.toml"
	PyprojectFile = "pyproject.toml"
)

// Config is what a configuration file sets. Fields a file leaves out are
// zero; Set records which ones it gave.
type Config struct {
	Path        string   // the file read
	Exclude     []string // gitignore-style patterns, relative to the file's directory
	ExtraNames  []string // more names that hold a Django key
	FailOn      string   // "high", "low" or "never"
	MaxFileSize int64    // bytes
	Allow       []string // fingerprints accepted for good
	Baseline    string   // absolute path of the baseline file
	Set         map[string]bool
}

// settings is the TOML shape of djguard's keys.
type settings struct {
	Exclude     []string `toml:"exclude"`
	ExtraNames  []string `toml:"extra-names"`
	FailOn      *string  `toml:"fail-on"`
	MaxFileSize any      `toml:"max-file-size"`
	Allow       []string `toml:"allow"`
	Baseline    *string  `toml:"baseline"`
}

// knownKeys lists the keys, for error messages.
const knownKeys = "exclude, extra-names, fail-on, max-file-size, allow, baseline"

type pyproject struct {
	Tool struct {
		Djguard *settings `toml:"djguard"`
	} `toml:"tool"`
}

// Load reads a configuration file: a pyproject.toml's [tool.djguard]
// table, or any other file's top-level keys. A pyproject.toml without the
// table gives nil.
func Load(path string) (*Config, error) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs // paths in the file are relative to its directory
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the configuration: %w", err)
	}
	isPyproject := filepath.Base(path) == PyprojectFile
	var s *settings
	if isPyproject {
		var doc pyproject
		if err := decode(data, &doc, []string{"tool", "djguard"}); err != nil {
			return nil, located(path, data, err)
		}
		if doc.Tool.Djguard == nil {
			return nil, nil
		}
		s = doc.Tool.Djguard
	} else {
		s = &settings{}
		if err := decode(data, s, nil); err != nil {
			return nil, located(path, data, err)
		}
	}
	c, err := s.check(path, data, isPyproject)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Find looks for a configuration from dir up to stop (the repository's
// root; dir itself outside a repository): in each directory a .djguard.toml
// first, then a pyproject.toml with a [tool.djguard] table. It returns nil
// when there is none.
func Find(dir, stop string) (*Config, error) {
	dir, _ = filepath.Abs(dir)
	stop, _ = filepath.Abs(stop)
	for {
		for _, name := range []string{DjguardFile, PyprojectFile} {
			p := filepath.Join(dir, name)
			if _, err := os.Stat(p); err != nil {
				continue
			}
			c, err := Load(p)
			if err != nil || c != nil {
				return c, err
			}
		}
		parent := filepath.Dir(dir)
		if dir == stop || parent == dir || !strings.HasPrefix(dir, stop) {
			return nil, nil
		}
		dir = parent
	}
}

// decode reads TOML strictly within the keys under prefix: other tables of
// a pyproject.toml belong to other tools.
func decode(data []byte, v any, prefix []string) error {
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var strict *toml.StrictMissingError
	if !errors.As(err, &strict) {
		return err
	}
	for _, e := range strict.Errors {
		key := e.Key()
		if len(key) > len(prefix) && slices.Equal(key[:len(prefix)], prefix) {
			row, _ := e.Position()
			return &unknownKeyError{row: row, key: strings.Join(key, ".")}
		}
	}
	return nil
}

// unknownKeyError is a key djguard does not know, where it stands.
type unknownKeyError struct {
	row int
	key string
}

func (e *unknownKeyError) Error() string {
	return fmt.Sprintf("%d: key %s: unknown key (djguard knows %s)", e.row, e.key, knownKeys)
}

// located puts the file's path, and the line and key where TOML knows
// them, in front of an error.
func located(path string, data []byte, err error) error {
	var unknown *unknownKeyError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%s:%s", path, unknown.Error())
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		if key := strings.Join(de.Key(), "."); key != "" {
			return fmt.Errorf("%s:%d: key %s: %s", path, row, key, de.Error())
		}
		return fmt.Errorf("%s:%d: %s", path, row, de.Error())
	}
	return fmt.Errorf("%s: %w", path, err)
}

var (
	namePattern        = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	fingerprintPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// check validates the settings and resolves paths against the file's
// directory.
func (s *settings) check(path string, data []byte, inTable bool) (*Config, error) {
	fail := func(key, format string, args ...any) error {
		return fmt.Errorf("%s:%d: key %s: %s", path, keyLine(data, key, inTable), key, fmt.Sprintf(format, args...))
	}
	dir := filepath.Dir(path)
	c := &Config{Path: path, Set: map[string]bool{}}
	if s.Exclude != nil {
		c.Set["exclude"] = true
		c.Exclude = s.Exclude
	}
	if s.ExtraNames != nil {
		c.Set["extra-names"] = true
		for _, n := range s.ExtraNames {
			if !namePattern.MatchString(n) {
				return nil, fail("extra-names", "%s is not a variable name", quote(n))
			}
		}
		c.ExtraNames = s.ExtraNames
	}
	if s.FailOn != nil {
		c.Set["fail-on"] = true
		switch *s.FailOn {
		case "high", "low", "never":
			c.FailOn = *s.FailOn
		default:
			return nil, fail("fail-on", "%s: want high, low or never", quote(*s.FailOn))
		}
	}
	if s.MaxFileSize != nil {
		c.Set["max-file-size"] = true
		n, err := sizeOf(s.MaxFileSize)
		if err != nil {
			return nil, fail("max-file-size", "%v", err)
		}
		c.MaxFileSize = n
	}
	if s.Allow != nil {
		c.Set["allow"] = true
		for i, fp := range s.Allow {
			if !fingerprintPattern.MatchString(fp) {
				// The value is not echoed: a key pasted here by mistake
				// must not reach a CI log.
				return nil, fail("allow", "entry %d (%d characters) is not a djguard fingerprint: 32 hex digits, as reports show; never the key itself", i+1, len(fp))
			}
		}
		c.Allow = s.Allow
	}
	if s.Baseline != nil {
		c.Set["baseline"] = true
		if *s.Baseline == "" {
			return nil, fail("baseline", "empty path")
		}
		c.Baseline = *s.Baseline
		if !filepath.IsAbs(c.Baseline) {
			c.Baseline = filepath.Join(dir, c.Baseline)
		}
	}
	return c, nil
}

func sizeOf(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		if x <= 0 {
			return 0, fmt.Errorf("%d: want a positive size", x)
		}
		return x, nil
	case string:
		return ParseSize(x)
	}
	return 0, fmt.Errorf("want a size such as 10485760 or \"10MB\"")
}

// ParseSize reads a size such as 10MB, 512KB, 1G or 1048576 (bytes).
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%s: want a positive size such as 10MB, 512KB or 1048576", quote(s))
	}
	return n * mult, nil
}

// quote quotes a value for an error message: whole when short, else its
// first characters and its length. A value in the wrong place may be a
// key pasted there, and errors end up in terminals and CI logs.
func quote(v string) string {
	const short = 16
	if utf8.RuneCountInString(v) <= short {
		return strconv.Quote(v)
	}
	r := []rune(v)
	return fmt.Sprintf("%q… (%d characters)", string(r[:4]), len(r))
}

// keyLine finds the line that sets key: in a pyproject.toml, the first
// after the [tool.djguard] header.
func keyLine(data []byte, key string, inTable bool) int {
	lines := strings.Split(string(data), "\n")
	start := 0
	if inTable {
		for i, l := range lines {
			if strings.TrimSpace(l) == "[tool.djguard]" {
				start = i + 1
				break
			}
		}
	}
	re := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(key) + `"?\s*=`)
	for i := start; i < len(lines); i++ {
		if re.MatchString(lines[i]) {
			return i + 1
		}
	}
	return start
}

// Excluder returns a function that reports whether a file (by absolute
// path) matches the exclude patterns, taken relative to the file's
// directory. A directory is asked about with a trailing separator.
func (c *Config) Excluder() func(string) bool {
	if c == nil || len(c.Exclude) == 0 {
		return nil
	}
	patterns := ignore.CompileIgnoreLines(c.Exclude...)
	base := filepath.Dir(c.Path)
	return func(p string) bool {
		dir := strings.HasSuffix(p, string(filepath.Separator))
		rel, err := filepath.Rel(base, p)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return false
		}
		rel = filepath.ToSlash(rel)
		if dir {
			rel += "/"
		}
		return patterns.MatchesPath(rel)
	}
}
