"""The pre-commit hook, run by pre-commit itself: ``pre-commit try-repo <clone> pyjit --all-files``.

pre-commit runs from a venv of its own made here (no torch in it, nor in the
interpreter it is made from), and builds the hook's environment from a clone
of this repository (its committed ``HEAD``) with pip, from the package index
configured for pip. torch is in neither environment, so pyjit reads the torch
source it bundles. On a sample repository the hook passes; once a mistake is
staged, it fails and prints the finding.

Slow (two venvs, pip installing pre-commit, then pyjit and its dependencies):
marked ``packaging``, like the distribution tests; it runs in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 900

pytestmark = pytest.mark.packaging

MODEL = textwrap.dedent("""\
    import torch
    from torch import nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self, width: int) -> None:
            super().__init__()
            self.linear = nn.Linear(width, width)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.relu(self.linear(x))


    block = torch.jit.script(Block(4))
""")

MISTAKE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


@pytest.fixture(scope="module")
def pre_commit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding pre-commit and no torch; its interpreter's path."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and the git checkout (the hook is installed from a clone)")
    home = tmp_path_factory.mktemp("pre-commit-venv")
    venv.create(home, with_pip=True)
    python = home / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = _run([str(python), "-m", "pip", "install", "-q", "pre-commit"], cwd=home)
    assert install.returncode == 0, install.stdout + install.stderr
    no_torch = _run([str(python), "-c", "import torch"], cwd=home)
    assert no_torch.returncode != 0, "this venv must not have torch"
    return python


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("clone") / "pyjit"
    cloned = _run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], cwd=REPO)
    assert cloned.returncode == 0, cloned.stderr
    return target


def _sample(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    assert _run(["git", "init", "--quiet"], cwd=root).returncode == 0
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    assert _run(["git", "add", "."], cwd=root).returncode == 0
    return root


def _try_repo(python: Path, clone: Path, sample: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH")}
    env["PRE_COMMIT_HOME"] = str(sample.parent / "pre-commit-home")
    return _run([str(python), "-m", "pre_commit", "try-repo", str(clone), "pyjit", "--all-files"], cwd=sample, env=env)


def test_the_hook_passes_on_a_clean_repository_and_fails_on_a_mistake(pre_commit: Path, clone: Path,
                                                                       tmp_path: Path) -> None:
    clean = _try_repo(pre_commit, clone, _sample(tmp_path / "clean", {"model.py": MODEL}))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "pyjit (TorchScript)" in clean.stdout
    assert "Passed" in clean.stdout

    mistaken = _try_repo(pre_commit, clone, _sample(tmp_path / "mistaken", {"model.py": MODEL, "bad.py": MISTAKE}))
    assert mistaken.returncode == 1, mistaken.stdout + mistaken.stderr
    assert "Failed" in mistaken.stdout
    assert "bad.py:6:12: PJ210 'Tensor' object has no attribute or method 'no_such_method'." in mistaken.stdout
