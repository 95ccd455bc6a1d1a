"""Where a node came from, in torch's (and Python ``ast``'s) coordinates.

torch: SourceRange. Lines are 1-based; columns are 0-based offsets in UTF-8
bytes, end-exclusive -- the coordinates ``ast`` gives and the ones torch
prints in ``# file:line:col`` comments. Conversion to editor coordinates
(code points, UTF-16) happens elsewhere, never here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceRange:
    path: str
    start_line: int
    start_col: int
    end_line: int | None = None
    end_col: int | None = None

    def file_line_col(self) -> str:
        """``path:line:col`` as torch's printer writes it."""
        return f"{self.path}:{self.start_line}:{self.start_col}"

    def starts_at(self, line: int, col: int) -> bool:
        return self.start_line == line and self.start_col == col

    def contains(self, line: int, col: int) -> bool:
        """Whether the 1-based ``line``/0-based byte ``col`` lies inside."""
        if (line, col) < (self.start_line, self.start_col):
            return False
        if self.end_line is None or self.end_col is None:
            return (line, col) == (self.start_line, self.start_col)
        return (line, col) < (self.end_line, self.end_col)

    def __str__(self) -> str:
        return self.file_line_col()


# A frozen dataclass's __init__ sets each field through object.__setattr__;
# setting the slots directly builds the same value in half the time (the
# frontend builds one range per syntax node). The slots' descriptors live in
# the class's namespace.
_new_range = object.__new__
_set_path = vars(SourceRange)["path"].__set__
_set_start_line = vars(SourceRange)["start_line"].__set__
_set_start_col = vars(SourceRange)["start_col"].__set__
_set_end_line = vars(SourceRange)["end_line"].__set__
_set_end_col = vars(SourceRange)["end_col"].__set__


def make_source_range(path: str, start_line: int, start_col: int, end_line: int, end_col: int) -> SourceRange:
    """``SourceRange(path, start_line, start_col, end_line, end_col)``, faster."""
    r = _new_range(SourceRange)
    _set_path(r, path)
    _set_start_line(r, start_line)
    _set_start_col(r, start_col)
    _set_end_line(r, end_line)
    _set_end_col(r, end_col)
    return r
