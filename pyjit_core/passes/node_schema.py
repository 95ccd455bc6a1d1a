"""Which registered overload a node calls, judged from its input types.

torch: Node::maybeSchema / Node::matches (torch/csrc/jit/ir/ir.cpp) and
matchTypeVariables / tryEvalTypeVariables (aten/src/ATen/core/type.cpp).
Overloads are tried in registry order; the first whose arguments accept the
node's input types wins. The schemas come from pyjit's bundled torch
registry (:mod:`pyjit_core.schema.registry`).
"""

from __future__ import annotations

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Node
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
        if not match_type_variables(formal, actual, env):
            return False
        resolved = eval_type_variables(formal, env)
        if resolved is not None:
            formal = resolved
        if not T.is_subtype(actual, formal):
            return False
    return schema.is_vararg or len(actuals) == len(formals)


def has_free_variables(t: T.JitType) -> bool:
    if isinstance(t, T.VarType):
        return True
    return any(has_free_variables(c) for c in t.contained_types())


def match_type_variables(formal: T.JitType, actual: T.JitType, env: dict[str, T.JitType]) -> bool:
    """Bind the type variables of ``formal`` against ``actual``. torch: matchTypeVariables."""
    if not has_free_variables(formal):
        return True
    if isinstance(formal, T.VarType):
        bound = env.get(formal.name)
        if bound is None:
            env[formal.name] = actual
            return True
        return T.unify_types(bound, actual) is not None
    if isinstance(formal, T.ListType):
        if isinstance(actual, T.ListType):
            return match_type_variables(formal.element, actual.element, env)
        if isinstance(actual, T.TupleType) and actual.elements:
            unified = actual.elements[0]
            for e in actual.elements[1:]:
                unified = T.unify_types(unified, e)
                if unified is None:
                    return False
            return match_type_variables(formal.element, unified, env)
        return False
    if isinstance(formal, T.TupleType):
        if not isinstance(actual, T.TupleType) or len(actual.elements) != len(formal.elements):
            return False
        return all(match_type_variables(f, a, env) for f, a in zip(formal.elements, actual.elements))
    if isinstance(formal, (T.FutureType, T.AwaitType, T.RRefType)):
        if type(actual) is not type(formal):
            return False
        return match_type_variables(formal.element, actual.element, env)  # type: ignore[attr-defined]
    if isinstance(formal, T.OptionalType):
        if isinstance(actual, T.OptionalType):
            return match_type_variables(formal.element, actual.element, env)
        if not isinstance(actual, T.NoneType):
            # A non-optional actual may match the element.
            return match_type_variables(formal.element, actual, env)
        return True  # None leaves the variable unbound
    if isinstance(formal, T.DictType):
        if not isinstance(actual, T.DictType):
            return False
        return match_type_variables(formal.key, actual.key, env) and \
            match_type_variables(formal.value, actual.value, env)
    return True


def eval_type_variables(t: T.JitType, env: dict[str, T.JitType]) -> T.JitType | None:
    """``t`` with its variables substituted, or None if one is unbound.
    torch: tryEvalTypeVariables."""
    if not has_free_variables(t):
        return t
    if isinstance(t, T.VarType):
        return env.get(t.name)
    contained = []
    for c in t.contained_types():
        r = eval_type_variables(c, env)
        if r is None:
            return None
        contained.append(r)
    return t.with_contained(contained)


def output_type_for(schema: FunctionSchema, actuals: list[T.JitType], index: int = 0) -> T.JitType | None:
    """The type of return ``index`` after binding the inputs' type variables."""
    env: dict[str, T.JitType] = {}
    for formal_arg, actual in zip(schema.arguments, actuals):
        match_type_variables(formal_arg.type, actual, env)
    return eval_type_variables(schema.returns[index].type, env)
