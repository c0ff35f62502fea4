package detect

import (
	"testing"
)

// TestJSONForms: settings files, Heroku app.json and dumpdata fixtures.
func TestJSONForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"json", "config/settings.json", "{\n  \"SECRET_KEY\": \"{k}\",\n  \"DEBUG\": false\n}\n", hk(2, "{k}")},
		{"json lowercase key", "config.json", "{\"secret_key\": \"{k}\"}\n", hk(1, "{k}")},
		{"heroku app.json value", "app.json", "{\"env\": {\"SECRET_KEY\": {\"value\": \"{k}\"}}}\n", hk(1, "{k}")},
		{"dumpdata name/value pair", "fixtures/dump.json", "[{\"model\": \"config.setting\", \"fields\": {\"name\": \"SECRET_KEY\", \"value\": \"{k}\"}}]\n", hk(1, "{k}")},
		{"vscode launch env, short random key", ".vscode/launch.json", "{\"configurations\": [{\"env\": {\"DJANGO_SECRET_KEY\": \"" + alnumKey[:25] + "\"}}]}\n", hk(1, alnumKey[:25])},
	})
}

// TestJSONTraps: other secrets in JSON fixtures.
func TestJSONTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"argon2 hash", "fixtures.json", "{\"password\": \"argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$Ym9ndXNoYXNodmFsdWVmb3J0ZXN0aW5n\"}\n", none},
	})
}
