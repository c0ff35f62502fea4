package detect

import (
	"testing"
)

// TestMakefileForms: make variables in each flavour of assignment, and
// recipe lines, which are shell.
func TestMakefileForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"a prefixed key passed on as a build argument", "Makefile", "DEV_SECRET_KEY = " + hex64Key + "\n\nimage:\n\tdocker build --build-arg SECRET_KEY=$(DEV_SECRET_KEY) .\n", hk(1, hex64Key)},
		{"a simply expanded variable", "Makefile", "DEV_SECRET_KEY := " + hex64Key + "\n", hk(1, hex64Key)},
		{"an exported variable with a comment", "GNUmakefile", "export DJANGO_SECRET_KEY ::= " + hex64Key + "  # local only\n", hk(1, hex64Key)},
		{"a conditional assignment is a fallback", "Makefile", "SECRET_KEY ?= " + hex64Key + "\n", fb(1, hex64Key)},
		{"a build argument in a recipe", "Makefile", "image:\n\tdocker build --build-arg SECRET_KEY=" + hex64Key + " -t app .\n", hk(2, hex64Key)},
		{"a weak key in an included makefile", "make/dev.mk", "DJANGO_SECRET_KEY = not-a-secret\n", []want{{WeakKey, Low, 1, "not-a-secret"}}},
		{"make's $$ is one $", "Makefile", "DJANGO_SECRET_KEY = ab$$cd\n", []want{{WeakKey, Low, 1, "ab$cd"}}},
	})
}

// TestMakefileTraps: values make or the shell computes.
func TestMakefileTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"a reference", "Makefile", "DEV_SECRET_KEY = $(shell openssl rand -hex 32)\n", none},
		{"a shell assignment", "Makefile", "SECRET_KEY != openssl rand -hex 32\n", none},
		{"a shell variable in a recipe", "Makefile", "run:\n\tSECRET_KEY=$$DJANGO_KEY ./manage.py runserver\n", none},
		{"a make variable in a recipe", "Makefile", "run:\n\tdocker build --build-arg SECRET_KEY=$(DEV_SECRET_KEY) .\n", none},
		{"another service's key", "Makefile", "AWS_SECRET_KEY = " + hexKey + "\n", none},
	})
}
