"""Core ↔ lsprotocol: the only place positions change units.

pyjit_core speaks 0-based lines and code-point columns (:class:`TextRange`);
LSP speaks 0-based lines and columns in the negotiated encoding (UTF-16 by
default, UTF-8 when the client offers it). Columns are converted with pygls'
:class:`PositionCodec` over *this* module's line split, which breaks lines
where Python and LSP do (``\\r\\n``, ``\\r``, ``\\n``) and nowhere else
(``str.splitlines`` would also break at form feeds and U+2028).

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
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from pyjit_core.diagnostics import Diagnostic, Edit, Fix, Severity, TextRange

SOURCE = "pyjit"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def split_lines(text: str) -> list[str]:
    """Lines without their endings, broken at ``\\r\\n``, ``\\r`` and ``\\n`` only."""
    if "\r" not in text:
        return text.split("\n")   # the same, ~6x faster (a hover after each change splits the text)
    return _LINE_BREAK.split(text)


@dataclass(frozen=True)
class Text:
    """A text and the codec its positions are exchanged in."""

    lines: Sequence[str]
    codec: PositionCodec

    @staticmethod
    def of(text: str, codec: PositionCodec) -> Text:
        return Text(split_lines(text), codec)


# --- positions ---------------------------------------------------------------------------------

def to_lsp_position(line: int, col: int, text: Text) -> types.Position:
    """0-based ``line`` and code-point ``col`` → client units (clamped to the text)."""
    lines = text.lines
    if line >= len(lines):
        end = text.codec.client_num_units(lines[-1]) if lines else 0
        return types.Position(line=max(len(lines) - 1, 0), character=end)
    line = max(line, 0)
    col = min(max(col, 0), len(lines[line]))
    return text.codec.position_to_client_units(lines, ServerTextPosition(line, col))


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

def to_uri(path: str) -> str:
    return from_fs_path(path) or path


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
    """One core diagnostic as LSP's, its fixes (in client units) in ``data``."""
    rule = d.rule
    related = []
    for rel in d.related:
        rel_text = text if rel.path == d.path else other(rel.path)
        rng = to_lsp_range(rel.range, rel_text) if rel_text is not None else _raw_range(rel.range)
        related.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=to_uri(rel.path), range=rng), message=rel.message))
    data = {"fixes": [to_lsp_fix(f, d.path, text, other) for f in d.fixes]}
    return types.Diagnostic(
        range=to_lsp_range(d.range, text),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=rule.url),
        source=SOURCE,
        related_information=related or None,
        data=data,
    )


def to_lsp_fix(fix: Fix, path: str, text: Text, other: TextFor) -> dict[str, Any]:
    edits = []
    for e in fix.edits:
        e_text = text if e.path == path else other(e.path)
        edits.append(to_lsp_edit(e, e_text) if e_text is not None else None)
    return {"title": fix.title, "kind": fix.kind, "edits": [e for e in edits if e is not None]}


def to_lsp_edit(edit: Edit, text: Text) -> dict[str, Any]:
    """An edit as JSON-ready ``{"uri", "range", "newText"}`` (LSP units)."""
    r = to_lsp_range(edit.range, text)
    return {"uri": to_uri(edit.path), "range": _range_json(r), "newText": edit.new_text}


def _range_json(r: types.Range) -> dict[str, Any]:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def _raw_range(r: TextRange) -> types.Range:
    return types.Range(start=types.Position(line=r.start_line, character=r.start_col),
                       end=types.Position(line=r.end_line, character=r.end_col))


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
