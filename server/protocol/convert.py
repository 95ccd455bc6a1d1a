"""Core ↔ lsprotocol: the only place positions change units.

pyjit_core speaks 0-based lines and code-point columns (:class:`TextRange`);
LSP speaks 0-based lines and columns in the negotiated encoding (UTF-16 by
default, UTF-8 when the client offers it). Core → client goes through
:mod:`.lsp_json` (the one conversion, also used before pygls is imported);
client → core through pygls' :class:`PositionCodec`. Both split lines with
:func:`.lsp_json.split_lines`, which breaks them where Python and LSP do.

Diagnostics carry their fixes in ``data`` already converted to client units,
so a code action needs nothing but the diagnostic the client sends back.
Clients that send it back without ``data`` (Vim's ALE, some Emacs setups)
get the fixes the worker finds at its range instead (:func:`to_lsp_fix_actions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from pyjit_core.diagnostics import Diagnostic, Fix, TextRange

from .lsp_json import SOURCE, LinesFor, diagnostic_json, fix_json, position_json, split_lines
from .lsp_json import to_uri as to_uri  # the server's paths come from here

_CONVERTER = default_converter()


@dataclass(frozen=True)
class Text:
    """A text and the codec its positions are exchanged in."""

    lines: Sequence[str]
    codec: PositionCodec

    @property
    def encoding(self) -> str:
        """The negotiated position encoding, as :mod:`.lsp_json` names it."""
        return str(getattr(self.codec.encoding, "value", self.codec.encoding) or "utf-16")

    @staticmethod
    def of(text: str, codec: PositionCodec) -> Text:
        return Text(split_lines(text), codec)


# --- positions ---------------------------------------------------------------------------------

def to_lsp_position(line: int, col: int, text: Text) -> types.Position:
    """0-based ``line`` and code-point ``col`` → client units (clamped to the text)."""
    return types.Position(**position_json(line, col, text.lines, text.encoding))


def from_lsp_position(position: types.Position, text: Text) -> tuple[int, int]:
    """Client position → (0-based line, code-point column), clamped to the text."""
    lines = text.lines
    if not lines:
        return 0, 0
    if position.line >= len(lines):
        return len(lines) - 1, len(lines[-1])
    width = text.codec.client_num_units(lines[position.line])
    # pygls clamps an overlong character to width - 1 (and mutates its input): clamp first.
    clamped = types.Position(line=position.line, character=min(max(position.character, 0), width))
    server = text.codec.position_from_client_units(lines, clamped)
    return server.line, server.character


def to_lsp_range(r: TextRange, text: Text) -> types.Range:
    return types.Range(start=to_lsp_position(r.start_line, r.start_col, text),
                       end=to_lsp_position(r.end_line, r.end_col, text))


def from_lsp_range(r: types.Range, text: Text) -> TextRange:
    start = from_lsp_position(r.start, text)
    end = from_lsp_position(r.end, text)
    return TextRange(start[0], start[1], end[0], end[1])


# --- paths -----------------------------------------------------------------------------------

def from_uri(uri: str) -> str | None:
    return to_fs_path(uri)


TextFor = Callable[[str], "Text | None"]
"""The text of another file by path (open buffer or disk), for related locations and edits."""


def disk_text(codec: PositionCodec) -> TextFor:
    def read(path: str) -> Text | None:
        try:
            return Text.of(Path(path).read_text(encoding="utf-8"), codec)
        except (OSError, UnicodeDecodeError):
            return None
    return read


# --- diagnostics -----------------------------------------------------------------------------

def to_lsp_diagnostic(d: Diagnostic, text: Text, *, other: TextFor) -> types.Diagnostic:
    """One core diagnostic as LSP's, its fixes (in client units) in ``data`` (see :mod:`.lsp_json`)."""
    return _CONVERTER.structure(diagnostic_json(d, text.lines, text.encoding, other=_lines(other)),
                                types.Diagnostic)


def to_lsp_fix(fix: Fix, path: str, text: Text, other: TextFor) -> dict[str, Any]:
    return fix_json(fix, path, text.lines, text.encoding, _lines(other))


def _lines(other: TextFor) -> LinesFor:
    def lines(path: str) -> Sequence[str] | None:
        found = other(path)
        return found.lines if found is not None else None
    return lines


# --- code actions ------------------------------------------------------------------------------

def _workspace_edit(edits: Sequence[dict[str, Any]]) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    for e in edits:
        r = e["range"]
        changes.setdefault(e["uri"], []).append(types.TextEdit(
            range=types.Range(start=types.Position(**r["start"]), end=types.Position(**r["end"])),
            new_text=e["newText"]))
    return types.WorkspaceEdit(changes=changes)


def to_lsp_code_actions(diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    """The code actions one pyjit diagnostic offers, read from its ``data`` (clients without
    ``dataSupport`` echo none: the server then asks the worker, see ``code_actions``)."""
    data = diagnostic.data
    if diagnostic.source not in (SOURCE, None) or not isinstance(data, dict):
        return []
    return [_code_action(fix, diagnostic) for fix in data.get("fixes") or () if fix.get("edits")]


def to_lsp_fix_actions(fixes: Sequence[Fix], diagnostic: types.Diagnostic, path: str, text: Text,
                       other: TextFor) -> list[types.CodeAction]:
    """Code actions for ``fixes`` the worker found for ``diagnostic`` (sent back without ``data``)."""
    converted = [to_lsp_fix(fix, path, text, other) for fix in fixes]
    return [_code_action(fix, diagnostic) for fix in converted if fix["edits"]]


def _code_action(fix: dict[str, Any], diagnostic: types.Diagnostic) -> types.CodeAction:
    return types.CodeAction(title=fix["title"], kind=fix.get("kind") or types.CodeActionKind.QuickFix,
                            diagnostics=[diagnostic], edit=_workspace_edit(fix["edits"]))


# --- the graph preview ---------------------------------------------------------------------------

def graph_problem(problem: str, diagnostics: Sequence[Diagnostic], path: str) -> str:
    """Why there is no graph, as comment lines in place of the graph: every client shows the
    command's answer where the graph would go, so the reason is read there (1-based lines)."""
    lines = [f"# {problem}, so it has no graph" + (":" if diagnostics else "")]
    for d in diagnostics:
        where = f"line {d.range.start_line + 1}" if d.path == path else \
            f"{Path(d.path).name}:{d.range.start_line + 1}:{d.range.start_col + 1}"
        lines.append(f"# {where}: {d.message.splitlines()[0]} ({d.code})")
    return "\n".join(lines) + "\n"


def to_lsp_hover(markdown: str, r: TextRange, text: Text, markdown_ok: bool) -> types.Hover:
    kind = types.MarkupKind.Markdown if markdown_ok else types.MarkupKind.PlainText
    value = markdown if markdown_ok else to_plain_text(markdown)
    return types.Hover(contents=types.MarkupContent(kind=kind, value=value), range=to_lsp_range(r, text))


_INLINE_CODE = re.compile(r"`([^`\n]*)`")


def to_plain_text(markdown: str) -> str:
    """A hover's markdown as a client without markdown should show it.

    Hovers use a small subset (:mod:`pyjit_core.describe`): fenced IR blocks,
    inline code, ``---`` between sections, ``- `` lists. Fence lines go, the
    IR inside stays verbatim, inline code loses its backticks, a rule becomes
    the blank line already around it, and lists stay (they read as text).
    """
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif fenced:
            out.append(line)
        elif line.strip() != "---":
            out.append(_INLINE_CODE.sub(r"\1", line))
    # A rule leaves two blank lines where its section break was: keep one.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
