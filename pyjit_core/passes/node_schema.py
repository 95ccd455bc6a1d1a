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


def node_schema(node: Node) -> FunctionSchema | None:
    """torch: Node::maybeSchema."""
    actuals = [v.type for v in node.inputs]
    for schema in schemas_for(node.kind.qual_string()):
        if schema_matches(schema, actuals):
            return schema
    return None


def schema_matches(schema: FunctionSchema, actuals: list[T.JitType]) -> bool:
    """torch: Node::matches."""
    formals = schema.arguments
    if len(actuals) < len(formals):
        return False
    env: dict[str, T.JitType] = {}
    for formal_arg, actual in zip(formals, actuals):
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
    for formal_arg, actual in zip(schema.arguments, actuals):
        match_type_variables(formal_arg.type, actual, env)
    return try_eval_type_variables(schema.returns[index].type, env)
