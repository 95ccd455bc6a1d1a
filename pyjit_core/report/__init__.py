"""What ``pyjit check`` prints: one emitter per ``--output-format``, all reading one :class:`Report`.

Every emitter writes positions 1-based, with columns counted in code points
and end columns exclusive (the column after the last character), as ruff's
do; SARIF says so (``columnKind``). ``full`` and ``concise`` are for people
(:mod:`.text`); the others are for machines and print nothing but their
document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from .model import Report, applicable_fix, offered_fix

__all__ = ["FORMATS", "Report", "applicable_fix", "emit", "offered_fix"]


def _emitters() -> dict[str, Callable[[Report, TextIO], None]]:
    from . import github, gitlab, json, junit, pylint, sarif, text

    return {"full": text.emit_full, "concise": text.emit_concise, "json": json.emit, "json-lines": json.emit_lines,
            "sarif": sarif.emit, "github": github.emit, "gitlab": gitlab.emit, "junit": junit.emit,
            "pylint": pylint.emit}


FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit", "pylint")


def emit(output_format: str, report: Report, out: TextIO) -> None:
    _emitters()[output_format](report, out)
