package detect

import (
	"testing"
)

// TestDotenvForms: .env files and shell scripts, bare, quoted and exported.
func TestDotenvForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"dotenv", ".env", "DEBUG=1\nDJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"dotenv export quoted", ".env.production", "export DJANGO_SECRET_KEY='{k}'\n", hk(1, "{k}")},
		{"dotenv double quoted", "prod.env", "SECRET_KEY=\"{k}\"\n", hk(1, "{k}")},
		{"shell script export", "scripts/run.sh", "#!/bin/sh\nexport DJANGO_SECRET_KEY='{k}'\n", hk(2, "{k}")},
		{"inline variable", "Makefile.sh", "SECRET_KEY={k} ./manage.py runserver\n", hk(1, "{k}")},
		{"extra quotes", ".env", "DJANGO_SECRET_KEY=\"'{k}'\"\n", hk(1, "{k}")},
	})
}

// TestDotenvTraps: variables and command substitutions are computed at run time.
func TestDotenvTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"shell variable no braces", ".env", "DJANGO_SECRET_KEY=$PROD_KEY\n", none},
		{"empty env", ".env", "DJANGO_SECRET_KEY=\n", none},
		{"command substitution", "run.sh", "export DJANGO_SECRET_KEY=\"$(openssl rand -base64 48)\"\n", none},
		{"openssl in shell", "setup.sh", "export DJANGO_SECRET_KEY=$(openssl rand -base64 48)\n", none},
		{"urandom in shell", "setup.sh", "DJANGO_SECRET_KEY=\"$(cat /dev/urandom | tr -dc 'a-z0-9' | head -c 50)\"\n", none},
	})
}
