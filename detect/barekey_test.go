package detect

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/djguard/djguard/keygen"
)

// The bare-key profile must accept what Django generates. 100,000 keys from
// crypto/rand; the thresholds were chosen for a miss rate near 1 in 20,000,
// so more than 1 in 2,000 means a threshold is wrong.
func TestBareProfileAcceptsDjangoKeys(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	missed := 0
	for i := 0; i < n; i++ {
		k, err := keygen.Generate(rand.Reader, keygen.Length)
		if err != nil {
			t.Fatal(err)
		}
		if !djangoShaped(k) {
			missed++
		}
	}
	t.Logf("profile missed %d of %d generated keys", missed, n)
	if missed*2000 > n {
		t.Errorf("profile missed %d of %d generated keys", missed, n)
	}
}

func TestBareProfileAcceptsLongerGeneratedKeys(t *testing.T) {
	for _, length := range []int{64, 80, 100} {
		for i := 0; i < 200; i++ {
			k, _ := keygen.Generate(rand.Reader, length)
			if !djangoShaped(k) {
				t.Errorf("a %d-character generated key was not recognised", length)
				break
			}
		}
	}
}

func TestBareProfileRejectsLookAlikes(t *testing.T) {
	for _, s := range []string{
		keygen.Alphabet,
		"test_user_profile_returns_422_when_missing_token(self)",
		"utm_source=news&utm_medium=email&utm_campaign=spring2023",
		"var(--some-long-name-for-the-primary-color-500)-and-more",
		"this-is-a-rather-long-slug-for-a-blog-post-about-django-settings",
		"a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2",
		"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"pbkdf2_sha256$600000$abcdefghijk$lmnopqrstuvwxyz0123456789",
		"def_get_queryset(self)=self.model.objects.filter(user=self.request.user)",
		strings.Repeat("ab#1", 13),
		"django-insecure-" + strings.Repeat("x", 50),
		// Too short, and too long, to be a generated key.
		"q8#v(2x@!m^k0z$w7n&p-s_e=r+t)j1",
		strings.Repeat("q8#v(2x@!m^k0z$w7n&p-s_e=r+t)j1", 4),
	} {
		if djangoShaped(s) {
			t.Errorf("profile accepted %q", s)
		}
	}
}

// TestBareKeyForms: strings with no name that have the profile of a generated key are found.
func TestBareKeyForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"bare key in notes", "docs/notes.md", "The old key was {k} and must be rotated.\n",
			[]want{{BareKey, High, 1, "{k}"}}},
		{"bare key after a name and equals", "notes.txt", "key={k}\n",
			[]want{{BareKey, High, 1, "{k}"}}},
	})
}

// TestBareKeyTraps: generator alphabets, hashes, UUIDs, slugs, test names, query strings and CSS lack that profile.
func TestBareKeyTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"charset constant", "gen.py", "SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'\n", none},
		{"key alphabet", "gen.py", "KEY_CHARS = \"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)\"\n", none},
		{"get_random_string", "gen.py", "new_key = get_random_string(50, 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)')\n", none},
		{"sha256 hex", "settings.py", "FILE_HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'\n", none},
		{"uuid", "settings.py", "REQUEST_ID = '3f2b8c1e-7d4a-4b8e-9c2f-1a5e6d7c8b9a'\n", none},
		{"slug", "settings.py", "SLUG = 'this-is-a-rather-long-slug-for-a-blog-post-about-django-settings'\n", none},
		{"test name", "tests.py", "    def test_user_profile_returns_422_when_missing_token(self):\n", none},
		{"query string", "urls.py", "LINK = '/x?utm_source=news&utm_medium=email&utm_campaign=spring2023'\n", none},
		{"css custom property", "style.css", "color: var(--some-long-name-for-the-primary-color-500);\n", none},
		{"sorted run", "x.txt", "0123456789abcdefghijklmnopqrstuvwxyz!#$%&()*+-=@^_\n", none},
		{"charset constant in settings", "settings.py", "SECRET_KEY_CHARSET = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'\n", none},
	})
}
