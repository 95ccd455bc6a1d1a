"""Walks over Python syntax trees that visit statements only.

``ast.walk`` visits every expression too, which is most of a file's nodes;
finding the ``def``\\ s of a 7,000-line module with it costs tens of
milliseconds on every keystroke. A ``def`` is always a statement, so a walk
over statement bodies finds the same ones for a fraction of the work.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

#: The fields of statements (and of ``except`` handlers and ``match`` cases) that hold statements.
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


#: The fields of ``_BODIES`` each node class has (most statements have none): a missing
#: attribute's ``getattr`` raises and catches inside, which made most of a walk's cost.
_BODIES_OF: dict[type, tuple[str, ...]] = {}


def _bodies_of(cls: type) -> tuple[str, ...]:
    found = _BODIES_OF[cls] = tuple(f for f in _BODIES if f in getattr(cls, "_fields", ()))
    return found


def statements(tree: ast.AST) -> Iterator[ast.AST]:
    """Every statement below ``tree``, breadth first as ``ast.walk`` orders
    them (with the ``except`` handlers and ``match`` cases that hold some)."""
    todo: deque[ast.AST] = deque([tree])
    bodies_of = _BODIES_OF
    while todo:
        node = todo.popleft()
        if node is not tree:
            yield node
        fields = bodies_of.get(node.__class__)
        if fields is None:
            fields = _bodies_of(node.__class__)
        for field in fields:
            inner = getattr(node, field, None)
            if inner:
                todo.extend(inner)


def function_definitions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every ``def`` and ``async def`` below ``tree``, in ``ast.walk``'s order."""
    for node in statements(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node
