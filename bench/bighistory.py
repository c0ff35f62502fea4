#!/usr/bin/env python3
"""Generate a large, deterministic git history shaped like a long-lived Django
project, with planted Django SECRET_KEY leaks and their ground truth, for
measuring the memory and speed of `djguard scan --history`.

    python3 bench/bighistory.py DIR [--scale S] [--seed N]

for example, in the cache the other bench scripts use:

    cache=${DJGUARD_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/djguard-bench}
    python3 bench/bighistory.py "$cache/bighistory-0.25" --scale 0.25
    python3 bench/bighistory.py "$cache/bighistory-1"

DIR is created (it must not exist, or be empty) as a git repository with
`main` checked out; the history is streamed into `git fast-import`, which
writes it as one pack that is then left alone (no gc, no repack; gc.auto is
set to 0 in DIR so later git commands keep it that way). The ground truth
goes to DIR.answers.json, beside DIR, never inside it. The same arguments
give the same commit ids on any machine.

What the history holds at --scale 1 (the default; --scale 0.25 or 0.5 give
proportionally fewer commits, objects and versions, with files of the same
sizes; nothing depends on the machine):

- about 90,000 commits on main and six long-lived branches (two release
  branches that merge back several times, a feature branch merged at the
  end, a staging branch that keeps merging main, two branches never merged),
  short-lived pull-request branches merged with merge commits, and 8 tags;
  most commits touch 1-5 files;
- over 500,000 objects, a pack of about 550 MB and about 5 GB of blob
  content: a package-lock.json and a yarn.lock of about 1 MB each with over
  1,000 versions (long hyphenated package names, npm-mirror URLs with query
  strings), a CHANGELOG that grows with every release and mentions the
  secret key now and then, settings modules (1,500 versions of base.py),
  migrations, tests, templates, gettext catalogues, minified bundles,
  fixtures with password hashes, requirements files with VCS lines and pip
  hashes;
- about 30,000 binary blobs (PNG, JPEG, GIF, .pyc, .mo, .woff2, zip; a NUL
  byte in the first 8000 bytes, random bytes that do not compress), about
  fifty from 300 KB to 3 MB and five over 10 MB (at least two at any scale);
- 31 planted Django keys in many forms (settings literals, django-insecure-
  keys, .env files, environment-read fallbacks, compose and Kubernetes
  YAML, CI, Heroku app.json, Ansible, TOML, a notebook, tests, docs, a bare
  key in the CHANGELOG), some removed later, some only on unmerged branches;
  a weak placeholder and decoys that are not keys.

DIR.answers.json holds, for each planted key: the secret (as the application
sees it), its text in the file when that differs (compose's $$), the commit
that introduced it (the oldest commit, parents first, whose tree holds it),
the path and 1-based line there, every path it was carried to, the branch it
was committed on, the refs that reach it, and whether the tip of main still
holds it. It also lists the weak value, the decoys, "lookalikes" (runs of the
key alphabet, such as npm-mirror query strings, long package names and VCS
requirement lines, that have the statistical profile of a generated key
without being one: every such run the generator wrote, a few of which were
edited away before any commit), the branches and tags (name -> commit), and
the repository's figures.

Scale 1 takes about two and a half minutes on two cores (git fast-import is
the bottleneck), up to 0.8 GB of memory and about 1 GB of disk. Needs python3
3.9+ and git 2.28+.
"""
import argparse
import base64
import bisect
import json
import math
import os
import queue
import random
import re
import struct
import subprocess
import sys
import threading
import time

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
SYMBOLS = "!@#$%^&*(-_=+)"
# Runs of 50 or more characters of the key alphabet: what a cheap pre-filter
# for Django keys looks for.
ALPHABET_RUN = re.compile(rb"[a-z0-9!@#$%^&*(\-_=+)]{50,}")

START_TIME = 1393840800  # 2014-03-03 10:00 UTC
STEPS_AT_SCALE_1 = 57000

WORDS = (
    "user order item price cart invoice account profile session page blog post "
    "comment author tag category image upload report export import search filter "
    "query result cache queue task worker event signal form field model view "
    "serializer router admin site media static template context payment shipment "
    "address coupon discount refund review rating stock warehouse supplier product "
    "variant basket checkout customer email notification message channel webhook "
    "schedule batch status total amount currency tax region country language "
    "locale slug title summary body created updated archived active draft "
    "published label note weight height width color size brand vendor partner "
    "gift card wishlist return label barcode sku unit level rule campaign"
).split()
VERBS = ("Fix Add Remove Refactor Update Rename Move Simplify Handle Cache Validate "
         "Paginate Document Test Clean up Speed up Log Guard Expose Deprecate").split()
APP_NAMES = (
    "core accounts catalog orders payments api shipping inventory reviews "
    "notifications search analytics coupons loyalty returns invoices warehouse "
    "suppliers pricing subscriptions giftcards wishlists recommendations reports "
    "audit support cms blog newsletter checkout cart tax currency content "
    "medialib seo feeds partners affiliates marketplace vendors fulfillment "
    "promotions bundles ratings surveys tickets chat exports imports webhooks "
    "billing ledger payouts kyc fraud storefront"
).split()
FIRST = ("Alice Bogdan Chen Dmitri Elena Farid Grace Hiro Ines Jonas Kavya Lars "
         "Maya Nikolai Olu Priya Quentin Rosa Sven Tariq Uma Viktor Wen Ximena "
         "Yusuf Zoe Anders Beatriz Carlos Dana").split()
LAST = ("Andersen Bauer Costa Dubois Eriksen Fischer Garcia Horvat Ivanova "
        "Jensen Kowalski Lindqvist Moreau Nakamura Okafor Petrov Quinn Rossi "
        "Schmidt Tanaka Underwood Varga Weber Xu Yilmaz Zhou").split()
ZONES = ("+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300",
         "+0100", "+0000", "-0400", "+0800")
LANGS = ("de", "fr", "es", "pt_BR", "ja")
NPM_PREFIXES = (
    "babel-plugin-transform babel-plugin-syntax babel-plugin-proposal babel-preset "
    "babel-helper eslint-plugin eslint-config postcss postcss-plugin webpack-plugin "
    "webpack rollup-plugin gulp grunt-contrib karma jest react vue lodash core-js "
    "regenerator string array object is has get define es-abstract "
    "@babel/plugin-transform @babel/plugin-proposal @babel/helper @types "
    "@webassemblyjs @jest @vue @sentry"
).split()
NPM_PARTS = (
    "es2015 es2017 async generator functions arrow block scoped computed properties "
    "destructuring parameters spread rest object template literals modules commonjs "
    "amd umd regenerator runtime exponentiation operator class decorators optional "
    "chaining nullish coalescing unicode regex sticky duplicate keys symbol typeof "
    "member expression shorthand for of loader utils plugin browser resolve map "
    "source stream buffer glob path parse normalize url json schema validate minify "
    "terser cache watch emitter events color convert width ansi styles escape "
    "regexp supports colors"
).split()
PY_ARGS = ("request", "self", "obj", "queryset")
PY_BASES = ("models.Model", "TestCase", "APIView", "forms.Form", "admin.ModelAdmin", "serializers.ModelSerializer")
CSS_PROPS = ("margin", "padding", "color", "background", "border", "font-size", "line-height", "width", "display")
MODEL_FIELDS = ("TextField(blank=True)", "BooleanField(default=False)", "DateTimeField(auto_now=True)")
MANAGE_COMMANDS = ("migrate", "createsuperuser", "collectstatic --noinput", "runserver", "shell_plus",
                   "compilemessages")
PY_PACKAGES = (
    "django djangorestframework celery redis psycopg2-binary gunicorn whitenoise "
    "django-environ django-storages boto3 pillow requests sentry-sdk "
    "django-filter django-cors-headers django-extensions django-debug-toolbar "
    "factory-boy pytest pytest-django coverage black flake8 isort mypy "
    "django-celery-beat django-redis stripe python-dateutil pytz markdown "
    "bleach django-crispy-forms django-allauth djangorestframework-simplejwt "
    "graphene-django channels daphne uvicorn kombu amqp billiard vine"
).split()


def profile_like_key(s):
    """Whether s has the statistical profile of a key from Django's
    get_random_secret_key(), by the thresholds djguard's README documents:
    50 to 100 characters of the alphabet, entropy of at least 4.25 bits per
    character, at least 23 distinct characters, at least 3 kinds of symbol
    and at least one digit."""
    if not 50 <= len(s) <= 100 or any(c not in ALPHABET for c in s):
        return False
    counts = {}
    for c in s:
        counts[c] = counts.get(c, 0) + 1
    n = len(s)
    h = -sum(v / n * math.log2(v / n) for v in counts.values())
    kinds = sum(1 for c in counts if c in SYMBOLS)
    digits = sum(1 for c in s if c.isdigit())
    return len(counts) >= 23 and kinds >= 3 and digits >= 1 and h >= 4.25


class StreamWriter:
    """Writes batches of byte strings to fast-import from a thread of its
    own, so that the next batch is made while fast-import reads this one."""

    def __init__(self, f):
        self.f, self.fd, self.error = f, f.fileno(), None
        try:  # a larger pipe means fewer hand-overs between the threads
            import fcntl
            fcntl.fcntl(self.fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except (ImportError, OSError):
            pass
        # The writer needs the interpreter lock back after each write; a
        # short switch interval keeps it from waiting on the generator.
        sys.setswitchinterval(0.0005)
        self.q = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while True:
            pieces = self.q.get()
            if pieces is None:
                break
            if self.error is None:
                try:
                    buf = bytearray()
                    for piece in pieces:
                        if len(piece) >= 1 << 16:
                            self.send(buf)
                            buf = bytearray()
                            self.send(piece)
                        else:
                            buf += piece
                            if len(buf) >= 1 << 20:
                                self.send(buf)
                                buf = bytearray()
                    self.send(buf)
                except OSError as e:
                    self.error = e
        try:
            self.f.close()
        except OSError as e:
            self.error = self.error or e

    def send(self, data):
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view[:1 << 20]):]

    def write(self, pieces):
        if self.error:
            raise self.error
        self.q.put(pieces)

    def close(self):
        self.q.put(None)
        self.thread.join()
        if self.error:
            raise self.error


# ---------------------------------------------------------------- file models
#
# A branch's tree is a dict path -> model. Models are never changed once a
# commit holds them: an edit makes a new model, so branches share unchanged
# files by reference, and "same object" means "same blob" in merges.

class Text:
    __slots__ = ("lines", "lo", "kind", "mode", "mark")
    binary = False

    def __init__(self, lines, kind, lo=0, mode=b"100644"):
        self.lines, self.kind, self.lo, self.mode, self.mark = lines, kind, lo, mode, 0

    def copy(self):
        return Text(list(self.lines), self.kind, self.lo, self.mode)

    def data(self):
        return b"".join(self.lines)


class Lock:
    """package-lock.json (style "npm") or yarn.lock (style "yarn"): one
    rendered block per package, in name order."""
    __slots__ = ("style", "names", "pk", "blocks", "mode", "mark")
    binary = False

    def __init__(self, style):
        self.style, self.names, self.pk, self.blocks = style, [], {}, {}
        self.mode, self.mark = b"100644", 0

    def copy(self):
        n = Lock(self.style)
        n.names, n.pk, n.blocks = list(self.names), dict(self.pk), dict(self.blocks)
        return n

    def data(self):
        if self.style == "npm":
            return (b'{\n  "name": "shopfloor",\n  "version": "1.0.0",\n  "lockfileVersion": 1,\n'
                    b'  "requires": true,\n  "dependencies": {\n'
                    + b",\n".join([self.blocks[n] for n in self.names]) + b"\n  }\n}\n")
        return (b"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n"
                b"# yarn lockfile v1\n\n\n" + b"\n".join([self.blocks[n] for n in self.names]))


class Bin:
    """A binary file. Its bytes are dropped once written to fast-import."""
    __slots__ = ("raw", "size", "mode", "mark")
    binary = True

    def __init__(self, raw):
        self.raw, self.size, self.mode, self.mark = raw, len(raw), b"100644", 0

    def data(self):
        return self.raw


class Branch:
    def __init__(self, name, files=None):
        self.name = name
        self.ref = b"refs/heads/" + name.encode()
        self.files = files if files is not None else {}
        self.tip = 0          # mark of the tip commit
        self.base = {}        # files at the merge base with main
        self.apps = []
        self.focus = None     # app this branch mostly works on
        self.alive = False


# ----------------------------------------------------------------- generator

class History:
    def __init__(self, out, scale, seed):
        self.out = out
        self.scale = scale
        self.seed = seed
        self.r = random.Random(seed)                 # structure and text
        self.rb = random.Random(seed * 7919 + 1)     # binary bytes
        self.rk = random.Random(seed * 7919 + 2)     # planted keys
        self.steps = max(400, round(STEPS_AT_SCALE_1 * scale))
        self.t = START_TIME
        # About ten years of history at any scale.
        self.gap = 4000.0 / max(scale, 0.02)
        self.next_mark = 1
        self.chunk_blobs = []     # (path, mark, bytes) waiting to be written
        self.chunk_cmds = []      # commits, resets and tags, in order
        self.chunk_bytes = 0
        self.last_path = b""
        self.parents = {}         # commit mark -> [parent marks]
        self.n_commits = self.n_merges = 0
        self.n_binary = self.n_huge = 0
        self.binary_bytes = 0
        self.versions = {}        # path -> blobs written for it
        self.reg = {}             # (app, category) -> paths ever made
        self.keys = []
        self.key_bytes = []
        self.weak = []
        self.decoys = []
        self.lookalikes = {}
        self.tags = []
        self.pr_number = 1200
        self.mig_no = {}
        self.main = Branch("main")
        self.branches = {"main": self.main}
        self.pr = Branch("pr-merge-tmp")
        self.pending_decoy = None
        self.make_people()
        self.make_packages()

    # ---------------------------------------------------------- stream output

    def mark(self):
        m = self.next_mark
        self.next_mark += 1
        return m

    def blob_for(self, path, m):
        if m.mark:
            return
        m.mark = self.mark()
        data = m.data()
        self.chunk_blobs.append((path, m.mark, data))
        self.chunk_bytes += len(data)
        self.versions[path] = self.versions.get(path, 0) + 1
        if m.binary:
            m.raw = None  # the bytes are needed only once
            self.n_binary += 1
            self.binary_bytes += len(data)
            if len(data) > 10 * 1024 * 1024:
                self.n_huge += 1

    def person_line(self, who, when):
        name, email, tz = who
        return b"%s <%s> %d %s" % (name.encode(), email.encode(), when, tz.encode())

    def commit(self, br, changes, msg, who, merge=0, parent=0, committer=None):
        """Commit changes (path -> model, or None to delete) on branch br."""
        self.t += 45 + int(self.r.expovariate(1.0 / self.gap))
        mark = self.mark()
        lines = []
        for path, m in changes.items():
            bpath = path.encode()
            if m is None:
                if path in br.files:
                    del br.files[path]
                    lines.append(b"D " + bpath + b"\n")
                continue
            self.blob_for(bpath, m)
            br.files[path] = m
            lines.append(b"M %s :%d %s\n" % (m.mode, m.mark, bpath))
        author = self.person_line(who, self.t - self.r.randrange(0, 3600))
        comm = self.person_line(committer or who, self.t)
        body = msg.encode()
        head = [b"commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n" % (br.ref, mark, author, comm, len(body)),
                body, b"\n"]
        parents = []
        if parent:
            head.append(b"from :%d\n" % parent)
            parents.append(parent)
        elif br.tip:
            parents.append(br.tip)
        if merge:
            head.append(b"merge :%d\n" % merge)
            parents.append(merge)
            self.n_merges += 1
        self.chunk_cmds.append(b"".join(head) + b"".join(lines) + b"\n")
        self.parents[mark] = parents
        br.tip = mark
        self.n_commits += 1
        return mark

    def reset(self, ref, mark):
        self.chunk_cmds.append(b"reset %s\nfrom :%d\n\n" % (ref, mark))

    def tag(self, name, mark, who, msg):
        if msg is None:
            self.reset(b"refs/tags/" + name.encode(), mark)
        else:
            body = msg.encode()
            self.chunk_cmds.append(b"tag %s\nfrom :%d\ntagger %s\ndata %d\n%s\n" % (
                name.encode(), mark, self.person_line(who, self.t + 60), len(body), body))
        self.tags.append((name, mark))

    def flush(self):
        out = []
        w = out.append
        # Versions of one path go out one after another, so fast-import
        # stores each as a delta of the one before (it deltas a blob against
        # the blob written just before it). The path written last goes first
        # in the next batch, to carry its chain on.
        last = self.last_path
        blobs = sorted(self.chunk_blobs, key=lambda b: (b[0] != last, b[0], b[1]))
        for path, mark, data in blobs:
            w(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
            w(data)
            w(b"\n")
        if blobs:
            self.last_path = blobs[-1][0]
        out += self.chunk_cmds
        self.out.write(out)
        self.chunk_blobs, self.chunk_cmds, self.chunk_bytes = [], [], 0

    # ---------------------------------------------------------------- people

    def make_people(self):
        r = self.r
        seen, devs = set(), []
        while len(devs) < 48:
            f, l = r.choice(FIRST), r.choice(LAST)
            if (f, l) in seen:
                continue
            seen.add((f, l))
            email = "%s.%s@%s" % (f.lower(), l.lower(), r.choice(
                ("shopfloor.example", "shopfloor.example", "gmail.example", "users.noreply.github.example")))
            devs.append(("%s %s" % (f, l), email, r.choice(ZONES)))
        self.devs = devs
        self.dev_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(devs))]
        self.maintainers = devs[:4]
        self.dependabot = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000")
        self.renovate = ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", "+0000")
        self.github = ("GitHub", "noreply@github.com", "+0000")

    def dev(self):
        return self.r.choices(self.devs, self.dev_weights)[0]

    # ------------------------------------------------------------ text pieces

    def words(self, n):
        r = self.r
        return " ".join(r.choice(WORDS) for _ in range(n))

    def sentence(self, lo=3, hi=9):
        s = self.words(self.r.randint(lo, hi))
        return s[0].upper() + s[1:]

    def ident(self, lo=1, hi=3):
        return "_".join(self.r.choice(WORDS) for _ in range(self.r.randint(lo, hi)))

    def camel(self):
        return "".join(w.capitalize() for w in self.ident(1, 2).split("_"))

    def hexs(self, n):
        return self.rb.randbytes((n + 1) // 2).hex()[:n]

    def alnum(self, n):
        return "".join(self.r.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=n))

    def lines_of(self, s):
        b = s.encode()
        for run in ALPHABET_RUN.findall(b):
            self.note_run(run.decode(), "text")
        return b.splitlines(keepends=True)

    def note_run(self, run, where):
        if 50 <= len(run) <= 100 and run not in self.lookalikes and profile_like_key(run):
            self.lookalikes[run] = where

    def py_stmt(self, ind):
        r, p = self.r, " " * ind
        k = r.randrange(14)
        a, b = self.ident(), self.ident(1, 2)
        if k == 0:
            return f"{p}{a} = {self.camel()}.objects.filter({b}={r.choice(WORDS)}_id).first()\n"
        if k == 1:
            return f"{p}if {a} is None:\n{p}    raise {self.camel()}Error(\"{self.sentence()}\")\n"
        if k == 2:
            return f"{p}logger.info(\"{self.sentence()}: %s\", {a})\n"
        if k == 3:
            return f"{p}return {a}\n"
        if k == 4:
            return f"{p}for {r.choice(WORDS)} in {a}.all():\n{p}    {b}.append({r.choice(WORDS)}.{self.ident(1, 2)})\n"
        if k == 5:
            return f"{p}# {self.sentence()}.\n"
        if k == 6:
            return f"{p}{a} = {{\"{r.choice(WORDS)}\": {r.randint(0, 999)}, \"{r.choice(WORDS)}\": {b}}}\n"
        if k == 7:
            return f"{p}self.assertEqual({a}.{r.choice(WORDS)}, {r.randint(0, 500)})\n"
        if k == 8:
            return f"{p}{a} = get_object_or_404({self.camel()}, pk={r.choice(WORDS)}_pk)\n"
        if k == 9:
            return f"{p}try:\n{p}    {a}.save(update_fields=[\"{b}\"])\n{p}except IntegrityError:\n{p}    pass\n"
        if k == 10:
            return f"{p}{a} = reverse(\"{r.choice(APP_NAMES)}:{b}\", args=[{r.choice(WORDS)}.pk])\n"
        if k == 11:
            return f"{p}response = self.client.get(\"/{r.choice(APP_NAMES)}/{r.choice(WORDS)}/{r.randint(1, 99)}/\")\n"
        if k == 12:
            return f"{p}{a} = timezone.now() - timedelta(days={r.randint(1, 90)})\n"
        return f"{p}{a}.{b}({r.choice(WORDS)}={r.choice(['True', 'False', 'None', str(r.randint(0, 9))])})\n"

    def py_block(self):
        r = self.r
        k = r.randrange(10)
        if k < 4:
            out = [f"\n\ndef {self.ident()}({r.choice(PY_ARGS)}, {self.ident(1, 1)}=None):\n",
                   f"    \"\"\"{self.sentence()}.\"\"\"\n"]
            out += [self.py_stmt(4) for _ in range(r.randint(2, 8))]
            return "".join(out)
        if k < 6:
            out = [f"\n\nclass {self.camel()}({r.choice(PY_BASES)}):\n"]
            for _ in range(r.randint(2, 7)):
                field = r.choice(['CharField(max_length=120)', 'IntegerField(default=0)',
                                  'BooleanField(default=False)', 'DateTimeField(auto_now_add=True)',
                                  'ForeignKey("%s.%s", on_delete=models.CASCADE)' % (r.choice(APP_NAMES), self.camel()),
                                  'DecimalField(max_digits=10, decimal_places=2)', 'TextField(blank=True)',
                                  'SlugField(unique=True)'])
                out.append(f"    {self.ident(1, 2)} = models.{field}\n")
            if r.random() < 0.5:
                out.append(f"\n    def {self.ident()}(self):\n")
                out += [self.py_stmt(8) for _ in range(r.randint(1, 5))]
            return "".join(out)
        return "".join(self.py_stmt(r.choice((4, 8))) for _ in range(r.randint(1, 4)))

    def settings_block(self):
        r = self.r
        name = "%s_%s_%s" % (r.choice(APP_NAMES).upper(), r.choice(WORDS).upper(),
                             r.choice(("TIMEOUT", "PAGE_SIZE", "ENABLED", "BACKEND", "URL", "RETRIES",
                                       "BATCH_SIZE", "QUEUE", "TTL", "LIMIT", "INTERVAL")))
        k = r.randrange(6)
        if k == 0:
            v = str(r.randint(1, 500))
        elif k == 1:
            v = r.choice(("True", "False"))
        elif k == 2:
            v = '"%s"' % r.choice(WORDS)
        elif k == 3:
            v = "timedelta(minutes=%d)" % r.randint(1, 120)
        elif k == 4:
            v = "env.int(\"%s\", default=%d)" % (name, r.randint(1, 60))
        else:
            v = "[%s]" % ", ".join('"%s"' % r.choice(WORDS) for _ in range(r.randint(1, 4)))
        s = "%s = %s\n" % (name, v)
        if r.random() < 0.25:
            s = "# %s.\n%s" % (self.sentence(), s)
        return s

    def html_block(self):
        r = self.r
        k = r.randrange(6)
        cls = "%s-%s" % (r.choice(WORDS), r.choice(WORDS))
        if k == 0:
            return f"<div class=\"{cls}\">\n  {{{{ {r.choice(WORDS)}.{r.choice(WORDS)} }}}}\n</div>\n"
        if k == 1:
            return (f"{{% if {r.choice(WORDS)}.is_{r.choice(WORDS)} %}}\n"
                    f"  <span class=\"badge {cls}\">{{% trans \"{self.sentence(1, 4)}\" %}}</span>\n"
                    f"{{% endif %}}\n")
        if k == 2:
            return (f"<a href=\"{{% url '{r.choice(APP_NAMES)}:{r.choice(WORDS)}-detail' {r.choice(WORDS)}.pk %}}\""
                    f" class=\"{cls}\">{self.sentence(1, 5)}</a>\n")
        if k == 3:
            flt = r.choice(['title', 'date:"Y-m-d"', 'floatformat:2', 'default:"-"'])
            return (f"{{% for {r.choice(WORDS)} in {r.choice(WORDS)}_list %}}\n"
                    f"  <li>{{{{ {r.choice(WORDS)}|{flt} }}}}</li>\n"
                    f"{{% empty %}}\n  <li>{self.sentence(2, 6)}</li>\n{{% endfor %}}\n")
        if k == 4:
            return f"<p class=\"{cls}\">{self.sentence(5, 14)}</p>\n"
        return (f"<input type=\"{r.choice(['text', 'hidden', 'number', 'email'])}\" name=\"{self.ident(1, 2)}\""
                f" value=\"{{{{ form.{self.ident(1, 2)}.value|default_if_none:'' }}}}\">\n")

    def js_block(self):
        r = self.r
        k = r.randrange(5)
        v = self.camel()
        fn = v[0].lower() + v[1:]
        if k == 0:
            return (f"function {fn}(el, options) {{\n"
                    f"  const {r.choice(WORDS)} = el.querySelector('.{r.choice(WORDS)}-{r.choice(WORDS)}');\n"
                    f"  if (!{r.choice(WORDS)}) {{ return null; }}\n"
                    f"  return {r.choice(WORDS)}.dataset.{r.choice(WORDS)};\n}}\n\n")
        if k == 1:
            return (f"document.addEventListener('{r.choice(['click', 'submit', 'change', 'input'])}', function (e) {{\n"
                    f"  if (e.target.matches('[data-{r.choice(WORDS)}]')) {{\n"
                    f"    e.preventDefault();\n    {fn}(e.target);\n  }}\n}});\n")
        if k == 2:
            return (f"  fetch('/api/{r.choice(APP_NAMES)}/{r.choice(WORDS)}/?page=' + page + '&size={r.randint(5, 100)}')\n"
                    f"    .then(function (r) {{ return r.json(); }})\n    .then(render{v});\n")
        if k == 3:
            return f"// {self.sentence()}\nconst {r.choice(WORDS).upper()}_{r.choice(WORDS).upper()} = {r.randint(0, 5000)};\n"
        return (f"export const {fn} = ({r.choice(WORDS)}) => "
                f"{r.choice(WORDS)}.{r.choice(['map', 'filter', 'reduce', 'find'])}((x) => x.{r.choice(WORDS)});\n")

    def css_block(self):
        r = self.r
        props = []
        for _ in range(r.randint(1, 6)):
            prop = r.choice(CSS_PROPS)
            value = r.choice(['0', '%dpx' % r.randint(1, 64), '#%s' % self.hexs(6), 'flex', 'none',
                              '1.%d' % r.randint(1, 9), 'var(--%s-%s)' % (r.choice(WORDS), r.choice(WORDS))])
            props.append(f"  {prop}: {value};\n")
        suffix = r.choice(['', ':hover', ' > a', '__' + r.choice(WORDS), '--' + r.choice(WORDS)])
        return f".{r.choice(WORDS)}-{r.choice(WORDS)}{suffix} {{\n{''.join(props)}}}\n\n"

    def doc_block(self):
        r = self.r
        k = r.randrange(5)
        if k == 0:
            t = self.sentence(2, 5)
            return f"\n{t}\n{'-' * len(t)}\n\n"
        if k == 1:
            return f"* {self.sentence(4, 12)}.\n"
        if k == 2:
            return f".. code-block:: bash\n\n    python manage.py {r.choice(MANAGE_COMMANDS)}\n\n"
        return " ".join(self.sentence(6, 14) + "." for _ in range(r.randint(1, 4))) + "\n"

    def po_block(self):
        r = self.r
        text = self.sentence(2, 10)
        return (f"#: apps/{r.choice(APP_NAMES)}/{r.choice(['views', 'models', 'forms'])}.py:{r.randint(10, 900)}\n"
                f"msgid \"{text}\"\nmsgstr \"{self.sentence(2, 10)}\"\n\n")

    def yaml_block(self):
        r = self.r
        v = r.choice([str(r.randint(1, 900)), 'true', 'false', r.choice(WORDS), '"%s"' % self.sentence(1, 3)])
        return f"  {self.ident(1, 2)}: {v}\n"

    def version(self, a, b, c):
        r = self.r
        return "%d.%d.%d" % (r.randint(0, a), r.randint(0, b), r.randint(0, c))

    def req_block(self):
        r = self.r
        k = r.randrange(8)
        pkg = r.choice(PY_PACKAGES)
        if k == 0:
            name = "django-%s" % r.choice(WORDS)
            return f"-e git+https://github.com/shopfloor-oss/{name}.git@{self.hexs(40)}#egg={name}\n"
        if k == 1:
            name = "%s-client" % r.choice(WORDS)
            return f"git+https://gitlab.example.com/platform/{name}.git@v{self.version(4, 20, 9)}#egg={name}\n"
        if k == 2:
            return (f"{pkg}=={self.version(6, 30, 15)} \\\n    --hash=sha256:{self.hexs(64)} \\\n"
                    f"    --hash=sha256:{self.hexs(64)}\n    # via -r requirements/base.in\n")
        return f"{pkg}{r.choice(['==', '>=', '~='])}{self.version(6, 30, 15)}\n"

    def fixture_block(self):
        r = self.r
        if r.random() < 0.4:
            digest = base64.b64encode(self.rb.randbytes(32)).decode()
            fields = (f"      \"password\": \"pbkdf2_sha256$260000${self.alnum(22)}${digest}\",\n"
                      f"      \"username\": \"{r.choice(WORDS)}{r.randint(1, 9999)}\",\n"
                      f"      \"email\": \"{r.choice(WORDS)}.{r.choice(WORDS)}@example.com\",\n")
            model = "accounts.user"
        else:
            fields = "".join('      "%s": %s,\n' % (self.ident(1, 2), r.choice([str(r.randint(0, 9999)), 'true', 'null',
                                                                              '"%s"' % self.sentence(1, 5)]))
                             for _ in range(r.randint(2, 7)))
            model = "%s.%s" % (r.choice(APP_NAMES), r.choice(WORDS))
        when = f"20{r.randint(14, 23)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}T0{r.randint(0, 9)}:{r.randint(10, 59)}:00Z"
        return (f"  {{\n    \"model\": \"{model}\",\n    \"pk\": {r.randint(1, 99999)},\n    \"fields\": {{\n"
                f"{fields}      \"created\": \"{when}\"\n    }}\n  }},\n")

    def bundle_block(self):
        # one line of a minified bundle
        r = self.r
        parts = []
        for _ in range(r.randint(12, 40)):
            k = r.randrange(5)
            v = r.choice("etnroiasu")
            if k == 0:
                parts.append(f"function(e,t,n){{\"use strict\";var {v}=n({r.randint(1, 999)}),{r.choice('abcdfg')}=n.n({v});")
            elif k == 1:
                parts.append(f"{v}.{r.choice(WORDS)}=function(e){{return e&&e.{r.choice(WORDS)}?e.{r.choice(WORDS)}:{r.randint(0, 99)}}},")
            elif k == 2:
                parts.append(f"t.exports={{{r.choice(WORDS)}:\"{self.sentence(1, 4)}\",{r.choice(WORDS)}:{r.randint(0, 9999)}}};")
            elif k == 3:
                parts.append(f"if(!{v}.{r.choice(WORDS)})throw new Error(\"{self.sentence(2, 6)}\");")
            else:
                parts.append(f"{r.randint(100, 999)}:function(e,t){{e.exports=\"{r.choice(WORDS)}-{r.choice(WORDS)}\"}},")
        return "".join(parts) + "\n"

    def pkgjson_block(self):
        r = self.r
        return '    "%s": "^%d.%d.%d",\n' % (r.choice(self.npm_pool), r.randint(0, 12), r.randint(0, 30), r.randint(0, 9))

    GEN = {
        "pkgjson": "pkgjson_block", "py": "py_block", "settings": "settings_block", "html": "html_block", "js": "js_block",
        "css": "css_block", "doc": "doc_block", "po": "po_block", "yaml": "yaml_block",
        "req": "req_block", "json": "fixture_block", "bundle": "bundle_block",
    }
    CAP = {"py": 900, "settings": 700, "html": 400, "js": 1200, "css": 1600, "doc": 900,
           "po": 4500, "yaml": 200, "req": 300, "json": 9000, "bundle": 900, "pkgjson": 200}

    def gen(self, kind):
        return self.lines_of(getattr(self, self.GEN[kind])())

    def protected(self, line):
        if b"ecret" in line or b"ECRET" in line:
            return True
        for k in self.key_bytes:
            if k in line:
                return True
        return False

    def edited(self, m, ops=None):
        """A copy of text model m with a few line-level edits below m.lo."""
        r = self.r
        new = m.copy()
        L = new.lines
        cap = self.CAP.get(new.kind, 800)
        for _ in range(ops or r.choice((1, 1, 1, 2, 2, 3))):
            n = len(L)
            if n <= new.lo + 2:
                L.extend(self.gen(new.kind))
                continue
            op = r.random()
            if n > cap and op < 0.7:
                op = 0.95
            if op < 0.45:
                i = r.randrange(new.lo, n)
                k = r.randint(1, 3)
                if not any(self.protected(x) for x in L[i:i + k]):
                    L[i:i + k] = self.gen(new.kind)[:k]
            elif op < 0.85:
                L[r.randint(new.lo, n):0] = self.gen(new.kind)
            else:
                i = r.randrange(new.lo, n)
                k = r.randint(1, 4)
                if not any(self.protected(x) for x in L[i:i + k]):
                    del L[i:i + k]
        return new

    def text(self, header, kind, n_blocks, mode=b"100644"):
        lines = header.encode().splitlines(keepends=True)
        lo = len(lines)
        for _ in range(n_blocks):
            lines += self.gen(kind)
        return Text(lines, kind, lo, mode)

    # --------------------------------------------------------- binary pieces

    def rand_size(self, median, sigma, lo, hi):
        return int(min(hi, max(lo, math.exp(self.r.gauss(math.log(median), sigma)))))

    def png(self, size):
        w, h = self.r.randint(16, 2048), self.r.randint(16, 2048)
        body = self.rb.randbytes(max(0, size - 57))
        return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
                + self.rb.randbytes(4) + struct.pack(">I", len(body)) + b"IDAT" + body + self.rb.randbytes(4)
                + b"\x00\x00\x00\x00IEND\xaeB`\x82")

    def jpeg(self, size):
        return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00\xff\xdb\x00\x43\x00"
                + self.rb.randbytes(max(0, size - 30)) + b"\xff\xd9")

    def gif(self, size):
        dims = struct.pack("<HH", self.r.randint(1, 400), self.r.randint(1, 400))
        return b"GIF89a" + dims + b"\xf7\x00\x00" + self.rb.randbytes(max(0, size - 13))

    def woff2(self, size):
        return b"wOF2\x00\x01\x00\x00" + struct.pack(">I", size) + b"\x00\x0c\x00\x00" + self.rb.randbytes(max(0, size - 16))

    def zipfile(self, size, name):
        n = name.encode()
        return (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + self.rb.randbytes(16) + struct.pack("<HH", len(n), 0) + n
                + self.rb.randbytes(max(0, size - 60 - len(n))) + b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00" + self.rb.randbytes(10))

    def image(self, path, size):
        if path.endswith(".png"):
            return Bin(self.png(size))
        if path.endswith(".gif"):
            return Bin(self.gif(size))
        return Bin(self.jpeg(size))

    def pyc(self, src):
        data = src.data()
        head = b"B\r\r\n\x00\x00\x00\x00" + struct.pack("<II", self.t & 0xFFFFFFFF, len(data)) + b"\xe3\x00\x00\x00"
        return Bin(head + self.rb.randbytes(len(data) // 6 + 64) + data[::3])

    def mo(self, po):
        data = po.data()
        n = data.count(b"msgid")
        head = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
        # The strings keep their order, so one catalogue is a small delta of
        # the one before, as real .mo files are.
        return Bin(head + self.rb.randbytes(2048) + data.replace(b"\n", b"\x00"))

    # ------------------------------------------------------------- lockfiles

    def make_packages(self):
        r = self.r
        pool = {}
        while len(pool) < 9000:
            pre = r.choice(NPM_PREFIXES)
            parts = "-".join(r.choice(NPM_PARTS) for _ in range(r.choice((1, 1, 2, 2, 3, 4))))
            name = pre + ("/" if pre.startswith("@") and pre.count("/") == 0 else "-") + parts
            pool[name] = True
        for extra in ("babel-plugin-transform-es2015-parameters", "babel-plugin-transform-es2015-block-scoped-functions",
                      "babel-plugin-transform-async-generator-functions", "secretlint", "@secretlint/secretlint-rule-preset-recommend"):
            pool[extra] = True
        self.npm_pool = sorted(pool)

    def pkg_info(self, name, mirror_rate):
        r = self.r
        ver = (r.randint(0, 12), r.randint(0, 30), r.randint(0, 20))
        return [ver, r.random() < 0.5, r.random() < mirror_rate, r.randrange(1500000000000, 1700000000000),
                "sha512-" + base64.b64encode(self.rb.randbytes(64)).decode(), self.hexs(40),
                tuple(r.sample(self.npm_pool, r.choice((0, 0, 1, 2, 3, 4))))]

    def render(self, lock, name):
        ver, dev, mirror, ts, integ, sha1, deps = lock.pk[name]
        v = "%d.%d.%d" % ver
        base = name.rsplit("/", 1)[-1]
        if mirror:
            enc = name.replace("@", "%40").replace("/", "%2F")
            url = (f"https://registry.npm.taobao.org/{name}/download/{name}-{v}.tgz?cache=0&sync_timestamp={ts}"
                   f"&other_urls=https%3A%2F%2Fregistry.npmjs.org%2F{enc}%2F-%2F{base}-{v}.tgz")
        elif lock.style == "npm":
            url = f"https://registry.npmjs.org/{name}/-/{base}-{v}.tgz"
        else:
            url = f"https://registry.yarnpkg.com/{name}/-/{base}-{v}.tgz"
        if lock.style == "npm":
            s = f"    \"{name}\": {{\n      \"version\": \"{v}\",\n      \"resolved\": \"{url}\",\n      \"integrity\": \"{integ}\""
            if dev:
                s += ",\n      \"dev\": true"
            if deps:
                s += ",\n      \"requires\": {\n" + ",\n".join(
                    f"        \"{d}\": \"^{ver[0]}.{(ver[1] + i) % 20}.0\"" for i, d in enumerate(deps)) + "\n      }"
            s += "\n    }"
        else:
            spec = f"{name}@^{ver[0]}.{ver[1]}.0, {name}@^{ver[0]}.{max(0, ver[1] - 1)}.{ver[2]}"
            if name.startswith("@"):
                spec = f"\"{name}@^{ver[0]}.{ver[1]}.0\", \"{name}@^{ver[0]}.{max(0, ver[1] - 1)}.{ver[2]}\""
            s = f"{spec}:\n  version \"{v}\"\n  resolved \"{url}#{sha1}\"\n  integrity {integ}\n"
            if deps:
                s += "  dependencies:\n" + "".join(f"    {d} \"^{ver[0]}.{(ver[1] + i) % 20}.0\"\n" for i, d in enumerate(deps))
        b = s.encode()
        for run in ALPHABET_RUN.findall(b):
            self.note_run(run.decode(), lock.style + "-lock")
        lock.blocks[name] = b

    def new_lock(self, style, n):
        lock = Lock(style)
        for name in sorted(self.r.sample(self.npm_pool, n)):
            lock.names.append(name)
            lock.pk[name] = self.pkg_info(name, 0.2)
            self.render(lock, name)
        return lock

    def bumped(self, lock):
        """A copy of lock with a dependency update applied; returns (lock, message)."""
        r = self.r
        new = lock.copy()
        k = r.random()
        if k < 0.04:
            picks = r.sample(new.names, max(1, len(new.names) // r.randint(8, 20)))
            msg = "Update frontend dependencies (npm update)"
        elif k < 0.2:
            picks, added = [], []
            for _ in range(r.randint(1, 8)):
                name = r.choice(self.npm_pool)
                if name not in new.pk:
                    bisect.insort(new.names, name)
                    new.pk[name] = self.pkg_info(name, 0.2)
                    self.render(new, name)
                    added.append(name)
            msg = "Add %s" % (added[0] if added else r.choice(new.names))
            if r.random() < 0.25 and len(new.names) > 50:
                gone = r.choice(new.names)
                new.names.remove(gone)
                del new.pk[gone], new.blocks[gone]
                msg += ", remove %s" % gone
        else:
            picks = r.sample(new.names, r.randint(1, 3))
            msg = None
        for name in picks:
            old = new.pk[name]
            ver = old[0]
            if r.random() < 0.8:
                ver = (ver[0], ver[1], ver[2] + 1)
            else:
                ver = (ver[0], ver[1] + 1, 0)
            new.pk[name] = [ver, old[1], old[2], r.randrange(1500000000000, 1700000000000),
                            "sha512-" + base64.b64encode(self.rb.randbytes(64)).decode(), self.hexs(40), old[6]]
            self.render(new, name)
        if msg is None:
            name = picks[0]
            msg = "Bump %s from %d.%d.%d to %d.%d.%d" % ((name,) + lock.pk[name][0] + new.pk[name][0])
            if len(picks) > 1:
                msg += " and %d others" % (len(picks) - 1)
        return new, msg

    # ------------------------------------------------------------ app layout

    def reg_add(self, app, cat, path):
        lst = self.reg.setdefault((app, cat), [])
        if path not in lst:
            lst.append(path)

    def pick(self, br, app, cat):
        lst = self.reg.get((app, cat), ())
        for _ in range(6):
            if not lst:
                return None
            p = self.r.choice(lst)
            if p in br.files:
                return p
        return None

    def pyc_app(self, app):
        return APP_NAMES.index(app) % 4 == 1 if app in APP_NAMES else False

    def pyc_path(self, path):
        d, f = path.rsplit("/", 1)
        return "%s/__pycache__/%s.cpython-37.pyc" % (d, f[:-3])

    def with_pyc(self, app, changes):
        if self.pyc_app(app):
            for p, m in list(changes.items()):
                if p.endswith(".py") and m is not None:
                    changes[self.pyc_path(p)] = self.pyc(m)
        return changes

    def module(self, app, name):
        head = (f"\"\"\"{self.sentence()}.\"\"\"\nimport logging\nfrom datetime import timedelta\n\n"
                f"from django.db import IntegrityError, models\nfrom django.shortcuts import get_object_or_404\n"
                f"from django.urls import reverse\nfrom django.utils import timezone\n\n"
                f"from apps.{app}.models import *  # noqa\n\nlogger = logging.getLogger(__name__)\n")
        return self.text(head, "py", self.r.randint(2, 22))

    def migration(self, app, n, prev):
        r = self.r
        ops = []
        for _ in range(r.randint(1, 8)):
            k = r.randrange(3)
            if k == 0:
                ops.append(f"        migrations.AddField(\n            model_name=\"{r.choice(WORDS)}\",\n"
                           f"            name=\"{self.ident(1, 2)}\",\n"
                           f"            field=models.CharField(blank=True, max_length={r.choice([32, 64, 120, 255])}),\n"
                           f"        ),\n")
            elif k == 1:
                ops.append(f"        migrations.AlterField(\n            model_name=\"{r.choice(WORDS)}\",\n"
                           f"            name=\"{self.ident(1, 2)}\",\n"
                           f"            field=models.IntegerField(default={r.randint(0, 9)}),\n        ),\n")
            else:
                fields = "".join(f"                (\"{self.ident(1, 2)}\", models.{r.choice(MODEL_FIELDS)}),\n"
                                 for _ in range(r.randint(2, 8)))
                ops.append(f"        migrations.CreateModel(\n            name=\"{self.camel()}\",\n            fields=[\n"
                           f"                (\"id\", models.BigAutoField(primary_key=True, serialize=False)),\n"
                           f"{fields}            ],\n        ),\n")
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime(self.t))
        dep = f"        (\"{app}\", \"{prev}\"),\n" if prev else ""
        s = (f"# Generated by Django {r.choice(['1.11.29', '2.2.28', '3.2.18', '4.2.7'])} on {when}\n\n"
             f"from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n"
             f"    dependencies = [\n{dep}    ]\n\n    operations = [\n{''.join(ops)}    ]\n")
        return Text(self.lines_of(s), "py", 10**6)

    def scaffold(self, app):
        """The files of a new app, as changes."""
        r, ch = self.r, {}
        base = "apps/%s" % app
        ch[base + "/__init__.py"] = Text([], "py", 10**6)
        ch[base + "/apps.py"] = Text(self.lines_of(
            f"from django.apps import AppConfig\n\n\nclass {app.capitalize()}Config(AppConfig):\n"
            f"    default_auto_field = \"django.db.models.BigAutoField\"\n    name = \"apps.{app}\"\n"), "py", 10**6)
        for mod in ("models", "views", "urls", "admin", "forms", "serializers", "tasks", "services"):
            p = "%s/%s.py" % (base, mod)
            ch[p] = self.module(app, mod)
            self.reg_add(app, "mod", p)
        ch[base + "/migrations/__init__.py"] = Text([], "py", 10**6)
        self.mig_no[app] = 1
        p = "%s/migrations/0001_initial.py" % base
        ch[p] = self.migration(app, 1, None)
        self.reg_add(app, "mig", p)
        ch[base + "/tests/__init__.py"] = Text([], "py", 10**6)
        for t in ("models", "views", "api"):
            p = "%s/tests/test_%s.py" % (base, t)
            ch[p] = self.module(app, "test_" + t)
            self.reg_add(app, "test", p)
        for t in ("list", "detail", "form"):
            p = "%s/templates/%s/%s.html" % (base, app, t)
            head = ("{%% extends \"base.html\" %%}\n{%% load i18n static %%}\n\n"
                    "{%% block title %%}%s{%% endblock %%}\n\n{%% block content %%}\n" % app.capitalize())
            ch[p] = self.text(head, "html", r.randint(5, 40))
            self.reg_add(app, "tpl", p)
        p = "%s/static/%s/js/%s.js" % (base, app, app)
        ch[p] = self.text("'use strict';\n\n", "js", r.randint(5, 50))
        self.reg_add(app, "js", p)
        p = "%s/static/%s/css/%s.css" % (base, app, app)
        ch[p] = self.text("/* %s */\n\n" % app, "css", r.randint(5, 60))
        self.reg_add(app, "css", p)
        for name in ("logo.png", "banner.jpg", "placeholder.png"):
            p = "%s/static/%s/img/%s" % (base, app, name)
            ch[p] = self.image(p, self.rand_size(9000, 1.0, 400, 250000))
            self.reg_add(app, "img", p)
        return self.with_pyc(app, ch)

    # ------------------------------------------------------------ work kinds

    def pick_app(self, br):
        if br.focus and self.r.random() < 0.7 and br.focus in br.apps:
            return br.focus
        return self.r.choice(br.apps)

    def w_code(self, br):
        app = self.pick_app(br)
        ch = {}
        for _ in range(self.r.choice((1, 1, 1, 2, 2, 3))):
            p = self.pick(br, app, "mod")
            if p:
                ch[p] = self.edited(br.files[p])
        if self.r.random() < 0.06:
            p = "apps/%s/%s.py" % (app, self.ident(1, 2))
            if p not in br.files:
                ch[p] = self.module(app, p)
                self.reg_add(app, "mod", p)
        verb = self.r.choice(VERBS)
        return self.with_pyc(app, ch), "%s %s %s in %s" % (verb, self.r.choice(WORDS), self.r.choice(WORDS), app)

    def w_tests(self, br):
        app = self.pick_app(br)
        ch = {}
        if self.r.random() < 0.25:
            p = "apps/%s/tests/test_%s.py" % (app, self.ident(1, 2))
            if p not in br.files:
                ch[p] = self.module(app, p)
                self.reg_add(app, "test", p)
        for _ in range(self.r.choice((1, 1, 2))):
            p = self.pick(br, app, "test")
            if p:
                ch[p] = self.edited(br.files[p])
        return self.with_pyc(app, ch), "Test %s %s" % (self.r.choice(WORDS), self.r.choice(WORDS))

    def w_templates(self, br):
        app = self.pick_app(br)
        ch = {}
        if self.r.random() < 0.15:
            p = "apps/%s/templates/%s/%s.html" % (app, app, self.ident(1, 2))
            if p not in br.files:
                ch[p] = self.text("{% extends \"base.html\" %}\n{% block content %}\n", "html", self.r.randint(5, 30))
                self.reg_add(app, "tpl", p)
        for _ in range(self.r.choice((1, 1, 2))):
            p = self.pick(br, app, "tpl")
            if p:
                ch[p] = self.edited(br.files[p])
        return ch, "%s %s template" % (self.r.choice(VERBS), app)

    def w_static(self, br):
        r = self.r
        if r.random() < 0.3:
            p = r.choice(("static/js/app.js", "static/css/main.css"))
        else:
            app = self.pick_app(br)
            p = self.pick(br, app, r.choice(("js", "css")))
        if not p or p not in br.files:
            return {}, ""
        return {p: self.edited(br.files[p])}, "%s %s styles and scripts" % (r.choice(VERBS), r.choice(WORDS))

    def w_images(self, br):
        r = self.r
        ch = {}
        for _ in range(r.choice((1, 1, 1, 2, 3))):
            large = r.random() < 0.007
            size = self.rand_size(900000, 0.7, 300000, 3200000) if large else self.rand_size(5000, 1.0, 300, 250000)
            if r.random() < 0.5:
                app = self.pick_app(br)
                p = "apps/%s/static/%s/img/%s_%d.%s" % (app, app, r.choice(WORDS), r.randint(1, 999),
                                                        r.choice(("png", "png", "jpg", "gif")))
                if large:
                    p = "static/img/photos/%s-%s-%d.jpg" % (r.choice(WORDS), r.choice(WORDS), r.randint(1, 9999))
                self.reg_add(app, "img", p)
            else:
                app = self.pick_app(br)
                p = self.pick(br, app, "img")
                if not p:
                    continue
            ch[p] = self.image(p, size)
        return ch, "%s %s images" % (r.choice(("Add", "Update", "Replace", "Optimise")), r.choice(WORDS))

    def w_migration(self, br):
        app = self.pick_app(br)
        n = self.mig_no.get(app, 1) + 1
        self.mig_no[app] = n
        prev = self.reg.get((app, "mig"), ["x/0001_initial.py"])[-1].rsplit("/", 1)[1][:-3]
        p = "apps/%s/migrations/%04d_%s.py" % (app, n, self.ident(1, 3))
        self.reg_add(app, "mig", p)
        ch = {p: self.migration(app, n, prev)}
        mp = "apps/%s/models.py" % app
        if mp in br.files:
            ch[mp] = self.edited(br.files[mp])
        return self.with_pyc(app, ch), "Add %s %s to %s" % (self.r.choice(WORDS), self.r.choice(WORDS), app)

    def w_docs(self, br):
        r = self.r
        docs = [p for p in self.reg.get(("", "doc"), ()) if p in br.files]
        if not docs:
            return {}, ""
        if r.random() < 0.05:
            p = "docs/%s.rst" % self.ident(1, 2)
            if p not in br.files:
                t = self.sentence(2, 4)
                self.reg_add("", "doc", p)
                return {p: self.text("%s\n%s\n\n" % (t, "=" * len(t)), "doc", r.randint(10, 80))}, "Document %s" % t.lower()
        p = r.choice(docs)
        return {p: self.edited(br.files[p], r.randint(1, 4))}, "docs: %s" % self.sentence(2, 6).lower()

    def w_npm(self, br):
        p = "package-lock.json"
        if p not in br.files:
            return {}, ""
        new, msg = self.bumped(br.files[p])
        ch = {p: new}
        if "package.json" in br.files and self.r.random() < 0.5:
            ch["package.json"] = self.edited(br.files["package.json"], 1)
        return ch, msg

    def w_yarn(self, br):
        p = "frontend/yarn.lock"
        if p not in br.files:
            return {}, ""
        new, msg = self.bumped(br.files[p])
        ch = {p: new}
        if "frontend/package.json" in br.files and self.r.random() < 0.5:
            ch["frontend/package.json"] = self.edited(br.files["frontend/package.json"], 1)
        return ch, "frontend: " + msg

    def w_requirements(self, br):
        r = self.r
        p = r.choice(("requirements.txt", "requirements.txt", "requirements/prod.txt", "requirements/dev.txt"))
        if p not in br.files:
            return {}, ""
        return {p: self.edited(br.files[p], r.randint(1, 3))}, "Bump %s to %d.%d.%d" % (
            r.choice(PY_PACKAGES), r.randint(0, 6), r.randint(0, 30), r.randint(0, 15))

    def changelog_entry(self):
        r = self.r
        if r.random() < 0.04:
            return r.choice((
                "- Read SECRET_KEY from the environment in every settings module.\n",
                "- Document how to rotate the secret key without logging users out.\n",
                "- Stop showing secret settings on the debug page.\n",
                "- Fix the secret-key fallback used by the test settings.\n",
                "- Add SECRET_KEY_FALLBACKS support to the deployment guide.\n"))
        return "- %s %s (#%d).\n" % (r.choice(VERBS), self.words(r.randint(3, 10)), r.randint(100, 9999))

    def changelog_add(self, m, entries, release=None):
        new = m.copy()
        L = new.lines
        i = L.index(b"## Unreleased\n") + 2
        if release:
            day = time.strftime("%Y-%m-%d", time.gmtime(self.t))
            L[i - 2:i] = [b"## Unreleased\n", b"\n", ("## %s - %s\n" % (release, day)).encode(), b"\n"]
        L[i:i] = [e.encode() for e in entries]
        return new, i

    def w_changelog(self, br):
        r = self.r
        p = "CHANGELOG.md"
        if p not in br.files:
            return {}, ""
        entries = [self.changelog_entry() for _ in range(r.choice((1, 1, 2, 3)))]
        release = None
        if r.random() < 0.08:
            self.minor = getattr(self, "minor", 0) + 1
            release = "%d.%d.%d" % (1 + self.minor // 40, (self.minor // 5) % 8, self.minor % 5)
        new, _ = self.changelog_add(br.files[p], entries, release)
        ch = {p: new}
        if not release and r.random() < 0.6:
            more, _ = self.w_code(br)
            ch.update(more)
        return ch, ("Release %s" % release) if release else entries[0][2:].split(" (#")[0].rstrip(".\n")

    def w_settings(self, br):
        p = "config/settings/base.py" if self.r.random() < 0.85 else "config/settings/dev.py"
        if p not in br.files:
            p = "config/settings/base.py"
        if p not in br.files:
            return {}, ""
        return {p: self.edited(br.files[p])}, "settings: %s" % self.sentence(2, 6).lower()

    def w_i18n(self, br):
        ch = {}
        for lang in LANGS:
            p = "locale/%s/LC_MESSAGES/django.po" % lang
            if p in br.files:
                po = self.edited(br.files[p], self.r.randint(2, 8))
                ch[p] = po
                ch[p[:-2] + "mo"] = self.mo(po)
        return ch, "Update translations"

    def w_bundle(self, br):
        r = self.r
        ch = {}
        for kind, ext in (("bundle", "js"), ("css", "css")):
            olds = [p for p in br.files if p.startswith("static/dist/main.") and p.endswith("." + ext)]
            if not olds:
                continue
            m = self.edited(br.files[olds[0]], r.randint(2, 10))
            for o in olds:
                ch[o] = None
            ch["static/dist/main.%s.%s" % (self.hexs(8), ext)] = m
        if not ch:
            return {}, ""
        return ch, "Rebuild frontend bundle"

    def w_fixtures(self, br):
        p = self.r.choice(("fixtures/demo_users.json", "fixtures/catalog.json"))
        if p not in br.files:
            return {}, ""
        return {p: self.edited(br.files[p], self.r.randint(1, 6))}, "Refresh %s fixtures" % p.split("/")[1][:-5]

    def w_config(self, br):
        r = self.r
        p = r.choice(("docker-compose.yml", ".github/workflows/ci.yml", "Dockerfile", "setup.cfg", "package.json",
                      "Makefile", ".gitignore"))
        if p not in br.files:
            return {}, ""
        m = br.files[p]
        new = self.edited(m) if m.kind in self.GEN else m.copy()
        if new.kind not in self.GEN:
            new.lines.append(("# %s\n" % self.sentence(2, 6)).encode())
        return {p: new}, "%s %s" % (r.choice(("Tweak", "Update", "Fix")), p)

    def w_refactor(self, br):
        r = self.r
        ch = {}
        for _ in range(r.randint(15, 60)):
            app = r.choice(br.apps)
            p = self.pick(br, app, r.choice(("mod", "mod", "test")))
            if p and p not in ch:
                ch[p] = self.edited(br.files[p], 1)
                if self.pyc_app(app):
                    ch[self.pyc_path(p)] = self.pyc(ch[p])
        return ch, "Refactor: %s across apps" % self.words(r.randint(2, 5))

    def w_rename(self, br):
        r = self.r
        app = self.pick_app(br)
        cat = r.choice(("tpl", "test", "img"))
        p = self.pick(br, app, cat)
        if not p:
            return {}, ""
        if cat == "img" and r.random() < 0.5:
            return {p: None}, "Remove unused image %s" % p.rsplit("/", 1)[1]
        d, f = p.rsplit("/", 1)
        ext = f.rsplit(".", 1)[1]
        q = "%s/%s_%s.%s" % (d, "test" if cat == "test" else r.choice(WORDS), self.ident(1, 2), ext)
        if q in br.files:
            return {}, ""
        self.reg_add(app, cat, q)
        ch = {p: None, q: br.files[p]}
        if cat == "test" and self.pyc_app(app):
            ch[self.pyc_path(p)] = None
            ch[self.pyc_path(q)] = self.pyc(br.files[p])
        return ch, "Rename %s to %s" % (f, q.rsplit("/", 1)[1])

    def w_fonts(self, br):
        r = self.r
        if r.random() < 0.7:
            p = "static/fonts/%s-%s.woff2" % (r.choice(("inter", "roboto", "source-sans", "lato", "ibm-plex")),
                                              r.choice(("regular", "bold", "italic", "medium", "light")))
            return {p: Bin(self.woff2(self.rand_size(35000, 0.5, 8000, 160000)))}, "Update web fonts"
        p = "static/downloads/%s-%s.zip" % (r.choice(WORDS), r.choice(WORDS))
        return {p: Bin(self.zipfile(self.rand_size(60000, 0.8, 20000, 600000), p))}, "Add %s download" % p.rsplit("/", 1)[1]

    KINDS = (("w_code", 28), ("w_tests", 12), ("w_templates", 8), ("w_static", 6), ("w_images", 5.5),
             ("w_migration", 5), ("w_docs", 3), ("w_npm", 1.9), ("w_yarn", 1.7), ("w_requirements", 1.2),
             ("w_changelog", 2.1), ("w_settings", 2.0), ("w_i18n", 0.8), ("w_bundle", 0.7),
             ("w_fixtures", 0.6), ("w_config", 1.2), ("w_refactor", 0.25), ("w_rename", 0.8), ("w_fonts", 0.4))

    def work(self, br):
        names = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        kind = self.r.choices(names, weights)[0]
        ch, msg = getattr(self, kind)(br)
        if not ch:
            kind = "w_code"
            ch, msg = self.w_code(br)
        who = self.dev()
        if kind in ("w_npm", "w_yarn") and self.r.random() < 0.7:
            who = self.dependabot if self.r.random() < 0.7 else self.renovate
        if self.r.random() < 0.15:
            msg += "\n\n" + " ".join(self.sentence(5, 14) + "." for _ in range(self.r.randint(1, 4)))
        return ch, msg, who

    # ---------------------------------------------------- branches and merges

    def pull_request(self, n=None, plant=None):
        """1-3 commits on a short-lived branch off main, merged with a merge commit."""
        r = self.r
        pr, main = self.pr, self.main
        pr.files = dict(main.files)
        pr.apps, pr.tip, pr.focus = list(main.apps), 0, None
        self.branches["pr-merge-tmp"] = pr
        touched = {}
        author = self.dev()
        first = None
        for i in range(n or r.choice((1, 1, 2, 2, 3))):
            if plant and i == 0:
                ch, msg, who = plant(pr)
            else:
                ch, msg, who = self.work(pr)
                if who not in (self.dependabot, self.renovate):
                    who = author
                else:
                    author = who
            first = first or msg.split("\n")[0]
            touched.update({p: None for p in ch})
            mark = self.commit(pr, ch, msg, who, parent=main.tip if i == 0 else 0)
            if plant and i == 0:
                plant_mark = mark
        changes = {}
        for p in touched:
            if pr.files.get(p) is not main.files.get(p):
                changes[p] = pr.files.get(p)
        self.pr_number += r.randint(1, 4)
        login = author[1].split("@")[0].split("+")[-1]
        slug = re.sub(r"[^a-z0-9]+", "-", first.lower())[:40].strip("-")
        msg = "Merge pull request #%d from %s/%s\n\n%s" % (self.pr_number, login, slug, first)
        self.commit(main, changes, msg, author, merge=pr.tip, committer=self.github)
        del self.branches["pr-merge-tmp"]
        return plant_mark if plant else None

    def fork(self, name, focus=None):
        br = Branch(name, dict(self.main.files))
        br.tip = self.main.tip
        br.base = dict(self.main.files)
        br.apps = list(self.main.apps)
        br.focus = focus
        br.alive = True
        self.branches[name] = br
        self.reset(br.ref, br.tip)
        return br

    def three_way(self, ours, theirs, base):
        changes = {}
        for p, t in theirs.items():
            b = base.get(p)
            if t is not b and ours.get(p) is b:
                changes[p] = t
        for p, b in base.items():
            if p not in theirs and ours.get(p) is b and p in ours:
                changes[p] = None
        return changes

    def merge_into_main(self, name, msg=None):
        src = self.branches[name]
        ch = self.three_way(self.main.files, src.files, src.base)
        self.commit(self.main, ch, msg or "Merge branch '%s'" % name, self.r.choice(self.maintainers), merge=src.tip)
        src.base = dict(src.files)

    def merge_main_into(self, name):
        dst = self.branches[name]
        ch = self.three_way(dst.files, self.main.files, dst.base)
        self.commit(dst, ch, "Merge branch 'main' into %s" % name, self.r.choice(self.maintainers), merge=self.main.tip)
        dst.base = dict(self.main.files)
        for a in self.main.apps:
            if a not in dst.apps:
                dst.apps.append(a)

    # ------------------------------------------------------------ planting

    def new_key(self):
        while True:
            k = "".join(self.rk.choice(ALPHABET) for _ in range(50))
            # A draw without the variety of a typical key (about 1 in
            # 10,000) is drawn again, so that no planted key depends on a
            # scanner's profile thresholds.
            if profile_like_key(k) and "ecret" not in k:
                return k

    def plant_text(self, br, path, text, line_tpl, after=None, create=None, kind="yaml", mode=b"100644"):
        """Insert line_tpl (with {K} for the key text) into path on br, after
        the first line starting with `after` (or at the end); create the file
        from `create` when missing. Returns (changes, 1-based line)."""
        m = br.files.get(path)
        if m is None:
            body = (create or "").replace("{K}", text)
            lines = body.encode().splitlines(keepends=True)
            new = Text(lines, kind, len(lines), mode)
            for i, l in enumerate(lines):
                if text.encode() in l:
                    return {path: new}, i + 1
            raise RuntimeError("key not in created file " + path)
        new = m.copy()
        ins = line_tpl.replace("{K}", text).encode().splitlines(keepends=True)
        at = len(new.lines)
        if after is not None:
            for i, l in enumerate(new.lines):
                if l.startswith(after.encode()):
                    at = i + 1
                    break
        new.lines[at:at] = ins
        if at <= new.lo:
            new.lo += len(ins)
        for j, l in enumerate(ins):
            if text.encode() in l:
                return {path: new}, at + j + 1
        raise RuntimeError("key not inserted in " + path)

    def replace_line(self, br, path, needle, repl):
        """A copy of path's model with the line holding needle replaced by
        repl (or removed when repl is None)."""
        m = br.files.get(path)
        if m is None:
            return {}
        new = m.copy()
        for i, l in enumerate(new.lines):
            if needle.encode() in l:
                if repl is None:
                    del new.lines[i]
                    if i < new.lo:
                        new.lo -= 1
                else:
                    new.lines[i] = repl.encode()
                return {path: new}
        return {}

    def add_decoy(self, mark, path, text, what):
        self.decoys.append({"mark": mark, "path": path, "text": text, "what": what})

    # ------------------------------------------------------------- the plan

    def settings_module(self, key_text):
        apps = "".join("    'apps.%s',\n" % a for a in self.main.apps)
        return (
            "\"\"\"\nDjango settings for shopfloor project.\n\nGenerated by 'django-admin startproject' using Django 1.11.29.\n\"\"\"\n\n"
            "import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n\n\n"
            "# Quick-start development settings - unsuitable for production\n"
            "# See https://docs.djangoproject.com/en/1.11/howto/deployment/checklist/\n\n"
            "# SECURITY WARNING: keep the secret key used in production secret!\n"
            "SECRET_KEY = '%s'\n\n# SECURITY WARNING: don't run with debug turned on in production!\nDEBUG = True\n\n"
            "ALLOWED_HOSTS = []\n\n\n# Application definition\n\nINSTALLED_APPS = [\n"
            "    'django.contrib.admin',\n    'django.contrib.auth',\n    'django.contrib.contenttypes',\n"
            "    'django.contrib.sessions',\n    'django.contrib.messages',\n    'django.contrib.staticfiles',\n%s]\n\n"
            "MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n"
            "    'django.contrib.sessions.middleware.SessionMiddleware',\n    'django.middleware.common.CommonMiddleware',\n"
            "    'django.middleware.csrf.CsrfViewMiddleware',\n    'django.contrib.auth.middleware.AuthenticationMiddleware',\n"
            "    'django.contrib.messages.middleware.MessageMiddleware',\n]\n\nROOT_URLCONF = 'shopfloor.urls'\n\n"
            "TEMPLATES = [\n    {\n        'BACKEND': 'django.template.backends.django.DjangoTemplates',\n"
            "        'DIRS': [os.path.join(BASE_DIR, 'templates')],\n        'APP_DIRS': True,\n    },\n]\n\n"
            "WSGI_APPLICATION = 'shopfloor.wsgi.application'\n\nDATABASES = {\n    'default': {\n"
            "        'ENGINE': 'django.db.backends.postgresql',\n        'NAME': 'shopfloor',\n    }\n}\n\n"
            "LANGUAGE_CODE = 'en-us'\nTIME_ZONE = 'UTC'\nUSE_I18N = True\nUSE_L10N = True\nUSE_TZ = True\n\n"
            "STATIC_URL = '/static/'\nSTATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')\n" % (key_text, apps))

    def add_installed_app(self, m, app):
        new = m.copy()
        i = new.lines.index(b"INSTALLED_APPS = [\n")
        j = new.lines.index(b"]\n", i)
        new.lines[j:j] = [b"    'apps.%s',\n" % app.encode()]
        new.lo += 1
        return new

    def conf(self, s, mode=b"100644", kind="conf"):
        lines = s.encode().splitlines(keepends=True)
        return Text(lines, kind, len(lines), mode)

    def ev_init(self):
        r = self.r
        self.main.apps = ["core", "accounts", "catalog", "orders", "payments", "api"]
        ch = {}
        key = self.new_key()
        self.key_bytes.append(key.encode())
        ch["manage.py"] = self.conf(
            "#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == \"__main__\":\n"
            "    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shopfloor.settings\")\n"
            "    from django.core.management import execute_from_command_line\n\n"
            "    execute_from_command_line(sys.argv)\n", b"100755")
        ch["shopfloor/__init__.py"] = Text([], "py", 10**6)
        settings = self.conf(self.settings_module(key), kind="settings")
        ch["shopfloor/settings.py"] = settings
        line = next(i for i, l in enumerate(settings.lines) if key.encode() in l) + 1
        ch["shopfloor/urls.py"] = self.conf("from django.conf.urls import include, url\n"
                                            "from django.contrib import admin\n\nurlpatterns = [\n"
                                            "    url(r'^admin/', admin.site.urls),\n]\n")
        ch["shopfloor/wsgi.py"] = self.conf("import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                                            "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shopfloor.settings\")\n"
                                            "\napplication = get_wsgi_application()\n")
        ch["requirements.txt"] = self.text("Django==1.11.29\n", "req", 30)
        ch["README.md"] = self.text("# shopfloor\n\nThe shop floor: catalogue, orders, payments and fulfilment.\n\n", "doc", 25)
        ch[".gitignore"] = self.conf("*.log\nnode_modules/\nstaticfiles/\nmedia/\n.idea/\n.vscode/\n")
        ch["CHANGELOG.md"] = self.conf("# Changelog\n\nAll notable changes to this project are documented here.\n\n"
                                       "## Unreleased\n\n", kind="changelog")
        ch["setup.cfg"] = self.conf("[flake8]\nmax-line-length = 120\nexclude = migrations,node_modules\n\n[isort]\nprofile = black\n")
        ch["Makefile"] = self.conf("test:\n\tpython manage.py test\n\nlint:\n\tflake8 apps config\n")
        ch["Dockerfile"] = self.conf("FROM python:3.7-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                     "RUN pip install -r requirements.txt\nCOPY . .\n"
                                     "CMD [\"gunicorn\", \"shopfloor.wsgi\"]\n")
        ch["templates/base.html"] = self.text("<!doctype html>\n{% load static %}\n<html lang=\"en\">\n<head>\n"
                                              "  <meta charset=\"utf-8\">\n", "html", 30)
        ch["static/css/main.css"] = self.text("/* shopfloor */\n", "css", 200)
        ch["static/js/app.js"] = self.text("'use strict';\n", "js", 120)
        for name in ("logo.png", "favicon.png", "hero.jpg", "spinner.gif"):
            ch["static/img/" + name] = self.image(name, self.rand_size(12000, 1.0, 500, 250000))
        ch["package.json"] = self.text("{\n  \"name\": \"shopfloor\",\n  \"private\": true,\n  \"dependencies\": {\n", "pkgjson", 40)
        ch["package-lock.json"] = self.new_lock("npm", 1300)
        for app in self.main.apps:
            ch.update(self.scaffold(app))
        mark = self.commit(self.main, ch, "Initial import", self.devs[0])
        self.keys.append({"id": "K01", "secret": key, "text": key, "mark": mark, "path": "shopfloor/settings.py",
                          "line": line, "branch": "main", "form": "settings-literal (startproject)",
                          "paths": ["shopfloor/settings.py"]})

    def ev_restructure(self):
        m = self.main.files
        old = m["shopfloor/settings.py"]
        base = old.copy()
        base.kind = "settings"
        base.lines = [l.replace(b"'shopfloor.", b"'config.") for l in base.lines]
        base.lines.append(b"\n\n# Project settings\n\n")
        base.lo = len(base.lines)
        base.lines += self.gen("settings") + self.gen("settings")
        ch = {p: None for p in ("shopfloor/settings.py", "shopfloor/urls.py", "shopfloor/wsgi.py", "shopfloor/__init__.py")}
        ch["config/__init__.py"] = Text([], "py", 10**6)
        ch["config/settings/__init__.py"] = Text([], "py", 10**6)
        ch["config/settings/base.py"] = base
        ch["config/settings/test.py"] = self.conf("from .base import *  # noqa\n\n"
                                                  "PASSWORD_HASHERS = [\"django.contrib.auth.hashers.MD5PasswordHasher\"]\n"
                                                  "EMAIL_BACKEND = \"django.core.mail.backends.locmem.EmailBackend\"\n", kind="settings")
        ch["config/settings/prod.py"] = self.conf("import os\n\nfrom .base import *  # noqa\n\nDEBUG = False\n"
                                                  "ALLOWED_HOSTS = os.environ.get(\"ALLOWED_HOSTS\", \"\").split(\",\")\n"
                                                  "SECURE_SSL_REDIRECT = True\nSESSION_COOKIE_SECURE = True\n"
                                                  "CSRF_COOKIE_SECURE = True\n", kind="settings")
        routes = "".join("    path(\"%s/\", include(\"apps.%s.urls\")),\n" % (a, a) for a in self.main.apps)
        ch["config/urls.py"] = self.conf("from django.contrib import admin\nfrom django.urls import include, path\n\n"
                                         "urlpatterns = [\n    path(\"admin/\", admin.site.urls),\n" + routes + "]\n")
        ch["config/wsgi.py"] = self.conf("import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
                                         "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.prod\")\n"
                                         "\napplication = get_wsgi_application()\n")
        mp = m["manage.py"].copy()
        mp.lines = [l.replace(b"shopfloor.settings", b"config.settings.dev") for l in mp.lines]
        ch["manage.py"] = mp
        self.commit(self.main, ch, "Split settings into config/settings/{base,dev,test,prod}", self.devs[1])
        self.keys[0]["paths"].append("config/settings/base.py")

    def ev_add_app(self, app):
        br = self.main
        br.apps.append(app)
        ch = self.scaffold(app)
        ch["config/settings/base.py"] = self.add_installed_app(br.files["config/settings/base.py"], app)
        urls = br.files.get("config/urls.py")
        if urls is not None:
            u = urls.copy()
            u.lines[-1:-1] = [b"    path(\"%s/\", include(\"apps.%s.urls\")),\n" % (app.encode(), app.encode())]
            ch["config/urls.py"] = u
        self.commit(br, ch, "Add %s app" % app, self.dev())

    def ev_files(self, msg, ch, who=None, decoy=None):
        mark = self.commit(self.main, ch, msg, who or self.dev())
        if decoy:
            self.add_decoy(mark, *decoy)
        return mark

    def ev_docs(self):
        ch = {}
        for name in ("index", "install", "deployment", "api", "architecture", "operations"):
            p = "docs/%s.rst" % name
            t = name.capitalize()
            ch[p] = self.text("%s\n%s\n\n" % (t, "=" * len(t)), "doc", self.r.randint(30, 120))
            self.reg_add("", "doc", p)
        ch["docs/changelog.md"] = Text([b"../CHANGELOG.md"], "link", 10**6, b"120000")
        self.ev_files("Add documentation", ch)

    def ev_fixtures(self):
        ch = {p: self.text("[\n", "json", self.r.randint(300, 600)) for p in ("fixtures/demo_users.json", "fixtures/catalog.json")}
        mark = self.ev_files("Add demo fixtures", ch)
        self.add_decoy(mark, "fixtures/demo_users.json", "pbkdf2_sha256$260000$...", "password hashes")

    def ev_ci(self):
        ch = {".github/workflows/ci.yml": self.conf(
            "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n"
            "      DJANGO_SETTINGS_MODULE: config.settings.test\n      DATABASE_URL: postgres://postgres:postgres@localhost:5432/test\n"
            "    services:\n      postgres:\n        image: postgres:13\n        env:\n          POSTGRES_PASSWORD: postgres\n"
            "        ports: [\"5432:5432\"]\n    steps:\n      - uses: actions/checkout@v3\n      - uses: actions/setup-python@v4\n"
            "        with:\n          python-version: \"3.11\"\n      - run: pip install -r requirements.txt\n"
            "      - run: python manage.py test\n", kind="yaml")}
        self.ev_files("Add CI workflow", ch)

    def ev_frontend(self):
        ch = {"frontend/package.json": self.text("{\n  \"name\": \"shopfloor-frontend\",\n  \"private\": true,\n"
                                                 "  \"dependencies\": {\n", "pkgjson", 60),
              "frontend/yarn.lock": self.new_lock("yarn", 1500)}
        for name in ("main", "router", "store", "api", "components"):
            ch["frontend/src/%s.js" % name] = self.text("import Vue from 'vue';\n\n", "js", self.r.randint(20, 120))
        self.ev_files("Add the single-page frontend", ch)

    def ev_bundle(self):
        ch = {"static/dist/main.%s.js" % self.hexs(8): Text([], "bundle", 0),
              "static/dist/main.%s.css" % self.hexs(8): Text([], "css", 0),
              "static/dist/vendor.%s.js" % self.hexs(8): Text([], "bundle", 0)}
        for p, m in ch.items():
            n = 700 if "main" in p and p.endswith(".js") else 1400 if p.endswith(".css") else 450
            for _ in range(n):
                m.lines += self.gen(m.kind)
        self.ev_files("Commit the built bundle for deployments without node", ch)

    def ev_compose(self):
        self.ev_files("Add docker-compose for local development", {"docker-compose.yml": self.conf(
            "version: \"3.8\"\nservices:\n  db:\n    image: postgres:13\n    environment:\n      POSTGRES_DB: shopfloor\n"
            "      POSTGRES_PASSWORD: changeme\n  redis:\n    image: redis:6\n  web:\n    build: .\n"
            "    command: python manage.py runserver 0.0.0.0:8000\n    environment:\n      DEBUG: \"1\"\n"
            "      DATABASE_URL: postgres://postgres:changeme@db:5432/shopfloor\n    ports:\n      - \"8000:8000\"\n"
            "    depends_on: [db, redis]\n", kind="yaml")},
            decoy=("docker-compose.yml", "POSTGRES_PASSWORD: changeme", "a database password placeholder, not a Django key"))

    def ev_locale(self):
        ch = {}
        for lang in LANGS:
            p = "locale/%s/LC_MESSAGES/django.po" % lang
            po = self.text("# shopfloor translations\nmsgid \"\"\nmsgstr \"\"\n\"Language: %s\\n\"\n"
                           "\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n" % lang, "po", 900)
            ch[p] = po
            ch[p[:-2] + "mo"] = self.mo(po)
        self.ev_files("Add translations", ch)

    def ev_celery(self):
        self.ev_files("Add Celery", {"config/celery.py": self.conf(
            "import os\n\nfrom celery import Celery\n\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings.prod\")\n\n"
            "app = Celery(\"shopfloor\")\napp.config_from_object(\"django.conf:settings\", namespace=\"CELERY\")\n"
            "app.autodiscover_tasks()\n", kind="settings")})

    def ev_requirements(self):
        self.ev_files("Pin production requirements with hashes", {
            "requirements/prod.txt": self.text("#\n# This file is autogenerated by pip-compile\n#\n", "req", 60),
            "requirements/dev.txt": self.text("-r prod.txt\n", "req", 15)})

    def ev_keychars(self):
        self.ev_files("Add a management command to make keys", {"apps/core/utils/keys.py": self.conf(
            "from django.utils.crypto import get_random_string\n\nKEY_CHARS = \"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)\"\n\n\n"
            "def make_key():\n    return get_random_string(50, KEY_CHARS)\n")},
            decoy=("apps/core/utils/keys.py", "KEY_CHARS = \"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)\"", "the key alphabet"))

    def ev_settings_template(self):
        self.ev_files("Add a settings template for new deployments", {"docs/templates/settings.py.tpl": self.conf(
            "from config.settings.base import *  # noqa\n\nSECRET_KEY = \"{{ secret_key }}\"\nALLOWED_HOSTS = [\"{{ host }}\"]\n")},
            decoy=("docs/templates/settings.py.tpl", "SECRET_KEY = \"{{ secret_key }}\"", "template placeholder"))

    def ev_stripe(self):
        p = "config/settings/base.py"
        ch = {p: self.edited(self.main.files[p], 1)}
        new = ch[p]
        new.lines.append(b"STRIPE_SECRET_KEY = os.environ.get(\"STRIPE_SECRET_KEY\", \"sk_test_%s\")\n" % self.alnum(24).encode())
        self.ev_files("Configure Stripe", ch, decoy=(
            p, "STRIPE_SECRET_KEY = os.environ.get(\"STRIPE_SECRET_KEY\", \"sk_test_...\")", "another service's key"))

    def ev_huge(self, br_name, path, size, kind, msg):
        br = self.branches[br_name]
        if size is None:
            ch = {path: None}
        elif kind == "zip":
            ch = {path: Bin(self.zipfile(size, path))}
        elif kind == "gz":
            ch = {path: Bin(b"\x1f\x8b\x08\x00" + struct.pack("<I", self.t & 0xFFFFFFFF) + b"\x00\x03" + self.rb.randbytes(size - 10))}
        else:
            ch = {path: Bin(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + self.rb.randbytes(size - 32))}
        self.commit(br, ch, msg, self.dev())

    def ev_tag(self, name, br_name, annotated):
        br = self.branches[br_name]
        msg = "Release %s\n" % name[1:] if annotated else None
        self.tag(name, br.tip, self.maintainers[0], msg)

    # A planted key: make(br, key) returns (changes, path, line, text, msg);
    # the key is drawn here so that the draw order is fixed by the plan.
    def plant(self, kid, branch, form, make, via_pr=False, insecure=False):
        key = self.new_key()
        secret = "django-insecure-" + key if insecure else key
        rec = {}

        def body(br):
            ch, path, line, text, msg = make(br, secret)
            self.key_bytes.append(text.encode())
            rec.update(path=path, line=line, text=text)
            return ch, msg, self.dev()

        self.pending_decoy = None
        if via_pr:
            mark = self.pull_request(plant=body)
        else:
            br = self.branches[branch]
            ch, msg, who = body(br)
            mark = self.commit(br, ch, msg, who)
        if self.pending_decoy:
            self.add_decoy(mark, *self.pending_decoy)
        self.keys.append({"id": kid, "secret": secret, "text": rec["text"], "mark": mark, "path": rec["path"],
                          "line": rec["line"], "branch": branch, "form": form, "paths": [rec["path"]]})

    def key(self, kid):
        return next(k for k in self.keys if k["id"] == kid)

    def unplant(self, kid, branch, msg, path=None, repl=None, delete=False, extra=None, decoy=None, weak=None):
        k = self.key(kid)
        br = self.branches[branch]
        p = path or k["path"]
        if delete:
            ch = {p: None} if p in br.files else {}
        else:
            ch = self.replace_line(br, p, k["text"], repl)
        if extra:
            ch.update(extra(br))
        if not ch:
            return
        mark = self.commit(br, ch, msg, self.dev())
        k.setdefault("removed_by", []).append(mark)
        if decoy:
            self.add_decoy(mark, p, decoy[0], decoy[1])
        if weak:
            self.weak.append({"mark": mark, "path": weak[0], "text": weak[1], "what": weak[2]})

    def plan(self):
        S = self.steps
        ev = []

        def at(f, fn, *a, **kw):
            ev.append((max(1, min(S - 1, int(f * S))), len(ev), (fn, a, kw)))

        at(0.02, self.ev_docs)
        at(0.03, self.ev_restructure)
        at(0.04, self.ev_fixtures)
        at(0.045, self.ev_requirements)
        at(0.05, self.ev_ci)
        at(0.06, self.ev_frontend)
        at(0.08, self.ev_bundle)
        at(0.085, self.ev_compose)
        at(0.10, self.ev_locale)
        at(0.10, self.ev_celery)
        at(0.15, self.ev_keychars)
        at(0.41, self.ev_stripe)
        at(0.50, self.ev_settings_template)
        extra = [a for a in APP_NAMES if a not in ("core", "accounts", "catalog", "orders", "payments", "api")]
        n_new = min(len(extra), max(4, round(44 * self.scale)))
        for i in range(n_new):
            at(0.05 + 0.85 * i / max(1, n_new - 1), self.ev_add_app, extra[i])

        # Branches, merges and tags.
        at(0.08, self.ev_tag, "v0.9.0", "main", False)
        at(0.12, self.fork, "staging")
        for i in range(24):
            at(0.16 + 0.035 * i, self.merge_main_into, "staging")
        at(0.30, self.ev_tag, "v1.0.0", "main", True)
        at(0.30, self.fork, "release/1.x")
        at(0.34, self.merge_into_main, "release/1.x")
        at(0.36, self.ev_tag, "v1.0.1", "release/1.x", False)
        at(0.40, self.merge_into_main, "release/1.x")
        at(0.465, self.ev_tag, "v1.1.0", "release/1.x", True)
        at(0.47, self.merge_into_main, "release/1.x")
        at(0.471, self.stop, "release/1.x")
        at(0.38, self.fork, "feature/payments-v2", "payments")
        at(0.45, self.merge_main_into, "feature/payments-v2")
        at(0.56, self.merge_into_main, "feature/payments-v2", "Merge branch 'feature/payments-v2'\n\n"
                                                              "Payments v2: new provider abstraction.")
        at(0.561, self.stop, "feature/payments-v2")
        at(0.50, self.fork, "feature/graphql-api", "api")
        at(0.68, self.stop, "feature/graphql-api")
        at(0.62, self.ev_tag, "v2.0.0", "main", True)
        at(0.62, self.fork, "release/2.x")
        at(0.66, self.merge_into_main, "release/2.x")
        at(0.70, self.ev_tag, "v2.0.1", "release/2.x", False)
        at(0.74, self.merge_into_main, "release/2.x")
        at(0.84, self.ev_tag, "v2.1.0", "release/2.x", True)
        at(0.85, self.stop, "release/2.x")
        at(0.80, self.fork, "experiment/celery-5", "core")
        at(0.92, self.stop, "experiment/celery-5")
        at(0.95, self.ev_tag, "v3.0.0", "main", True)

        # Files over 10 MB: at least two at any scale.
        huge = [(0.20, "main", "data/seed/catalog_dump.sql.gz", 12_400_000, "gz", "Add a catalogue dump for demo environments"),
                (0.58, "main", "media/video/onboarding.mp4", 15_200_000, "mp4", "Add onboarding video"),
                (0.45, "main", "data/seed/catalog_dump.sql.gz", 13_100_000, "gz", "Refresh the catalogue dump"),
                (0.83, "experiment/celery-5", "vendor/wheels/celery-5.0.0-bundle.zip", 11_300_000, "zip",
                 "Vendor celery 5 wheels for the offline build"),
                (0.90, "main", "static/downloads/desktop-client-setup.zip", 10_600_000, "zip", "Ship the desktop client installer")]
        n_huge = max(2, round(5 * self.scale))
        for f, b, p, size, kind, msg in huge[:n_huge]:
            at(f, self.ev_huge, b, p, size, kind, msg)
        at(0.70, self.ev_huge, "main", "data/seed/catalog_dump.sql.gz", None, None, "Move the catalogue dump to object storage")

        self.plan_keys(at)
        ev.sort(key=lambda e: (e[0], e[1]))
        return ev

    def stop(self, name):
        self.branches[name].alive = False

    def plan_keys(self, at):
        pt = self.plant_text
        env_base = "DEBUG=1\nDATABASE_URL=postgres://shop:shop@localhost:5432/shop\n{L}\nREDIS_URL=redis://localhost:6379/0\n"

        def dotenv(path, quoted, msg, mode=b"100644"):
            def make(br, k):
                line = ("DJANGO_SECRET_KEY='%s'" if quoted else "DJANGO_SECRET_KEY=%s") % "{K}"
                ch, n = pt(br, path, k, line + "\n", create=env_base.replace("{L}", line), kind="env", mode=mode)
                return ch, path, n, k, msg
            return make

        def in_file(path, tpl, msg, after=None, create=None, kind="py", compose=False):
            def make(br, k):
                text = k.replace("$", "$$") if compose else k
                ch, n = pt(br, path, text, tpl, after=after, create=create, kind=kind)
                return ch, path, n, text, msg
            return make

        # K01 is planted by the initial commit; K01 is carried to base.py by
        # the restructure and replaced by K04.
        at(0.032, self.plant, "K02", "main", "settings-literal",
           in_file("config/settings/dev.py", "", "Add development settings",
                   create="from .base import *  # noqa\n\nDEBUG = True\nSECRET_KEY = \"{K}\"\n"
                          "ALLOWED_HOSTS = [\"*\"]\nINTERNAL_IPS = [\"127.0.0.1\"]\n", kind="settings"))
        at(0.05, self.plant, "K03", "main", "dotenv", dotenv(".env", False, "Add .env for local settings"))
        at(0.0505, self.unplant, "K03", "main", "Remove .env from the repository", delete=True,
           extra=lambda br: {".gitignore": self.conf(br.files[".gitignore"].data().decode() + ".env\n"),
                             ".env.example": self.conf("DEBUG=1\n"
                                                       "DATABASE_URL=postgres://shop:shop@localhost:5432/shop\n"
                                                       "DJANGO_SECRET_KEY=changeme\nPOSTGRES_PASSWORD=changeme\n")},
           weak=(".env.example", "DJANGO_SECRET_KEY=changeme", "a named placeholder: at most a low weak-key finding, never high"))
        at(0.07, self.plant, "K04", "main", "env-fallback (os.environ.get)",
           lambda br, k: self.replace_fallback(br, k))
        at(0.20, self.unplant, "K04", "main", "Require DJANGO_SECRET_KEY in the environment", path="config/settings/base.py",
           repl="SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n",
           decoy=("SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]", "key read from the environment"))
        at(0.09, self.plant, "K05", "main", "compose environment map",
           in_file("docker-compose.yml", "      SECRET_KEY: \"{K}\"\n", "Set SECRET_KEY for the web container",
                   after="      DEBUG:", compose=True))
        at(0.25, self.unplant, "K05", "main", "Take SECRET_KEY from the host environment",
           repl="      SECRET_KEY: \"${DJANGO_SECRET_KEY}\"\n", decoy=("SECRET_KEY: \"${DJANGO_SECRET_KEY}\"", "compose variable"))
        at(0.11, self.plant, "K06", "main", "django-insecure key in test settings",
           in_file("config/settings/test.py", "SECRET_KEY = \"{K}\"\n", "Fix test settings without DJANGO_SECRET_KEY",
                   after="from .base import"),
           insecure=True)
        at(0.13, self.plant, "K07", "staging", "dotenv (quoted)", dotenv(".env.staging", True, "Add staging environment"))
        at(0.16, self.plant, "K08", "main", "override_settings in a test",
           in_file("apps/accounts/tests/test_tokens.py", "", "Test password reset tokens across key changes",
                   create="from django.test import TestCase, override_settings\n\nfrom apps.accounts.tokens import make_token\n\n\n"
                          "@override_settings(SECRET_KEY=\"{K}\")\nclass ResetTokenTests(TestCase):\n    def test_token_is_stable(self):\n"
                          "        self.assertEqual(make_token(1), make_token(1))\n"), via_pr=True)
        at(0.18, self.plant, "K09", "main", "shell export",
           in_file("scripts/deploy.sh", "", "Add deploy script",
                   create="#!/bin/sh\nset -e\nexport DJANGO_SETTINGS_MODULE=config.settings.prod\nexport DJANGO_SECRET_KEY='{K}'\n"
                          "python manage.py migrate --noinput\npython manage.py collectstatic --noinput\n"
                          "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000\n", kind="sh"))
        at(0.19, self.unplant, "K09", "main", "deploy: expect DJANGO_SECRET_KEY from the host",
           repl="test -n \"$DJANGO_SECRET_KEY\"\n", decoy=("test -n \"$DJANGO_SECRET_KEY\"", "shell check of the variable"))
        at(0.22, self.plant, "K10", "main", "Kubernetes Secret stringData",
           lambda br, k: self.k8s(br, k))
        at(0.40, self.unplant, "K10", "main", "Manage the Django secret outside the repository", delete=True)
        at(0.24, self.plant, "K11", "main", "bare key in the CHANGELOG",
           lambda br, k: self.changelog_key(br, k))
        at(0.27, self.plant, "K12", "staging", "compose environment list",
           in_file("deploy/staging/docker-compose.override.yml", "", "Staging compose override",
                   create="services:\n  web:\n    environment:\n      - DJANGO_SETTINGS_MODULE=config.settings.prod\n"
                          "      - DJANGO_SECRET_KEY={K}\n      - ALLOWED_HOSTS=staging.shopfloor.example\n", kind="yaml", compose=True))
        at(0.32, self.plant, "K13", "release/1.x", "env-fallback (os.getenv)",
           in_file("config/settings/prod.py", "SECRET_KEY = os.getenv(\"DJANGO_SECRET_KEY\", '{K}')\n",
                   "Hotfix: do not crash when DJANGO_SECRET_KEY is unset", after="from .base import"))
        at(0.36, self.unplant, "K13", "main", "Remove the fallback secret key from production settings",
           repl="SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\n")
        at(0.35, self.plant, "K14", "main", "settings literal in reStructuredText docs",
           in_file("docs/deployment.rst", ".. code-block:: python\n\n    # config/settings/prod.py\n    SECRET_KEY = '{K}'\n\n",
                   "docs: production settings example", after="Deployment", kind="doc"))
        at(0.39, self.plant, "K15", "feature/payments-v2", "settings literal in test settings",
           in_file("apps/payments/tests/settings.py", "", "payments: settings for provider tests",
                   create="from config.settings.test import *  # noqa\n\nSECRET_KEY = '{K}'\nPAYMENTS_PROVIDER = \"sandbox\"\n"))
        at(0.42, self.plant, "K16", "feature/payments-v2", "dotenv",
           dotenv("apps/payments/.env", False, "payments: local sandbox settings"))
        at(0.44, self.unplant, "K16", "feature/payments-v2", "payments: drop the committed .env", delete=True)
        at(0.43, self.plant, "K17", "main", "Heroku app.json",
           in_file("app.json", "", "Add Heroku review apps",
                   create="{\n  \"name\": \"shopfloor\",\n  \"env\": {\n"
                          "    \"DJANGO_SETTINGS_MODULE\": {\"value\": \"config.settings.prod\"},\n"
                          "    \"DJANGO_SECRET_KEY\": {\"value\": \"{K}\"},\n    \"WEB_CONCURRENCY\": {\"value\": \"3\"}\n  },\n"
                          "  \"addons\": [\"heroku-postgresql\", \"heroku-redis\"]\n}\n", kind="jsonconf"))
        at(0.60, self.unplant, "K17", "main", "Review apps: generate the secret key",
           repl="    \"DJANGO_SECRET_KEY\": {\"generator\": \"secret\"},\n",
           decoy=("\"DJANGO_SECRET_KEY\": {\"generator\": \"secret\"}", "Heroku generator"))
        at(0.46, self.plant, "K18", "release/1.x", "Ansible group_vars",
           in_file("deploy/ansible/group_vars/production.yml", "", "Ansible variables for production",
                   create="django_settings_module: config.settings.prod\ndjango_secret_key: \"{K}\"\n"
                          "django_allowed_hosts: \"shop.example.com\"\n", kind="yaml"))
        at(0.52, self.plant, "K19", "feature/graphql-api", "django-environ default",
           in_file("config/settings/graphql.py", "", "graphql: settings module",
                   create="import environ\n\nfrom .base import *  # noqa\n\nenv = environ.Env()\n\n"
                          "SECRET_KEY = env(\"DJANGO_SECRET_KEY\", default=\"{K}\")\n"
                          "GRAPHENE = {\"SCHEMA\": \"apps.api.schema.schema\"}\n", kind="settings"))
        at(0.58, self.plant, "K20", "feature/graphql-api", "settings.configure in a test",
           in_file("apps/api/tests/test_schema.py", "", "graphql: schema tests",
                   create="from django.conf import settings\n\nif not settings.configured:\n"
                          "    settings.configure(SECRET_KEY=\"{K}\", INSTALLED_APPS=[\"apps.api\"])\n\n\n"
                          "def test_schema_builds():\n    from apps.api.schema import schema\n    assert schema\n"), insecure=True)
        at(0.63, self.plant, "K21", "release/2.x", "dotenv (quoted)", dotenv(".env.production", True, "release: production environment"))
        at(0.64, self.unplant, "K21", "release/2.x", "release: remove .env.production", delete=True)
        at(0.67, self.plant, "K22", "main", "CI env block",
           in_file(".github/workflows/ci.yml", "      DJANGO_SECRET_KEY: \"{K}\"\n", "ci: set a key for the test run",
                   after="    env:", kind="yaml"))
        at(0.71, self.plant, "K23", "main", "notebook source",
           lambda br, k: self.notebook(br, k), via_pr=True)
        at(0.75, self.unplant, "K23", "main", "Remove the analysis notebook", path="notebooks/sales_analysis.ipynb", delete=True)
        at(0.73, self.plant, "K24", "release/2.x", "compose environment map",
           in_file("docker-compose.prod.yml", "", "release: production compose file",
                   create="services:\n  web:\n    image: registry.example.com/shopfloor:2.0\n    environment:\n"
                          "      DJANGO_SETTINGS_MODULE: config.settings.prod\n      SECRET_KEY: \"{K}\"\n", kind="yaml", compose=True))
        at(0.88, self.unplant, "K24", "main", "prod compose: read the key from the host",
           repl="      SECRET_KEY: ${DJANGO_SECRET_KEY}\n", decoy=("SECRET_KEY: ${DJANGO_SECRET_KEY}", "compose variable"))
        at(0.78, self.plant, "K25", "release/2.x", "TOML",
           in_file("deploy/release-2x/settings.toml", "", "release: settings for the 2.x hosts",
                   create="[django]\nsettings_module = \"config.settings.prod\"\nsecret_key = \"{K}\"\n"
                          "allowed_hosts = [\"shop.example.com\"]\n", kind="toml"))
        at(0.81, self.plant, "K26", "experiment/celery-5", "os.environ.setdefault",
           in_file("config/celery.py", "os.environ.setdefault(\"DJANGO_SECRET_KEY\", \"{K}\")\n",
                   "celery 5: workers without the web environment",
                   after="os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\""))
        at(0.84, self.plant, "K27", "main", "django-insecure key in the README",
           in_file("README.md", "\n```python\n# config/settings/local.py\nSECRET_KEY = '{K}'\n```\n\n",
                   "README: local settings quick start", after="The shop floor", kind="doc"),
           insecure=True)
        at(0.87, self.plant, "K28", "experiment/celery-5", "dotenv", dotenv(".env", False, "celery 5: env for the worker container"))
        at(0.90, self.plant, "K29", "main", "SECRET_KEY_FALLBACKS element",
           in_file("config/settings/base.py", "SECRET_KEY_FALLBACKS = [\n    \"{K}\",\n]\n",
                   "Rotate the secret key (keep the old one as a fallback)",
                   after="SECRET_KEY = "))
        at(0.94, self.plant, "K30", "main", "compose environment list",
           in_file("docker-compose.override.yml", "", "Add a compose override for local HTTPS",
                   create="services:\n  web:\n    environment:\n      - SECRET_KEY={K}\n"
                          "      - SECURE_SSL_REDIRECT=0\n", kind="yaml", compose=True),
           via_pr=True)
        at(0.97, self.plant, "K31", "main", "dotenv", dotenv(".env", False, "Add local env for debugging"))

    def replace_fallback(self, br, k):
        p = "config/settings/base.py"
        old = self.keys[0]["text"]
        ch = self.replace_line(br, p, old, "SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"%s\")\n" % k)
        line = next(i for i, l in enumerate(ch[p].lines) if k.encode() in l) + 1
        self.keys[0].setdefault("removed_by", [])
        return ch, p, line, k, "Read SECRET_KEY from the environment"

    def k8s(self, br, k):
        p = "deploy/k8s/secret.yaml"
        ch, n = self.plant_text(br, p, k, "", create=(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: shopfloor-django\ntype: Opaque\nstringData:\n"
            "  DJANGO_SECRET_KEY: \"{K}\"\n  DATABASE_URL: \"postgres://shop:shop@db:5432/shop\"\n"), kind="yaml")
        ch["deploy/k8s/deployment.yaml"] = self.conf(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shopfloor-web\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: web\n          image: registry.example.com/shopfloor:latest\n          env:\n"
            "            - name: DJANGO_SECRET_KEY\n              valueFrom:\n                secretKeyRef:\n"
            "                  name: shopfloor-django\n                  key: DJANGO_SECRET_KEY\n", kind="yaml")
        self.pending_decoy = ("deploy/k8s/deployment.yaml", "secretKeyRef: name: shopfloor-django key: DJANGO_SECRET_KEY",
                              "Kubernetes secretKeyRef")
        return ch, p, n, k, "Deploy to Kubernetes"

    def changelog_key(self, br, k):
        p = "CHANGELOG.md"
        entry = "- Rotated the staging signing key; the old one, \"%s\", was pasted in a support ticket.\n" % k
        new, i = self.changelog_add(br.files[p], [entry])
        return {p: new}, p, i + 1, k, "Changelog: note the staging key rotation"

    def notebook(self, br, k):
        p = "notebooks/sales_analysis.ipynb"
        src = ("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"metadata\": {},\n   \"outputs\": [],\n"
               "   \"source\": [\n    \"import os\\n\",\n    \"os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'\\n\",\n"
               "    \"os.environ['DJANGO_SECRET_KEY'] = '{K}'\\n\",\n    \"import django\\n\",\n    \"django.setup()\"\n   ]\n  }\n ],\n"
               " \"metadata\": {\"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}},\n"
               " \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n")
        ch, n = self.plant_text(br, p, k, "", create=src, kind="ipynb")
        return ch, p, n, k, "Add sales analysis notebook"

    # ------------------------------------------------------------------ run

    def run(self):
        self.out.write([b"feature done\n"])
        self.ev_init()
        events = self.plan()
        ei = 0
        r = self.r
        weights = {"main": 1.0, "staging": 0.02, "release/1.x": 0.05, "release/2.x": 0.05,
                   "feature/payments-v2": 0.22, "feature/graphql-api": 0.18, "experiment/celery-5": 0.15}
        next_report = 0.1
        for step in range(1, self.steps):
            while ei < len(events) and events[ei][0] <= step:
                fn, a, kw = events[ei][2]
                fn(*a, **kw)
                ei += 1
            alive = [b for b in self.branches.values() if b.alive or b is self.main]
            br = r.choices(alive, [weights.get(b.name, 0.05) for b in alive])[0]
            if br is self.main and r.random() < 0.35:
                self.pull_request()
            else:
                ch, msg, who = self.work(br)
                self.commit(br, ch, msg, who)
            if len(self.chunk_cmds) >= 6000 or self.chunk_bytes >= 96 * 1024 * 1024:
                self.flush()
            if step / self.steps >= next_report:
                print("bighistory: %d%% (%d commits)" % (round(100 * step / self.steps), self.n_commits), file=sys.stderr)
                next_report += 0.1
        while ei < len(events):
            fn, a, kw = events[ei][2]
            fn(*a, **kw)
            ei += 1
        self.flush()
        if self.pr.tip:
            self.out.write([b"reset %s\nfrom %s\n\n" % (self.pr.ref, b"0" * 40)])
        self.out.write([b"done\n"])


def git(repo, *args, **kw):
    return subprocess.run(["git", "-C", repo] + list(args), check=True, stdout=subprocess.PIPE, **kw).stdout


def main():
    ap = argparse.ArgumentParser(description="Generate a large Django-shaped git history with planted SECRET_KEY leaks.")
    ap.add_argument("dir", metavar="DIR", help="repository to create (must not exist, or be empty)")
    ap.add_argument("--scale", metavar="S", type=float, default=1.0,
                    help="size of the history: 1 (the default) gives about 90,000 commits and 530,000 objects, "
                         "0.5 and 0.25 proportionally fewer")
    ap.add_argument("--seed", metavar="N", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()
    if not 0.01 <= args.scale <= 20:
        ap.error("--scale must be between 0.01 and 20")
    repo = os.path.abspath(args.dir).rstrip("/")
    if os.path.exists(repo) and (not os.path.isdir(repo) or os.listdir(repo)):
        ap.error("%s exists and is not an empty directory" % repo)
    answers_path = repo + ".answers.json"
    started = time.time()
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    git(repo, "config", "gc.auto", "0")
    git(repo, "config", "maintenance.auto", "false")
    marks = os.path.join(repo, ".git", "bighistory.marks")
    # git's defaults, so that a user's configuration does not change the pack.
    pinned = ["-c", "core.compression=-1", "-c", "pack.compression=-1", "-c", "pack.depth=50",
              "-c", "pack.packSizeLimit=0", "-c", "core.bigFileThreshold=512m"]
    fi = subprocess.Popen(["git", "-C", repo] + pinned + ["fast-import", "--quiet", "--done", "--active-branches=16",
                                                          "--export-marks=" + marks], stdin=subprocess.PIPE)
    out = StreamWriter(fi.stdin)
    h = History(out, args.scale, args.seed)
    try:
        h.run()
        out.close()
    except OSError:
        pass  # fast-import stopped; its status says why
    if fi.wait() != 0:
        sys.exit("bighistory: git fast-import failed")
    imported = time.time()

    sha = {}
    with open(marks) as f:
        for line in f:
            m, s = line.split()
            sha[int(m[1:])] = s
    os.remove(marks)

    # Which refs reach each commit.
    refs = {"refs/heads/" + b.name: b.tip for b in h.branches.values() if b is not h.pr}
    refs.update({"refs/tags/" + n: m for n, m in h.tags})
    reach = {}
    for ref, tip in refs.items():
        seen, todo = set(), [tip]
        while todo:
            c = todo.pop()
            if c in seen or not c:
                continue
            seen.add(c)
            todo.extend(h.parents.get(c, ()))
        reach[ref] = seen
    head_text = b"\0".join(m.data() for m in h.main.files.values() if not m.binary)
    keys = []
    for k in h.keys:
        rec = {"id": k["id"], "secret": k["secret"]}
        if k["text"] != k["secret"]:
            rec["text"] = k["text"]
        rec.update({"commit": sha[k["mark"]], "path": k["path"], "line": k["line"],
                    "in_head": k["text"].encode() in head_text, "branch": k["branch"], "form": k["form"],
                    "reachable_from": sorted(r for r, s in reach.items() if k["mark"] in s)})
        if len(k["paths"]) > 1:
            rec["paths"] = k["paths"]
        if k.get("removed_by"):
            rec["removed_by"] = [sha[m] for m in k["removed_by"]]
        keys.append(rec)
    decoys = [{"commit": sha[d["mark"]], "path": d["path"], "text": d["text"], "what": d["what"]} for d in h.decoys]

    git(repo, "reset", "-q", "--hard", "main")
    checked_out = time.time()

    counts = {}
    for line in git(repo, "count-objects", "-v").decode().splitlines():
        k, v = line.split(": ")
        counts[k] = int(v)
    n_obj = counts["count"] + counts["in-pack"]
    types = {}
    blob_bytes = 0
    p = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
                         stdout=subprocess.PIPE)
    for line in p.stdout:
        t, n = line.split()
        types[t.decode()] = types.get(t.decode(), 0) + 1
        if t == b"blob":
            blob_bytes += int(n)
    p.wait()
    fsck = subprocess.run(["git", "-C", repo, "fsck", "--connectivity-only", "--no-dangling"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    packdir = os.path.join(repo, ".git", "objects", "pack")
    packs = {f: os.path.getsize(os.path.join(packdir, f)) for f in sorted(os.listdir(packdir)) if f.endswith(".pack")}
    done = time.time()

    hot = sorted(h.versions.items(), key=lambda kv: -kv[1])[:12]
    answers = {
        "generator": "bench/bighistory.py", "scale": args.scale, "seed": args.seed,
        "keys": keys,
        "weak": [{"commit": sha[w["mark"]], "path": w["path"], "text": w["text"], "what": w["what"]} for w in h.weak],
        "decoys": decoys,
        "lookalikes": sorted(h.lookalikes),
        "objects": n_obj, "object_types": types, "commits": h.n_commits, "merges": h.n_merges,
        "branches": {r: sha[m] for r, m in refs.items() if r.startswith("refs/heads/")},
        "tags": {r: sha[m] for r, m in refs.items() if r.startswith("refs/tags/")},
        "blob_bytes": blob_bytes, "binary_blobs": h.n_binary, "binary_bytes": h.binary_bytes,
        "blobs_over_10MB": h.n_huge, "packs": packs, "size_pack_bytes": sum(packs.values()),
        "hot_files": {p.decode(): n for p, n in hot},
    }
    with open(answers_path, "w") as f:
        json.dump(answers, f, indent=1)
        f.write("\n")

    in_head = sum(1 for k in keys if k["in_head"])
    print("bighistory: %s (scale %g, seed %d)" % (repo, args.scale, args.seed))
    print("  commits %d (%d merges), branches %d, tags %d" % (h.n_commits, h.n_merges,
          len(answers["branches"]), len(answers["tags"])))
    print("  objects %d (%s)" % (n_obj, ", ".join("%s %d" % kv for kv in sorted(types.items()))))
    print("  blob content %.2f GB; binary blobs %d (%.0f MB), %d over 10 MB" % (
        blob_bytes / 1e9, h.n_binary, h.binary_bytes / 1e6, h.n_huge))
    print("  pack%s: %s" % ("s" if len(packs) > 1 else "", ", ".join("%s %.0f MB" % (f, n / 1e6) for f, n in packs.items())))
    print("  most versions: %s" % ", ".join("%s %d" % (p.decode(), n) for p, n in hot[:5]))
    print("  planted keys %d (%d still in main), %d decoys, %d lookalikes" % (len(keys), in_head, len(decoys), len(h.lookalikes)))
    print("  fsck --connectivity-only: %s" % ("ok" if fsck.returncode == 0 else "FAILED\n" + fsck.stdout.decode()))
    print("  time: import %.0f s, checkout %.0f s, checks %.0f s" % (imported - started, checked_out - imported, done - checked_out))
    print("  answers: %s" % answers_path)
    if fsck.returncode != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
