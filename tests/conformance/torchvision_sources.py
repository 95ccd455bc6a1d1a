"""torchvision's source files for the pyjit side, without installing torchvision.

pyjit only reads sources, and the test venv must not get torchvision (it
needs numpy; ``pyproject.toml`` says why the test venv has none). So the
wheel is fetched with pip (``pip download --no-deps``: from the configured
index, seconds) and its ``.py`` files are extracted into
``.cache/torchvision-<version>/`` (git-ignored), which then stands for a
site-packages folder holding ``torchvision/``. A stamp file marks a finished
extraction; a second call only checks it.

    python -m tests.conformance.torchvision_sources     # fetch if needed, print the folder
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "tests.conformance"

from .corpus_roots import REPO_ROOT
from .torchvision_side import TORCHVISION_VERSION

CACHE_DIR = Path(os.environ.get("PYJIT_SOURCE_CACHE", REPO_ROOT / ".cache"))
STAMP = ".complete"


class SourcesUnavailable(RuntimeError):
    """pip could not fetch the wheel (no index reachable, no such version)."""


def source_site(version: str = TORCHVISION_VERSION, package: str = "torchvision") -> Path:
    """The folder that holds ``<package>/`` (it may not exist yet)."""
    return CACHE_DIR / f"{package}-{version}"


def ensure_sources(version: str = TORCHVISION_VERSION, python: str = sys.executable,
                   package: str = "torchvision") -> Path:
    """The folder holding a pure-Python wheel's sources (torchvision's by default; timm's for
    ``tests/conformance/test_timm_as_opened.py``), fetched and extracted on first use."""
    site = source_site(version, package)
    if (site / STAMP).is_file():
        return site
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # One fetch at a time: parallel test processes share the folder, and a second
    # fetch must not replace the folder the first one's tests already read.
    with open(CACHE_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (site / STAMP).is_file():
            return site
        return _fetch(site, version, python, package)


def _fetch(site: Path, version: str, python: str, package: str) -> Path:
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as tmp:
        download = Path(tmp) / "wheel"
        done = subprocess.run(
            [python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
             "-q", f"{package}=={version}", "-d", str(download)],
            capture_output=True, text=True)
        wheels = sorted(download.glob(f"{package}-*.whl"))
        if done.returncode != 0 or not wheels:
            raise SourcesUnavailable(f"pip download {package}=={version} failed: {done.stderr.strip()[-2000:]}")
        staging = Path(tmp) / "site"
        count = _extract_sources(wheels[0], staging, package)
        digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
        (staging / STAMP).write_text(f"{wheels[0].name} sha256={digest} files={count}\n", encoding="utf-8")
        if site.exists():            # a half-finished earlier attempt
            shutil.rmtree(site)
        os.replace(staging, site)    # atomic: a reader sees all of it or nothing
    return site


def _extract_sources(wheel: Path, target: Path, package: str) -> int:
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith(f"{package}/") and name.endswith((".py", ".pyi")):
                archive.extract(name, target)
                count += 1
    return count


if __name__ == "__main__":
    print(ensure_sources())
