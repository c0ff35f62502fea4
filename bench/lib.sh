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

# bench_bighistory SCALE sets $big to bench/bighistory.py's history at
# SCALE, made once and cached in $cache.
bench_bighistory() {
  big=$cache/bighistory-$1
  if [ ! -d "$big/.git" ]; then
    echo "bench: making $big"
    rm -rf "$big" "$big.answers.json"
    python3 bench/bighistory.py "$big" --scale "$1" >/dev/null
  fi
}

# bench_machine prints the machine a bench ran on, and its load.
bench_machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_clone K REPO clones REPO (a history, or a fetched bare mirror) into
# a checkout $tmp/clone-K, and sets $dir to it, $name to the history's
# name (a fetched mirror's owner+name) and $objects to its packed objects.
bench_clone() {
  dir=$tmp/clone-$1
  git clone -q "$2" "$dir"
  name=$(basename "$2")
  [ "$name" = repo ] && name=$(basename "$(dirname "$2")") # a fetched mirror: owner+name/repo
  objects=$(git -C "$dir" count-objects -v | awk '/in-pack/ {print $2}')
}
