package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
	"github.com/djguard/djguard/leaked"
	"github.com/djguard/djguard/signed"
)

// refusalOf writes the pre-commit hook's message for files.
func refusalOf(t *testing.T, files map[string]string) string {
	t.Helper()
	r := &Report{FailOn: detect.High, Replacements: map[string]string{}}
	for path, content := range files {
		r.Findings = append(r.Findings, detect.Detect(path, []byte(content))...)
	}
	slices.SortFunc(r.Findings, func(a, b detect.Finding) int { return strings.Compare(a.Path, b.Path) })
	var buf bytes.Buffer
	if err := Hook(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// A staged .env is unstaged and ignored, not rewritten to read the
// environment it is; settings get the settings advice; a staged key is
// never called committed.
func TestHookAdviceFitsWhatIsStaged(t *testing.T) {
	key := testenv.FakeKey("hook advice")
	env := refusalOf(t, map[string]string{".env": "DJANGO_SECRET_KEY=" + key + "\n", "config/.env.local": "SECRET_KEY=" + key + "x\n"})
	for _, want := range []string{"git rm --cached -- .env config/.env.local\n", "echo /.env >> .gitignore\n", "echo /config/.env.local >> .gitignore\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("staged .env files: no %q in\n%s", want, env)
		}
	}
	if strings.Contains(env, "os.environ") {
		t.Errorf("staged .env files get settings advice:\n%s", env)
	}
	settings := refusalOf(t, map[string]string{"mysite/settings.py": "SECRET_KEY = 'django-insecure-" + key + "'\n", ".env.example": "SECRET_KEY=" + key + "y\n"})
	if !strings.Contains(settings, "os.environ") || !strings.Contains(settings, "djguard fix --write") || strings.Contains(settings, "git rm --cached") {
		t.Errorf("staged settings and a .env template: settings advice only, wanted:\n%s", settings)
	}
	for _, out := range []string{env, settings} {
		if strings.Contains(out, "committed") && !strings.Contains(out, "would commit") {
			t.Errorf("a staged key is called committed:\n%s", out)
		}
	}
}

// The pre-push message says how to edit a first commit too: 'git rebase -i
// COMMIT^' fails on a root commit.
func TestPushAdviceCoversTheFirstCommit(t *testing.T) {
	r, _ := sample(t)
	var buf bytes.Buffer
	if err := Push(&buf, withHistory(r), Options{}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "git rebase -i --root") || strings.Contains(out, "COMMIT^") {
		t.Errorf("the pre-push advice:\n%s", out)
	}
}

// verify --signed's verdict names where the key was seen with the key
// redacted when the place is named after it.
func TestSignerRedactsTheKeyInWhereItWasSeen(t *testing.T) {
	key := testenv.FakeKey("signer")
	var buf bytes.Buffer
	Signer(&buf, &signed.Match{Kind: signed.Kind{Name: "session", Description: "a session"}}, leaked.Leak{Secret: key, Fingerprint: detect.Fingerprint(key), Where: "keys/" + key + ".txt:1"}, false)
	if strings.Contains(buf.String(), key) || !strings.Contains(buf.String(), "first seen at keys/") {
		t.Errorf("%s", buf.String())
	}
}
