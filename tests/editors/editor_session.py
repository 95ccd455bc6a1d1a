"""What the headless editor tests share: the sample file, its workspace, and
running an editor under a hard deadline."""

from __future__ import annotations

import os
import signal
import subprocess
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
