"""What the headless editor tests share: the sample file, its workspace, and
running an editor under a hard deadline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

# Line 6 holds `y = x + n` (hover on `+`); line 12 the PJ210 error (its quick fix:
# "Ignore PJ210 on this line"). f compiles; g does not.
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
FIXED_LINE_12 = "    return x.no_such_method()  # pyjit: ignore[PJ210]"
PJ210_MESSAGE = "'Tensor' object has no attribute or method 'no_such_method'."


def make_workspace(root: Path) -> Path:
    """``root/ws`` with a pyproject.toml and model.py (SOURCE): the path of model.py."""
    workspace = root / "ws"
    workspace.mkdir(parents=True)
    (workspace / "pyproject.toml").write_text("[tool.pyjit]\n", encoding="utf-8")
    (workspace / "model.py").write_text(SOURCE, encoding="utf-8")
    return workspace / "model.py"


def run_headless(command: list[str], *, cwd: Path, env: dict[str, str], deadline_s: float) -> tuple[str, str]:
    """Run an editor in its own process group; kill the group at the deadline. (stdout, stderr)."""
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=deadline_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return stdout.decode(errors="replace"), stderr.decode(errors="replace")


def run_scripted_session(command: list[str], *, file: Path, env: dict[str, str], deadline_s: float) -> dict:
    """Run an editor whose session script writes what it saw as JSON to $PYJIT_TEST_OUT,
    with the server (``pyjit-lsp``) found on PATH as a user's would be, and an empty HOME.
    What it saw; an ``error`` key is a failure of the session."""
    root = file.parent.parent
    out = root / "out.json"
    (root / "home").mkdir(exist_ok=True)
    env = {**os.environ, **env, "HOME": str(root / "home"), "PYJIT_TEST_OUT": str(out),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    _, stderr = run_headless(command, cwd=file.parent, env=env, deadline_s=deadline_s)
    assert out.exists(), f"{Path(command[0]).name} wrote nothing; stderr: {stderr[-2000:]}"
    found = json.loads(out.read_text())
    assert "error" not in found, f"{found['error']}\n{found.get('messages', '')}\n{stderr[-2000:]}"
    return found
