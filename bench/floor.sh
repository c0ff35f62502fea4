#!/usr/bin/env bash
# How far the whole history audit is from its floor: 'djguard scan
# --history' beside djguard's own reader walking every object and doing
# nothing with it (bench/gitdbwalk) and beside 'git cat-file
# --batch-all-objects --batch --unordered' (git reading every object once),
# CPU (user + system) and peak RSS, medians of RUNS interleaved runs
# (bench/measure.py); then an audit of a range, '--since HEAD~100', beside
# 'git log -p -U0 --full-history HEAD~100..HEAD'. Issue #27's targets: the
# audit at most 1.5 times the reader and 0.8 times cat-file, the range at
# most 2 times git log -p and 0.15 times the audit.
#
#   bench/floor.sh [RUNS] [REPO...]    default 3 runs
#
# The histories: bench/bighistory.py's at scale 1 (cached as bench/hook.sh
# caches it), and each REPO given (a fetched public history), each cloned
# into a temporary checkout. DJGUARD_BIN names a djguard binary to time
# instead of one built from this tree. Needs python3, git and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift $(($# < 1 ? $# : 1))
. bench/lib.sh
bench_setup python3 git /usr/bin/time
go build -o "$tmp/gitdbwalk" ./bench/gitdbwalk
bench_bighistory 1
bench_machine
echo "medians of $runs interleaved runs; CPU is user + system"
k=0
for repo in "$big" "$@"; do
  k=$((k + 1))
  bench_clone "$k" "$repo"
  python3 bench/measure.py "whole audit, $name ($objects objects)" "$dir" "$runs" -- \
    "$bin" scan --history --fail-on never -- \
    "$tmp/gitdbwalk" . -- \
    git cat-file --batch-all-objects --batch --unordered
  python3 bench/measure.py "--since HEAD~100, $name" "$dir" "$runs" -- \
    "$bin" scan --history --since HEAD~100 --fail-on never -- \
    git log -p -U0 --full-history HEAD~100..HEAD
done
