#!/usr/bin/env bash
# What the pre-commit hook costs in a big repository, beside git itself:
# 'djguard scan --staged' against 'git diff --cached -U0' on the same staged
# change, the work-tree scan 'djguard scan' against 'git grep -n
# SECRET_KEY' on the same checkout, and 'djguard scan --pre-push' of three
# commits against 'git log -p -U0' of them. CPU milliseconds (user + system, from
# wait4) and peak RSS (from GNU time) of each, medians of RUNS interleaved
# runs.
#
#   bench/hook.sh [RUNS] [SCALE]     default 20 runs, scale 1
#
# The situations:
#   - bench/bighistory.py's history at SCALE (scale 1: over 500,000 objects
#     in one pack), checked out, with 1, 10 and 100 tracked Python files
#     changed by a line each and staged;
#   - the same checkout's files in a new repository of 200 commits (the
#     tree, then 199 commits of a line each), with 10 files staged the same
#     way: the same tree and index with a short history, so that the two
#     differ only by the history's weight;
#   - a 200-commit history from ../shared/bench/mkrepo.py (DJGUARD_SHARED),
#     a small project, with 10 files staged the same way: what a staged scan
#     costs where the index is small too.
# The histories are made once and cached (DJGUARD_BENCH_DIR, default
# ~/.cache/djguard-bench; scale 1 takes a while); the checkouts are clones
# in a temporary directory. DJGUARD_BIN names a djguard binary to time
# instead of one built from this tree (a release, or the code before a
# change). Needs python3, git and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-20}
scale=${2:-1}
shared=${DJGUARD_SHARED:-$(cd .. && pwd)/shared}
. bench/lib.sh
bench_setup python3 git /usr/bin/time
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
# No automatic gc: one started in the background by a commit would run
# beside the timings, and refuses the script's own gc.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0

bench_bighistory "$scale"
small=$cache/mkrepo-200
if [ ! -d "$small/.git" ]; then
  [ -f "$shared/bench/mkrepo.py" ] || { echo "bench: $shared/bench/mkrepo.py is needed (set DJGUARD_SHARED)" >&2; exit 2; }
  echo "bench: making $small"
  rm -rf "$small" "$small.answers.json"
  python3 "$shared/bench/mkrepo.py" "$small" --commits 200 >/dev/null
  git -C "$small" gc -q
fi
# A local clone shares the cached objects (hard links): the same pack.
git clone -q "$big" "$tmp/big"
git clone -q "$small" "$tmp/small"
# The checkout's tree in a short history: committed once, then 199
# commits of a line each.
git -C "$tmp/big" archive HEAD | (mkdir "$tmp/flat" && tar -x -C "$tmp/flat")
git -C "$tmp/flat" init -q -b main
git -C "$tmp/flat" add -A
git -C "$tmp/flat" commit -q -m "the tree"
git -C "$tmp/flat" ls-files '*.py' | awk 'NR <= 199' | while read -r f; do
  echo "# $f" >>"$tmp/flat/$f"
  git -C "$tmp/flat" commit -q -m "touch $f" -- "$f"
done
git -C "$tmp/flat" gc -q

# stage DIR N: change N tracked Python files, spread over the tree, by a
# line each, and stage them.
stage() {
  git -C "$1" reset -q --hard
  local total
  total=$(git -C "$1" ls-files '*.py' | wc -l)
  git -C "$1" ls-files '*.py' | awk -v n="$2" -v t="$total" 'NR % int(t / n) == 0 && k < n { print; k++ }' |
    while read -r f; do echo "bench_value = compute($RANDOM)" >>"$1/$f"; done
  git -C "$1" add -A
  echo "$(git -C "$1" diff --cached --name-only | wc -l)"
}

# measure NAME DIR RUNS -- CMD1 -- CMD2: runs the two commands in turn,
# RUNS times each, in DIR, and prints their median CPU and RSS.
measure() {
  python3 bench/measure.py "$@"
}

bench_machine
echo "bighistory scale $scale: $(git -C "$tmp/big" count-objects -v | awk '/in-pack/ {print $2}') objects, $(git -C "$tmp/big" ls-files | wc -l) files; mkrepo: $(git -C "$tmp/small" rev-list --count HEAD) commits, $(git -C "$tmp/small" count-objects -v | awk '/in-pack/ {print $2}') objects"
echo "medians of $runs interleaved runs; CPU is user + system"
for n in 1 10 100; do
  got=$(stage "$tmp/big" "$n")
  measure "scan --staged, $got files, bighistory-$scale" "$tmp/big" "$runs" -- "$bin" scan --staged -- git diff --cached -U0
done
got=$(stage "$tmp/flat" 10)
measure "scan --staged, $got files, the same tree, 200 commits" "$tmp/flat" "$runs" -- "$bin" scan --staged -- git diff --cached -U0
got=$(stage "$tmp/small" 10)
measure "scan --staged, $got files, mkrepo 200 commits" "$tmp/small" "$runs" -- "$bin" scan --staged -- git diff --cached -U0
git -C "$tmp/big" reset -q --hard
measure "scan (work tree), bighistory-$scale" "$tmp/big" "$runs" -- "$bin" scan --fail-on never -- git grep -n SECRET_KEY
# The pre-push hook as run by hand: three commits on top of what origin
# holds, audited beside the patches git would send.
for i in 1 2 3; do
  f=$(git -C "$tmp/big" ls-files '*.py' | awk -v n="$((i * 500))" 'NR == n')
  echo "pushed_value = $i" >>"$tmp/big/$f"
  git -C "$tmp/big" commit -q -a -m "push $i"
done
measure "scan --pre-push, 3 commits, bighistory-$scale" "$tmp/big" "$runs" -- "$bin" scan --pre-push --fail-on never -- git log -p -U0 @{u}..HEAD
