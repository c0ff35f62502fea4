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

// TestMayHoldKeyLooksForEveryRecogniser: the first look the history audit
// and the staged scan take says yes wherever Detect finds a key, a base64
// one too, whose alphabet holds no run of the key's.
func TestMayHoldKeyLooksForEveryRecogniser(t *testing.T) {
	for _, content := range []string{
		"SECRET_KEY = '" + fakeKey("named") + "'\n",
		"x " + fakeKey("run") + "\n",
		"data:\n  DJANGO_KEY: " + b64Insecure + "\n",
	} {
		if len(Detect("conf.yaml", []byte(content))) == 0 {
			t.Fatalf("Detect finds nothing in a %d-byte sample", len(content))
		}
		if !(*Detector)(nil).MayHoldKey([]byte(content)) {
			t.Errorf("MayHoldKey says no to a %d-byte sample Detect finds a key in", len(content))
		}
	}
}
