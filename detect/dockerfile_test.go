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
	})
}

// TestDockerfileTraps: an empty ENV deliberately unsets the key.
func TestDockerfileTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"empty dockerfile env", "Dockerfile", "ENV DJANGO_SECRET_KEY=\n", none},
	})
}
