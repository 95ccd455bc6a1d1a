"""Which registered overload a node calls, judged from its input types.

torch: Node::maybeSchema / Node::matches (torch/csrc/jit/ir/ir.cpp) and
matchTypeVariables / tryEvalTypeVariables (in :mod:`pyjit_core.ir.type_variables`).
Overloads are tried in registry order; the first whose arguments accept the
node's input types wins. The schemas come from pyjit's bundled torch
registry (:mod:`pyjit_core.schema.registry`).
"""

from __future__ import annotations

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Node
from pyjit_core.ir.type_variables import match_type_variables, try_eval_type_variables
from pyjit_core.schema.model import FunctionSchema
from pyjit_core.schema.registry import schemas_for

#: Answers of :func:`node_schema` by signature (the kind, then the input
#: types). The passes ask about the same few hundred signatures thousands of
#: times, and the answer depends on nothing else: the registry is fixed, and
#: signatures with interface types -- whose subtyping asks the compilation
#: in progress -- are never stored.
_schema_by_signature: dict[tuple, FunctionSchema | None] = {}
_SIGNATURES_KEPT = 20_000


def node_schema(node: Node) -> FunctionSchema | None:
    """torch: Node::maybeSchema."""
    actuals = [v.type for v in node.inputs]
    signature = (node.kind, *actuals)
    try:
        return _schema_by_signature[signature]
    except KeyError:
        cacheable = not any(_mentions_interface(t) for t in actuals)
    except TypeError:  # a type holding something unhashable
        cacheable = False
    found = _match_schema(node.kind.qual_string(), actuals)
    if cacheable:
        if len(_schema_by_signature) >= _SIGNATURES_KEPT:
            _schema_by_signature.clear()
        _schema_by_signature[signature] = found
    return found


def _match_schema(qualified_name: str, actuals: list[T.JitType]) -> FunctionSchema | None:
    for schema in schemas_for(qualified_name):
        if schema_matches(schema, actuals):
            return schema
    return None


def _mentions_interface(t: T.JitType) -> bool:
    return isinstance(t, T.InterfaceType) or any(_mentions_interface(c) for c in t.contained_types())


def schema_matches(schema: FunctionSchema, actuals: list[T.JitType]) -> bool:
    """torch: Node::matches."""
    formals = schema.arguments
    if len(actuals) < len(formals):
        return False
    env: dict[str, T.JitType] = {}
    for formal_arg, actual in zip(formals, actuals, strict=False):
        formal = formal_arg.type
        if match_type_variables(formal, actual, env) is not None:
            return False
        resolved = try_eval_type_variables(formal, env)
        if resolved is not None:
            formal = resolved
        if not T.is_subtype(actual, formal):
            return False
    return schema.is_vararg or len(actuals) == len(formals)


def output_type_for(schema: FunctionSchema, actuals: list[T.JitType], index: int = 0) -> T.JitType | None:
    """The type of return ``index`` after binding the inputs' type variables."""
    env: dict[str, T.JitType] = {}
    for formal_arg, actual in zip(schema.arguments, actuals, strict=False):
        match_type_variables(formal_arg.type, actual, env)
    return try_eval_type_variables(schema.returns[index].type, env)
