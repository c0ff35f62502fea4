#!/usr/bin/env bash
# Times djguard's history audit against git producing the patches of the
# same history, in one run, on a 20,000-commit Django-shaped repository
# made by ../shared/bench/mkrepo.py (cached outside the repository).
#
#   bench/history.sh [RUNS]        default 5 runs of each, interleaved
#
# Prints each run, the median times, their ratio (target <= 0.5) and
# djguard's peak RSS (target <= 256 MB). Needs python3, git and GNU time
# (/usr/bin/time; Debian's package "time").
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
commits=${DJGUARD_BENCH_COMMITS:-20000}
shared=${DJGUARD_SHARED:-$(cd .. && pwd)/shared}
cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
repo=$cache/mkrepo-$commits

for tool in python3 git /usr/bin/time; do
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
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$tmp/git.$i" git -C "$repo" log -p -U0 --full-history --all >/dev/null
  /usr/bin/time -f "%e %M" -o "$tmp/djg.$i" "$bin" scan --history "$repo" --format json --output /dev/null || [ $? -eq 1 ]
  # GNU time writes "Command exited with non-zero status 1" first when
  # djguard reports findings; the figures are on the last line.
  tail -n 1 "$tmp/git.$i" >"$tmp/git.$i.last"
  tail -n 1 "$tmp/djg.$i" >"$tmp/djg.$i.last"
  echo "run $i: git log -p $(cut -d' ' -f1 "$tmp/git.$i.last") s, djguard $(cut -d' ' -f1 "$tmp/djg.$i.last") s, $(( $(cut -d' ' -f2 "$tmp/djg.$i.last") / 1024 )) MB"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
g=$(cat "$tmp"/git.*.last | cut -d' ' -f1 | median)
d=$(cat "$tmp"/djg.*.last | cut -d' ' -f1 | median)
rss=$(cat "$tmp"/djg.*.last | cut -d' ' -f2 | sort -n | tail -1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "median git log -p: $g s; median djguard scan --history: $d s"
awk -v d="$d" -v g="$g" -v r="$rss" 'BEGIN {printf "ratio djguard/git: %.2f (target <= 0.5); djguard peak RSS: %d MB (target <= 256)\n", d/g, r/1024}'
