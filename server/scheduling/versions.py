"""Positions carried between two versions of a document.

Hovers and the graph command answer from the latest analysis even while a
newer version is being analysed: :class:`LineMap` carries line numbers
between the analysed text and the current one across a single edited region
(typing), and refuses lines inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyjit_core.line_ends import unchanged_ends


class LineMap:
    """Line numbers between an old text and a new one that differ in one region.

    The common prefix and suffix of the two line lists are unchanged; lines
    in between were edited and map to nothing.
    """

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        prefix, suffix = unchanged_ends(old, new)
        self.prefix = prefix
        self.old_tail = len(old) - suffix     # first old line of the common suffix
        self.new_tail = len(new) - suffix
        self.identical = old is new or (prefix == len(old) == len(new))

    def to_old(self, line: int) -> int | None:
        if line < self.prefix:
            return line
        if line >= self.new_tail:
            return line - self.new_tail + self.old_tail
        return None

    def to_new(self, line: int) -> int | None:
        if line < self.prefix:
            return line
        if line >= self.old_tail:
            return line - self.old_tail + self.new_tail
        return None
