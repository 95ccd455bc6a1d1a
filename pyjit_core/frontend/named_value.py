"""NamedValue: a call argument, with its optional keyword and source range.

torch: NamedValue (torch/csrc/jit/ir/named_value.h). It holds either an IR
``Value`` or a Python constant (an IValue) that is materialised with
``insert_constant`` only when a schema needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir.constants import constant_type, insert_constant
from ..ir.graph import Graph, Value
from ..ir.source_range import SourceRange
from ..ir.types import JitType

_NO_VALUE = object()


@dataclass(frozen=True, slots=True, eq=False)
class NamedValue:
    value_: Value | None = None
    name: str | None = None
    loc: SourceRange | None = None
    constant: Any = _NO_VALUE

    @staticmethod
    def of(value: Value, name: str | None = None, loc: SourceRange | None = None) -> NamedValue:
        return NamedValue(value, name, loc)

    @staticmethod
    def of_constant(constant: Any, name: str | None = None, loc: SourceRange | None = None) -> NamedValue:
        return NamedValue(None, name, loc, constant)

    def is_constant(self) -> bool:
        return self.value_ is None

    def value(self, graph: Graph) -> Value:
        """The IR value, inserting the constant at the insert point if needed."""
        if self.value_ is not None:
            return self.value_
        return insert_constant(graph, self.constant, self.loc)

    def type(self) -> JitType:
        if self.value_ is not None:
            return self.value_.type

        return constant_type(self.constant)
