"""A real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3, in headless Chromium)
with the .vsix that editors/vscode/build.sh builds: diagnostics, hover, the graph
command and a quick fix, with **no pyjit on PATH and none in the Python
environment** -- the extension's bundled server runs on an empty venv's python3.

Needs ``PYJIT_CODE_SERVER_DIR``: a folder whose node_modules holds code-server@4.100.3
and playwright-core, plus Debian's chromium. ``tools/install-editors`` installs them
(into ``~/.cache/pyjit/editors``) and prints the line to export. Skipped when they are missing, or
failed with ``PYJIT_REQUIRE_EDITORS=1`` (see conftest.py); building the .vsix needs npm.
A screenshot of the workbench is left in ``.ci/out/editors/`` (ignored by git).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import venv
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from editor_session import FIXED_LINE_12, SOURCE

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "editors" / "vscode" / "build.sh"
ARTIFACTS = REPO / ".ci" / "out" / "editors"
DEADLINE_S = 300



INSTALL_HINT = "run tools/install-editors and export the PYJIT_CODE_SERVER_DIR=... line it prints"


@pytest.fixture(scope="session")
def code_server_dir(editor_unavailable: Callable[[str], NoReturn]) -> Path:
    folder = os.environ.get("PYJIT_CODE_SERVER_DIR")
    if not folder:
        editor_unavailable(f"PYJIT_CODE_SERVER_DIR is not set: {INSTALL_HINT}")
    path = Path(folder)
    for need in ("node_modules/.bin/code-server", "node_modules/playwright-core"):
        if not (path / need).exists():
            editor_unavailable(f"{path / need} is missing: {INSTALL_HINT}")
    chromium = os.environ.get("PYJIT_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        editor_unavailable(f"no chromium at {chromium}: {INSTALL_HINT}")
    return path


@pytest.fixture(scope="session")
def vsix(editor_unavailable: Callable[[str], NoReturn]) -> Path:
    """The extension as build.sh packages it, pyjit of this checkout inside (cached
    by the content of everything that goes into it)."""
    digest = hashlib.sha256()
    for path in _vsix_inputs():
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    cache = Path(tempfile.gettempdir()) / "pyjit-tests" / f"vsix-{digest.hexdigest()[:16]}"
    out = cache / "pyjit.vsix"
    if not out.exists():
        cache.mkdir(parents=True, exist_ok=True)
        run = subprocess.run([str(BUILD), str(out)], env={**os.environ, "PYTHON": sys.executable},
                             capture_output=True, text=True, timeout=900)
        if run.returncode != 0:
            editor_unavailable(f"cannot build the extension (editors/vscode/build.sh): {run.stderr[-1500:]}")
    return out


def _vsix_inputs() -> list[Path]:
    tracked = subprocess.run(["git", "ls-files", "-z", "editors/vscode", "pyjit_core", "server", "pyproject.toml"],
                             cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    return sorted(REPO / name for name in tracked if name and (REPO / name).is_file())


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with nothing installed, not even pip: its bin/ comes first on the workbench's PATH."""
    env_dir = tmp_path_factory.mktemp("bare") / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python3"
    probe = subprocess.run([str(python), "-c", "import pyjit_server"], capture_output=True, text=True)
    assert probe.returncode != 0, "the bare venv can import pyjit_server"
    return env_dir / "bin"


def _path_without_pyjit(first: Path) -> str:
    """``first``, then the folders of $PATH that hold neither pyjit nor pyjit-lsp."""
    keep = [str(first)]
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and not any((Path(folder) / name).exists() for name in ("pyjit", "pyjit-lsp")):
            keep.append(folder)
    return os.pathsep.join(keep)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_vscode_shows_diagnostics_hover_graph_and_applies_a_fix(code_server_dir: Path, vsix: Path, bare_python: Path,
                                                                 tmp_path: Path) -> None:
    workspace, user_data, extensions = tmp_path / "ws", tmp_path / "ud", tmp_path / "ext"
    workspace.mkdir()
    (workspace / "model.py").write_text(SOURCE, encoding="utf-8")
    (user_data / "User").mkdir(parents=True)
    # No pyjit.* setting: the default (the bundled server, run by python3 from PATH).
    (user_data / "User" / "settings.json").write_text(json.dumps({
        "workbench.startupEditor": "none", "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off", "extensions.autoUpdate": False,
    }), encoding="utf-8")
    env = {**os.environ, "PATH": _path_without_pyjit(bare_python)}
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    assert shutil.which("python3", path=env["PATH"]) == str(bare_python / "python3")
    assert shutil.which("pyjit-lsp", path=env["PATH"]) is None
    code_server = str(code_server_dir / "node_modules" / ".bin" / "code-server")
    common = ["--config", "/dev/null", "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    install = subprocess.run([code_server, *common, "--install-extension", str(vsix)], capture_output=True,
                             text=True, timeout=300, env=env)
    assert install.returncode == 0, install.stderr

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "vscode.png"
    screenshot.unlink(missing_ok=True)
    port = _free_port()
    server = subprocess.Popen([code_server, *common, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
                               "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
                               "--disable-getting-started-override", str(workspace)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True,
                              env=env)
    try:
        for line in server.stdout:   # code-server says when it listens
            if "HTTP server listening" in line:
                break
        else:
            pytest.fail("code-server exited before listening")
        out = tmp_path / "seen.json"
        driver_env = {**os.environ, "NODE_PATH": str(code_server_dir / "node_modules"),
                      "PYJIT_TEST_DEADLINE_MS": str(DEADLINE_S * 1000 // 5)}
        subprocess.run(["node", str(Path(__file__).with_name("vscode_session.js")),
                        f"http://127.0.0.1:{port}/?folder={workspace}", "model.py", "6", "11",
                        "12", "14", "Ignore PJ210 on this line", str(out), str(screenshot)],
                       env=driver_env, capture_output=True, text=True, timeout=DEADLINE_S)
        assert out.exists(), "the driver wrote nothing"
        seen = json.loads(out.read_text())
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    logs = "\n".join(p.read_text(errors="replace")[-1500:] for p in user_data.rglob("*.log")
                     if "exthost" in str(p) or "pyjit" in p.name)
    assert "error" not in seen, f"{seen['error']}\n{logs}"
    assert any("PJ210" in row and "no_such_method" in row for row in seen["problems"]), seen["problems"]
    assert "aten::add" in seen["hover"]
    assert seen["graph"]["tab"].startswith("model.py:6.ir")
    assert "aten::add" in seen["graph"]["text"]
    assert "aten::relu" in seen["graph"]["text"]
    assert seen["graph"]["groups"] == 2   # beside the code, not instead of it
    assert FIXED_LINE_12 in seen["fix"]["lines"]
    assert not any("no_such_method" in row for row in seen["problemsAfterFix"])
    assert screenshot.stat().st_size > 0
