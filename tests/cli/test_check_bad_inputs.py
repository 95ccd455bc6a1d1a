"""Whatever the files hold, ``pyjit check`` answers with diagnostics or one clear line per file
it cannot read, never a traceback; the other files are checked all the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_run import pyjit

SCRIPT = ["import torch", "@torch.jit.script", "def f(x: int) -> int:", "    return x + 'a'", ""]
FINDING = "4:12: PJ240 Arguments for call are not valid."


def check(root: Path):
    run = pyjit("check", "--output-format", "concise", ".", cwd=root)
    assert "Traceback" not in run.stderr + run.stdout
    return run


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_every_line_ending_gives_the_finding_on_its_line(tmp_path: Path, ending: str) -> None:
    (tmp_path / "m.py").write_bytes(ending.join(SCRIPT).encode())
    run = check(tmp_path)
    assert (run.returncode, run.stdout.splitlines()[0]) == (1, f"m.py:{FINDING}")


@pytest.mark.parametrize(("content", "code", "first_line"), [
    (b"import torch\nx = 1\x00\n", 1, "m.py:1:1: PJ001 source code string cannot contain null bytes"),
    (b"\xef\xbb\xbf" + "\n".join(SCRIPT).encode(), 1, f"m.py:{FINDING}"),
    (b"x = (\n" * 3000, 1, None),                            # deep and unfinished: Python's own error
    (b"x = " + b" + ".join([b"1"] * 5000) + b"\n", 0, None),   # a 5,000-term chain
])
def test_odd_contents_give_diagnostics(tmp_path: Path, content: bytes, code: int, first_line: str | None) -> None:
    (tmp_path / "m.py").write_bytes(content)
    run = check(tmp_path)
    assert run.returncode == code, run.stderr
    if first_line is not None:
        assert run.stdout.splitlines()[0] == first_line


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: (d / "bad.py").write_bytes(b"x = '\xff'\n"), "cannot read bad.py"),
    (lambda d: os.symlink("nowhere.py", d / "dangling.py"), "cannot read dangling.py"),
    (lambda d: os.symlink(d / "self.py", d / "self.py"), "cannot read self.py"),
    (lambda d: os.symlink(d, d / "loop"), None),               # a folder that contains itself: walked once
    (lambda d: os.mkfifo(d / "fifo.py"), "fifo.py: not a regular file"),
])
def test_what_cannot_be_read_is_one_line_and_the_rest_is_checked(tmp_path: Path, make, words: str | None) -> None:
    (tmp_path / "m.py").write_text("\n".join(SCRIPT))
    make(tmp_path)
    run = check(tmp_path)
    assert run.stdout.splitlines()[0] == f"m.py:{FINDING}"
    if words is None:
        assert run.returncode == 1
        assert run.stderr == ""
    else:
        [line] = run.stderr.splitlines()
        assert run.returncode == 2
        assert words in line
