package rotation

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestFindVersionInEveryDependencyFile(t *testing.T) {
	for _, tc := range []struct {
		file, content, want, source string
	}{
		{"requirements.txt", "django-environ==0.11\nDjango==4.2.7  # LTS\n", "4.2", "requirements.txt:2"},
		{"requirements.txt", "django[argon2]>=4.1,<5.0\n", "4.1", "requirements.txt:1"},
		{"requirements-prod.txt", "gunicorn\nDjango ~= 3.2.19\n", "3.2", "requirements-prod.txt:2"},
		{"pyproject.toml", "[project]\ndependencies = [\n  \"django-extensions\",\n  \"django>=5.0\",\n]\n", "5.0", "pyproject.toml:4"},
		{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\ndjango = \"^4.2\"\n", "4.2", "pyproject.toml:3"},
		{"poetry.lock", "[[package]]\nname = \"django\"\nversion = \"4.1.13\"\n", "4.1", "poetry.lock:3"},
		{"Pipfile.lock", `{"default": {"django": {"version": "==5.1.2"}}}`, "5.1", "Pipfile.lock"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.content), 0o644)
		v := FindVersion(dir)
		if v == nil || v.String() != tc.want || v.Source != tc.source {
			t.Errorf("%s: %+v, want %s from %s", tc.file, v, tc.want, tc.source)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("django-environ==0.11\ndjango_extensions\n"), 0o644)
	if v := FindVersion(dir); v != nil {
		t.Errorf("found %v in a file that only names django- packages", v)
	}
}

func TestStepsFollowTheVersion(t *testing.T) {
	for _, tc := range []struct {
		v          *Version
		want, dont string
	}{
		{nil, "Do NOT put the leaked", "has no\n     SECRET_KEY_FALLBACKS"},
		{&Version{Major: 3, Minor: 2, Source: "requirements.txt:1"}, "Django 3.2 has no", "Do NOT put"},
		{&Version{Major: 4, Minor: 2, Source: "poetry.lock:3"}, "is for routine rotation only", "has no"},
	} {
		s := Steps(tc.v)
		if !strings.Contains(s, tc.want) || strings.Contains(s, tc.dont) {
			t.Errorf("%v: steps lack %q or hold %q:\n%s", tc.v, tc.want, tc.dont, s)
		}
		for _, must := range []string{"djguard keygen", "logged out", "reset links", "djguard verify", "does not un-leak",
			"djguard verify --signed -", "messages", "sessionid", "Exit 0:", "1: a leaked key signed it", "2: the value is"} {
			if !strings.Contains(s, must) {
				t.Errorf("%v: steps lack %q", tc.v, must)
			}
		}
	}
	if !strings.Contains(Steps(&Version{Major: 4, Minor: 2, Source: "x"}), "Django 4.2, from x") {
		t.Error("the steps do not say which version they are for")
	}
}

// TestDocsAgreeOnStepSix: docs/rotation.md ("How to rotate a leaked key")
// and the steps djguard prints pick up a signed value with the same
// commands, naming its kind the same way: a user reads either.
func TestDocsAgreeOnStepSix(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "rotation.md"))
	if err != nil {
		t.Fatal(err)
	}
	fromDocs := commandsOfStepSix(t, string(doc), "# How to rotate a leaked key", "\n6. ", "\n7. ")
	printed := commandsOfStepSix(t, Steps(nil), "How to rotate", "\n  6. ", "\n  7. ")
	if fromDocs != printed {
		t.Errorf("step 6 differs:\ndocs/rotation.md: %s\nprinted:          %s", fromDocs, printed)
	}
	for _, must := range []string{"djguard verify --signed - --kind messages --history", "djguard verify --signed - --kind session --history"} {
		if !strings.Contains(printed, must) {
			t.Errorf("step 6 lacks %q: %s", must, printed)
		}
	}
}

// commandsOfStepSix returns the verify --signed commands and --kind flags
// of step 6 of the text after heading, in order, one line.
func commandsOfStepSix(t *testing.T, text, heading, from, to string) string {
	t.Helper()
	_, text, ok := strings.Cut(text, heading)
	if ok {
		_, text, ok = strings.Cut(text, from)
	}
	if ok {
		text, _, ok = strings.Cut(text, to)
	}
	if !ok {
		t.Fatalf("no step 6 after %q", heading)
	}
	text = strings.Join(strings.Fields(strings.ReplaceAll(text, "`", "")), " ")
	re := regexp.MustCompile(`djguard verify --signed - [a-z -]*--history|--kind [a-z0-9.-]+|--salt SALT`)
	return strings.Join(re.FindAllString(text, -1), " | ")
}
