#!/usr/bin/env bash
# Holds the report writers to linear time in their findings: a notebook of
# the 16-byte line "SECRET_KEY = \" repeated (one finding every 16 bytes) at
# 1, 2 and 4 MiB, scanned end to end in each format with the report to
# /dev/null, seven runs each, medians of wall-clock seconds. The
# bounds hold the text report; JSON and SARIF are shown beside it.
#
#   bench/textreport.sh [MAX_RATIO] [MAX_SECONDS]     defaults 2.3 and 3
#
# Fails (exit 1) when doubling the input more than MAX_RATIO-folds the time
# (a quadratic writer would take four times as long), or when the 4 MiB
# text report takes over MAX_SECONDS. Exit 2 when it cannot run. Needs go,
# python3 and GNU time. Timings on a busy machine are noise: run it alone.
# DJGUARD_BIN=path measures that binary instead of a build of this tree.
set -euo pipefail
cd "$(dirname "$0")/.."
ratio=${1:-2.3}
limit=${2:-3}
command -v go >/dev/null && command -v python3 >/dev/null || { echo "bench: go and python3 are needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${DJGUARD_BIN:-}" ]; then cp "$DJGUARD_BIN" "$work/djguard"; else go build -o "$work/djguard" ./cmd/djguard; fi

for mib in 1 2 4; do
  python3 -c 'import sys; s="\"SECRET_KEY = \\\""; n=int(sys.argv[1])<<20; open(sys.argv[2],"w").write((s*(n//len(s)+1))[:n])' "$mib" "$work/nb$mib.ipynb"
done
fail=0
for format in text json sarif; do
  declare -A secs=()
  for mib in 1 2 4; do
    runs=()
    for _ in 1 2 3 4 5 6 7; do
      /usr/bin/time -f "%e" -o "$work/t" "$work/djguard" scan --format "$format" "$work/nb$mib.ipynb" >/dev/null 2>&1 || true
      runs+=("$(tail -1 "$work/t")")
    done
    secs[$mib]=$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 4p)
  done
  verdict=$(awk -v a="${secs[1]}" -v b="${secs[2]}" -v c="${secs[4]}" -v r="$ratio" -v lim="$limit" -v f="$format" 'BEGIN {
    r1 = b / (a > 0.01 ? a : 0.01); r2 = c / (b > 0.01 ? b : 0.01)
    # A ratio counts where its smaller time is half a second or more:
    # below that, process start and noise weigh as much as the report.
    bad = f == "text" && ((r1 > r && a >= 0.5) || (r2 > r && b >= 0.5) || c > lim)
    printf "%s %.2f %.2f %s", (bad ? "FAIL" : "ok"), r1, r2, ""
  }')
  printf '%-5s  1 MiB %5.2fs  2 MiB %5.2fs  4 MiB %5.2fs  ratios %s\n' "$format" "${secs[1]}" "${secs[2]}" "${secs[4]}" "${verdict#* }"
  [ "${verdict%% *}" = ok ] || fail=1
done
exit $fail
