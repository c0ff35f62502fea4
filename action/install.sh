#!/usr/bin/env bash
# Installs the djguard that action.yml runs, into $RUNNER_TEMP/djguard-bin.
#
# The version is the action checkout's own: the first '## ' heading of its
# CHANGELOG.md, '## vX.Y.Z' (optionally '-rc.N', then ' — DATE' or
# ' (DATE)') for a release, '## Unreleased' for a commit between releases.
# DJGUARD_VERSION (the action's 'version' input) overrides it: a version,
# or 'source'.
#
# A release is downloaded from DJGUARD_RELEASE_URL/VERSION/ (GitHub's
# release downloads by default), checked against that release's
# SHA256SUMS, and installed. Anything else writes build=source to
# $GITHUB_OUTPUT for action.yml's next steps, which build it with Go.
# Either way path=BINARY goes to $GITHUB_OUTPUT. Refusals exit 2.
set -euo pipefail

die() {
  echo "djguard action: $*" >&2
  exit 2
}

: "${GITHUB_ACTION_PATH:?}" "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}"
base_url="${DJGUARD_RELEASE_URL:-https://github.com/djguard/djguard/releases/download}"
bin_dir="$RUNNER_TEMP/djguard-bin"
exe=djguard
[ "${RUNNER_OS:-}" = Windows ] && exe=djguard.exe
bin="$bin_dir/$exe"

semver='v[0-9]+\.[0-9]+\.[0-9]+(-(alpha|beta|rc)\.[0-9]+)?'
date='[0-9]{4}-[0-9]{2}-[0-9]{2}'
release_heading="^## ($semver)( — $date| \($date\))?\$"
version_input="^$semver\$"

version="${DJGUARD_VERSION:-}"
if [ -z "$version" ]; then
  changelog="$GITHUB_ACTION_PATH/CHANGELOG.md"
  if [ ! -e "$changelog" ]; then
    # A checkout from before the changelog: no release to download.
    heading="## Unreleased"
  else
    heading=$(grep -m1 '^## ' "$changelog") || die "no '## ' heading in $changelog to tell which version this is"
  fi
  heading="${heading%$'\r'}"
  if [ "$heading" = "## Unreleased" ]; then
    version=source
  elif [[ $heading =~ $release_heading ]]; then
    version="${BASH_REMATCH[1]}"
  else
    die "the first heading of $changelog, '$heading', is neither '## Unreleased' nor '## vX.Y.Z'"
  fi
elif [ "$version" != source ] && ! [[ $version =~ $version_input ]]; then
  # The version goes into a URL and file names, so only this shape is let in.
  die "version must be empty, 'source' or a release such as v1.2.3, not '$version'"
fi

# Drop a binary an earlier run left, so a refusal leaves none behind.
rm -f "$bin"

if [ "$version" = source ]; then
  echo "djguard action: djguard will be built from the action's own source"
  {
    echo "build=source"
    echo "path=$bin"
  } >>"$GITHUB_OUTPUT"
  exit 0
fi

case "${RUNNER_OS:-}" in
  Linux) goos=linux ;;
  macOS) goos=darwin ;;
  Windows) goos=windows ;;
  *) die "no djguard release for RUNNER_OS '${RUNNER_OS:-}' (Linux, macOS or Windows); set the version input to 'source' to build it" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) goarch=amd64 ;;
  ARM64) goarch=arm64 ;;
  *) die "no djguard release for RUNNER_ARCH '${RUNNER_ARCH:-}' (X64 or ARM64); set the version input to 'source' to build it" ;;
esac

# Plain http is there for tests that serve a release from this machine;
# anywhere else it would let the network swap the archive and its sums alike.
case "$base_url" in
  https://*) ;;
  http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
  *) die "DJGUARD_RELEASE_URL must be an https URL (or http on 127.0.0.1 or localhost), not '$base_url'" ;;
esac

dir="djguard-$version-$goos-$goarch"
archive="$dir.tar.gz"
[ "$goos" = windows ] && archive="$dir.zip"

work=$(mktemp -d "$RUNNER_TEMP/djguard-download.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch() {
  # GitHub answers a release download with a redirect to its file store;
  # a redirect may only go to https.
  curl -fsSL --proto '=https,http' --proto-redir '=https' --retry 3 \
    -o "$work/$1" "$base_url/$version/$1" || die "could not download $base_url/$version/$1"
}
echo "djguard action: downloading djguard $version ($archive)"
fetch SHA256SUMS
fetch "$archive"

# SHA256SUMS is sha256sum's output: '<digest>  <file>' ('*<file>' in its
# binary mode).
want=$(tr -d '\r' <"$work/SHA256SUMS" | awk -v f="$archive" '$2 == f || $2 == "*" f { print tolower($1); exit }')
[[ $want =~ ^[0-9a-f]{64}$ ]] || die "$archive is not listed in $version's SHA256SUMS; not installing it"
if command -v sha256sum >/dev/null 2>&1; then
  got=$(sha256sum "$work/$archive")
else
  got=$(shasum -a 256 "$work/$archive") # macOS has no sha256sum
fi
got="${got%% *}"
[ "$got" = "$want" ] || die "$archive's SHA-256 does not match $version's SHA256SUMS: expected $want, got $got; not installing it"

if [ "$goos" = windows ]; then
  command -v unzip >/dev/null 2>&1 || die "unzip is needed to unpack $archive; set the version input to 'source' to build djguard instead"
  list() { unzip -Z1 "$work/$archive"; }
  extract() { unzip -q "$work/$archive" "$1" -d "$work/x"; }
else
  list() { tar -tzf "$work/$archive"; }
  extract() { tar -xzf "$work/$archive" -C "$work/x" "$1"; }
fi

# Every entry must sit inside the archive's one directory: no absolute
# path, no '..', no backslash (a separator to Windows).
entries=$(list) || die "$archive cannot be read"
while IFS= read -r entry; do
  case "$entry" in
    "$dir" | "$dir/" | "$dir/"*) ;;
    *) die "$archive holds '$entry', outside $dir/; not installing it" ;;
  esac
  case "/$entry/" in
    */../* | *\\*) die "$archive holds '$entry', which could be written outside $dir/; not installing it" ;;
  esac
done <<<"$entries"

# Only the binary is extracted; the rest of the archive is not needed here.
mkdir "$work/x"
extract "$dir/$exe" || die "$archive holds no $dir/$exe"
[ -f "$work/x/$dir/$exe" ] && [ ! -L "$work/x/$dir/$exe" ] || die "$dir/$exe in $archive is not a regular file"

mkdir -p "$bin_dir"
cp "$work/x/$dir/$exe" "$bin.tmp"
chmod 755 "$bin.tmp"
# It must run before it is installed: a binary that does not (another
# platform's, a damaged one) is refused and leaves nothing behind.
"$bin.tmp" version || { rm -f "$bin.tmp"; die "$dir/$exe does not run here; not installing it"; }
mv -f "$bin.tmp" "$bin"
{
  echo "build=release"
  echo "path=$bin"
} >>"$GITHUB_OUTPUT"
