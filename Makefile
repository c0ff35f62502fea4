# djguard's release build. The tests are run with go test (see CONTRIBUTING.md).
#
#   make dist VERSION=v0.1.0 [DIST=dir]
#
# builds, offline and reproducibly, the release archives, Python wheels and
# SHA256SUMS from this checkout's HEAD (internal/release says how).

DIST ?= dist
GO ?= go

.PHONY: dist
dist:
	@if [ -z "$(VERSION)" ]; then echo "usage: make dist VERSION=vX.Y.Z [DIST=dir]" >&2; exit 2; fi
	GOFLAGS= GOTOOLCHAIN=local $(GO) run ./internal/release -version "$(VERSION)" -out "$(DIST)"
