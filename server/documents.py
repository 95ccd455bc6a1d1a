"""What the server knows about each open document: its latest analysis.

An :class:`Analysed` is immutable once made and replaced whole, so request
handlers read it without locks; the analysis result itself stays in the
worker process (:mod:`.worker`) under the Analysed's ``handle``. Hovers and the
graph command answer from the latest analysis even while a newer version is
being analysed: :class:`LineMap` carries positions between the analysed text
and the current one across a single edited region (typing), and refuses
positions inside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Sequence

from lsprotocol import types

from .convert import Text


@dataclass(frozen=True)
class Analysed:
    uri: str
    path: str
    version: int | None
    text: Text                           # the analysed text, split, with the session's codec
    handle: int | None                   # the result's name in the worker; None when check_source failed
    diagnostics: list[types.Diagnostic]  # as published (LSP units of ``text``)
    deps: frozenset[str]                 # paths of every module the analysis read
    fingerprint: str                     # text + config + other open buffers: equal means same answer
    result_id: str = field(default="")
    has_roots: bool = False
    seconds: float = 0.0                 # time spent in check_source

    @property
    def lines(self) -> Sequence[str]:
        return self.text.lines


def fingerprint(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class LineMap:
    """Line numbers between an old text and a new one that differ in one region.

    The common prefix and suffix of the two line lists are unchanged; lines
    in between were edited and map to nothing.
    """

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        limit = min(len(old), len(new))
        prefix = 0
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
            suffix += 1
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
