"""Open documents whose lines end where LSP says: at ``\\r\\n``, ``\\r`` and ``\\n`` only.

pygls' ``TextDocument.lines`` is ``str.splitlines``, which also breaks at form
feeds, ``\\x0b``, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029. An edit below
such a character then lands on the wrong line, and the server's text is no
longer the editor's (found by ``tests/fuzz``). The same split as
:func:`.convert.split_lines`, keeping the endings as pygls expects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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


class LspWorkspace(Workspace):
    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=self._sync_kind, position_codec=self._position_codec)


def use_lsp_lines(workspace: Any) -> None:
    """Make ``workspace`` (pygls' own, made at ``initialize``) create :class:`LspTextDocument`\\ s."""
    if type(workspace) is Workspace:
        workspace.__class__ = LspWorkspace
