package gitrepo

import (
	"fmt"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfigReadsGitsSyntax(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       string // section|subsection|key=value per variable, ";"-separated
	}{
		{"a plain variable", "[core]\n\thooksPath = /a\n", "core||hookspath=/a"},
		{"names fold to lower case", "[CORE]\nHooksPath=/a", "core||hookspath=/a"},
		{"a variable on the header's line", "[core] hooksPath = /a\n", "core||hookspath=/a"},
		{"a quoted subsection keeps its case", "[includeIf \"gitdir:~/Work/\"]\npath = x\n", "includeif|gitdir:~/Work/|path=x"},
		{"the old dotted subsection", "[Branch.Main]\nremote = o\n", "branch|main|remote=o"},
		{"escapes in a subsection", "[a \"x\\\"y\\\\z\"]\nk = v\n", "a|x\"y\\z|k=v"},
		{"outer blanks go, inner ones each become a space", "[a]\nk =  one \t two  \n", "a||k=one   two"},
		{"quotes keep blanks and comment marks", "[a]\nk = \" x ; # \"y\n", "a||k= x ; # y"},
		{"comments end a value", "[a]\nk = v ; c\nl = w # c\n", "a||k=v;a||l=w"},
		{"escapes in a value", "[a]\nk = a\\tb\\\\c\\\"d\\ne\n", "a||k=a\tb\\c\"d\ne"},
		{"a continued line", "[a]\nk = one\\\ntwo\n", "a||k=onetwo"},
		{"CRLF line ends", "[a]\r\nk = v\r\n", "a||k=v"},
		{"a byte-order mark", "\xef\xbb\xbf[a]\nk = v\n", "a||k=v"},
		{"a key alone is bare", "[a]\nk\nl=\n", "a||k (bare);a||l="},
		{"comment lines and blank lines", "# top\n; semi\n\n[a] # c\n  k = v\n", "a||k=v"},
		{"no newline at the end", "[a]\nk = v", "a||k=v"},
		{"a variable before any section has no section", "k = v\n[a]\nl = w\n", "||k=v;a||l=w"},
		{"a backslash at the end of the file continues the value", "[a]\nk = v\\", "a||k=v"},
		{"vertical tabs and form feeds are not blanks", "[a]\nk = \v\fx \f\n", "a||k=\v\fx \f"},
	} {
		vars, err := parseConfig([]byte(c.text))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		for _, v := range vars {
			s := fmt.Sprintf("%s|%s|%s=%s", v.section, v.subsection, v.key, v.value)
			if v.bare {
				s = fmt.Sprintf("%s|%s|%s (bare)", v.section, v.subsection, v.key)
			}
			got = append(got, s)
		}
		if strings.Join(got, ";") != c.want {
			t.Errorf("%s: %q, want %q", c.name, strings.Join(got, ";"), c.want)
		}
	}
}

func TestParseConfigRefusesWhatGitRefuses(t *testing.T) {
	for name, text := range map[string]string{
		"an unclosed header":              "[core\nk = v\n",
		"an empty header":                 "[]\nk = v\n",
		"an unquoted subsection":          "[a b]\nk = v\n",
		"text after a subsection":         "[a \"b\" c]\n",
		"a vertical tab before a header":  "\v[a]\nk = v\n",
		"a form feed after a name":        "[a]\nk\f= v\n",
		"a quote open at the end of file": "[a]\nk = \"v\\",
		"a bad character in a name":       "[a]\nk.x = v\n",
		"a comment after a bare key":      "[a]\nk # c\n",
		"an unknown escape":               "[a]\nk = \\q\n",
		"an unclosed quote":               "[a]\nk = \"v\n",
		"a line starting oddly":           "[a]\n=v\n",
	} {
		if vars, err := parseConfig([]byte(text)); err == nil {
			t.Errorf("%s: read as %+v", name, vars)
		} else if !strings.Contains(err.Error(), "line") {
			t.Errorf("%s: the error does not name the line: %v", name, err)
		}
	}
}

func TestParseBoolReadsWhatGitReads(t *testing.T) {
	for _, c := range []struct {
		in       string
		want, ok bool
	}{
		{"true", true, true}, {"Yes", true, true}, {"ON", true, true},
		{"false", false, true}, {"no", false, true}, {"Off", false, true}, {"", false, true},
		{"1", true, true}, {"0", false, true}, {"2", true, true}, {"-1", true, true},
		{"0x10", true, true}, {"0x0", false, true}, {"010", true, true},
		{"1k", true, true}, {"0G", false, true},
		{"maybe", false, false}, {"1x", false, false}, {"1_0", false, false}, {"0b1", false, false},
		{"99999999999999999999", false, false},
	} {
		got, err := parseBool(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("parseBool(%q) = %v, %v; want %v (ok %v)", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestHasPrefixFoldFoldsASCIIOnly(t *testing.T) {
	for _, c := range []struct {
		s, prefix  string
		fold, want bool
	}{
		{"/home/Dev/x", "/home/Dev", false, true},
		{"/home/dev/x", "/home/Dev", false, false},
		{"/home/dev/x", "/home/Dev", true, true},
		{"/home", "/home/dev", true, false},
		{"\u212a/x", "k/x", true, false}, // the Kelvin sign is not a K to git
		{"\u00e9", "\u00c9", true, false},
	} {
		if got := hasPrefixFold(c.s, c.prefix, c.fold); got != c.want {
			t.Errorf("hasPrefixFold(%q, %q, %v) = %v", c.s, c.prefix, c.fold, got)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("[core]\n\thooksPath = \"~/a b\" ; c\n[includeIf \"gitdir:x/\"]\npath = y\\\nz\n"))
	f.Add([]byte("[a.B] k\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		parseConfig(data) // must not panic
	})
}

func TestWildmatch(t *testing.T) {
	for _, c := range []struct {
		pattern, text string
		fold, want    bool
	}{
		{"/a/b/.git", "/a/b/.git", false, true},
		{"/a/*/.git", "/a/b/.git", false, true},
		{"/a/*/.git", "/a/b/c/.git", false, false},
		{"/a/**/.git", "/a/.git", false, true},
		{"/a/**/.git", "/a/b/c/.git", false, true},
		{"**/b/.git", "/a/b/.git", false, true},
		{"**/b/.git", "b/.git", false, true},
		{"/a/**", "/a/b/c", false, true},
		{"/a/**", "/b/c", false, false},
		{"/a/b**", "/a/bc", false, true},
		{"/a/b**", "/a/b/c", false, false},
		{"/a/?/c", "/a/b/c", false, true},
		{"/a/?/c", "/a//c", false, false},
		{"/a/[bc]/d", "/a/c/d", false, true},
		{"/a/[!bc]/d", "/a/c/d", false, false},
		{"/a/[a-c]/d", "/a/b/d", false, true},
		{"/a/[[:digit:]]", "/a/7", false, true},
		{"/a/[/]", "/a//", false, false},
		{"/a/[b", "/a/b", false, false},
		{"/a/\\*", "/a/*", false, true},
		{"/a/\\*", "/a/b", false, false},
		{"/A/B/**", "/a/b/.git", true, true},
		{"/A/B/**", "/a/b/.git", false, false},
		{"ma*", "main", false, true},
		{"feature/**", "feature/x/y", false, true},
		{"*", "a/b", false, false},
		{strings.Repeat("*a", 30) + "b", strings.Repeat("a", 60), false, false},
		// Case folding as git's WM_CASEFOLD: the text's letters fold, and
		// classes and ranges match either case.
		{"[[:upper:]]", "a", true, true},
		{"[[:upper:]]", "A", true, true},
		{"[[:upper:]]", "a", false, false},
		{"[[:lower:]]", "A", true, true},
		{"[A-Z]", "a", true, true},
		{"[a-z]", "A", true, true},
		{"[!A-Z]", "a", true, false},
		// A backslash that ends the pattern quotes nothing and matches
		// nothing.
		{"/a/\\", "/a/\\", false, false},
		{"\\", "\\", false, false},
		// A class name git does not know makes the pattern match nothing.
		{"[![:nosuch:]]", "a", false, false},
		{"[[:alpha:][:nosuch:]]", "a", false, false},
		// Git's [:space:] leaves out vertical tabs and form feeds.
		{"a[[:space:]]b", "a\tb", false, true},
		{"a[[:space:]]b", "a\vb", false, false},
		// "[:" with no ":]" before the "]" is a '[' and a ':'.
		{"[[:a]", ":", false, true},
	} {
		if got := wildmatch(c.pattern, c.text, c.fold); got != c.want {
			t.Errorf("wildmatch(%q, %q, %v) = %v", c.pattern, c.text, c.fold, got)
		}
	}
}

func FuzzWildmatch(f *testing.F) {
	f.Add("/a/**/[!b-d]?/*.git", "/a/x/e1/y.git", false)
	f.Fuzz(func(t *testing.T, pattern, text string, fold bool) {
		if len(pattern) > 200 || len(text) > 200 {
			return
		}
		wildmatch(pattern, text, fold) // must not panic
	})
}

// TestGitdirExpandsHomeDirectories: gitdir:~user/ is that user's home
// directory, as git's interpolate_path has it; a user git cannot find
// leaves the pattern as written, and git's %(prefix)/ is undecided.
func TestGitdirExpandsHomeDirectories(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	u, err := user.Current()
	if err != nil || u.Username == "" || !filepath.IsAbs(u.HomeDir) {
		t.Skipf("no current user with a home directory: %v", err)
	}
	w := &configWalk{repo: Dirs{GitDir: filepath.Join(u.HomeDir, "work", "repo", ".git")}}
	from := filepath.Join(home, ".gitconfig")
	for _, c := range []struct {
		cond        string
		in, decided bool
	}{
		{"gitdir:~" + u.Username + "/work/", true, true},
		{"gitdir:~" + u.Username + "/work/*/.git", true, true},
		{"gitdir:~" + u.Username + "/elsewhere/", false, true},
		{"gitdir/i:~" + u.Username + "/WORK/", true, true},
		{"gitdir:~no-such-user-djguard/work/", false, true},
		{"gitdir:%(prefix)/work/", false, false},
	} {
		if in, decided := w.condition(c.cond, from); in != c.in || decided != c.decided {
			t.Errorf("%s: in %v, decided %v; want %v, %v", c.cond, in, decided, c.in, c.decided)
		}
	}
}
