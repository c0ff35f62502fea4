#!/usr/bin/env bash
# Times 'djguard scan --staged' — the pre-commit hook — process start
# included, on a repository of 5,000 files (50 directories of 100 Python
# modules, a packed history of 200 commits; made once and cached outside the
# repository), with a one-file and a ten-file change staged.
#
#   bench/staged.sh [RUNS]        default 100 runs of each
#
# Target: median <= 20 ms for the ten-file change. Uses hyperfine (Debian's
# package "hyperfine") when present, else a loop timed with date.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-100}
cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
repo=$cache/wide-5000
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

mkdir -p "$cache"
if [ ! -d "$repo/.git" ]; then
  echo "bench: making $repo"
  rm -rf "$repo"
  mkdir -p "$repo"
  python3 - "$repo" <<'PY'
import os, random, sys
root = sys.argv[1]
r = random.Random(5000)
words = "user order item price cart invoice account profile session token page blog post".split()
for d in range(50):
    os.makedirs(f"{root}/app{d}", exist_ok=True)
    for f in range(100):
        lines = [f"def {r.choice(words)}_{i}(request):\n    return {r.choice(words)}({i})\n" for i in range(r.randint(10, 60))]
        with open(f"{root}/app{d}/module{f}.py", "w") as fh:
            fh.write("import os\n\n" + "".join(lines))
PY
  git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" commit -q -m "5000 files"
  for i in $(seq 200); do
    f="$repo/app$((i % 50))/module$((i % 100)).py"
    echo "def change_$i(): return $i" >>"$f"
    git -C "$repo" commit -q -am "change $i"
  done
  git -C "$repo" gc -q
fi
bin=$cache/djguard
go build -o "$bin" ./cmd/djguard

git -C "$repo" reset -q --hard
stage() {
  git -C "$repo" reset -q --hard
  for i in $(seq "$1"); do
    echo "value_$i = compute($i)" >>"$repo/app$i/module$i.py"
  done
  git -C "$repo" add -A
}

median_ms() { # command...
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 10 --runs "$runs" --export-json "$cache/hf.json" "$*" >/dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"]*1000))' "$cache/hf.json"
  else
    for i in $(seq "$runs"); do
      s=$(date +%s%N); "$@" >/dev/null || true; e=$(date +%s%N); echo $(( (e - s) / 1000 ))
    done | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)]/1000}'
  fi
}

cd "$repo"
echo "files in HEAD: $(git ls-files | wc -l)"
stage 1
one=$(median_ms "$bin" scan --staged)
stage 10
ten=$(median_ms "$bin" scan --staged)
git reset -q --hard
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "median djguard scan --staged: one file ${one} ms, ten files ${ten} ms (target <= 20 ms)"
