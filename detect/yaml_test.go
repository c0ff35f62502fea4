package detect

import (
	"strings"
	"testing"
)

// TestYAMLForms: compose files, Kubernetes manifests, Helm values and CI workflows.
func TestYAMLForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"yaml mapping quoted", "docker-compose.yml", "services:\n  web:\n    environment:\n      DJANGO_SECRET_KEY: \"{k}\"\n", hk(4, "{k}")},
		{"yaml mapping bare", "k8s/secret.yaml", "stringData:\n  SECRET_KEY: {k}\n", hk(2, "{k}")},
		{"yaml compose list", "compose.yaml", "    environment:\n      - DJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"yaml compose list quoted item", "compose.yaml", "    environment:\n      - \"DJANGO_SECRET_KEY={k}\"\n", hk(2, "{k}")},
		{"yaml block scalar", "values.yaml", "SECRET_KEY: >-\n  {k}\n", hk(2, "{k}")},
		{"insecure key in yaml with no quotes", ".github/workflows/test.yml", "    env:\n      DJANGO_SECRET_KEY: django-insecure-{k}\n",
			[]want{{InsecureKey, High, 2, "django-insecure-{k}"}}},
		{"compose dollar escape", "docker-compose.yml", "      DJANGO_SECRET_KEY: \"" + strings.ReplaceAll(fakeKey("k"), "$", "$$") + "\"\n", hk(1, "{k}")},
		{"kubernetes env name and value", "deploy.yaml", "        env:\n          - name: DJANGO_SECRET_KEY\n            value: \"{k}\"\n", hk(3, "{k}")},
		{"quoted name in an env entry", "deploy.yaml", "        - name: \"DJANGO_SECRET_KEY\"\n          value: \"{k}\"\n", hk(2, "{k}")},
		{"a CI variable the job passes on as the key", ".github/workflows/test.yml", "env:\n  CI_SECRET_KEY: " + hex64Key + "\njobs:\n  test:\n    steps:\n      - run: SECRET_KEY=$CI_SECRET_KEY pytest\n", hk(2, hex64Key)},
	})
}

// TestYAMLTraps: references, tags and nulls in YAML.
func TestYAMLTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"github actions secret", "ci.yml", "      DJANGO_SECRET_KEY: ${{ secrets.DJANGO_SECRET_KEY }}\n", none},
		{"shell variable", "docker-compose.yml", "      DJANGO_SECRET_KEY: ${DJANGO_SECRET_KEY}\n", none},
		{"yaml tag", "config.yml", "SECRET_KEY: !env DJANGO_SECRET_KEY\n", none},
		{"yaml null", "config.yml", "SECRET_KEY: null\n", none},
		{"helm secretKeyRef", "templates/deployment.yaml", "        - name: DJANGO_SECRET_KEY\n          valueFrom:\n            secretKeyRef:\n              name: {{ .Release.Name }}\n              key: DJANGO_SECRET_KEY\n", none},
		{"a comment, no value", "values.yaml", "SECRET_KEY: # CHANGEME\n", none},
		{"env entry with a comment", "deploy.yaml", "        - name: DJANGO_SECRET_KEY\n          value: # CHANGEME\n", none},
		{"sed script in CI", ".gitlab-ci.yml", "  - sed -i \"s/SECRET_KEY = .*/SECRET_KEY = '$KEY'/\" settings.py\n", none},
	})
}

// TestComposeReportsTheValueComposePasses: in a compose file $$ is one $
// to Docker Compose, so a key written there with $$ is reported, and
// fingerprinted, as the key with $, in every form: under a key's name, as
// a default, and found with no name (a command's argument, a
// django-insecure- key under another name).
func TestComposeReportsTheValueComposePasses(t *testing.T) {
	k := fakeKey("compose")
	k = k[:20] + "$" + k[20:40] + "$" + k[40:]
	written := strings.ReplaceAll(k, "$", "$$")
	for _, tc := range []struct {
		name, path, src, want string
	}{
		{"mapping", "docker-compose.yml", "services:\n  web:\n    environment:\n      SECRET_KEY: " + written + "\n", k},
		{"list item", "compose.yaml", "    environment:\n      - DJANGO_SECRET_KEY=" + written + "\n", k},
		{"default of a variable", "docker-compose.yml", "      SECRET_KEY: ${SECRET_KEY:-" + written + "}\n", k},
		{"a command's argument", "docker-compose.yml", "services:\n  web:\n    command: gunicorn --env KEY='" + written + "' app\n", k},
		{"a command's --option=value", "docker-compose.override.yml", "    command: ./run --signing=" + written + "\n", k},
		{"an insecure key under another name", "compose.yml", "    environment:\n      SIGNING: django-insecure-" + written + "\n", "django-insecure-" + k},
	} {
		got := Detect(tc.path, []byte(tc.src))
		if len(got) != 1 || got[0].Secret != tc.want || got[0].Fingerprint != Fingerprint(tc.want) {
			t.Errorf("%s: got\n%swant one finding of the key with $", tc.name, describe(got))
		}
	}
	// Outside a compose file $$ is what the file holds.
	if got := Detect("notes.yml", []byte("run: ./x --signing=django-insecure-"+written+"\n")); len(got) != 1 || got[0].Secret != "django-insecure-"+written {
		t.Errorf("outside compose: got\n%swant the key as written", describe(got))
	}
}
