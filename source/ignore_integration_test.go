//go:build integration

package source

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
)

// TestIgnoreMatchesGit walks random trees under random .gitignore files
// (at the root and deeper, and in info/exclude) and compares the files
// the walk takes with those git lists as untracked and not ignored: every
// pattern shape git reads (anchored, directory-only, negated, "**",
// classes, escapes, trailing spaces, CRLF) must be decided as git decides.
func TestIgnoreMatchesGit(t *testing.T) {
	rounds := 150
	if testing.Short() {
		rounds = 20
	}
	rng := rand.New(rand.NewPCG(23, 14))
	for round := range rounds {
		files, ignores := randomTree(rng)
		dir := testenv.WriteTree(t, files)
		testenv.Git(t, dir, "init", "-q")
		for name, lines := range ignores {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(lines), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var want []string
		if out := strings.TrimSuffix(testenv.Git(t, dir, "ls-files", "--others", "--exclude-standard", "-z"), "\x00"); out != "" {
			want = strings.Split(out, "\x00")
		}
		res := &TreeResult{}
		jobs, err := collect(TreeOptions{Dir: dir, MaxFileSize: DefaultMaxFileSize}, res)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, j := range jobs {
			got = append(got, j.display)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			var desc []string
			for name, lines := range ignores {
				desc = append(desc, fmt.Sprintf("%s:\n%s", name, lines))
			}
			slices.Sort(desc)
			t.Fatalf("round %d: the walk took\n  %v\ngit lists\n  %v\nunder\n%s", round, got, want, strings.Join(desc, "\n"))
		}
	}
}

// randomTree makes a small tree whose names the random patterns often
// hit, and ignore files for it: the root's .gitignore, one deeper, and
// info/exclude.
func randomTree(rng *rand.Rand) (files map[string]string, ignores map[string]string) {
	names := []string{"a", "b", "ab", "x.py", "y.pyc", "a.txt", "#h", "!b", "sp ", "[x]", "build", "keep.txt"}
	dirs := []string{"", "a", "b", "build", "a/b", "a/build", "src/a", "src/lib/b", "doc"}
	files = map[string]string{}
	for range 30 {
		d, n := dirs[rng.IntN(len(dirs))], names[rng.IntN(len(names))]
		p := n
		if d != "" {
			p = d + "/" + n
		}
		if !slices.ContainsFunc(dirs, func(x string) bool { return x == p || strings.HasPrefix(x, p+"/") }) {
			files[p] = "x\n"
		}
	}
	ignores = map[string]string{
		".gitignore":        randomPatterns(rng, 6),
		".git/info/exclude": randomPatterns(rng, 2),
	}
	if sub := dirs[1+rng.IntN(len(dirs)-1)]; rng.IntN(2) == 0 {
		ignores[sub+"/.gitignore"] = randomPatterns(rng, 3)
	}
	return files, ignores
}

func randomPatterns(rng *rand.Rand, n int) string {
	parts := []string{"a", "b", "ab", "build", "x.py", "*.py", "*.pyc", "*", "**", "?", "[ab]", "[!a]*", "a*", "*.txt", "keep.txt", "src", "lib", "doc", `\#h`, `\!b`, `sp\ `, `\[x]`}
	var b strings.Builder
	for range n {
		var p string
		for k := range 1 + rng.IntN(3) {
			if k > 0 {
				p += "/"
			}
			p += parts[rng.IntN(len(parts))]
		}
		if rng.IntN(4) == 0 {
			p = "/" + p
		}
		if rng.IntN(4) == 0 {
			p += "/"
		}
		if rng.IntN(4) == 0 {
			p = "!" + p
		}
		if rng.IntN(6) == 0 {
			p += "  "
		}
		end := "\n"
		if rng.IntN(6) == 0 {
			end = "\r\n"
		}
		b.WriteString(p + end)
	}
	return b.String()
}
