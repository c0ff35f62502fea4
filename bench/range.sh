#!/usr/bin/env bash
# What an audit of a range costs (a pull request's, --since HEAD~N), beside
# git producing the same range's patches: 'djguard scan --history --since
# HEAD~N' against 'git log -p -U0 --full-history HEAD~N..HEAD' in a checkout,
# CPU (user + system) and peak RSS, medians of RUNS interleaved runs; then
# one whole audit of the same clone ('djguard scan --history'), for the
# range's share of it.
#
#   bench/range.sh [RUNS] [N] [REPO...]    default 10 runs, N=100
#
# The histories: bench/bighistory.py's at scale 1 (cached as bench/hook.sh
# caches it), and each REPO given (a fetched public history: a clone or a
# bare mirror), cloned into a temporary checkout so that HEAD~N is its
# default branch's. DJGUARD_BIN names a djguard binary to time instead of
# one built from this tree. Needs python3, git and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
n=${2:-100}
shift $(($# < 2 ? $# : 2))
. bench/lib.sh
bench_setup python3 git /usr/bin/time
bench_bighistory 1
bench_machine
echo "medians of $runs interleaved runs; CPU is user + system"
k=0
for repo in "$big" "$@"; do
  k=$((k + 1))
  bench_clone "$k" "$repo"
  python3 bench/measure.py "--since HEAD~$n, $name ($objects objects)" "$dir" "$runs" -- \
    "$bin" scan --history --since "HEAD~$n" --fail-on never -- \
    git log -p -U0 --full-history "HEAD~$n..HEAD"
  (cd "$dir" && /usr/bin/time -f "%U %S %M" -o "$tmp/whole" "$bin" scan --history --fail-on never >/dev/null 2>&1) || true
  echo "whole audit of $name, one run: $(awk '{printf "%.2f CPU-s, %.0f MB", $1 + $2, $3 / 1024}' "$tmp/whole")"
done
