"""Running ``pyjit`` as a user does, in a subprocess, on files written for the test (``write``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workspace_files import write  # noqa: F401  (the CLI tests take it from here)


def pyjit(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pyjit_core.cli", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=300)
