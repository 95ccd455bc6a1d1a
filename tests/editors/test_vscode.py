"""A real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3, in headless Chromium)
with the packaged editors/vscode extension: diagnostics, hover, and the graph command.

Needs ``PYJIT_CODE_SERVER_DIR``: a folder whose node_modules holds code-server@4.100.3
and playwright-core, plus Debian's chromium. ``tools/install-editors`` installs them
(into ``.editors/``) and prints the line to export. Skipped when they are missing, or
failed with ``PYJIT_REQUIRE_EDITORS=1`` (see conftest.py); building the .vsix needs npm.
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
import textwrap
from pathlib import Path
from typing import Callable, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "editors" / "vscode"
DEADLINE_S = 180

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:
        y = x + n
        return torch.relu(y)


    @torch.jit.script
    def g(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


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
    """The extension packaged with vsce (cached by the content of its files)."""
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json", "extension.js", "README.md"):
        digest.update((EXTENSION / name).read_bytes())
    cache = Path(tempfile.gettempdir()) / "pyjit-tests" / f"vsix-{digest.hexdigest()[:16]}"
    out = cache / "pyjit.vsix"
    if not out.exists():
        build = cache / "build"
        shutil.rmtree(build, ignore_errors=True)
        shutil.copytree(EXTENSION, build, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
        for command in (["npm", "ci", "--no-audit", "--no-fund"],
                        ["npx", "vsce", "package", "--skip-license", "-o", str(out)]):
            run = subprocess.run(command, cwd=build, capture_output=True, text=True, timeout=600)
            if run.returncode != 0:
                editor_unavailable(f"cannot package the extension ({' '.join(command)}): {run.stderr[-500:]}")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_vscode_shows_diagnostics_hover_and_graph(code_server_dir: Path, vsix: Path, tmp_path: Path) -> None:
    workspace, user_data, extensions = tmp_path / "ws", tmp_path / "ud", tmp_path / "ext"
    workspace.mkdir()
    (workspace / "model.py").write_text(SOURCE, encoding="utf-8")
    (user_data / "User").mkdir(parents=True)
    (user_data / "User" / "settings.json").write_text(json.dumps({
        "pyjit.server.interpreter": sys.executable,
        "workbench.startupEditor": "none", "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off", "extensions.autoUpdate": False,
    }), encoding="utf-8")
    code_server = str(code_server_dir / "node_modules" / ".bin" / "code-server")
    common = ["--config", "/dev/null", "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    install = subprocess.run([code_server, *common, "--install-extension", str(vsix)], capture_output=True,
                             text=True, timeout=300)
    assert install.returncode == 0, install.stderr

    port = _free_port()
    server = subprocess.Popen([code_server, *common, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
                               "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
                               "--disable-getting-started-override", str(workspace)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        for line in server.stdout:   # code-server says when it listens
            if "HTTP server listening" in line:
                break
        else:
            pytest.fail("code-server exited before listening")
        out = tmp_path / "seen.json"
        env = {**os.environ, "NODE_PATH": str(code_server_dir / "node_modules"),
               "PYJIT_TEST_DEADLINE_MS": str(DEADLINE_S * 1000 // 3)}
        driver = subprocess.run(["node", str(Path(__file__).with_name("vscode_session.js")),
                                 f"http://127.0.0.1:{port}/?folder={workspace}", "model.py", "6", "11", str(out)],
                                env=env, capture_output=True, text=True, timeout=DEADLINE_S)
        assert out.exists(), driver.stderr[-2000:]
        seen = json.loads(out.read_text())
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    logs = "\n".join(p.read_text(errors="replace")[-1500:] for p in user_data.rglob("*exthost*.log"))
    assert "error" not in seen, f"{seen['error']}\n{logs}"
    assert any("PJ210" in row and "no_such_method" in row for row in seen["problems"]), seen["problems"]
    assert "aten::add" in seen["hover"]
    assert seen["graph"]["tab"].startswith("model.py:6.ir")
    assert "aten::add" in seen["graph"]["text"] and "aten::relu" in seen["graph"]["text"]
    assert seen["graph"]["groups"] == 2   # beside the code, not instead of it
