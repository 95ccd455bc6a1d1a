"""Helpers for the check tests: check a snippet through a :class:`Session`, apply fixes."""

from __future__ import annotations

import ast
import textwrap

from pyjit_core.config import Config
from pyjit_core.diagnostics import Diagnostic, Edit
from pyjit_core.result import CheckResult
from pyjit_core.session import Session

PATH = "/virtual/snippet.py"


def run(source: str, *, path: str = PATH, **config) -> CheckResult:
    return Session().check(path, textwrap.dedent(source), config=Config(**config), module_name="snippet")


def codes(result: CheckResult, prefix: str = "") -> list[str]:
    return [d.code for d in result.diagnostics if d.code.startswith(prefix)]


def only(result: CheckResult, code: str) -> Diagnostic:
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, d.message) for d in result.diagnostics]
    return found[0]


def line_of(result: CheckResult, needle: str) -> int:
    """0-based line of the first line containing ``needle``."""
    for i, line in enumerate(result.source.split("\n")):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in the source")


def text_at(result: CheckResult, d: Diagnostic) -> str:
    r = d.range
    lines = result.source.split("\n")
    assert r.start_line == r.end_line
    return lines[r.start_line][r.start_col:r.end_col]


def apply_edits(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Apply editor edits (0-based lines, code-point columns), last first."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(line: int, col: int) -> int:
        return offsets[line] + col

    ordered = sorted(enumerate(edits), key=lambda ie: (at(ie[1].range.start_line, ie[1].range.start_col), ie[0]),
                     reverse=True)
    for _, e in ordered:
        start = at(e.range.start_line, e.range.start_col)
        end = at(e.range.end_line, e.range.end_col)
        text = text[:start] + e.new_text + text[end:]
    ast.parse(text)  # every fix keeps the file valid Python
    return text


def fix(d: Diagnostic, title_start: str):
    found = [f for f in d.fixes if f.title.startswith(title_start)]
    assert found, [f.title for f in d.fixes]
    return found[0]
