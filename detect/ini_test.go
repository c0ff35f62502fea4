package detect

import (
	"testing"
)

// TestINIForms: INI and TOML, bare and quoted.
func TestINIForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"ini", "deploy/app.ini", "[django]\nsecret_key = {k}\n", hk(2, "{k}")},
		{"toml", "config.toml", "[django]\nsecret_key = \"{k}\"\n", hk(2, "{k}")},
	})
}

// TestINITraps: other tools' keys in INI-like files.
func TestINITraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"nix public key", "flake.nix", "trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=\n", none},
		{"cloud credential pair", "terraform.tfvars", "access_key = \"AKIA0000EXAMPLE\"\nsecret_key = \"" + alnumKey + "\"\n", none},
		{"s3 config", "minio.conf", "[s3]\naccess-key = admin\nsecret_key = " + alnumKey + "\n", none},
	})
}
