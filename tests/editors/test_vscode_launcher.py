"""The VS Code extension's bundled server (editors/vscode/bundled/tool/launch_server.py)
runs isolated: nothing in the workspace's directory or in PYTHONPATH can stand in
for pyjit's own packages, in the server or in an analysis worker started anew.

No editor needed: the bundled libraries are stood in for by links to this checkout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packaging"))
from pyjit_server.worker.client import WorkerClient
from test_distributions import lsp_round_trip

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = REPO / "editors" / "vscode" / "bundled" / "tool" / "launch_server.py"


@pytest.fixture
def extension(tmp_path: Path) -> Path:
    """An unpacked extension: bundled/tool/launch_server.py and bundled/libs."""
    root = tmp_path / "extension"
    (root / "bundled" / "tool").mkdir(parents=True)
    (root / "bundled" / "tool" / "launch_server.py").write_bytes(LAUNCHER.read_bytes())
    libs = root / "bundled" / "libs"
    libs.mkdir()
    (libs / "pyjit_server").symlink_to(REPO / "server")
    (libs / "pyjit_core").symlink_to(REPO / "pyjit_core")
    return root


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A workspace whose own ``pyjit_server`` and ``pyjit_core`` refuse to be imported."""
    folder = tmp_path / "workspace"
    for name in ("pyjit_server", "pyjit_core"):
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text(f"raise SystemExit('the workspace {name} was imported')\n")
    return folder


def test_the_launcher_serves_from_its_libs_whatever_the_workspace_holds(extension: Path, hostile: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(hostile)}
    answers = lsp_round_trip([sys.executable, "-I", str(extension / "bundled" / "tool" / "launch_server.py"),
                              "--stdio"], cwd=hostile, env=env)
    assert answers[1]["result"]["serverInfo"]["name"] == "pyjit"


def test_a_worker_started_anew_reads_the_bundled_libs(extension: Path, hostile: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The launcher puts the libs first on sys.path; the forked worker needs nothing, a replacement
    # is started isolated (-I) with the server's absolute sys.path, so it finds them too.
    monkeypatch.syspath_prepend(str(extension / "bundled" / "libs"))
    monkeypatch.setenv("PYTHONPATH", str(hostile))
    monkeypatch.chdir(hostile)
    worker = WorkerClient(fork=False)
    command = worker._command()
    assert command[:3] == [sys.executable, "-I", "-c"]
    assert str(extension / "bundled" / "libs") in command[4]
    try:
        worker._call("ping", what="a ping")   # a worker that imported the workspace's copy would be gone
    finally:
        worker.stop()
