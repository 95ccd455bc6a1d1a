"""Positions stay inside the text whatever its line endings, and wherever a syntax error is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyjit_core.session import Session

SCRIPT = ["import torch", "@torch.jit.script", "def f(x: int) -> int:", "    return x + 'a'", ""]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_finding_is_on_its_line_whatever_the_line_endings(tmp_path: Path, ending: str) -> None:
    result = Session().check(str(tmp_path / "m.py"), ending.join(SCRIPT))
    [d] = result.diagnostics
    assert (d.code, d.range.start_line, d.range.start_col) == ("PJ240", 3, 11)


@pytest.mark.parametrize("text", ["from typ", "import torch\n@torch.jit.script\ndef f(x", "x = 'é😀' +", "x = (\r\n"])
def test_a_syntax_error_at_the_end_of_a_truncated_text_stays_inside_it(tmp_path: Path, text: str) -> None:
    [d] = Session().check(str(tmp_path / "m.py"), text).diagnostics
    lines = re.split(r"\r\n|\r|\n", text)
    r = d.range
    assert d.code == "PJ001"
    assert r.start_line == r.end_line < len(lines)
    assert 0 <= r.start_col <= r.end_col <= len(lines[r.end_line])
