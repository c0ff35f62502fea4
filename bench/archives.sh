#!/usr/bin/env bash
# Hostile archives and images, and what djguard does with each: the exit
# code, the line it says about the file, and the CPU time and peak RSS it
# took (GNU time). Every case must end in a clear outcome (exit 0 or 1
# with the file named as not read, or exit 2 with an error), in bounded
# time and memory, and write nothing.
#
#   bench/archives.sh
#
# The cases, made with python3's tarfile, zipfile and gzip:
#   - a layer of an OCI image that is a gzip bomb: a tar member of 3 GiB of
#     zeros, about 3 MB compressed (and the same bomb as a .tar.gz);
#   - a tar whose members climb out with ../ and absolute paths;
#   - a tar with a symbolic link that points at itself, and one that points
#     at /etc/shadow;
#   - a zip of 10,000 members;
#   - archives nested five deep (the depth read is three);
#   - a zip that claims members larger than it holds.
# DJGUARD_BIN names a djguard binary to run instead of one built from this
# tree. Needs python3 and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_setup python3 /usr/bin/time
mkdir "$tmp/cases"
python3 - "$tmp/cases" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile, zipfile
out = sys.argv[1]
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
key = ("SECRET_KEY = '%s'\n" % "".join(random.Random(7).choice(alphabet) for _ in range(50))).encode()

def tar_bytes(members):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w") as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return b.getvalue()

# A gzip bomb: a tar whose member is 3 GiB of zeros, written in chunks.
def bomb(path):
    size = 3 << 30
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9) as g:
        info = tarfile.TarInfo("app/settings.py")
        info.size = len(key)
        g.write(info.tobuf() + key + b"\0" * (512 - len(key)))
        info = tarfile.TarInfo("zeros")
        info.size = size
        g.write(info.tobuf())
        chunk = b"\0" * (8 << 20)
        for _ in range(size // len(chunk)):
            g.write(chunk)
        g.write(b"\0" * 1024)
bomb(os.path.join(out, "bomb.tar.gz"))

# The same bomb as an OCI image's layer.
img = os.path.join(out, "bomb-image")
os.makedirs(os.path.join(img, "blobs", "sha256"))
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(img, "blobs", "sha256", d), "wb").write(data)
    return "sha256:" + d, len(data)
layer = open(os.path.join(out, "bomb.tar.gz"), "rb").read()
ld, ln = blob(layer)
cd, cn = blob(json.dumps({"config": {"Env": ["PATH=/usr/bin"]}, "history": [{"created_by": "COPY bomb /"}]}).encode())
md, mn = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ld, "size": ln}]}).encode())
open(os.path.join(img, "index.json"), "w").write(json.dumps({"schemaVersion": 2, "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn}]}))
open(os.path.join(img, "oci-layout"), "w").write('{"imageLayoutVersion": "1.0.0"}')

# Paths that leave the archive.
open(os.path.join(out, "escape.tar"), "wb").write(tar_bytes([
    ("../../../tmp/djguard-escape.py", key), ("/etc/cron.d/djguard", key), ("ok/settings.py", key)]))

# Links: one to itself, one out of the archive.
b = io.BytesIO()
with tarfile.open(fileobj=b, mode="w") as t:
    for name, target in (("loop", "loop"), ("shadow", "/etc/shadow"), ("a/b", "../a/b")):
        info = tarfile.TarInfo(name)
        info.type, info.linkname = tarfile.SYMTYPE, target
        t.addfile(info)
open(os.path.join(out, "links.tar"), "wb").write(b.getvalue())

# 10,000 members.
with zipfile.ZipFile(os.path.join(out, "many.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(10000):
        z.writestr("pkg/m%05d.py" % i, "x = %d\n" % i)
    z.writestr("pkg/settings.py", key)

# Nested five deep: tar.gz > zip > tar > zip > tar.
data, name = key, "settings.py"
for level, kind in enumerate(["tar", "zip", "tar", "zip", "tar.gz"]):
    inner = "level%d.%s" % (level, kind)
    if kind == "zip":
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as z:
            z.writestr(name, data)
        data = b.getvalue()
    else:
        data = tar_bytes([(name, data)])
        if kind == "tar.gz":
            data = gzip.compress(data)
    name = inner
open(os.path.join(out, name), "wb").write(data)

# A zip whose member claims more than it holds.
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("pkg/settings.py", key * 100)
data = bytearray(b.getvalue())
i = data.rfind(b"PK\x01\x02")
data[i + 24:i + 28] = (1 << 31).to_bytes(4, "little")  # uncompressed size in the directory
open(os.path.join(out, "liar.zip"), "wb").write(bytes(data))
PY

printf '%-22s %-5s %-9s %-8s %s\n' case exit cpu rss "what djguard found; what it said of the file on stderr"
for c in bomb-image bomb.tar.gz escape.tar links.tar many.zip level4.tar.gz liar.zip; do
  args=("$tmp/cases/$c")
  [ "$c" = bomb-image ] && args=(--image "$tmp/cases/$c")
  set +e
  (cd "$tmp" && /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$bin" scan --fail-on never "${args[@]}" >"$tmp/out" 2>"$tmp/err")
  code=$?
  set -e
  # What it says of the file: an error, or the count of what it did not
  # read; else its summary.
  said=$( (grep -E '^djguard: ' "$tmp/err" | grep -v configuration || true) | tail -1)
  found=$( (grep -oE '^djguard: [0-9]+ findings?|^djguard: no Django' "$tmp/out" || true) | head -1)
  said="${found#djguard: }${found:+; }$said"
  read -r u s kb < <(tail -1 "$tmp/time")
  printf '%-22s %-5s %-9s %-8s %s\n' "$c" "$code" "$(python3 -c "print(round($u + $s, 2))") s" "$((kb / 1024)) MB" "${said//$tmp\/cases\//}"
done
if [ -e /tmp/djguard-escape.py ] || [ -e /etc/cron.d/djguard ]; then
  echo "bench: a file was written outside the scan" >&2
  exit 1
fi
