"""Constants: inserting ``prim::Constant`` nodes and reading them back.

torch: torch/csrc/jit/ir/constants.cpp (insertConstant, tryInsertConstant,
toIValue). Python values stand in for IValues: ``bool``, ``int``, ``float``,
``complex``, ``str``, ``None``, ``tuple`` (a TorchScript tuple), ``list`` (a
TorchScript list; give its type when it could be empty or mixed),
:class:`~pyjit_core.ir.attributes.Device` and
:class:`~pyjit_core.ir.attributes.EnumValue`.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import PyjitError
from . import types as T
from .attributes import AttributeKind, Device, EnumValue, TensorConstant
from .graph import Graph, Node, Value
from .source_range import SourceRange
from .symbols import kinds


class ConstantNotSupported(PyjitError, ValueError):
    """torch: constant_not_supported_error."""


def constant_type(value: Any) -> T.JitType:
    """The TorchScript type of a Python constant. torch: IValue::type."""
    if value is None:
        return T.NoneT
    if isinstance(value, bool):
        return T.Bool
    if isinstance(value, int):
        return T.Int
    if isinstance(value, float):
        return T.Float
    if isinstance(value, complex):
        return T.Complex
    if isinstance(value, str):
        return T.Str
    if isinstance(value, Device):
        return T.Device
    if isinstance(value, EnumValue):
        return T.EnumType(value.qualified_class)
    if isinstance(value, tuple):
        return T.TupleType(tuple(constant_type(v) for v in value))
    if isinstance(value, list):
        if not value:
            raise ConstantNotSupported("the type of an empty list constant must be given")
        elem = constant_type(value[0])
        for v in value[1:]:
            unified = T.unify_types(elem, constant_type(v))
            if unified is None:
                raise ConstantNotSupported(f"list constant mixes {elem} and {constant_type(v)}")
            elem = unified
        return T.ListType(elem)
    if isinstance(value, TensorConstant):
        return T.Tensor
    raise ConstantNotSupported(f"Unsupported value kind: {type(value).__name__}")


def _insertable(value: Any) -> bool:
    """torch: insertableIValue -- tuples, lists and dicts of plain constants."""
    if isinstance(value, (tuple, list)):
        return all(_insertable(v) for v in value)
    if isinstance(value, dict):
        return all(_insertable(k) and _insertable(v) for k, v in value.items())
    return value is None or isinstance(value, (bool, int, float, complex, str, Device, EnumValue))


def create_constant(graph: Graph, value: Any, loc: SourceRange | None = None,
                    type: T.JitType | None = None) -> Node:
    """A ``prim::Constant`` node for ``value``, not inserted. torch: tryInsertConstant."""
    n = graph.create(kinds.Constant)
    out = n.output()
    if value is None:
        out.set_type(type or T.NoneT)
    elif isinstance(value, bool):
        n.i_("value", int(value))
        out.set_type(T.Bool)
    elif isinstance(value, int):
        n.i_("value", value)
        out.set_type(T.Int)
    elif isinstance(value, float):
        n.f_("value", value)
        out.set_type(T.Float)
    elif isinstance(value, complex):
        n.set_attr("value", AttributeKind.c, value)
        out.set_type(T.Complex)
    elif isinstance(value, str):
        n.s_("value", value)
        out.set_type(T.Str)
    elif isinstance(value, Device):
        n.s_("value", value.spec)
        out.set_type(T.Device)
    elif isinstance(value, (tuple, list, dict, EnumValue)):
        if not _insertable(value):
            n.destroy()
            raise ConstantNotSupported(f"cannot insert {value!r} as a constant")
        n.ival_("value", value)
        out.set_type(type or constant_type(value))
    elif isinstance(value, TensorConstant):
        n.set_attr("value", AttributeKind.t, value)
        out.set_type(type or T.Tensor)
    else:
        n.destroy()
        raise ConstantNotSupported(f"Unsupported value kind: {type(value).__name__}")
    n.source_range = loc
    return n


def insert_constant(graph: Graph, value: Any, loc: SourceRange | None = None,
                    type: T.JitType | None = None) -> Value:
    """Insert at the graph's insert point. torch: insertConstant."""
    return graph.insert_node(create_constant(graph, value, loc, type)).output()


_MISSING = object()


def constant_value(v: Value, default: Any = _MISSING) -> Any:
    """The Python value of a ``prim::Constant`` output. torch: toIValue.

    Returns ``default`` (or raises ``ValueError`` without one) when ``v`` is
    not a constant.
    """
    n = v.node
    if n.kind is not kinds.Constant:
        if default is _MISSING:
            raise ValueError(f"%{v.debug_name()} is not a constant")
        return default
    if not n.attributes:
        return None
    attr = n.attributes["value"]
    if isinstance(v.type, T.BoolType):
        return bool(attr.value)
    if isinstance(v.type, T.DeviceObjType):
        return Device(attr.value)
    return attr.value


def is_constant(v: Value) -> bool:
    return v.node.kind is kinds.Constant
