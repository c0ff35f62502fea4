#!/usr/bin/env bash
# Holds the detector to a bound on adversarial input: text built to make a
# scanner slow or hungry (a quote after every SECRET_KEY, an escaped quote
# after every name in a notebook, an unclosed bracket after every name).
#
#   bench/adversarial.sh [MIN_MBPS]      default 10
#
# 1. BenchmarkDetectPathological runs every shape at 1 MiB and 8 MiB, three
#    times each (the median counts). Each must read at least MIN_MBPS (10^6
#    bytes a second), and the 8 MiB run at least 0.4 of the 1 MiB rate: a
#    quadratic shape would read at 1/8 the rate at 8 times the size, while
#    a linear one loses only what no longer fits in the CPU's caches.
# 2. djguard scan runs on 10 MiB of the two shapes the adversarial probe
#    reported (787 s and 21.6 s before), end to end with the report written
#    to /dev/null: seconds and peak RSS.
# 3. BenchmarkIgnorePatterns decides 2,000 files under a .gitignore of 1,000
#    and of 8,000 patterns (the shapes of issue #23's d14): the 8,000 must
#    cost at most 3 times the 1,000 (matching linear in files + patterns;
#    v0.1.0 cost 8 times, a microsecond per file and pattern).
# 4. bench/linearity.sh runs djguard end to end on every shape issue #23
#    found quadratic (the text, JSON and SARIF reports, the history
#    report's scrub, djguard:allow markers, fix's dry run, ignore patterns)
#    at 1, 2, 4 and 8 MiB (1k to 8k patterns), in every format: at most
#    2.3 times the CPU per doubling.
# Exits 1 when a bound is missed, 2 when it cannot run. Needs go and GNU
# time (/usr/bin/time). Timings on a busy machine are noise: run it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-10}
command -v go >/dev/null || { echo "bench: go is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== detector, BenchmarkDetectPathological (MB/s)"
go test -run '^$' -bench 'DetectPathological' -benchtime 2s -count 3 ./detect/ >"$work/bench.txt" ||
  { cat "$work/bench.txt"; exit 2; }
awk -v min="$min" '
  /^BenchmarkDetectPathological\// {
    split($1, p, "/"); shape = p[2]; size = p[3]; sub(/-[0-9]+$/, "", size)
    for (i = 1; i <= NF; i++) if ($(i+1) == "MB/s") { k = shape SUBSEP size; n[k]++; v[k, n[k]] = $i }
    shapes[shape] = 1
  }
  function median(k,   a, b, c) {
    a = v[k, 1]; b = v[k, 2]; c = v[k, 3]
    if (n[k] < 3) return a
    if ((a - b) * (c - a) >= 0) return a
    if ((b - a) * (c - b) >= 0) return b
    return c
  }
  END {
    for (s in shapes) {
      a = median(s SUBSEP "1MiB"); b = median(s SUBSEP "8MiB"); r = (a > 0) ? b / a : 0
      flag = ""
      if (a < min || b < min) flag = flag "  below " min " MB/s"
      if (r < 0.4) flag = flag "  not linear"
      printf "%-26s %10.1f %10.1f %7.2f%s\n", s, a, b, r, flag
    }
  }' "$work/bench.txt" | sort >"$work/rates.txt"
printf "%-26s %10s %10s %7s\n" shape "1 MiB" "8 MiB" ratio
cat "$work/rates.txt"
fail=0
if grep -q "below\|not linear" "$work/rates.txt"; then fail=1; fi

echo
echo "== djguard scan, 10 MiB of each shape the probe reported"
go build -o "$work/djguard" ./cmd/djguard || exit 2
python3 - "$work" <<'PY' || exit 2
import sys
n = 10 << 20
shapes = {"notebook.ipynb": '"SECRET_KEY = \\"', "settings.py": "SECRET_KEY = '"}
for name, s in shapes.items():
    open(sys.argv[1] + "/" + name, "w").write((s * (n // len(s) + 1))[:n])
PY
for f in notebook.ipynb settings.py; do
  start=$(date +%s.%N)
  /usr/bin/time -o "$work/rss" -f %M "$work/djguard" scan "$work/$f" --fail-on never \
    --max-file-size 11MB >/dev/null 2>"$work/err" || { cat "$work/err"; exit 2; }
  end=$(date +%s.%N)
  awk -v f="$f" -v s="$start" -v e="$end" -v kb="$(tail -1 "$work/rss")" \
    'BEGIN { printf "%-16s %6.2f s  %6.1f MB/s  peak RSS %d MB\n", f, e - s, 10.48576 / (e - s), kb / 1024 }'
done

echo
echo "== ignore matching, BenchmarkIgnorePatterns (ms per 2,000 files)"
go test -run '^$' -bench 'IgnorePatterns' -benchtime 20x -count 3 ./source/ >"$work/ignore.txt" ||
  { cat "$work/ignore.txt"; exit 2; }
awk '
  /^BenchmarkIgnorePatterns\// {
    split($1, p, "/"); size = p[2]; sub(/-[0-9]+$/, "", size)
    for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") if (!(size in best) || $i < best[size]) best[size] = $i
  }
  END {
    r = best["8k"] / best["1k"]
    printf "1,000 patterns %8.2f ms   8,000 patterns %8.2f ms   ratio %5.2f%s\n",
      best["1k"] / 1e6, best["8k"] / 1e6, r, (r > 3 ? "  not linear" : "")
  }' "$work/ignore.txt" | tee "$work/ignore-rate.txt"
if grep -q "not linear" "$work/ignore-rate.txt"; then fail=1; fi

echo
echo "== end to end, bench/linearity.sh (CPU seconds, median of 3)"
DJGUARD_BIN="$work/djguard" bash bench/linearity.sh 2.3 | grep -v '^machine:' || {
  rc=$?
  [ "$rc" -eq 1 ] && fail=1 || exit 2
}

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3)"
exit $fail
