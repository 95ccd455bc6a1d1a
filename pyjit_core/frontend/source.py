"""A source file as the frontend reads it: text, ``ast``, and coordinates.

The only place that converts between Python ``ast`` coordinates (1-based
lines, UTF-8 byte columns -- also torch's) and editor coordinates (0-based
lines, code-point columns).
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..diagnostics.model import TextRange
from ..ir.source_range import SourceRange

_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass
class SourceFile:
    path: str
    text: str
    _tree: ast.Module | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        # Python and LSP end a line at a lone CR too; the coordinates here count "\n" only.
        # One character for another: every offset, line and column stays where it was.
        if "\r" in self.text:
            self.text = _LONE_CR.sub("\n", self.text)

    @cached_property
    def lines(self) -> list[str]:
        """Lines without their line endings (splitlines semantics, as ast)."""
        return self.text.split("\n")

    @cached_property
    def _encoded(self) -> bytes:
        return self.text.encode("utf-8", "surrogatepass")

    @cached_property
    def _line_starts(self) -> list[int]:
        """Absolute byte offset where each line (1-based index - 1) starts."""
        starts = [0]
        data = self._encoded
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        return starts

    def parse(self, previous: SourceFile | None = None) -> ast.Module:
        """The module's ast; raises SyntaxError. ``previous``, the file before an
        edit (parsed), lets the statements the edit left alone keep their nodes."""
        if self._tree is None:
            if previous is not None and previous._tree is not None and previous.path == self.path:
                from .incremental_parse import parse_from

                self._tree = parse_from(previous.text, previous._tree, self.text, self.path)
            else:
                self._tree = ast.parse(self.text, filename=self.path, type_comments=False)
        return self._tree

    # --- byte offsets -------------------------------------------------------------

    def offset(self, line: int, col: int) -> int:
        """Absolute byte offset of 1-based ``line``, byte ``col``."""
        starts = self._line_starts
        if line - 1 >= len(starts):
            return len(self._encoded)
        return starts[line - 1] + col

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, byte column) of an absolute byte offset."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i]

    def byte_at(self, offset: int) -> int:
        data = self._encoded
        return data[offset] if 0 <= offset < len(data) else 0

    def find_before(self, offset: int, needle: str) -> int:
        """Offset of the last ``needle`` before ``offset`` (torch: find_before)."""
        return self._encoded.rfind(needle.encode("utf-8"), 0, offset)

    def slice(self, start: int, end: int) -> str:
        return self._encoded[start:end].decode("utf-8", "replace")

    def range(self, line: int, col: int, end_line: int | None = None, end_col: int | None = None) -> SourceRange:
        return SourceRange(self.path, line, col, end_line if end_line is not None else line,
                           end_col if end_col is not None else col)

    # --- editor coordinates -----------------------------------------------------------

    def code_point_col(self, line: int, byte_col: int) -> int:
        """Code-point column of a 1-based line's byte column."""
        if not 1 <= line <= len(self.lines):
            return byte_col
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8", "surrogatepass")[:byte_col].decode("utf-8", "ignore"))

    def byte_col(self, line: int, code_point_col: int) -> int:
        """Byte column of a 1-based line's code-point column."""
        if not 1 <= line <= len(self.lines):
            return code_point_col
        text = self.lines[line - 1]
        if text.isascii():
            return code_point_col
        return len(text[:code_point_col].encode("utf-8", "surrogatepass"))

    def text_range(self, r: SourceRange) -> TextRange:
        """Editor range (0-based lines, code points) of a torch/ast range."""
        end_line = r.end_line if r.end_line is not None else r.start_line
        end_col = r.end_col if r.end_col is not None else r.start_col
        return TextRange(
            r.start_line - 1, self.code_point_col(r.start_line, r.start_col),
            end_line - 1, self.code_point_col(end_line, end_col),
        )

    def line_range(self, line: int) -> TextRange:
        """The whole of a 1-based line, as an editor range."""
        text = self.lines[line - 1] if 1 <= line <= len(self.lines) else ""
        return TextRange(line - 1, 0, line - 1, len(text))
