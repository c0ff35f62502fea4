#!/usr/bin/env bash
# How fast 'djguard scan --image' reads a real-sized image, beside tar
# inflating the same layers: 'djguard scan --image DIR' against 'tar -xzOf
# LAYER > /dev/null' over each layer in turn, CPU (user + system) and peak
# RSS, medians of RUNS interleaved runs (bench/measure.py). The target:
# at least half tar's speed, a ratio of at most 2.
#
#   bench/image.sh [RUNS]     default 5 runs
#
# The image is built once with umoci (cached in DJGUARD_BENCH_DIR, default
# ~/.cache/djguard-bench/image-debian) from this machine's own files, real
# text and binaries as a Django image's python layers hold them: a layer of
# /usr/lib/python3 (Debian's python3 packages, Django among them when
# python3-django is installed) and /usr/lib/python3.11, and a layer of
# /usr/share/doc. DJGUARD_BIN names a djguard binary to time instead of one
# built from this tree. Needs umoci, tar, python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
. bench/lib.sh
bench_setup umoci tar python3 /usr/bin/time
image=$cache/image-debian
if [ ! -f "$image/index.json" ]; then
  echo "bench: building $image"
  rm -rf "$image"
  mkdir -p "$cache"
  umoci init --layout "$image"
  umoci new --image "$image:latest"
  bundle=$tmp/bundle
  umoci unpack --rootless --image "$image:latest" "$bundle"
  mkdir -p "$bundle/rootfs/usr/lib" "$bundle/rootfs/usr/share"
  cp -a /usr/lib/python3 /usr/lib/python3.11 "$bundle/rootfs/usr/lib/"
  umoci repack --refresh-bundle --history.created_by "COPY python /usr/lib" --image "$image:latest" "$bundle"
  cp -a /usr/share/doc "$bundle/rootfs/usr/share/"
  umoci repack --refresh-bundle --history.created_by "COPY doc /usr/share/doc" --image "$image:latest" "$bundle"
  umoci gc --layout "$image"
fi
# The layers, in order, from the manifest.
mapfile -t layers < <(python3 - "$image" <<'PY'
import json, os, sys
d = sys.argv[1]
def blob(digest):
    return os.path.join(d, "blobs", *digest.split(":", 1))
index = json.load(open(os.path.join(d, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    print(blob(layer["digest"]))
PY
)
packed=$(du -cb "${layers[@]}" | tail -1 | cut -f1)
inflated=0
for l in "${layers[@]}"; do inflated=$((inflated + $(gzip -dc "$l" | wc -c))); done
bench_machine
echo "image: ${#layers[@]} layers, $((packed >> 20)) MiB compressed, $((inflated >> 20)) MiB of tar; medians of $runs interleaved runs; CPU is user + system"
{
  echo "set -e"
  for l in "${layers[@]}"; do echo "tar -xzOf '$l' >/dev/null"; done
} >"$tmp/tar.sh"
python3 bench/measure.py "scan --image, debian python and doc" "$image" "$runs" -- \
  "$bin" scan --image "$image" --fail-on never -- bash "$tmp/tar.sh"
