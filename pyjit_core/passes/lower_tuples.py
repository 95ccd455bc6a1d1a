"""Forward tuple elements past ``TupleUnpack``/``TupleIndex``/``TupleSlice``.

torch: torch/csrc/jit/passes/lower_tuples.cpp, ``LowerSimpleTuples`` (the
part the frontend runs): where a tuple is taken apart right after a
``prim::TupleConstruct``, uses of the parts become uses of the construct's
inputs; dead code elimination then removes what became unused. Tuples
that reach the graph's outputs, control flow or other ops stay.
"""

from __future__ import annotations

from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import kinds, prim

from ._util import NOT_CONSTANT, has_node_of_kind, to_ivalue
from .dead_code_elimination import eliminate_dead_code

TupleSlice = prim("TupleSlice")
_TUPLE_TAKERS = frozenset((kinds.TupleUnpack, kinds.TupleIndex, TupleSlice))


def lower_simple_tuples(graph: Graph) -> None:
    """torch: LowerSimpleTuples(const std::shared_ptr<Graph>&)."""
    if has_node_of_kind(graph, _TUPLE_TAKERS):
        _lower_block(graph.block)
    eliminate_dead_code(graph)


def _lower_block(block: Block) -> None:
    for n in block.nodes():
        remove_tuple_nodes(n, must_remove_tuples=False)
        for b in n.blocks:
            _lower_block(b)


def remove_tuple_nodes(n: Node, must_remove_tuples: bool) -> None:
    """torch: removeTupleNodes."""
    if n.kind not in _TUPLE_TAKERS:
        return
    construct = n.inputs[0].node
    if construct.kind is not kinds.TupleConstruct:
        if must_remove_tuples:
            raise ValueError(f"{n.kind} not matched to tuple construct")
        return
    if n.kind is kinds.TupleUnpack:
        for i, out in enumerate(n.outputs):
            out.replace_all_uses_with(construct.inputs[i])
    elif n.kind is kinds.TupleIndex:
        index = to_ivalue(n.inputs[1])
        if index is NOT_CONSTANT or not isinstance(index, int):
            if must_remove_tuples:
                raise ValueError("tuple index with non-constant index")
            return
        length = len(construct.output().type.contained_types())
        if index < 0:
            index += length
        # A non-constant-typed tuple may be indexed out of bounds; leave it.
        if 0 <= index < length:
            n.output().replace_all_uses_with(construct.inputs[index])
    else:
        begin, end = n.i("beg"), n.i("end")
        values = [construct.inputs[i] for i in range(begin, end)]
        g = n.graph
        tuple_out = g.create_tuple(values)
        with g.inserting_before(n):
            g.insert_node(tuple_out)
        n.output().replace_all_uses_with(tuple_out.output())
