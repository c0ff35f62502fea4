#!/usr/bin/env bash
# Scans real text that every machine of ours has — Debian's /usr/share/doc,
# the system Python's library, Go's own source, the Go module cache and a
# node_modules tree of a typical web front end with its lockfiles — and
# reports what djguard finds there and how fast it reads it. None of this
# text holds a project's SECRET_KEY, so every HIGH finding is a false
# positive to look at (a library's test fixture or docs may, rarely, hold a
# real-looking key: that is still HIGH, and still counted).
#
#   bench/realtext.sh [DJGUARD]    default: go build ./cmd/djguard
#
# Prints, for each part of the corpus and in total: bytes and files scanned,
# files skipped (binary, such as the .gz of /usr/share/doc, or too large),
# HIGH and LOW findings, seconds and MB/s (10^6 bytes); then the machine.
# Exits 1 when there is any HIGH finding (target: zero), after listing their
# classes and paths (never their values: the JSON report redacts them), so
# CI can run it; 2 when it cannot run. Timings are of one run on a machine
# that may be busy: indicative only.
#
# DJGUARD_BENCH_PARTS picks parts (default "doc python goroot gomodcache
# npm"); a part whose folders are missing is left out, and so is npm's
# without npm. The node_modules tree is installed with npm once, into
# $DJGUARD_BENCH_DIR/npm-corpus (default ~/.cache/djguard-bench), and
# reused; delete that folder to install it anew. Needs jq (or python3), and
# go unless DJGUARD is given.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
parts=${DJGUARD_BENCH_PARTS:-doc python goroot gomodcache npm}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

if [ $# -gt 0 ]; then
  bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  command -v go >/dev/null || { echo "bench: go is needed to build djguard" >&2; exit 2; }
  bin=$cache/djguard
  go build -o "$bin" ./cmd/djguard || { echo "bench: go build failed" >&2; exit 2; }
fi
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 2; }
if command -v jq >/dev/null; then
  json=jq
elif command -v python3 >/dev/null; then
  json=python3
else
  echo "bench: jq or python3 is needed to read the JSON reports" >&2; exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# counts FILE: "bytes files skipped high low" from a JSON report's summary.
counts() {
  if [ "$json" = jq ]; then
    jq -r '.summary | "\(.bytes_scanned) \(.files_scanned) \(.files_skipped) \(.high) \(.low)"' "$1"
  else
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]
print(s["bytes_scanned"], s["files_scanned"], s["files_skipped"], s["high"], s["low"])' "$1"
  fi
}

# highs FILE: one "class path:line" line per HIGH finding.
highs() {
  if [ "$json" = jq ]; then
    jq -r '.findings[] | select(.severity == "high") | "\(.class) \(.path):\(.line)"' "$1"
  else
    python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["severity"] == "high": print(f["class"], "%s:%d" % (f["path"], f["line"]))' "$1"
  fi
}

# npm_corpus: installs the front end's node_modules once and prints its
# folder. The versions are pinned by major, so a new install gets the same
# kinds of files; package-lock.json is kept, and a yarn.lock is made from
# the tree with yarn 1 when npx can fetch it (skipped when it cannot).
npm_corpus() {
  local dir=$cache/npm-corpus
  if [ ! -f "$dir/.installed" ]; then
    echo "bench: installing $dir with npm (a few minutes, once)" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    cat >"$dir/package.json" <<'EOF'
{
  "name": "djguard-bench-npm-corpus",
  "version": "1.0.0",
  "private": true,
  "description": "A typical web front end and its tooling: text for djguard's real-text benchmark",
  "dependencies": {
    "axios": "^1.7.0",
    "bootstrap": "^5.3.0",
    "chart.js": "^4.4.0",
    "d3": "^7.9.0",
    "dayjs": "^1.11.0",
    "express": "^4.19.0",
    "jquery": "^3.7.0",
    "lodash": "^4.17.21",
    "moment": "^2.30.0",
    "react": "^18.3.0",
    "react-dom": "^18.3.0",
    "react-redux": "^9.1.0",
    "react-router-dom": "^6.23.0",
    "redux": "^5.0.0",
    "rxjs": "^7.8.0",
    "socket.io": "^4.7.0",
    "styled-components": "^6.1.0",
    "uuid": "^9.0.0",
    "vue": "^3.4.0"
  },
  "devDependencies": {
    "@babel/core": "^7.24.0",
    "@babel/preset-env": "^7.24.0",
    "@babel/preset-react": "^7.24.0",
    "@babel/preset-typescript": "^7.24.0",
    "@testing-library/react": "^16.0.0",
    "@types/node": "^20.0.0",
    "@types/react": "^18.3.0",
    "autoprefixer": "^10.4.0",
    "babel-loader": "^9.1.0",
    "css-loader": "^7.1.0",
    "dotenv": "^16.4.0",
    "eslint": "^8.57.0",
    "eslint-plugin-react": "^7.34.0",
    "html-webpack-plugin": "^5.6.0",
    "jest": "^29.7.0",
    "nodemon": "^3.1.0",
    "postcss": "^8.4.0",
    "prettier": "^3.3.0",
    "sass": "^1.77.0",
    "style-loader": "^4.0.0",
    "tailwindcss": "^3.4.0",
    "ts-node": "^10.9.0",
    "typescript": "^5.4.0",
    "webpack": "^5.91.0",
    "webpack-cli": "^5.1.0"
  }
}
EOF
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2) \
      || { echo "bench: npm install failed in $dir" >&2; exit 2; }
    # yarn 1's "import" writes yarn.lock from the installed node_modules; it
    # cannot read npm's lockfile version 3, so that steps aside meanwhile.
    (
      cd "$dir"
      mv package-lock.json package-lock.npm
      timeout 300 npx --yes yarn@1 import --silent >"$cache/yarn-import.log" 2>&1 || rm -f yarn.lock
      mv package-lock.npm package-lock.json
    )
    [ -f "$dir/yarn.lock" ] || echo "bench: no yarn.lock (yarn 1 could not run: $cache/yarn-import.log); going on" >&2
    touch "$dir/.installed"
  fi
  echo "$dir"
}

# paths PART: the folders that make up one part (none when it is missing).
paths() {
  case $1 in
    doc) echo /usr/share/doc ;;
    python) for d in /usr/lib/python3 /usr/lib/python3.*; do [ -d "$d" ] && echo "$d"; done ;;
    goroot) command -v go >/dev/null && echo "$(go env GOROOT)/src" ;;
    gomodcache) command -v go >/dev/null && go env GOMODCACHE ;;
    npm) npm_corpus ;;
  esac
}

for part in $parts; do
  case $part in
    doc | python | goroot | gomodcache | npm) ;;
    *) echo "bench: unknown part $part (doc python goroot gomodcache npm)" >&2; exit 2 ;;
  esac
done

# The node_modules tree is installed before the table, when it is asked
# for; without npm (and no tree from before) that part is left out.
case " $parts " in
  *" npm "*)
    if command -v npm >/dev/null || [ -f "$cache/npm-corpus/.installed" ]; then
      npm_corpus >/dev/null
    else
      echo "bench: npm not found, the npm part is left out" >&2
      parts=$(echo " $parts " | sed 's/ npm / /')
    fi
    ;;
esac

printf '%-11s %13s %8s %8s %5s %5s %8s %8s\n' part bytes files skipped high low seconds MB/s
fmt='%-11s %13d %8d %8d %5d %5d %8.2f %8.1f\n'
tb=0 tf=0 tk=0 th=0 tl=0 ts=0
for part in $parts; do
  dirs=()
  while IFS= read -r d; do
    [ -d "$d" ] && dirs+=("$d")
  done < <(paths "$part")
  if [ ${#dirs[@]} -eq 0 ]; then
    echo "$part: nothing there, skipped"
    continue
  fi
  # From $tmp, so that no .djguard.toml of the working directory applies;
  # the paths are absolute, and so are the reported ones.
  t0=$(date +%s.%N)
  (cd "$tmp" && "$bin" scan --format json --output "$tmp/$part.json" --fail-on never "${dirs[@]}")
  t1=$(date +%s.%N)
  read -r b f k h l < <(counts "$tmp/$part.json")
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  awk -v p="$part" -v b="$b" -v f="$f" -v k="$k" -v h="$h" -v l="$l" -v s="$s" -v fmt="$fmt" \
    'BEGIN {printf fmt, p, b, f, k, h, l, s, b / 1e6 / s}'
  tb=$((tb + b)) tf=$((tf + f)) tk=$((tk + k)) th=$((th + h)) tl=$((tl + l))
  ts=$(awk -v a="$ts" -v b="$s" 'BEGIN {print a + b}')
  highs "$tmp/$part.json" >>"$tmp/highs"
done
awk -v b="$tb" -v f="$tf" -v k="$tk" -v h="$th" -v l="$tl" -v s="$ts" -v fmt="$fmt" \
  'BEGIN {printf fmt, "total", b, f, k, h, l, s, (s > 0 ? b / 1e6 / s : 0)}'
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; djguard: $bin"

if [ "$th" -gt 0 ]; then
  echo
  echo "HIGH findings by class (target: none):"
  cut -d' ' -f1 "$tmp/highs" | sort | uniq -c | sort -rn
  echo "HIGH findings (class path:line):"
  sort "$tmp/highs"
  exit 1
fi
echo "no HIGH finding"
