#!/usr/bin/env bash
# Times djguard's history audit against git producing the patches of the
# same history, in one run, on a 20,000-commit Django-shaped repository
# made by ../shared/bench/mkrepo.py (cached outside the repository).
#
#   bench/history.sh [RUNS]        default 5 runs of each, interleaved
#
# Prints each run, the median times, their ratio (target <= 0.4) and
# djguard's peak RSS (target <= 128 MB). Wall time is taken from the
# clock around each command; GNU time (/usr/bin/time; Debian's package
# "time") gives the peak RSS. Needs python3 and git.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
commits=${DJGUARD_BENCH_COMMITS:-20000}
shared=${DJGUARD_SHARED:-$(cd .. && pwd)/shared}
cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
repo=$cache/mkrepo-$commits

for tool in python3 git bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
mkdir -p "$cache"
if [ ! -d "$repo/.git" ]; then
  echo "bench: making $repo (about 40 s for 20,000 commits)"
  rm -rf "$repo" "$repo.answers.json"
  python3 "$shared/bench/mkrepo.py" "$repo" --commits "$commits"
fi
bin=$cache/djguard
go build -o "$bin" ./cmd/djguard

# Warm the page cache for both.
git -C "$repo" log -p -U0 --full-history --all >/dev/null
"$bin" scan --history "$repo" --format json --output /dev/null || true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
for i in $(seq "$runs"); do
  s=$(now); git -C "$repo" log -p -U0 --full-history --all >/dev/null
  echo "$(now) - $s" | bc >"$tmp/git.$i"
  s=$(now)
  /usr/bin/time -f "%M" -o "$tmp/rss.$i" "$bin" scan --history "$repo" --format json --output /dev/null || [ $? -eq 1 ]
  echo "$(now) - $s" | bc >"$tmp/djg.$i"
  # GNU time writes "Command exited with non-zero status 1" first when
  # djguard reports findings; the figure is on the last line.
  echo "run $i: git log -p $(cat "$tmp/git.$i") s, djguard $(cat "$tmp/djg.$i") s, $(( $(tail -n 1 "$tmp/rss.$i") / 1024 )) MB"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
g=$(cat "$tmp"/git.* | median)
d=$(cat "$tmp"/djg.* | median)
rss=$(for f in "$tmp"/rss.*; do tail -n 1 "$f"; done | sort -n | tail -1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
objects=$(git -C "$repo" count-objects -v | awk '/in-pack/ {print $2}')
echo "history: $commits commits, $objects objects"
echo "median git log -p: $g s; median djguard scan --history: $d s"
awk -v d="$d" -v g="$g" -v r="$rss" 'BEGIN {printf "ratio djguard/git: %.2f (target <= 0.4); djguard peak RSS: %d MB (target <= 128)\n", d/g, r/1024}'
