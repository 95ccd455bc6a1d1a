"""The wheel and the sdist, built from the committed files, install into a clean
venv and run there: ``pyjit check`` finds the example's mistakes, and
``pyjit-lsp`` answers ``initialize`` and shuts down cleanly.

Slow (two venvs, pip resolving pygls and lsprotocol from the index): marked
``packaging``; it runs in CI like every other test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DISTRIBUTION = "pyjit_torchscript"   # "pyjit-torchscript", as file names spell it
PIP_TIMEOUT_S = 900

pytestmark = pytest.mark.packaging


def _tracked_files() -> list[str]:
    run = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [name for name in run.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, built from a copy of the tracked files, and the wheel, built
    from the unpacked sdist (as ``python -m build`` does), by setuptools' PEP 517
    hooks in this environment (offline: no isolated build environment)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs the git checkout, to build from the committed files")
    source = tmp_path_factory.mktemp("source")
    for name in _tracked_files():
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    sdist = out / _build("build_sdist", source, out)
    unpacked = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (root,) = unpacked.iterdir()
    wheel = out / _build("build_wheel", root, out)
    return {"sdist": sdist, "wheel": wheel}


def _build(hook: str, source: Path, out: Path) -> str:
    """One PEP 517 hook, in a process of its own: the file name it built."""
    # setuptools talks on stdout too: the name is the last line.
    code = f"import sys; from setuptools import build_meta; print(build_meta.{hook}(sys.argv[1]))"
    run = subprocess.run([sys.executable, "-c", code, str(out)], cwd=source, capture_output=True, text=True,
                         timeout=PIP_TIMEOUT_S)
    assert run.returncode == 0, run.stderr[-3000:]
    name = run.stdout.splitlines()[-1]
    assert (out / name).is_file(), f"{hook} said {name}; {out} holds {[p.name for p in out.iterdir()]}"
    return name


def test_the_distributions_are_named_pyjit_torchscript(dists: dict[str, Path]) -> None:
    assert dists["sdist"].name.startswith(f"{DISTRIBUTION}-")
    assert dists["sdist"].name.endswith(".tar.gz")
    assert dists["wheel"].name.startswith(f"{DISTRIBUTION}-")
    assert dists["wheel"].name.endswith("-py3-none-any.whl")


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_each_distribution_installs_in_a_clean_venv_and_runs(dists: dict[str, Path], kind: str,
                                                            tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(dists[kind])],
                             capture_output=True, text=True, timeout=PIP_TIMEOUT_S)
    assert install.returncode == 0, install.stderr[-3000:]

    # Run from elsewhere, with nothing of the checkout on the path.
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(REPO / "examples" / "mistakes.py", work / "mistakes.py")
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    check = subprocess.run([str(bin_dir / "pyjit"), "check", "mistakes.py"], cwd=work, env=clean_env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 1, check.stdout + check.stderr   # 1: findings
    assert "PJ" in check.stdout
    assert "mistakes.py" in check.stdout
    version = subprocess.run([str(bin_dir / "pyjit"), "--version"], cwd=work, env=clean_env,
                             capture_output=True, text=True, timeout=300)
    assert version.stdout.strip() == "pyjit 0.1.0", version.stdout + version.stderr

    answers = lsp_round_trip([str(bin_dir / "pyjit-lsp")], cwd=work, env=clean_env)
    assert answers[1]["result"]["serverInfo"]["name"] == "pyjit"
    assert answers[2] == {"jsonrpc": "2.0", "id": 2, "result": None}


def lsp_round_trip(command: list[str], *, cwd: Path, env: dict[str, str]) -> dict[int, dict]:
    """initialize, initialized, shutdown, exit: the answers by id (the server must exit 0)."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    stdin = b"".join(_frame(m) for m in messages)
    run = subprocess.run(command, input=stdin, cwd=cwd, env=env, capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    answers = {}
    for message in _messages(run.stdout):
        if "id" in message and "method" not in message:
            answers[message["id"]] = message
    return answers


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _messages(stream: bytes):
    while stream:
        header, _, rest = stream.partition(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        yield json.loads(rest[:length])
        stream = rest[length:]
