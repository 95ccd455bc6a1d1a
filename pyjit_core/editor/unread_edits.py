"""Edits the analysis cannot see: spacing at line ends, comments, blank lines.

pyjit reads a file's tokens, never its comments or spacing -- except the
comments it does read (``# pyjit: ignore[...]``, ``# type:``, ``# noqa``)
and the positions it reports. An edit that changes no other token and moves
none sideways leaves every graph and diagnostic as it was, only on other
lines. :func:`unread_edit` says whether an edit is one, and if so how lines
moved (:class:`LineShift`); :func:`moved_diagnostics` moves a result's
diagnostics with it. An editor can then show the previous result at once.

Only the lines that changed are tokenized -- widened to the top-level
statements around them, where tokenizing can start afresh -- not the file:
tokenizing a 7,000-line file takes longer than analysing one edit.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import re
import tokenize
from dataclasses import dataclass

from ..diagnostics import Diagnostic, TextRange
from ..line_ends import unchanged_ends

#: Comments pyjit or torch read: an edit touching one is analysed.
READ_COMMENTS = re.compile(r"pyjit\s*:|type\s*:|noqa", re.IGNORECASE)

_UNREAD = frozenset({tokenize.COMMENT, tokenize.NL})
#: Tokens whose place says nothing (a NEWLINE starts after the line's trailing spaces).
_PLACELESS = frozenset({tokenize.NEWLINE, tokenize.DEDENT, tokenize.ENDMARKER})


@dataclass(frozen=True)
class LineShift:
    """Where each line of the old text went (0-based): lines before ``start``
    stay, lines from ``end`` on move by ``delta``, and the lines between go
    where ``inside`` says (absent: a line holding no token, nothing is there)."""

    start: int
    end: int
    delta: int
    inside: dict[int, int]

    def to_new(self, line: int) -> int | None:
        if line < self.start:
            return line
        if line >= self.end:
            return line + self.delta
        return self.inside.get(line)

    def to_old(self, line: int) -> int | None:
        if line < self.start:
            return line
        if line >= self.end + self.delta:
            return line - self.delta
        for old, new in self.inside.items():
            if new == line:
                return old
        return None


def unread_edit(old: str, new: str, tree: ast.Module | None) -> LineShift | None:
    """How lines moved from ``old`` to ``new`` when the edit changed no token
    pyjit reads and moved none sideways; None otherwise (or when unsure).

    ``tree``: the syntax tree of ``old`` (its top-level statements bound the
    lines tokenized)."""
    if tree is None or old == new:
        return None
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    first, same_end = unchanged_ends(a, b)
    end_a, end_b = len(a) - same_end, len(b) - same_end
    if any(READ_COMMENTS.search(line) for line in (*a[first:end_a], *b[first:end_b])):
        return None
    if _bare(a[first:end_a]) != _bare(b[first:end_b]):   # most edits end here, untokenized
        return None
    # Widen to whole top-level statements: tokenizing starts afresh between them.
    lo, hi = _statements_around(tree, first, end_a)
    delta = end_b - end_a
    old_tokens = _tokens(a[lo:hi])
    new_tokens = _tokens(b[lo:hi + delta])
    if old_tokens is None or new_tokens is None or len(old_tokens) != len(new_tokens):
        return None
    inside: dict[int, int] = {}
    for old_token, new_token in zip(old_tokens, new_tokens, strict=False):
        (kind, text, row, col, end_col), (kind2, text2, row2, col2, end_col2) = old_token, new_token
        if kind != kind2 or text != text2:
            return None
        if kind in _PLACELESS:
            continue
        if col != col2 or end_col != end_col2:
            return None
        if first <= row + lo < end_a:
            line, there = row + lo, row2 + lo
            if inside.setdefault(line, there) != there:
                return None
    return LineShift(first, end_a, delta, inside)


def _bare(lines: list[str]) -> str:
    """The lines without spacing and without what follows a ``#`` (a ``#`` in a
    string too: equal bare lines may still differ, unequal ones surely do)."""
    return "".join("".join(line.split("#", 1)[0].split()) for line in lines)


def _statements_around(tree: ast.Module, first: int, end: int) -> tuple[int, int]:
    """0-based lines [lo, hi) of the top-level statements touching lines [first, end)."""
    lo, hi = first, max(end, first + 1)
    for stmt in tree.body:
        start = min([d.lineno for d in getattr(stmt, "decorator_list", ())] + [stmt.lineno]) - 1
        stop = stmt.end_lineno or stmt.lineno
        if start < hi and stop > lo:
            lo, hi = min(lo, start), max(hi, stop)
    return lo, hi


def _tokens(lines: list[str]) -> list[tuple[int, str, int, int, int]] | None:
    """(type, text, 0-based row, start column, end column) of each token read, or None."""
    try:
        return [(t.type, t.string, t.start[0] - 1, t.start[1], t.end[1])
                for t in tokenize.generate_tokens(io.StringIO("".join(lines)).readline) if t.type not in _UNREAD]
    except (tokenize.TokenError, SyntaxError):
        return None


def moved_diagnostics(diagnostics: tuple[Diagnostic, ...], path: str,
                      shift: LineShift) -> tuple[Diagnostic, ...] | None:
    """The diagnostics with their places in ``path`` moved; None when one is on
    a line that holds no token any more, or carries a fix that edits a changed line."""
    out = []
    for d in diagnostics:
        if d.path != path:
            out.append(d)
            continue
        where = _moved(d.range, shift)
        if where is None:
            return None
        related = []
        for r in d.related:
            moved = _moved(r.range, shift) if r.path == path else r.range
            if moved is None:
                return None
            related.append(dataclasses.replace(r, range=moved))
        fixes = []
        for fix in d.fixes:
            edits = []
            for e in fix.edits:
                if e.path == path and any(shift.start <= line < shift.end for line in (e.range.start_line,
                                                                                      e.range.end_line)):
                    return None
                moved = _moved(e.range, shift) if e.path == path else e.range
                if moved is None:
                    return None
                edits.append(dataclasses.replace(e, range=moved))
            fixes.append(dataclasses.replace(fix, edits=tuple(edits)))
        out.append(dataclasses.replace(d, range=where, related=tuple(related), fixes=tuple(fixes)))
    return tuple(out)


def _moved(r: TextRange, shift: LineShift) -> TextRange | None:
    start, end = shift.to_new(r.start_line), shift.to_new(r.end_line)
    if start is None or end is None:
        return None
    return TextRange(start, r.start_col, end, r.end_col)
