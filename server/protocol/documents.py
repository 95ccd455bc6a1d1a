"""Open documents whose lines end where LSP says: at ``\\r\\n``, ``\\r`` and ``\\n`` only.

pygls' ``TextDocument.lines`` is ``str.splitlines``, which also breaks at form
feeds, ``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029. An edit below
such a character then lands on the wrong line, and the server's text is no
longer the editor's (found by ``tests/fuzz``). The same split as
:func:`.convert.split_lines`, keeping the endings as pygls expects.

An incremental change is applied as pygls applies it, but without making
every line of the document and writing each in a Python loop: the text is
split once and the lines around the edit joined in one call (~0.9 ms instead
of ~2.7 for an edit of the 7,300 lines of ``functional.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lsprotocol import types
from pygls.workspace import Workspace
from pygls.workspace.text_document import TextDocument

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    @property
    def lines(self) -> Sequence[str]:
        source = self.source
        if "\r" in source:
            return tuple(_LINE.findall(source))
        # The same without a CR in sight, ~4x faster (pygls reads them at every change).
        *ended, last = source.split("\n")
        return (*(line + "\n" for line in ended), *((last,) if last else ()))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        source = self.source
        parts = None if "\r" in source else source.split("\n")
        lines = self.lines if parts is None else _LinesOf(parts)
        where = self.position_codec.range_from_client_units(lines, change.range)
        start, end = where.start, where.end
        if not 0 <= start.line <= end.line < len(lines) or start.character < 0 or end.character < 0:
            super()._apply_incremental_change(change)   # pygls' own way for anything unusual
            return
        # What pygls' loop writes: the lines before, the start line up to the range, the
        # new text, the end line after the range, the lines after.
        edited = lines[start.line][:start.character] + change.text + lines[end.line][end.character:]
        if parts is None:
            self._source = "".join([*lines[:start.line], edited, *lines[end.line + 1:]])
        else:   # every line before the edited ones ends in "\n"
            before = "\n".join(parts[:start.line]) + "\n" if start.line else ""
            self._source = before + edited + "\n".join(parts[end.line + 1:])


class _LinesOf(Sequence[str]):
    """The lines of a text without a CR, as :attr:`LspTextDocument.lines` gives them (ends
    kept), from its split at ``\\n``, each made when asked for (a change reads two)."""

    def __init__(self, parts: list[str]) -> None:
        self._parts = parts
        self._count = len(parts) if parts[-1] else len(parts) - 1

    def __len__(self) -> int:
        return self._count

    # Ints only, all the codec asks (Sequence also takes slices).
    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return self._parts[i] + "\n" if i < len(self._parts) - 1 else self._parts[i]


class LspWorkspace(Workspace):
    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=self._sync_kind, position_codec=self._position_codec)


def use_lsp_lines(workspace: Any) -> None:
    """Make ``workspace`` (pygls' own, made at ``initialize``) create :class:`LspTextDocument`\\ s."""
    if type(workspace) is Workspace:
        workspace.__class__ = LspWorkspace
