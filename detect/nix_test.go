package detect

import (
	"testing"
)

// TestNixForms: attribute sets of flakes and NixOS modules, and shell in
// their indented strings.
func TestNixForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"a dev shell's attribute", "flake.nix", "pkgs.mkShell {\n  env = {\n    SECRET_KEY = \"not-for-prod\";\n  };\n}\n", []want{{WeakKey, Low, 3, "not-for-prod"}}},
		{"an elided value in an attribute set is what it sets", "flake.nix", "{\n  DJANGO_SECRET_KEY = \"...\";\n}\n", []want{{WeakKey, Low, 2, "..."}}},
		{"a quoted attribute name", "nix/shell.nix", "{ \"SECRET_KEY\" = \"devshell\"; }\n", []want{{WeakKey, Low, 1, "devshell"}}},
		{"an export in a shellHook", "flake.nix", "shellHook = ''\n  export DJANGO_SECRET_KEY=nix-dev\n'';\n", []want{{WeakKey, Low, 2, "nix-dev"}}},
		{"a random key in a NixOS module is high", "modules/app.nix", "  systemd.services.app.environment.SECRET_KEY = \"{k}\";\n", hk(1, "{k}")},
	})
}

// TestNixTraps: expressions and computed values in Nix.
func TestNixTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"a variable", "flake.nix", "{ SECRET_KEY = secretKey; }\n", none},
		{"an interpolation", "flake.nix", "{ SECRET_KEY = \"${config.key}\"; }\n", none},
		{"a command's output in a shellHook", "flake.nix", "shellHook = ''\n  export SECRET_KEY=$(cat .key)\n'';\n", none},
		{"a file read", "module.nix", "{ SECRET_KEY = builtins.readFile ./key; }\n", none},
	})
}
