package detect

import (
	"testing"
)

// TestDockerfileForms: ENV in both its forms, several variables, continued lines, and RUN lines.
func TestDockerfileForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"dockerfile ENV with equals", "Dockerfile", "FROM python:3.12\nENV DJANGO_SECRET_KEY={k}\n", hk(2, "{k}")},
		{"dockerfile ENV with a space", "Dockerfile", "FROM python:3.12\nENV DJANGO_SECRET_KEY {k}\n", hk(2, "{k}")},
		{"dockerfile ENV quoted", "docker/Dockerfile.prod", "ENV DJANGO_SECRET_KEY=\"{k}\"\n", hk(1, "{k}")},
		{"several ENV variables", "Dockerfile", "ENV DEBUG=0 DJANGO_SECRET_KEY={k} PORT=8000\n", hk(1, "{k}")},
		{"continued ENV", "Dockerfile", "ENV DEBUG=0 \\\n    DJANGO_SECRET_KEY={k} \\\n    PORT=8000\n", hk(2, "{k}")},
		{"RUN echo into .env", "Dockerfile", "RUN echo \"SECRET_KEY={k}\" > .env\n", hk(1, "{k}")},
		{"a prefixed build argument's default", "Dockerfile", "FROM python:3.12\nARG DEV_SECRET_KEY=" + hex64Key + "\nENV SECRET_KEY=$DEV_SECRET_KEY\n", hk(2, hex64Key)},
		{"a build argument named for the key", "docker/Dockerfile.dev", "ARG SECRET_KEY=" + hex64Key + "\nENV SECRET_KEY=${SECRET_KEY}\n", hk(1, hex64Key)},
		{"a project's prefixed key in ENV", "Dockerfile", "ENV MYAPP_SECRET_KEY " + alnumKey + "\n", hk(1, alnumKey)},
	})
}

// TestDockerfileTraps: an empty ENV deliberately unsets the key.
func TestDockerfileTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"empty dockerfile env", "Dockerfile", "ENV DJANGO_SECRET_KEY=\n", none},
		{"a build argument with no default", "Dockerfile", "ARG DEV_SECRET_KEY\nENV SECRET_KEY=$DEV_SECRET_KEY\n", none},
		{"another service's build argument", "Dockerfile", "ARG AWS_SECRET_KEY=" + hex64Key + "\n", none},
	})
}
