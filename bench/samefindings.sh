#!/usr/bin/env bash
# Shows whether two djguard binaries find the same keys: the JSON reports of
# both on the demo project (tree and history), on a mkrepo.py history of
# 2,000 commits and on a bighistory.py history at scale 0.25, compared with
# the replacement keys taken out (they are fresh random keys on every run)
# and the count of blobs the whole detector read (work, not findings: a
# version proven quiet is not read whole); and audits of ranges of those histories (--since), where only the
# findings are compared: a range audit names as not read only the files
# its range changed, where an older one named every file of its trees.
# Prints "same" or the diff for each; exits 1 when any report differs, 2
# when it cannot run.
#
#   bench/samefindings.sh OLD_BINARY [NEW_BINARY]   default: a build of this tree
#
# The histories are made once and cached (DJGUARD_BENCH_DIR, default
# ~/.cache/djguard-bench). Needs python3, git and ../shared/bench/mkrepo.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/samefindings.sh OLD_BINARY [NEW_BINARY]" >&2; exit 2; }
old=$(realpath "$1")
cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 2 ]; then new=$(realpath "$2"); else new=$work/djguard && go build -o "$new" ./cmd/djguard; fi
mkrepo=../shared/bench/mkrepo.py
[ -f "$mkrepo" ] || { echo "bench: $mkrepo is needed" >&2; exit 2; }

if [ ! -d "$cache/mkrepo-2000/.git" ]; then
  rm -rf "$cache/mkrepo-2000"
  python3 "$mkrepo" "$cache/mkrepo-2000" --commits 2000 >/dev/null
fi
if [ ! -d "$cache/bighistory-0.25/.git" ]; then
  rm -rf "$cache/bighistory-0.25"
  python3 bench/bighistory.py "$cache/bighistory-0.25" --scale 0.25 >/dev/null
fi
# The demo's history: the demo project committed once, in a scratch repository.
cp -r examples/demo "$work/demo"
git -C "$work/demo" init -q
git -C "$work/demo" add -A
git -C "$work/demo" -c user.name=demo -c user.email=demo@example.com commit -qm demo

# report BINARY NAME DIR ARGS...: the JSON report, less what changes from
# run to run (and, for a range-* case, all but the findings).
report() {
  local bin=$1 name=$2 dir=$3
  shift 3
  (cd "$dir" && "$bin" scan --format json --fail-on never "$@" 2>/dev/null) |
    python3 -c '
import json, sys
r = json.load(sys.stdin)
r.get("tool", {}).pop("version", None)
r.get("summary", {}).pop("blobs_scanned", None)
for f in r.get("findings", []):
    f.pop("replacement", None)
if sys.argv[1].startswith("range-"):
    r = {"findings": r.get("findings", [])}
json.dump(r, sys.stdout, indent=1, sort_keys=True)' "$name"
}

differ=0
while read -r name dir args; do
  # shellcheck disable=SC2086 # args are words
  report "$old" "$name" "$dir" $args >"$work/old.json" || { echo "bench: the old binary failed on $name" >&2; exit 2; }
  # shellcheck disable=SC2086
  report "$new" "$name" "$dir" $args >"$work/new.json" || { echo "bench: the new binary failed on $name" >&2; exit 2; }
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/new.json")
  if cmp -s "$work/old.json" "$work/new.json"; then
    echo "$name: same ($n findings)"
  else
    echo "$name: differs"
    diff -u "$work/old.json" "$work/new.json" | head -60 || true
    differ=1
  fi
done <<EOF
demo-tree $work/demo
demo-history $work/demo --history
mkrepo-2000 $cache/mkrepo-2000 --history
bighistory-0.25 $cache/bighistory-0.25 --history
range-mkrepo-2000-10 $cache/mkrepo-2000 --history --since HEAD~10
range-mkrepo-2000-300 $cache/mkrepo-2000 --history --since HEAD~300
range-mkrepo-2000-1500 $cache/mkrepo-2000 --history --since HEAD~1500
range-bighistory-0.25-100 $cache/bighistory-0.25 --history --since HEAD~100
range-bighistory-0.25-2000 $cache/bighistory-0.25 --history --since HEAD~2000
EOF
exit $differ
