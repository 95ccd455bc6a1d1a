"""Small graphs that apply one scalar operator overload to constants.

Every overload in the bundled torch registry whose arguments are ints,
floats, bools, strings, complex numbers or None (or ``Scalar``/optionals of
those) gets a deterministic sample of argument combinations drawn from
:data:`SAMPLES` -- values chosen to hit the C++/Python differences:
64-bit overflow, signs of zero, division by zero, rounding halves, huge
magnitudes, whitespace and signs in numeric strings.

Each graph is printed in pyjit's syntax; ``torch_text`` turns it into
``torch._C.parse_ir``'s (no ``=`` before output-less nodes: there are none
here). Complex inputs cannot be written as IR literals, so they come from
``aten::Complex`` nodes that constant propagation folds first.
"""

from __future__ import annotations

import functools
import itertools
import operator
import random
from dataclasses import dataclass

from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import format_double, quote_string
from pyjit_core.ir.constants import constant_type
from pyjit_core.passes.node_schema import schema_matches
from pyjit_core.schema.model import FunctionSchema
from pyjit_core.schema.registry import default_registry

SAMPLES: dict[str, list] = {
    "int": [0, 1, -1, 2, 3, -7, 10, 62, 64, 70, (1 << 62), (1 << 63) - 1, -(1 << 63)],
    # No integral floats >= 1e10: torch prints them without a dot and its
    # parser then reads an int.
    "float": [0.0, -0.0, 0.5, -0.5, 2.5, -2.5, 3.0, 0.1, 1.5e-7, 123456789.0, 1e300, -1e300, 7.25],
    "bool": [True, False],
    "str": ["", "a", "ab", "aBc d", " 12 ", "12", "-3", "3.5", "1e3", "x1", "inf", "nan", "cpu", "cuda:1", "\t"],
    "NoneType": [None],
    "complex": [complex(1.0, 2.0), complex(0.0, -1.0), complex(-2.5, 0.0), complex(0.0, 0.0)],
}

#: Ints for operators whose cost grows with the value (``"a".ljust(2**62)``,
#: ``factorial(2**62)`` run for ever in torch).
SMALL_INTS = [0, 1, -1, 2, 3, 5, 10, 21]

#: Overloads left out: torch kills the process (SIGFPE) or they read process state.
SKIPPED_OVERLOADS = frozenset({
    "aten::seed", "aten::initial_seed", "aten::manual_seed", "prim::TimePoint",
    "aten::_get_tracing_state", "aten::get_autocast_dtype", "aten::_cufft_get_plan_cache_size",
    "aten::_cufft_get_plan_cache_max_size", "aten::_cufft_set_plan_cache_max_size",
    "aten::_cufft_clear_plan_cache", "aten::set_grad_enabled",
})

PER_OVERLOAD = 16


@dataclass(frozen=True)
class FoldCase:
    overload: str
    args: tuple
    text: str


def _kinds(t: T.JitType) -> list[str] | None:
    if isinstance(t, T.IntType):
        return ["int"]
    if isinstance(t, T.FloatType):
        return ["float"]
    if isinstance(t, T.BoolType):
        return ["bool"]
    if isinstance(t, T.StringType):
        return ["str"]
    if isinstance(t, T.ComplexType):
        return ["complex"]
    if isinstance(t, T.NumberType):
        return ["int", "float", "complex"]
    if isinstance(t, T.OptionalType):
        inner = _kinds(t.element)
        return [*inner, "NoneType"] if inner else None
    return None


class _Names:
    """Numeric value names in creation order: torch's parser renumbers values
    that way, pyjit's keeps the numbers, so both print the same."""

    def __init__(self) -> None:
        self.next = 0

    def take(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _constant(names: _Names, value, lines: list[str]) -> str:
    if isinstance(value, complex):
        re_name, im_name = names.take(), names.take()
        lines.append(f"  %{re_name} : float = prim::Constant[value={format_double(value.real)}]()")
        lines.append(f"  %{im_name} : float = prim::Constant[value={format_double(value.imag)}]()")
        name = names.take()
        lines.append(f"  %{name} : complex = aten::Complex(%{re_name}, %{im_name})")
        return name
    name = names.take()
    if value is None:
        lines.append(f"  %{name} : NoneType = prim::Constant()")
    elif isinstance(value, bool):
        lines.append(f"  %{name} : bool = prim::Constant[value={int(value)}]()")
    elif isinstance(value, int):
        lines.append(f"  %{name} : int = prim::Constant[value={value}]()")
    elif isinstance(value, float):
        lines.append(f"  %{name} : float = prim::Constant[value={format_double(value)}]()")
    elif isinstance(value, str):
        lines.append(f"  %{name} : str = prim::Constant[value={quote_string(value)}]()")
    else:
        raise TypeError(value)
    return name


def _selected(schema: FunctionSchema, args: tuple) -> FunctionSchema | None:
    """The overload a node with these inputs calls (torch's parser insists
    that the written output types are that overload's)."""
    actuals = [constant_type(a) for a in args]
    for candidate in default_registry().schemas_for(schema.name):
        if schema_matches(candidate, actuals):
            return candidate
    return None


def _graph(schema: FunctionSchema, args: tuple) -> str:
    lines = ["graph():"]
    names = _Names()
    inputs = ["%" + _constant(names, value, lines) for value in args]
    results = [names.take() for _ in schema.returns]
    outs = ", ".join(f"%{r} : {ret.type}" for r, ret in zip(results, schema.returns, strict=False))
    lines.append(f"  {outs} = {schema.name}({', '.join(inputs)})")
    lines.append("  return (" + ", ".join(f"%{r}" for r in results) + ")")
    return "\n".join(lines) + "\n"


def fold_cases() -> list[FoldCase]:
    rng = random.Random(2130)
    cases: list[FoldCase] = []
    for schema in default_registry():
        if schema.is_vararg or not schema.returns or schema.name in SKIPPED_OVERLOADS:
            continue
        if schema.name.split("::")[0] not in ("aten", "prim"):
            continue
        kinds = [_kinds(a.type) for a in schema.arguments]
        if any(k is None for k in kinds):
            continue
        if any(_kinds(r.type) is None and not isinstance(r.type, (T.DeviceObjType, T.TupleType))
               for r in schema.returns):
            continue
        costly = schema.name == "aten::factorial" or any(isinstance(a.type, T.StringType) for a in schema.arguments)
        samples = dict(SAMPLES, int=SMALL_INTS) if costly else SAMPLES
        pools = [functools.reduce(operator.iadd, (samples[k] for k in ks), []) for ks in kinds]  # type: ignore[union-attr]
        total = 1
        for p in pools:
            total *= len(p)
        if total <= PER_OVERLOAD:
            combos = list(itertools.product(*pools))
        else:
            combos = {tuple(rng.choice(p) for p in pools) for _ in range(PER_OVERLOAD * 3)}
            combos = sorted(combos, key=repr)[:PER_OVERLOAD]
        for args in combos:
            selected = _selected(schema, args)
            if selected is None or selected.operator_name != schema.operator_name:
                continue  # another overload's case (it gets its own)
            cases.append(FoldCase(schema.operator_name, args, _graph(selected, args)))
    return cases
