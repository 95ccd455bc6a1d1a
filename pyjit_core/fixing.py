"""Applying fixes to a file's text, as ``pyjit check --fix`` and ``--diff`` do.

The fixes are the ones the language server offers (``Diagnostic.fixes``);
which of them the command line may apply is their ``applicability``
(:func:`.report.applicable_fix`). In one pass, fixes are taken in the order
of their first edit; a fix whose edits overlap an edit already taken waits
for the next pass (the file is checked again in between, as ruff does), and
an edit equal to one already taken (two fixes adding the same ``import
torch``) is made once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .diagnostics import Edit, Fix


@dataclass(frozen=True)
class Applied:
    """The new text, and the fixes (by their index in the list given) that made it."""

    text: str
    applied: tuple[int, ...]


def apply_fixes(text: str, fixes: Sequence[Fix]) -> Applied:
    """Apply what can be applied of ``fixes`` (all of their edits are in this text) in one pass."""
    span = _spans(text)

    taken: list[tuple[int, int, str]] = []
    applied: list[int] = []
    order = sorted(range(len(fixes)), key=lambda i: min((span(e)[:2] for e in fixes[i].edits), default=(0, 0)))
    for i in order:
        new = [span(e) for e in fixes[i].edits]
        new = [e for e in dict.fromkeys(new) if e not in taken]
        if any(_conflict(a, b) for a in new for b in taken):
            continue
        taken.extend(new)
        applied.append(i)
    return Applied(_splice(text, taken), tuple(sorted(applied)))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` made (they must not overlap)."""
    span = _spans(text)
    return _splice(text, [span(e) for e in edits])


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as ``diff -u`` shows it, ``path`` on both sides."""
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        fromfile=path, tofile=path))


def _conflict(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Overlapping ranges, or two edits at one point where the order of their texts would be a guess."""
    return (a[0] < b[1] and b[0] < a[1]) or (a[0] == b[0] and (a[0] == a[1] or b[0] == b[1]))


def _spans(text: str) -> Callable[[Edit], tuple[int, int, str]]:
    """An edit as (start, end, new text), offsets in ``text`` (lines end at ``\\n``, as
    :class:`.frontend.source.SourceFile` counts them; columns are code points)."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)

    def span(e: Edit) -> tuple[int, int, str]:
        r = e.range
        return (_offset(starts, len(text), r.start_line, r.start_col),
                _offset(starts, len(text), r.end_line, r.end_col), e.new_text)
    return span


def _offset(starts: list[int], length: int, line: int, col: int) -> int:
    return min(starts[line] + col, length) if line < len(starts) else length


def _splice(text: str, spans: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    at = 0
    for start, end, new_text in sorted(spans, key=lambda s: (s[0], s[1])):
        out.append(text[at:start])
        out.append(new_text)
        at = max(at, end)
    out.append(text[at:])
    return "".join(out)
