"""Helpers for hover tests: check a snippet, hover a token by its text."""

from __future__ import annotations

import textwrap

from pyjit_core.config import Config
from pyjit_core.editor.hover import hover_at
from pyjit_core.result import CheckResult
from pyjit_core.session import Session

PATH = "/virtual/hovered.py"


def run(source: str, **config) -> CheckResult:
    return Session().check(PATH, textwrap.dedent(source), config=Config(**config), module_name="hovered")


def position(result: CheckResult, line_text: str, token: str, nth: int = 0) -> tuple[int, int]:
    """0-based line and column of the ``nth`` ``token`` inside ``line_text``, on the
    first line containing it."""
    lines = result.source.split("\n")
    for i, line in enumerate(lines):
        if line_text in line:
            col = -1
            for _ in range(nth + 1):
                col = line_text.index(token, col + 1)
            return i, line.index(line_text) + col
    raise AssertionError(f"{line_text!r} is not in the source")


def hover(result: CheckResult, line_text: str, token: str, nth: int = 0, offset: int = 0):
    """The hover on a token, checking that its range is exactly that token."""
    line, col = position(result, line_text, token, nth)
    h = hover_at(result, line, col + offset)
    assert h is not None, f"no hover on {token!r} in {line_text!r}"
    assert (h.range.start_line, h.range.start_col, h.range.end_col) == (line, col, col + len(token)), h.range
    return h


def kinds_of(h) -> list[str]:
    return [n.kind for n in h.nodes]
