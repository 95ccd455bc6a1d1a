"""Which diagnostics a front door shows, and where: one policy, two presentations.

A root can fail because of an error in another file (a callee it compiles).
torch reports such an error where it is. What to show depends on who shows it:

* ``WHERE_FOUND`` (``pyjit check``, CI): every diagnostic at its own path, in
  file order; an error met again from another file's roots is shown once per
  session.
* ``IN_FILE`` (an editor, which shows one file's diagnostics at a time): the
  file's own diagnostics, then each error elsewhere that fails one of its
  roots, brought to the call that leads there (:mod:`.call_sites`). A syntax
  error is shown only in a file that compiles something (or says
  ``torch.jit``): in any other Python file it is pyright's and ruff's to report.
"""

from __future__ import annotations

import enum
import os
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from .call_sites import diagnostics_in_file

if TYPE_CHECKING:
    from ..result import CheckResult


class Presentation(enum.Enum):
    WHERE_FOUND = "where-found"
    IN_FILE = "in-file"


def present(result: CheckResult, presentation: Presentation, reported: set[tuple] | None = None) -> list[Diagnostic]:
    """``result.found`` as ``presentation`` shows it. ``reported`` (WHERE_FOUND):
    the keys of what this session showed already, updated."""
    if presentation is Presentation.IN_FILE:
        shown = diagnostics_in_file(result)
        if not (result.has_roots or "torch.jit" in result.source):
            shown = [d for d in shown if d.code != "PJ001"]
        return shown
    return present_found(result.path, result.found, reported)


def present_found(path: str, found: list[Diagnostic], reported: set[tuple] | None = None) -> list[Diagnostic]:
    """``WHERE_FOUND``: the findings of the file ``path``'s analysis in file order, but those
    in ``reported`` (updated)."""
    ordered = sorted(found, key=lambda d: (d.path != path, d.path, d.range.start_line, d.range.start_col, d.code))
    if reported is None:
        return ordered
    out = []
    for d in ordered:
        key = report_key(d)
        if key not in reported:
            reported.add(key)
            out.append(d)
    return out


def report_key(d: Diagnostic) -> tuple:
    """What makes two diagnostics one finding to ``WHERE_FOUND`` (shown once per run)."""
    return (os.path.abspath(d.path), d.range.start_line, d.range.start_col, d.code, d.message)
