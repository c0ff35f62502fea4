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
		{"value with a semicolon, read to the end of the line", ".env", "DJANGO_SECRET_KEY=" + semiKey + "\n", hk(1, semiKey)},
		{"comment after the value", ".env", "DJANGO_SECRET_KEY={k} # production\n", hk(1, "{k}")},
		{"after '= ', python-dotenv reads a comment as the value", ".env", "DJANGO_SECRET_KEY= # set me\n", []want{{WeakKey, Low, 1, "# set me"}}},
		{"a short random key is high", ".env", "SECRET_KEY=" + alnumKey[:25] + "\n", hk(1, alnumKey[:25])},
		{"a prefixed build argument on docker build's command line", "scripts/build.sh", "docker build --build-arg DEV_SECRET_KEY=" + hex64Key + " .\n", hk(1, hex64Key)},
		{"a prefixed variable the script passes on as the key", "scripts/run.sh", "LOCAL_SECRET_KEY=" + hex64Key + "\nexport SECRET_KEY=\"$LOCAL_SECRET_KEY\"\n", hk(1, hex64Key)},
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
		{"comment after an empty shell value", "run.sh", "export DJANGO_SECRET_KEY= # set me\n", none},
		{"another service's key", ".env", "SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc\nAWS_SECRET_ACCESS_KEY=" + alnumKey + "\n", none},
		{"a prefixed variable the script does not pass on as the key", "scripts/run.sh", "LOCAL_SECRET_KEY=" + hex64Key + "\nexport SECRET_KEY=\"$OTHER\"\n", none},
	})
}
