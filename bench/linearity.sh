#!/usr/bin/env bash
# Holds djguard to linear time, end to end, on the inputs an adversarial
# probe found quadratic. Each shape is built at four sizes, each twice the
# one before, and run in every output format it has; the CPU seconds (user
# + system, median of RUNS runs) must grow at most MAX_RATIO-fold per
# doubling. A quadratic path would take four times as long.
#
#   bench/linearity.sh [MAX_RATIO] [SHAPE...]     default 2.3, every shape
#
# Shapes (sizes 1, 2, 4, 8 MiB unless named):
#   report      a notebook of the 16-byte line "SECRET_KEY = \" (one finding
#               every 16 bytes): the report writers
#   history     a commit of settings.py holding 16k-130k distinct keys, read
#               by scan --history (the history report's scrub of secrets)
#               and scan --pre-push
#   allowone    one line: a short key literal, then "djguard:allow " repeated
#   allowlines  half "# djguard:allow" lines, half short key literals
#   fixdry      fix's dry run on settings.py of 16k-130k distinct keys
#               (the redaction of the diff)
#   ignore      1,000 files under a .gitignore of 1k, 2k, 4k, 8k patterns
#
# The bound is on the growth per doubling over the span from the first size
# that takes 0.25 s or more to the last (the geometric mean of the
# doublings, shown in brackets after each one's ratio): below 0.25 s,
# process start and noise weigh as much as the work, and one doubling
# alone moves with the machine's load. Exit 1 when a bound is
# missed, 2 when the bench cannot run. Needs go, git, python3 and GNU time.
# DJGUARD_BIN=path measures that binary instead of a build of this tree;
# RUNS=n sets the runs per point (default 3). Run it alone: timings on a
# busy machine are noise.
set -euo pipefail
cd "$(dirname "$0")/.."
ratio=${1:-2.3}
shift || true
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(report history allowone allowlines fixdry ignore)
runs=${RUNS:-3}
for tool in go git python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/djguard
if [ -n "${DJGUARD_BIN:-}" ]; then cp "$DJGUARD_BIN" "$bin"; else go build -o "$bin" ./cmd/djguard; fi
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# make SHAPE STEP DIR: builds step STEP (0-3) of SHAPE in the empty DIR.
make() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, random, sys
shape, step, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
n = (1 << 20) << step
def fill(unit):
    return (unit * (n // len(unit) + 1))[:n]
def keys():
    # Distinct 50-character keys in Django's alphabet, from a fixed seed.
    r = random.Random(1)
    a = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
    out, size = ["import os\n"], 0
    while size < n:
        line = "SECRET_KEY = '%s'\n" % "".join(r.choice(a) for _ in range(50))
        out.append(line)
        size += len(line)
    return "".join(out)
def write(name, text):
    os.makedirs(os.path.dirname(os.path.join(d, name)) or d, exist_ok=True)
    open(os.path.join(d, name), "w").write(text)
if shape == "report":
    write("nb.ipynb", fill('"SECRET_KEY = \\"'))
elif shape == "history":
    write("settings.py", keys())
elif shape == "allowone":
    write("one.py", "SECRET_KEY = 'abcdefgh' " + fill("djguard:allow "))
elif shape == "allowlines":
    a, b = "# djguard:allow\n", "SECRET_KEY = 'abcdefgh'\n"
    write("settings.py", a * (n // 2 // len(a)) + b * (n // 2 // len(b)))
elif shape == "fixdry":
    write("manage.py", "")
    write("mysite/settings.py", keys())
elif shape == "ignore":
    for i in range(20):
        for j in range(50):
            write("app%d/m%d.py" % (i, j), "x = 1\n")
    forms = ["build_%d/\n", "*.tmp%d\n", "docs/**/gen%d.html\n", "!keep%d.txt\n", "/cache%d\n"]
    write(".gitignore", "".join(forms[i % 5] % i for i in range(1000 << step)))
PY
  case $1 in
  history) git -C "$3" init -q && git -C "$3" add -A && git -C "$3" commit -qm keys ;;
  ignore) git -C "$3" init -q ;;
  esac
}

# commands SHAPE: the djguard runs of SHAPE, one a line, run in its directory.
commands() {
  case $1 in
  report) for f in text json sarif; do echo "scan nb.ipynb --fail-on never --format $f"; done ;;
  history)
    for f in text json sarif; do echo "scan --history --fail-on never --format $f"; done
    echo "scan --pre-push --fail-on never"
    ;;
  allowone) for f in text json sarif; do echo "scan one.py --fail-on never --format $f"; done ;;
  allowlines) for f in text json sarif; do echo "scan settings.py --fail-on never --format $f"; done ;;
  fixdry) echo "fix" ;;
  ignore) for f in text json sarif; do echo "scan --fail-on never --format $f"; done ;;
  *) echo "bench: no shape $1" >&2; return 2 ;;
  esac
}

# cpu DIR ARGS...: median CPU seconds of RUNS runs of djguard ARGS in DIR,
# or "error" when a run ends in an error (exit 2) or a crash. Exit 1
# (findings, or fix's changes pending) is what the shapes are built for.
cpu() {
  local dir=$1 i rc
  shift
  for ((i = 0; i < runs; i++)); do
    rc=0
    (cd "$dir" && exec /usr/bin/time -f "%U %S" -o "$work/time" "$bin" "$@" </dev/null >/dev/null 2>"$work/err") || rc=$?
    if [ "$rc" -gt 1 ]; then echo error; cat "$work/err" >&2; return; fi
    tail -1 "$work/time" | awk '{ print $1 + $2 }'
  done | sort -g | awk '$1 == "error" { e = 1; next } { v[++n] = $1 } END { print e ? "error" : v[int((n + 1) / 2)] }'
}

fail=0
printf '%-11s %-32s %8s %8s %8s %8s  %s\n' shape command step0 step1 step2 step3 "ratios per doubling (mean)"
for shape in "${shapes[@]}"; do
  mapfile -t cmds < <(commands "$shape")
  for step in 0 1 2 3; do
    rm -rf "$work/$shape$step"
    mkdir "$work/$shape$step"
    make "$shape" "$step" "$work/$shape$step"
  done
  for c in "${cmds[@]}"; do
    secs=()
    for step in 0 1 2 3; do
      # shellcheck disable=SC2086 # the command is split into its words
      secs+=("$(cpu "$work/$shape$step" $c)")
    done
    if [[ " ${secs[*]} " == *" error "* ]]; then
      echo "bench: djguard $c failed on $shape" >&2
      exit 2
    fi
    verdict=$(awk -v r="$ratio" -v s="${secs[*]}" 'BEGIN {
      n = split(s, t, " "); out = ""
      for (i = 2; i <= n; i++) out = out sprintf(" %.2f", t[i] / (t[i-1] > 0.01 ? t[i-1] : 0.01))
      # The bound holds the growth per doubling over the whole span from
      # the first size that takes 0.25 s: one doubling alone is noise.
      for (i0 = 1; i0 < n && t[i0] < 0.25; i0++) {}
      if (i0 == n) { print "ok" out "  (-: under 0.25 s)"; exit }
      mean = exp(log(t[n] / t[i0]) / (n - i0))
      print (mean > r ? "FAIL" : "ok") out sprintf("  (%.2f)", mean)
    }')
    printf '%-11s %-32s %7.2fs %7.2fs %7.2fs %7.2fs  %s\n' "$shape" "$c" "${secs[@]}" "$verdict"
    [ "${verdict%% *}" = ok ] || fail=1
  done
  rm -rf "$work/$shape"[0-3]
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
exit $fail
