"""Running ``pyjit`` as a user does, in a subprocess, on files written for the test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def pyjit(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pyjit_core.cli", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=300)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
