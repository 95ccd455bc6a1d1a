"""NamedTuples made by a call: ``S = collections.namedtuple("S", ["a", "b"])``.

torch reads such a class as it reads a ``class S(NamedTuple)``
(``_get_named_tuple_properties``): its fields in order, each typed by
``S.__annotations__`` when the module assigns one (torchvision's
``GoogLeNetOutputs.__annotations__ = {...}``), else ``Tensor``.
pyjit reads the assignment and that ``__annotations__`` statement of the
same module, following ``from m import S`` to the module that makes it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ..ir import types as T
from ..ir.types import NamedTupleField
from ..schema.model import NO_DEFAULT, Argument, FunctionSchema
from .compilation_unit import torch_qualified_name
from .errors import CompileError
from .pyworld import ModuleScope

if TYPE_CHECKING:
    from .compiler import Compiler

NAMEDTUPLE_CALLS = {"collections.namedtuple"}


def functional_named_tuple(compiler: Compiler, scope: ModuleScope, name: str) -> T.TupleType | None:
    """The NamedTuple type ``name`` denotes in ``scope`` if a ``namedtuple(...)`` call makes it."""
    scope, name = scope.defining_scope(name)
    node = scope.binding_node(name)
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call) and scope.dotted_name(node.value.func) in NAMEDTUPLE_CALLS):
        return None
    qualname = torch_qualified_name(scope.module_name, name)
    known = compiler.named_tuple_schemas.get(qualname)
    if known is not None:
        return known.returns[0].type  # type: ignore[return-value]
    names = _field_names(node.value)
    if names is None:
        return None
    annotations = _annotations(scope, name)
    parser = compiler.type_parser_for(scope)
    builder = compiler.tree_builder(scope)
    types = []
    for field in names:
        expr = annotations.get(field)
        try:
            types.append(parser.parse_type_from_expr(builder.build_expr(expr)) if expr is not None else T.Tensor)
        except CompileError:
            return None
    fields = tuple(NamedTupleField(f, t_, None) for f, t_ in zip(names, types, strict=False))
    tt = T.TupleType(tuple(types), qualname, fields)
    compiler.named_tuple_schemas[qualname] = FunctionSchema(
        qualname, "", tuple(Argument(f, t_, default_value=NO_DEFAULT) for f, t_ in zip(names, types, strict=False)),
        (Argument("", tt),))
    return tt


def _field_names(call: ast.Call) -> list[str] | None:
    """``["a", "b"]``, ``("a", "b")``, ``"a b"`` or ``"a, b"``; ``None`` for anything computed."""
    keyword = next((k.value for k in call.keywords if k.arg == "field_names"), None)
    spec = call.args[1] if len(call.args) > 1 else keyword
    if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        return spec.value.replace(",", " ").split()
    if isinstance(spec, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
        return [e.value for e in spec.elts]  # type: ignore[attr-defined]
    return None


def _annotations(scope: ModuleScope, name: str) -> dict[str, ast.expr]:
    """``name.__annotations__ = {"field": type, ...}`` at the top level of the module (the last one)."""
    found: dict[str, ast.expr] = {}
    for stmt in scope.tree.body if scope.tree is not None else ():
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Attribute)
                and stmt.targets[0].attr == "__annotations__" and isinstance(stmt.targets[0].value, ast.Name)
                and stmt.targets[0].value.id == name and isinstance(stmt.value, ast.Dict)):
            found = {k.value: v for k, v in zip(stmt.value.keys, stmt.value.values, strict=False)
                     if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return found
