#!/usr/bin/env bash
# Times djguard's history audit against `git cat-file --batch-all-objects
# --batch --unordered` (git reading every object once) on the benchmark
# histories that bench/bighistory.py makes, at several scales, and reports
# djguard's peak RSS at each: the line of memory against objects.
#
#   bench/bighistory.sh [RUNS] [SCALE...]   default 3 runs, scales 0.25 0.5 1
#
# The histories are made once and cached (DJGUARD_BENCH_DIR, default
# ~/.cache/djguard-bench). Runs of the two commands are interleaved; the
# medians are printed with their ratio (target <= 0.8) and the largest RSS
# (target <= 300 MB at scale 1). Needs python3, git and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
shift || true
scales=${*:-0.25 0.5 1}
cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
for tool in python3 git /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
mkdir -p "$cache"
bin=$cache/djguard
go build -o "$bin" ./cmd/djguard
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
for scale in $scales; do
  repo=$cache/bighistory-$scale
  if [ ! -d "$repo/.git" ]; then
    echo "bench: making $repo"
    rm -rf "$repo" "$repo.answers.json"
    python3 bench/bighistory.py "$repo" --scale "$scale" >/dev/null
  fi
  objects=$(git -C "$repo" count-objects -v | awk '/in-pack/ {print $2}')
  git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null # warm the page cache
  : >"$tmp/git" ; : >"$tmp/djg" ; : >"$tmp/rss"
  for i in $(seq "$runs"); do
    s=$(now); git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null
    echo "$(now) - $s" | bc >>"$tmp/git"
    s=$(now)
    /usr/bin/time -f "%M" -o "$tmp/time" "$bin" scan --history "$repo" --format json --output "$tmp/report.json" --fail-on never
    echo "$(now) - $s" | bc >>"$tmp/djg"
    tail -n 1 "$tmp/time" >>"$tmp/rss"
  done
  g=$(median <"$tmp/git"); d=$(median <"$tmp/djg"); rss=$(sort -n "$tmp/rss" | tail -1)
  # Each planted key must be reported at its exact introducing commit,
  # path and line, with the right HEAD flag.
  exact=$(python3 - "$tmp/report.json" "$repo.answers.json" <<'PY'
import json, sys
found = {(f.get("commit"), f["path"], f["line"], f.get("in_head")) for f in json.load(open(sys.argv[1]))["findings"]}
keys = json.load(open(sys.argv[2]))["keys"]
print(sum((k["commit"], k["path"], k["line"], k["in_head"]) in found for k in keys), len(keys))
PY
)
  found=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$tmp/report.json")
  echo "$scale $objects $rss" >>"$tmp/line"
  awk -v s="$scale" -v o="$objects" -v g="$g" -v d="$d" -v r="$rss" -v f="$found" -v e="$exact" 'BEGIN {
    split(e, x, " ")
    printf "scale %s: %d objects; median cat-file %.2f s, djguard %.2f s, ratio %.2f (target <= 0.8); djguard peak RSS %d MB; %d findings; planted keys at their exact commit, path, line and HEAD flag: %d of %d\n",
      s, o, g, d, d/g, r/1024, f, x[1], x[2] }'
done
# The line of peak RSS against objects, fitted by least squares.
# RSS is in KiB (GNU time's %M).
awk '{n++; x+=$2; y+=$3; xx+=$2*$2; xy+=$2*$3}
  END {if (n > 1) {b=(n*xy-x*y)/(n*xx-x*x); a=(y-b*x)/n
    printf "peak RSS ~ %.0f MB + %.0f bytes per object (fitted over %d sizes)\n", a/1024, b*1024, n}}' "$tmp/line"
