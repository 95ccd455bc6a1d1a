"""torch's TorchScript-written builtin functions, inlined where a call matches one.

torch: torch/csrc/jit/frontend/builtin_functions.cpp. At start-up torch
compiles a few tiny TorchScript functions and registers them under builtin
names; overload resolution offers them after the operators of the same name,
and a match inlines the function's graph instead of emitting a node:

* ``aten::add`` / ``mul`` / ``sub`` / ``div`` / ``ne`` / ``eq`` for
  ``(float | int | complex, Tensor)`` and ``lt`` / ``le`` / ``gt`` / ``ge``
  for ``(float | int, Tensor)``: ``2 * x`` is ``x * 2``;
* ``aten::_single`` / ``_pair`` / ``_triple`` / ``_quadruple`` (``float[N]``,
  ``int[N]``): the identity, after a lone number became a list;
* ``aten::floordiv(Tensor, Scalar | Tensor)``: ``aten::floor_divide``;
* ``aten::_assert_int_or_pair``, ``list_with_default``, ``_assert`` (bool,
  Tensor), ``device(str type)``, ``__contains__(str, str)``;
* ``prim::ndim`` / ``T`` / ``H`` / ``mT`` / ``mH`` / ``shape``, the Tensor
  properties.

The functions' schemas and graphs are captured from torch by
``tools/capture_builtin_functions.py`` into ``data/builtin_functions.ir``
(torch's own printed IR, with the ``# <string>:line:col`` ranges that point
into torch's builtin sources) and read back here, with
:func:`pyjit_core.ir.parser.parse_graph`, on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ir.graph import Graph, Value
from ..ir.parser import parse_graph
from ..ir.symbols import Symbol
from ..schema import parse_schema
from ..schema.model import FunctionSchema

DATA_FILE = "builtin_functions.ir"


@dataclass(frozen=True, eq=False)
class BuiltinFunction:
    """One TorchScript-written builtin. torch: the GraphFunction in BuiltinFunctionRegistry."""

    symbol: Symbol
    schema: FunctionSchema
    graph: Graph

    def inline(self, graph: Graph, inputs: Sequence[Value]) -> list[Value]:
        """Copy the body to ``graph``'s insert point; the copies' outputs. torch: insertGraph."""
        return insert_graph(graph, self.graph, inputs)


def insert_graph(graph: Graph, callee: Graph, inputs: Sequence[Value]) -> list[Value]:
    """Clone ``callee``'s nodes at the insert point with its inputs bound to ``inputs``.

    Nodes keep their source ranges and values their debug names. torch:
    insertGraph (torch/csrc/jit/ir/ir.cpp).
    """
    if len(inputs) != len(callee.inputs):
        raise ValueError(f"insert_graph: {len(inputs)} inputs for a graph taking {len(callee.inputs)}")
    value_map: dict[int, Value] = {id(p): v for p, v in zip(callee.inputs, inputs, strict=False)}

    def lookup(v: Value) -> Value:
        return value_map[id(v)]

    for node in callee.nodes():
        new = graph.insert_node(graph.create_clone(node, lookup))
        for old, copied in zip(node.outputs, new.outputs, strict=False):
            value_map[id(old)] = copied
    return [lookup(o) for o in callee.outputs]


def builtin_functions_for(symbol: Symbol) -> tuple[BuiltinFunction, ...]:
    """The builtin functions named ``symbol``, in the order torch offers them."""
    return _registry().get(symbol, ())


def all_builtin_functions() -> tuple[BuiltinFunction, ...]:
    return tuple(f for group in _registry().values() for f in group)


@functools.cache
def _registry() -> dict[Symbol, tuple[BuiltinFunction, ...]]:
    text = (Path(__file__).with_name("data") / DATA_FILE).read_text("utf-8")
    found: dict[Symbol, list[BuiltinFunction]] = {}
    for function in parse_builtin_functions(text):
        found.setdefault(function.symbol, []).append(function)
    return {symbol: tuple(group) for symbol, group in found.items()}


def parse_builtin_functions(text: str) -> list[BuiltinFunction]:
    """Read ``function SYMBOL`` / ``schema TEXT`` / graph blocks (see the data file)."""
    functions = []
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        symbol = _expect_prefix(lines[i], "function ")
        schema = parse_schema(_expect_prefix(lines[i + 1], "schema "))
        end = i + 2
        while end < len(lines) and lines[end].strip():
            end += 1
        graph = parse_graph("\n".join(lines[i + 2:end]) + "\n")
        if len(graph.inputs) != len(schema.arguments):
            raise ValueError(f"{symbol}: graph has {len(graph.inputs)} inputs, schema {len(schema.arguments)}")
        functions.append(BuiltinFunction(Symbol(symbol), schema, graph))
        i = end
    return functions


def _expect_prefix(line: str, prefix: str) -> str:
    if not line.startswith(prefix):
        raise ValueError(f"expected a line starting with {prefix!r}, found {line!r}")
    return line[len(prefix):]


__all__ = ["BuiltinFunction", "all_builtin_functions", "builtin_functions_for", "insert_graph",
           "parse_builtin_functions"]
