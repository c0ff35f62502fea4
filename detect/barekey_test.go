package detect

import (
	"crypto/rand"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/djguard/djguard/internal/testenv"
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

// The keys come from a seeded source: a profile that misses a few keys in
// a million (see the simulation test) must not make this test fail once in
// a while.
func TestBareProfileAcceptsLongerGeneratedKeys(t *testing.T) {
	src := testenv.Rand("longer generated keys")
	for _, length := range []int{64, 80, 100} {
		for i := 0; i < 200; i++ {
			k, _ := keygen.Generate(src, length)
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
		{"lockfile package spec", "yarn.lock", "babel-plugin-transform-es2015-block-scoped-functions@^6.22.0:\n", none},
		{"lockfile resolved URL", "yarn.lock", "  resolved \"https://registry.example/x/-/x-1.0.0.tgz?cache=0&sync_timestamp=1612345678901&other_urls=x\"\n", none},
		{"query string", "views.py", "url = '/api/items?query=paginated&ordering=-created&page=1&page_size=50&format=json'\n", none},
		{"url fragment with a token", "callback.html", "<a href=\"cb#access_token=a8sd7f6g3k&state=k2j3h4l5&token_type=bearer\">\n", none},
		{"image query string", "profile.html", "<img src=\"/picture?type=square&height=600&width=600&ext=1612345678&hash=at8k2j3h4\">\n", none},
		{"pip VCS requirement", "requirements.txt", "-e git+https://example.org/org/repo.git@3f2b8c1e7d4a4b8e9c2f1a5e6d7c8b9a0f1e2d3c#egg=django-some-package\n", none},
		{"PostScript show strings (gdb's refcard.ps, TeX-made)", "refcard.ps", "b(C++)i(deriv)n(ed)e(t)n(yp)r(es)h(for)h(ob)t(jects)1821\n", none},
		{"Markdown anchor", "README.md", "[see](https://example.org/q/how-can-i-pass-env-variables-to-nginx-conf#comment123456_654321)\n", none},
		{"test name with digits", "tests.py", "    def test_user_profile_returns_422_when_token_is_missing_2(self):\n", none},
		{"ORM lookup", "views.py", "    Order.objects.filter(customer__address__city__iexact=1, lines__product__sku__in=x)\n", none},
		{"minified JS identifiers", "app.min.js", "var x=$28e0c9a1b2$export$25be7d5a2f(a)+$3f1e$export$9a8b7c6d5e(b)\n", none},
		{"CSS calc of a custom property", "style.css", ".row{margin:calc(var(--bs-gutter-x-some-long-name-for-it)*-1)}\n", none},
		{"HTML anchor in generated docs", "api.html", "<a href=\"#all_deprecated-apis_dep0041-node_path-value-deprecation\">\n", none},
		{"OAuth client secret in a URL", "oauth.py", "u = 'token?grant_type=x&client_secret=8f3k2j9d7s6a5g4h3j2k1l0z9x8c7v6b5n4m3q2w1e0r9t8y7u'\n", none},
		{"URL-encoded text", "README.md", "[t](https://example.org/intent/tweet?text=check%20out%20pure-rand%20by%20%40ndubien%20https%3)\n", none},
	})
}

// TestRunEntropyIsEntropy: the table-driven entropy of a run gives
// exactly what entropy computes, for keys and for skewed runs.
func TestRunEntropyIsEntropy(t *testing.T) {
	r := mrand.New(mrand.NewPCG(1, 2))
	draw := func(n int, from string) string {
		b := make([]byte, n)
		for j := range b {
			b[j] = from[r.IntN(len(from))]
		}
		return string(b)
	}
	for i := 0; i < 2000; i++ {
		n := minProfileLen + i%(maxProfileLen-minProfileLen+1)
		v := draw(n, string(keyChars))
		if i%2 == 1 {
			v = draw(n, "ab(c"+string(keyChars[i%len(keyChars)]))
		}
		var small [256]uint8
		wide := make([]int, 256)
		for j := 0; j < len(v); j++ {
			small[v[j]]++
			wide[v[j]]++
		}
		if got, want := runEntropy(&small, len(v)), entropy(wide, len(v)); got != want {
			t.Fatalf("%q: runEntropy %v, entropy %v", v, got, want)
		}
	}
}
