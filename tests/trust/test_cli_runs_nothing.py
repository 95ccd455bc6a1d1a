"""``pyjit check`` and ``pyjit ir`` in a hostile workspace run nothing of it (see docs/security.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planted import environment_without_python_path, plant, traces

# The installed console script: like any entry point, it never puts the current directory on sys.path.
PYJIT = str(Path(sys.executable).parent / "pyjit")


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The workspace is the current directory, as a CI job or pre-commit runs it.
    return subprocess.run([PYJIT, *args], cwd=root, capture_output=True, text=True, timeout=300,
                          env=environment_without_python_path())


def test_check_and_ir_leave_no_trace(tmp_path: Path) -> None:
    marker = plant(tmp_path)
    checked = run(tmp_path, "check", ".")
    assert checked.returncode in (0, 1), checked.stderr
    assert "Traceback" not in checked.stderr
    graphs = run(tmp_path, "ir", "model.py::f")
    assert graphs.returncode == 0, graphs.stderr
    assert graphs.stdout.startswith("graph("), graphs.stderr
    assert traces(tmp_path, marker) == []
