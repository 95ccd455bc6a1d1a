"""Schema → text, byte-identical to torch's ``str(schema)``.

torch: ``operator<<`` for FunctionSchema (function_schema_inl.h /
function_schema.cpp), Argument (function_schema.h), AliasInfo (alias_info.h),
and IValue (ivalue.cpp) for default values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import format_complex, quote_string, stream_double

if TYPE_CHECKING:
    from pyjit_core.schema.model import AliasInfo, Argument, FunctionSchema


def format_schema(schema: FunctionSchema) -> str:
    """torch: operator<<(std::ostream&, const FunctionSchema&)."""
    out = [schema.operator_name, "("]
    seen_kwarg_only = False
    for index, argument in enumerate(schema.arguments):
        if index > 0:
            out.append(", ")
        if argument.kwarg_only and not seen_kwarg_only:
            out.append("*, ")
            seen_kwarg_only = True
        out.append(format_argument(argument))
    if schema.is_vararg:
        if schema.arguments:
            out.append(", ")
        out.append("...")
    out.append(") -> ")

    returns = [format_argument(r) for r in schema.returns]
    single = len(returns) == 1 and not schema.is_varret
    # A lone return needs no parentheses, unless it starts with one: without
    # them `-> ((str, t)[])` or `-> ((int, int))` would read as a tuple of returns.
    need_paren = not (single or (not returns and schema.is_varret))
    if single and returns[0].startswith("("):
        need_paren = True
    if schema.is_varret:
        returns.append("...")
    body = ", ".join(returns)
    out.append(f"({body})" if need_paren else body)
    return "".join(out)


def format_argument(argument: Argument) -> str:
    """torch: operator<<(std::ostream&, const Argument&).

    Prints the written (real) type, the alias annotation before the ``?`` of
    an optional, the name, and the default value.
    """
    real = argument.real_type
    assert real is not None
    is_optional = isinstance(real, T.OptionalType)
    unoptional = real.element if is_optional else real
    alias = argument.alias_info

    out: list[str] = []
    if isinstance(unoptional, T.ListType):
        # Sized lists take their size from the argument, not the type.
        out.append(type_str(unoptional.element))
        if alias is not None and alias.contained_types:
            out.append(format_alias_info(alias.contained_types[0]))
        out.append(f"[{'' if argument.N is None else argument.N}]")
    else:
        out.append(type_str(unoptional))
    if alias is not None and alias.before_sets:
        out.append(format_alias_info(alias))
    if is_optional:
        out.append("?")
    if argument.name:
        out.append(" " + argument.name)
    if argument.has_default_value:
        out.append("=" + _format_default(real, unoptional, argument.default_value))
    return "".join(out)


def type_str(t: T.JitType) -> str:
    """A type as torch's ``Type::str()`` spells it in a schema.

    Like ``t.str()``, except for unions that can hold a Scalar: torch stores
    Scalar as int, float and complex, prints the other members (with a comma
    before each one that is not its first member, even when nothing precedes
    it) and then ``Scalar``, giving ``Union(, str, Scalar)`` and
    ``Union(TensorScalar)``. torch: UnionType::unionStr.
    """
    if isinstance(t, T.ListType):
        return type_str(t.element) + "[]"
    if isinstance(t, T.OptionalType):
        return type_str(t.element) + "?"
    if isinstance(t, T.TupleType) and t.name is None:
        return "(" + ", ".join(type_str(e) for e in t.elements) + ")"
    if isinstance(t, T.DictType):
        return f"Dict({type_str(t.key)}, {type_str(t.value)})"
    if isinstance(t, (T.FutureType, T.AwaitType, T.RRefType)):
        return f"{t.str().partition('(')[0]}({type_str(t.element)})"
    if isinstance(t, T.UnionType):
        return _union_str(t)
    return t.str()


def _union_str(union: T.UnionType) -> str:
    number = T.NumberType()
    if number not in union.members:
        return "Union(" + ", ".join(type_str(m) for m in union.members) + ")"
    # torch's member list: Scalar expanded to its parts, everything sorted by kind.
    parts = (T.FloatType(), T.ComplexType(), T.IntType())
    members = sorted([m for m in union.members if m != number] + list(parts), key=lambda m: m.kind)
    out, printed = [], False
    for index, member in enumerate(members):
        if member in parts:
            continue
        if index > 0:
            out.append(", ")
            printed = True
        out.append(type_str(member))
    out.append(", Scalar" if printed else "Scalar")
    return "Union(" + "".join(out) + ")"


def _format_default(real: T.JitType, unoptional: T.JitType, value: object) -> str:
    if isinstance(value, str) and (isinstance(real, T.StringType) or isinstance(unoptional, T.StringType)):
        return quote_string(value)
    if (
        isinstance(real, T.ListType)
        and isinstance(real.element, T.IntType)
        and isinstance(value, (tuple, list))
        and len(value) > 1
        and all(v == value[0] for v in value[1:])
    ):
        # Replicates native_functions.yaml: `int[2] stride=1`, not `stride=[1, 1]`.
        return format_value(value[0])
    return format_value(value)


def format_alias_info(alias: AliasInfo) -> str:
    """``(a)``, ``(a!)``, ``(a -> *)``. torch: operator<<(std::ostream&, const AliasInfo&)."""
    out = "(" + "|".join(alias.before_sets)
    if alias.is_write:
        out += "!"
    if frozenset(alias.before_sets) != frozenset(alias.after_sets):
        out += " -> " + "|".join(alias.after_sets)
    return out + ")"


def format_value(value: object) -> str:
    """A default value as torch prints the IValue. torch: operator<<(std::ostream&, const IValue&)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return stream_double(value)
    if isinstance(value, complex):
        return format_complex(value)
    if isinstance(value, str):
        # torch writes a string IValue bare; only string-typed arguments quote it.
        return value
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    # DeviceLiteral and anything else that knows its own spelling.
    return str(value)
