"""``pylint``: ``path:line: [CODE] message``, the line format pylint's parsers read (as ruff writes it)."""

from __future__ import annotations

from typing import TextIO

from .model import Report
from .text import first_line


def emit(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(f"{report.shown_path(d.path)}:{d.range.start_line + 1}: [{d.code}] {first_line(d.message)}\n")
