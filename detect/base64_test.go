package detect

import (
	"encoding/base64"
	"testing"
)

// TestBase64Forms: keys written as base64 are found decoded.
func TestBase64Forms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"kubernetes data base64", "k8s/secret.yaml", "kind: Secret\ndata:\n  DJANGO_SECRET_KEY: " + base64.StdEncoding.EncodeToString([]byte(fakeKey("k"))) + "\n", hk(3, "{k}")},
		{"base64 insecure key anywhere", "values.txt", "blob " + b64Insecure + " end\n", []want{{InsecureKey, High, 1, "django-insecure-" + fakeKey("b64")}}},
	})
}
