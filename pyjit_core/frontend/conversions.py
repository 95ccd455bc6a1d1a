"""The pieces implicit conversions are built from: list and tuple nodes, and
which tuples may stand for a list.

torch: ``Graph::createList``, ``createTuple``, ``createTupleUnpack``
(torch/csrc/jit/ir/ir.cpp) and ``convertibleToList``, ``unwrapOptional``
(torch/csrc/jit/frontend/schema_matching.cpp). The conversions themselves
(``tryConvertToType``) insert operators through overload resolution, as
torch's do, so they live with it in :mod:`.matching`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ir import types as T
from ..ir.graph import Graph, Node, Value
from ..ir.symbols import kinds, prim
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
