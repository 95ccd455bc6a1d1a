"""Module-level type aliases in annotations: ``IntPair = Tuple[int, int]``, and
generic ones as torch's ``nn.common_types`` spells its sizes::

    T = TypeVar("T")
    _scalar_or_tuple_2_t = Union[T, tuple[T, T]]
    _size_2_t = _scalar_or_tuple_2_t[int]          # Union[int, Tuple[int, int]]

torch never sees the alias: Python evaluates the annotation, and
``try_ann_to_type`` gets the typing object it names. pyjit reads the
assignment instead, in the module that makes it, following ``from m import
name`` to that module, and substitutes a generic alias's type variables (in
order of first appearance, as ``typing`` orders an alias's parameters).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..ir import types as T
from .errors import CompileError
from .pyworld import ModuleScope
from .type_parser import TypeParser

if TYPE_CHECKING:
    from .compiler import Compiler

TYPEVAR_PATHS = {"typing.TypeVar", "typing_extensions.TypeVar"}
_MAX_DEPTH = 8          # aliases of aliases; deeper is a cycle or nothing worth reading


_READING: set[tuple[int, str]] = set()       # aliases being read: ``A = B; B = A`` names nothing


def alias_type(compiler: Compiler, scope: ModuleScope, name: str) -> T.JitType | None:
    """The type the global alias ``name`` of ``scope`` denotes, or ``None`` if it is no alias pyjit can read."""
    found = _definition(scope, name)
    if found is None or (id(found[0]), name) in _READING:
        return None
    _READING.add((id(found[0]), name))
    try:
        return _alias_type(compiler, *found)
    finally:
        _READING.discard((id(found[0]), name))


def _alias_type(compiler: Compiler, scope: ModuleScope, value: ast.expr) -> T.JitType | None:
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        base = _definition(scope, value.value.id)
        if base is not None and _type_variables(*base):
            args = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
            parsed = [_parse(compiler, scope, a, {}) for a in args]
            arg_types = [a for a in parsed if a is not None]
            variables = _type_variables(*base)
            if len(arg_types) != len(parsed) or len(variables) != len(arg_types):
                return None
            return _parse(compiler, base[0], base[1], dict(zip(variables, arg_types, strict=True)))
    return _parse(compiler, scope, value, {})


def _definition(scope: ModuleScope, name: str) -> tuple[ModuleScope, ast.expr] | None:
    """The module and the right-hand side of ``name = ...``, through ``from m import name``."""
    scope, name = scope.defining_scope(name, _MAX_DEPTH)
    node = scope.binding_node(name)
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return scope, node.value
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return scope, node.value
    return None


def _is_type_variable(scope: ModuleScope, name: str) -> bool:
    found = _definition(scope, name)
    return found is not None and isinstance(found[1], ast.Call) and found[0].dotted_name(found[1]) in TYPEVAR_PATHS


def _names_in_order(expr: ast.AST) -> Iterator[str]:
    if isinstance(expr, ast.Name):
        yield expr.id
    for child in ast.iter_child_nodes(expr):
        yield from _names_in_order(child)


def _type_variables(scope: ModuleScope, value: ast.expr) -> list[str]:
    out: list[str] = []
    for name in _names_in_order(value):
        if name not in out and _is_type_variable(scope, name):
            out.append(name)
    return out


def _parse(compiler: Compiler, scope: ModuleScope, expr: ast.expr, bound: dict[str, T.JitType]) -> T.JitType | None:
    parser = TypeParser(_BoundVariables(compiler.resolver_for(scope), bound)) if bound \
        else compiler.type_parser_for(scope)
    try:
        return parser.parse_type_from_expr(compiler.tree_builder(scope).build_expr(expr))
    except CompileError:
        return None


class _BoundVariables:
    """A resolver that knows a generic alias's type variables first."""

    def __init__(self, inner: Any, bound: dict[str, T.JitType]) -> None:
        self.inner = inner
        self.bound = bound

    def resolve_type(self, name: str, loc) -> T.JitType | None:
        return self.bound.get(name) or self.inner.resolve_type(name, loc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
