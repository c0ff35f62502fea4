# Shared by the bench scripts that time a djguard binary; source it from
# the repository's root.
#
#   bench_setup TOOL...   checks that each TOOL is there (exit 2 if not),
#                         makes $tmp (removed on exit) and $cache, and sets
#                         $bin: DJGUARD_BIN, or a build of this tree.
bench_setup() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
  done
  cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  bin=${DJGUARD_BIN:-}
  if [ -z "$bin" ]; then
    bin=$tmp/djguard
    go build -o "$bin" ./cmd/djguard
  fi
}
