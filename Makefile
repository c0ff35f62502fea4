# djguard's release build, and its tests (see CONTRIBUTING.md).
#
#   make dist VERSION=v0.1.0 [DIST=dir]
#
# builds, offline and reproducibly, the release archives, Python wheels and
# SHA256SUMS from this checkout's HEAD (internal/release says how).
#
#   make test       go test ./...: the unit and script tests, in seconds
#   make test-all   go test -race -tags integration ./...: those with the
#                   race detector, and the integration tests, which run real
#                   Django, pre-commit, git hooks, go build and the release
#                   build (DJGUARD_DIST names a make dist to read instead)

DIST ?= dist
GO ?= go

.PHONY: dist
dist:
	@if [ -z "$(VERSION)" ]; then echo "usage: make dist VERSION=vX.Y.Z [DIST=dir]" >&2; exit 2; fi
	GOFLAGS= GOTOOLCHAIN=local $(GO) run ./internal/release -version "$(VERSION)" -out "$(DIST)"

.PHONY: test test-all
test:
	$(GO) test ./...

test-all:
	$(GO) test -race -tags integration ./...
