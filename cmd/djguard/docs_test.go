package main

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/djguard/djguard/internal/testenv"
)

// helpCommands are the subcommands whose help lists flags.
var helpCommands = []string{"scan", "keygen", "hook", "baseline", "verify", "fix"}

// otherPrograms are the programs besides djguard whose command lines the
// docs show. In a code line or a `code span`, a flag after one of them
// (and after no later djguard) is that program's, not djguard's.
var otherPrograms = []string{
	"apt-get", "curl", "django-admin", "git", "git-filter-repo", "go",
	"hyperfine", "manage.py", "mkrepo.py", "npm", "pip", "pipx",
	"pre-commit", "python3", "sha256sum", "tar", "time", "twine", "uv",
}

// otherFlags are other programs' flags the docs name on their own, with
// the program in the surrounding prose rather than in the same span.
var otherFlags = map[string]string{
	"--reference": "git clone", // "a clone made with --shared or --reference"
	"--shared":    "git clone",
	"--mount":     "a Dockerfile's RUN", // "a build secret (RUN --mount=type=secret)"
}

// runWords are what run takes in place of a command ("djguard --version").
var runWords = []string{"--help", "--version"}

// docFiles returns the documentation's files, by path from the
// repository's root.
func docFiles(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	names, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, filepath.Join(root, "README.md"), filepath.Join(root, "CONTRIBUTING.md"))
	files := map[string]string{}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(root, name)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = string(b)
	}
	if len(files) < 5 {
		t.Fatalf("found only %d documentation files", len(files))
	}
	return files
}

// helpFlags returns, for each subcommand, the flags its help lists
// ("--format", and "-v" for a one-letter flag), from the Flags: section
// djguard help COMMAND prints.
func helpFlags(t *testing.T) map[string][]string {
	t.Helper()
	line := regexp.MustCompile(`^  -([A-Za-z][A-Za-z0-9-]*)`)
	flags := map[string][]string{}
	for _, cmd := range helpCommands {
		var out bytes.Buffer
		if code := run(context.Background(), []string{"help", cmd}, env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }, rand: testenv.Rand(cmd)}); code != exitClean {
			t.Fatalf("djguard help %s exits %d: %s", cmd, code, out.String())
		}
		_, list, ok := strings.Cut(out.String(), "\nFlags:\n")
		if !ok {
			t.Fatalf("djguard help %s has no Flags: section:\n%s", cmd, out.String())
		}
		for _, l := range strings.Split(list, "\n") {
			if m := line.FindStringSubmatch(l); m != nil {
				flags[cmd] = append(flags[cmd], dashed(m[1]))
			}
		}
		if len(flags[cmd]) == 0 {
			t.Fatalf("djguard help %s lists no flags:\n%s", cmd, out.String())
		}
	}
	return flags
}

// dashed writes a flag's name as the docs do: -v, --format.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// docFlag is one --flag the documentation names, with the program and
// subcommand named before it in the same command line or code span
// ("" when none is).
type docFlag struct {
	where        string // file:line
	flag         string
	program, sub string
}

var flagRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9_-])(--[a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?:$|[^A-Za-z0-9_-])`)

// flagsIn finds the --flags of a Markdown file. Each indented or fenced
// code line is read as a command line; prose is read paragraph by
// paragraph, each `code span` on its own (link targets left out).
func flagsIn(file, text string) []docFlag {
	var found []docFlag
	// scan reads unit, which starts on line first; in a command line or
	// code span (commands), a program's name applies to the flags after it.
	scan := func(unit string, first int, commands bool) {
		program, sub := "", ""
		for _, at := range regexp.MustCompile(`\S+`).FindAllStringIndex(unit, -1) {
			field := unit[at[0]:at[1]]
			word := strings.Trim(field, "()[]{},;:.!?'\"*")
			base := word[strings.LastIndex(word, "/")+1:]
			switch {
			case !commands:
			case base == "djguard":
				program, sub = "djguard", ""
				continue
			case slices.Contains(otherPrograms, base):
				program, sub = base, ""
				continue
			case program == "djguard" && sub == "" && slices.Contains(helpCommands, word):
				sub = word
				continue
			}
			line := first + strings.Count(unit[:at[0]], "\n")
			for _, m := range flagRe.FindAllStringSubmatch(field, -1) {
				found = append(found, docFlag{where: file + ":" + strconv.Itoa(line), flag: m[1], program: program, sub: sub})
			}
		}
	}
	links := regexp.MustCompile(`\]\([^)\s]*\)`)
	var para []string
	paraLine := 0
	flush := func() {
		if len(para) == 0 {
			return
		}
		text := links.ReplaceAllString(strings.Join(para, "\n"), "]")
		line := paraLine
		for i, part := range strings.Split(text, "`") {
			scan(part, line, i%2 == 1) // odd parts are code spans
			line += strings.Count(part, "\n")
		}
		para = nil
	}
	prevBlank, prevCode, fenced := true, false, false
	for i, l := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(l)
		blank := trimmed == ""
		if strings.HasPrefix(trimmed, "```") {
			flush()
			fenced = !fenced
			prevBlank, prevCode = false, false
			continue
		}
		code := fenced || !blank && len(l)-len(strings.TrimLeft(l, " ")) >= 4 && (prevBlank || prevCode)
		switch {
		case blank:
			flush()
		case code:
			flush()
			scan(l, i+1, true)
		default:
			if len(para) == 0 {
				paraLine = i + 1
			}
			para = append(para, l)
		}
		prevBlank, prevCode = blank, code
	}
	flush()
	return found
}

// TestDocsNameOnlyRealFlags: every --flag the README, CONTRIBUTING.md and
// docs/*.md name is one djguard's help lists — for the subcommand named
// before it when one is — unless another program is named before it in
// the same command line or code span. A renamed or removed flag fails here
// until the docs follow.
func TestDocsNameOnlyRealFlags(t *testing.T) {
	flags := helpFlags(t)
	var all []string
	for _, fs := range flags {
		all = append(all, fs...)
	}
	for _, w := range runWords {
		var out bytes.Buffer
		if code := run(context.Background(), []string{w}, env{stdout: &out, stderr: &out, getenv: func(string) string { return "" }, rand: testenv.Rand(w)}); code != exitClean {
			t.Errorf("djguard %s exits %d: %s", w, code, out.String())
		}
	}
	files := docFiles(t)
	checked := 0
	for _, file := range slices.Sorted(maps.Keys(files)) {
		for _, f := range flagsIn(file, files[file]) {
			switch {
			case f.program != "" && f.program != "djguard":
				continue // another program's
			case otherFlags[f.flag] != "" && f.program == "":
				continue
			case f.sub != "":
				if !slices.Contains(flags[f.sub], f.flag) {
					t.Errorf("%s: %s is no flag of djguard %s (djguard help %s lists %s)", f.where, f.flag, f.sub, f.sub, strings.Join(flags[f.sub], " "))
				}
			default:
				if !slices.Contains(all, f.flag) && !slices.Contains(runWords, f.flag) {
					t.Errorf("%s: %s is no flag of any djguard command; if it is another program's, name the program before it in the same code span, or add it to otherFlags", f.where, f.flag)
				}
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d flags in the docs: is the reader broken?", checked)
	}
}

// TestDocsDescribeEveryFlag: every flag a subcommand's help lists is in
// docs/commands.md, so a new flag fails here until it is documented.
func TestDocsDescribeEveryFlag(t *testing.T) {
	commands := docFiles(t)["docs/commands.md"]
	if commands == "" {
		t.Fatal("docs/commands.md is missing")
	}
	flags := helpFlags(t)
	for _, cmd := range helpCommands {
		for _, f := range flags[cmd] {
			if !regexp.MustCompile(`(?:^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(f) + `(?:$|[^A-Za-z0-9_-])`).MatchString(commands) {
				t.Errorf("djguard %s %s is not in docs/commands.md", cmd, f)
			}
		}
	}
}

// TestDocsLinksReachTheirTargets: every relative link in the docs names a
// file that exists and, after #, a heading of that file.
func TestDocsLinksReachTheirTargets(t *testing.T) {
	files := docFiles(t)
	root := filepath.Join("..", "..")
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	for _, file := range slices.Sorted(maps.Keys(files)) {
		for _, m := range link.FindAllStringSubmatch(files[file], -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, anchor, _ := strings.Cut(target, "#")
			to := file
			if path != "" {
				to = filepath.ToSlash(filepath.Join(filepath.Dir(file), path))
				if _, err := os.Stat(filepath.Join(root, to)); err != nil {
					t.Errorf("%s links to %s, which does not exist", file, target)
					continue
				}
			}
			if anchor == "" {
				continue
			}
			text, ok := files[to]
			if !ok {
				t.Errorf("%s links to %s: an anchor in a file this test does not read", file, target)
				continue
			}
			if !slices.Contains(headingAnchors(text), anchor) {
				t.Errorf("%s links to %s, but %s has no heading #%s", file, target, to, anchor)
			}
		}
	}
}

// headingAnchors returns the anchors GitHub gives a Markdown file's
// headings: lower case, punctuation dropped, spaces made hyphens, and -1,
// -2 … after a repeated one.
func headingAnchors(text string) []string {
	var anchors []string
	seen := map[string]int{}
	fenced := false
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
		}
		h := strings.TrimLeft(l, "#")
		if fenced || h == l || !strings.HasPrefix(h, " ") {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(h)) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n, ok := seen[a]; ok {
			seen[a] = n + 1
			a += "-" + strconv.Itoa(n+1)
		} else {
			seen[a] = 0
		}
		anchors = append(anchors, a)
	}
	return anchors
}

// TestDocsLayoutIsTrue: every path CONTRIBUTING.md's layout table
// names exists, and every Go package of the module is in it.
func TestDocsLayoutIsTrue(t *testing.T) {
	root := filepath.Join("..", "..")
	_, layout, ok := strings.Cut(docFiles(t)["CONTRIBUTING.md"], "\n## Layout\n")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no ## Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(layout, -1) {
		listed[m[1]] = true
		if _, err := os.Stat(filepath.Join(root, m[1])); err != nil {
			t.Errorf("CONTRIBUTING.md's layout lists %s: %v", m[1], err)
		}
	}
	if len(listed) < 10 {
		t.Fatalf("read only %d rows of CONTRIBUTING.md's layout", len(listed))
	}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		dir, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		if dir = filepath.ToSlash(dir); !listed[dir] {
			t.Errorf("the Go package %s is not in CONTRIBUTING.md's layout", dir)
			listed[dir] = true // once
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
