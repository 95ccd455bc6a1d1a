"""Implicit conversions a call argument may undergo to fit a schema.

torch: ``tryConvertToType`` and ``convertibleToList``
(torch/csrc/jit/frontend/schema_matching.cpp), with the node builders they
use (``Graph::createList``, ``createTuple``, ``createTupleUnpack`` in
torch/csrc/jit/ir/ir.cpp).

Always applied, whatever the pass:

* a tuple whose elements all fit a list's element type becomes that list
  (``x.view((2, 3))``);
* a tuple is converted element-wise to a tuple type it does not already fit;
* the empty list literal ``prim::EmptyListLiteral`` becomes a typed empty list.

Only with ``allow_conversions`` (overload resolution's second pass, and
every single-overload match):

* a Tensor becomes ``float`` / ``complex`` / ``int`` / ``Scalar`` through
  ``aten::FloatImplicit`` / ``ComplexImplicit`` / ``IntImplicit`` /
  ``ScalarImplicit``;
* a ``Scalar`` (``number``) becomes ``float`` / ``complex`` / ``int`` through
  ``aten::Float`` / ``aten::Complex`` / ``aten::Int``;
* a ``bool`` becomes ``float`` through ``aten::Float``, ``int`` or ``Scalar``
  through ``aten::Int``;
* a ``str`` becomes a ``Device`` through ``aten::device``.

Nodes built here carry no source range except the inserted conversion ops,
which get the call's range, as in torch.
"""

from __future__ import annotations

from typing import Sequence

from ..ir import types as T
from ..ir.graph import Graph, Node, Value
from ..ir.source_range import SourceRange
from ..ir.symbols import aten, kinds, prim
from ..ir.type_variables import repr_str

EMPTY_LIST_LITERAL = prim("EmptyListLiteral")


def unwrap_optional(t: T.JitType) -> T.JitType:
    """``T`` for ``Optional[T]``, else ``t``. torch: unwrapOptional (schema_matching.cpp)."""
    return t.element if isinstance(t, T.OptionalType) else t


def create_list(graph: Graph, element_type: T.JitType, values: Sequence[Value]) -> Node:
    """A ``prim::ListConstruct`` of ``element_type``, not inserted. torch: Graph::createList."""
    for v in values:
        if not T.is_subtype(v.type, element_type):
            raise TypeError(
                f"Expected a list element that subtypes '{repr_str(element_type)}' "
                f"but got an element of type '{repr_str(v.type)}'"
            )
    n = graph.create(kinds.ListConstruct, values)
    n.output().set_type(T.ListType(element_type))
    return n


def create_tuple(graph: Graph, values: Sequence[Value], tuple_type: T.TupleType | None = None) -> Node:
    """A ``prim::TupleConstruct``, not inserted. torch: Graph::createTuple."""
    if tuple_type is None:
        tuple_type = T.TupleType(tuple(v.type for v in values))
    n = graph.create(kinds.TupleConstruct, values)
    n.output().set_type(tuple_type)
    return n


def create_tuple_unpack(value: Value) -> tuple[Value, ...]:
    """The elements of a tuple value, unpacking it at the insert point if needed.

    A tuple built by ``prim::TupleConstruct`` gives its inputs back directly,
    so that ``x.expand((3, 4))`` still sees constants. torch: createTupleUnpack.
    """
    if value.node.kind is kinds.TupleConstruct:
        return value.node.inputs
    graph = value.owning_graph
    assert isinstance(value.type, T.TupleType)
    n = graph.create(kinds.TupleUnpack, (value,), 0)
    for element in value.type.elements:
        n.add_output(element)
    return graph.insert_node(n).outputs


def convertible_to_list(type: T.JitType, list_type: T.JitType) -> bool:
    """Whether a value of ``type`` can be passed where ``list_type`` is expected:
    it already is such a list, or it is a tuple whose elements all fit the
    list's element type. torch: convertibleToList.
    """
    if not isinstance(list_type, T.ListType):
        return False
    if T.is_subtype(type, list_type):
        return True
    if isinstance(type, T.TupleType):
        return all(T.is_subtype(e, list_type.element) for e in type.elements)
    return False


_FROM_TENSOR = {
    T.FloatType: "FloatImplicit",
    T.ComplexType: "ComplexImplicit",
    T.IntType: "IntImplicit",
    T.NumberType: "ScalarImplicit",
}
_FROM_NUMBER = {
    T.FloatType: "Float",
    T.ComplexType: "Complex",
    T.IntType: "Int",
}
_FROM_BOOL = {
    T.FloatType: "Float",
    T.IntType: "Int",
    T.NumberType: "Int",
}


def try_convert_to_type(loc: SourceRange | None, graph: Graph, concrete_type: T.JitType, value: Value,
                        allow_conversions: bool) -> Value:
    """``value``, converted towards ``concrete_type`` where TorchScript allows it.

    The result is not guaranteed to fit ``concrete_type``: the caller checks.
    torch: tryConvertToType.
    """
    from .matching import insert_op  # matching imports this module

    # A conversion to Optional[T] is a conversion to T.
    if isinstance(concrete_type, T.OptionalType):
        if not isinstance(value.type, T.OptionalType) and not T.is_subtype(value.type, T.NoneT):
            return try_convert_to_type(loc, graph, concrete_type.element, value, allow_conversions)

    # The unannotated empty list literal `[]` fits any list type.
    if value.node.kind is EMPTY_LIST_LITERAL and isinstance(concrete_type, T.ListType):
        value = graph.insert_node(create_list(graph, concrete_type.element, ())).output()

    value_tuple = value.type
    if isinstance(value_tuple, T.TupleType):
        # Homogeneous tuples turn into lists of the expected element type.
        list_type = unwrap_optional(concrete_type)
        if convertible_to_list(value.type, list_type):
            assert isinstance(list_type, T.ListType)
            unpacked = create_tuple_unpack(value)
            value = graph.insert_node(create_list(graph, list_type.element, unpacked)).output()

        # Tuples convert element by element.
        if isinstance(concrete_type, T.TupleType):
            if (not T.is_subtype(value_tuple, concrete_type)
                    and len(concrete_type.elements) == len(value_tuple.elements)):
                unpacked = create_tuple_unpack(value)
                converted = [
                    try_convert_to_type(loc, graph, element_type, element, allow_conversions)
                    for element_type, element in zip(concrete_type.elements, unpacked)
                ]
                value = graph.insert_node(create_tuple(graph, converted)).output()

    if allow_conversions:
        target = type(concrete_type)
        if T.is_subtype(value.type, T.Tensor):
            op = _FROM_TENSOR.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)
        elif value.type == T.Number:
            op = _FROM_NUMBER.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)
        elif value.type == T.Bool:
            op = _FROM_BOOL.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)

        if T.is_subtype(value.type, T.Str) and T.is_subtype(concrete_type, T.Device):
            return insert_op(graph, aten("device"), [value], loc=loc)

    return value
