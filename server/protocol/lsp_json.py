"""Core diagnostics as LSP JSON, without lsprotocol or pygls' workspace.

The one conversion of a :class:`~pyjit_core.diagnostics.Diagnostic` to what
the client reads: :mod:`.convert` builds lsprotocol's types from it, and the
handshake (:mod:`.handshake`) publishes it as it is, before pygls is
imported (``lsprotocol.types`` alone takes ~180 ms to import, and a second
start has its cached diagnostics long before that).

Positions: pyjit_core counts code points; the client counts units of the
negotiated encoding (``"utf-16"`` by default, ``"utf-8"``, ``"utf-32"``).
A position past its line is clamped to the line's end, and past the text to
the end of its last line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pygls.uris import from_fs_path  # pygls' own, without its workspace: ~5 ms

if TYPE_CHECKING:
    from pyjit_core.diagnostics import Diagnostic, Edit, Fix, TextRange

SOURCE = "pyjit"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

LinesFor = Callable[[str], "Sequence[str] | None"]
"""The lines of another file by path (open buffer or disk), for related locations and edits."""


def split_lines(text: str) -> list[str]:
    """Lines without their endings, broken at ``\\r\\n``, ``\\r`` and ``\\n`` only (where Python and
    LSP break them: ``str.splitlines`` would also break at form feeds and U+2028)."""
    if "\r" not in text:
        return text.split("\n")   # the same, ~6x faster (a hover after each change splits the text)
    return _LINE_BREAK.split(text)


def to_uri(path: str) -> str:
    return from_fs_path(path) or path


def units(chars: str, encoding: str) -> int:
    """How many code units of ``encoding`` the client counts in ``chars`` (UTF-16 for an
    encoding it does not know, as pygls counts)."""
    if encoding == "utf-8":
        return len(chars.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32" or chars.isascii():
        return len(chars)
    return len(chars) + sum(1 for c in chars if ord(c) > 0xFFFF)


def position_json(line: int, col: int, lines: Sequence[str], encoding: str) -> dict[str, int]:
    """0-based ``line`` and code-point ``col`` → client units (clamped to the text)."""
    if line >= len(lines):
        end = units(lines[-1], encoding) if lines else 0
        return {"line": max(len(lines) - 1, 0), "character": end}
    line = max(line, 0)
    text = lines[line]
    col = min(max(col, 0), len(text))
    return {"line": line, "character": units(text[:col], encoding)}


def range_json(r: TextRange, lines: Sequence[str], encoding: str) -> dict[str, Any]:
    return {"start": position_json(r.start_line, r.start_col, lines, encoding),
            "end": position_json(r.end_line, r.end_col, lines, encoding)}


def _raw_range_json(r: TextRange) -> dict[str, Any]:
    """A range in a file whose text cannot be read: its numbers as they are."""
    return {"start": {"line": r.start_line, "character": r.start_col},
            "end": {"line": r.end_line, "character": r.end_col}}


def diagnostic_json(d: Diagnostic, lines: Sequence[str], encoding: str, *, other: LinesFor) -> dict[str, Any]:
    """One core diagnostic as an LSP ``Diagnostic``, its fixes (in client units) in ``data``.
    Keys are left out where lsprotocol leaves out a None (``relatedInformation``)."""
    out: dict[str, Any] = {
        "range": range_json(d.range, lines, encoding),
        "message": d.message,
        "severity": int(d.severity),
        "code": d.code,
        "codeDescription": {"href": d.rule.url},
        "source": SOURCE,
    }
    related = []
    for rel in d.related:
        rel_lines = lines if rel.path == d.path else other(rel.path)
        rng = range_json(rel.range, rel_lines, encoding) if rel_lines is not None else _raw_range_json(rel.range)
        related.append({"location": {"uri": to_uri(rel.path), "range": rng}, "message": rel.message})
    if related:
        out["relatedInformation"] = related
    out["data"] = {"fixes": [fix_json(f, d.path, lines, encoding, other) for f in d.fixes]}
    return out


def fix_json(fix: Fix, path: str, lines: Sequence[str], encoding: str, other: LinesFor) -> dict[str, Any]:
    """A fix as ``{"title", "kind", "edits"}``; edits in files that cannot be read are left out."""
    edits = []
    for e in fix.edits:
        e_lines = lines if e.path == path else other(e.path)
        if e_lines is not None:
            edits.append(edit_json(e, e_lines, encoding))
    return {"title": fix.title, "kind": fix.kind, "edits": edits}


def edit_json(edit: Edit, lines: Sequence[str], encoding: str) -> dict[str, Any]:
    """An edit as ``{"uri", "range", "newText"}`` (client units)."""
    return {"uri": to_uri(edit.path), "range": range_json(edit.range, lines, encoding), "newText": edit.new_text}


def publish_diagnostics_json(uri: str, version: int | None, diagnostics: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``textDocument/publishDiagnostics`` notification, as pygls would send it."""
    params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
    if version is not None:
        params["version"] = version
    return {"params": params, "method": "textDocument/publishDiagnostics", "jsonrpc": "2.0"}
