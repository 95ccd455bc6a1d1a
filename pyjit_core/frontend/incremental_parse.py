"""Parsing an edited file again from its previous tree: only the top-level statements the edit touched.

An edit re-analyses the whole file, and ``ast.parse`` of torch's
``functional.py`` alone is ~30 ms, a third of a statement's analysis. The
top-level statements an edit did not touch parse to the same nodes (the
same positions, when no line was added or removed above them), so only the
edited ones are parsed, and the others are taken from the previous tree:
as they are before the edit, as copies moved by the lines added or removed
after it. The result is the tree ``ast.parse`` gives for the new text, node
for node, positions included (tests compare the two on every edit).

Why a slice parses as it does in the whole text: it starts where a
top-level statement started in the previous text, after a prefix the edit
did not change (so the tokenizer is in the same state there: nothing open,
column 0), and it ends, parsed as a complete module, where a top-level
statement ended before, followed by the unchanged rest (a column-0
statement or the end). The slice takes one more statement on each side of
the edit, so a line indented onto the end of the statement before (or a
`;` joining the next) is seen. What could still parse otherwise -- a line
ending in a backslash, ``__future__`` imports (only legal first, and
``barry_as_FLUFL`` changes the tokenizer), a parse that fails -- takes the
whole-file parse, which then says what a fresh parse says.

The previous tree's nodes are shared, never changed: the previous analysis
keeps its own tree as it was.
"""

from __future__ import annotations

import ast
from typing import TypeVar

from ..line_ends import unchanged_ends

_Node = TypeVar("_Node", bound=ast.AST)

#: Below this many lines a whole parse is as cheap as finding what changed.
SMALL_FILE_LINES = 200


def parse_from(old_text: str, old_tree: ast.Module, new_text: str, filename: str) -> ast.Module:
    """``ast.parse(new_text)``, reusing ``old_tree`` (``ast.parse(old_text)``) where the edit left it."""
    tree = _reparse(old_text, old_tree, new_text, filename)
    return tree if tree is not None else ast.parse(new_text, filename=filename, type_comments=False)


def _reparse(old_text: str, old_tree: ast.Module, new_text: str, filename: str) -> ast.Module | None:
    if "__future__" in new_text and "barry_as_FLUFL" in new_text:
        return None
    old_lines, new_lines = old_text.split("\n"), new_text.split("\n")
    body = old_tree.body
    if len(new_lines) < SMALL_FILE_LINES or not body:
        return None
    first_changed, old_after = _changed_lines(old_lines, new_lines)
    delta = len(new_lines) - len(old_lines)
    # 1-based old lines [lo, hi] hold the change, with the unchanged line on each side.
    lo, hi = max(first_changed - 1, 1), min(old_after + 1, len(old_lines))
    spans = [(_first_line(s), s.end_lineno or s.lineno) for s in body]
    touched = [k for k, (first, last) in enumerate(spans) if first <= hi and last >= lo]
    if touched:
        i, j = touched[0] - 1, touched[-1] + 1
    else:   # between two statements (blank lines, comments)
        i = sum(1 for first, _ in spans if first < lo) - 1
        j = i + 1
    start = spans[i][0] if i >= 0 else 1
    end = spans[j][1] + delta if j < len(body) else len(new_lines)
    i, j = max(i, 0), min(j, len(body) - 1)
    if (i > 0 and spans[i - 1][1] >= spans[i][0]) or (j + 1 < len(body) and spans[j + 1][0] <= spans[j][1]):
        return None   # statements sharing a line (`a = 1; b = 2`) at a boundary
    if start <= 0 or end > len(new_lines) or end < start:
        return None
    piece = new_lines[start - 1:end]
    if piece and piece[-1].rstrip("\r").endswith("\\"):
        return None
    text = "\n".join(piece)
    if "__future__" in text:
        return None
    try:
        parsed = ast.parse(text, filename=filename, type_comments=False)
    except Exception:   # the whole parse then raises what a fresh one does
        return None
    if start > 1:
        ast.increment_lineno(parsed, start - 1)
    before = body[:i] if start > 1 else []
    after_index = j + 1 if end < len(new_lines) else len(body)
    after = body[after_index:]
    if delta:
        after = [_moved(s, delta) for s in after]
    return ast.Module(body=before + parsed.body + after, type_ignores=[])


def _changed_lines(old: list[str], new: list[str]) -> tuple[int, int]:
    """The 1-based first changed line, and the old lines' last changed one (the
    unchanged suffix follows it; before the first when lines were only inserted)."""
    head, tail = unchanged_ends(old, new)
    return head + 1, len(old) - tail


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None)
    return min([d.lineno for d in decorators] + [stmt.lineno]) if decorators else stmt.lineno


def _moved(node: _Node, delta: int) -> _Node:
    """A copy of ``node`` and everything under it, ``delta`` lines further."""
    d = node.__dict__
    if not d:
        return node   # a context or an operator, shared by the whole tree
    cls = node.__class__
    fields = cls._fields
    if len(d) > len(fields) + len(cls._attributes):
        return _moved_any(node, delta)   # something set an attribute of its own on it
    copy = cls.__new__(cls)
    copied = copy.__dict__
    copied.update(d)   # (in C; only the children and the line numbers change below)
    for key in fields:
        value = d.get(key)
        if value.__class__ is list:
            copied[key] = [_moved(v, delta) if isinstance(v, ast.AST) else v for v in value]
        elif isinstance(value, ast.AST):
            copied[key] = _moved(value, delta)
    if "lineno" in d:
        copied["lineno"] = d["lineno"] + delta
        end = d.get("end_lineno")
        if end is not None:
            copied["end_lineno"] = end + delta
    return copy


def _moved_any(node: _Node, delta: int) -> _Node:
    """:func:`_moved` for a node with attributes beyond its fields: every one is looked at."""
    copy = node.__class__.__new__(node.__class__)
    fields = copy.__dict__
    for key, value in node.__dict__.items():
        if isinstance(value, ast.AST):
            value = _moved(value, delta)
        elif type(value) is list:
            value = [_moved(v, delta) if isinstance(v, ast.AST) else v for v in value]
        fields[key] = value
    if "lineno" in fields:
        fields["lineno"] += delta
        if fields.get("end_lineno") is not None:
            fields["end_lineno"] += delta
    return copy
