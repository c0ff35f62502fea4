"""The PEP 517 build backend pre-commit uses for djguard's python hooks.

pre-commit installs a hook of language: python with `pip install .` in
the hook's repository. This backend builds, from the standard library
alone, a wheel of no code whose one requirement is the djguard wheel of
the release this revision pins: pip then installs djguard's Go binary
into the hook's environment, from the index or from PIP_FIND_LINKS.
"""

import base64
import gzip
import hashlib
import io
import os
import tarfile
import zipfile

# DJGUARD_VERSION is the release the hooks install, as PEP 440 spells it.
# A release commit sets it to its own version; a test checks that it is
# the newest release CHANGELOG.md names.
DJGUARD_VERSION = "0.1.0"

NAME = "djguard_pre_commit"
# The wheel's timestamp is fixed: the same revision builds the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _metadata():
    return (
        "Metadata-Version: 2.1\n"
        "Name: djguard-pre-commit\n"
        f"Version: {DJGUARD_VERSION}\n"
        f"Summary: Installs djguard {DJGUARD_VERSION} for pre-commit's python hooks.\n"
        f"Requires-Dist: djguard=={DJGUARD_VERSION}\n"
    )


def _wheel_files():
    info = f"{NAME}-{DJGUARD_VERSION}.dist-info"
    files = [
        (f"{info}/METADATA", _metadata()),
        (
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: djguard_hook_backend\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n",
        ),
    ]
    record = ""
    for name, text in files:
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record += f"{name},sha256={digest.decode()},{len(data)}\n"
    files.append((f"{info}/RECORD", record + f"{info}/RECORD,,\n"))
    return info, files


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info, files = _wheel_files()
    os.makedirs(os.path.join(metadata_directory, info), exist_ok=True)
    for name, text in files:
        if not name.endswith("/RECORD"):
            with open(os.path.join(metadata_directory, name), "w", encoding="utf-8") as f:
                f.write(text)
    return info


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _, files = _wheel_files()
    name = f"{NAME}-{DJGUARD_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as whl:
        for path, text in files:
            entry = zipfile.ZipInfo(path, _EPOCH)
            entry.create_system = 3  # Unix, whatever builds it
            entry.external_attr = 0o644 << 16
            whl.writestr(entry, text)
    return name


def build_sdist(sdist_directory, config_settings=None):
    """An sdist of what this backend reads: the backend and pyproject.toml."""
    base = f"{NAME}-{DJGUARD_VERSION}"
    here = os.path.dirname(os.path.abspath(__file__))
    members = [
        ("pyproject.toml", os.path.join(here, "..", "pyproject.toml")),
        ("python/djguard_hook_backend.py", os.path.abspath(__file__)),
    ]
    name = base + ".tar.gz"
    # gzip's header holds a time unless told otherwise: 0, for the same bytes.
    with open(os.path.join(sdist_directory, name), "wb") as raw, gzip.GzipFile(
        filename="", mode="wb", fileobj=raw, mtime=0
    ) as gz, tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        pkg_info = _metadata().encode()
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(pkg_info)
        tar.addfile(entry, io.BytesIO(pkg_info))
        for arcname, path in members:
            with open(path, "rb") as f:
                data = f.read()
            entry = tarfile.TarInfo(f"{base}/{arcname}")
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return name
