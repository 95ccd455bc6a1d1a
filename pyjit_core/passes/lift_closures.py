"""Turn each ``prim::Closure`` block into a subgraph taking a context tuple.

torch: torch/csrc/jit/passes/lift_closures.cpp. After SSA conversion a
closure's block reads values of the enclosing graph directly; lifting makes
each such capture an element of a context tuple:

    %ctx = prim::TupleConstruct(<captured values>)
    %closure_and_ctx = prim::TupleConstruct(%closure, %ctx)

and the closure's ``Subgraph`` takes ``%context`` and unpacks it first.
Each lifted subgraph is then cleaned with ``cleanup``: torch runs its
``runCleanupPasses`` there, which itself runs this pass, so the pipeline
hands its own in (:func:`pyjit_core.passes.pipeline.run_cleanup_passes`).
"""

from __future__ import annotations

from collections.abc import Callable

from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import AttributeKind
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import kinds

from ._util import has_node_of_kind


def lift_closures(graph: Graph, cleanup: Callable[[Graph], None]) -> None:
    """torch: liftClosures."""
    if has_node_of_kind(graph, kinds.Closure):
        _lift_block(graph.block, cleanup)


def _lift_block(block: Block, cleanup: Callable[[Graph], None]) -> None:
    for n in block.nodes():
        if n.kind is kinds.Closure:
            lift_closure(n, cleanup)
        else:
            for b in n.blocks:
                _lift_block(b, cleanup)


def lift_closure(closure: Node, cleanup: Callable[[Graph], None]) -> None:
    """torch: liftClosure."""
    block = closure.blocks[0]
    subgraph = Graph()
    g = closure.graph
    pack_context = g.create(kinds.TupleConstruct, (), 1).insert_after(closure)
    context = subgraph.add_input("context")
    unpack_context = subgraph.insert_node(subgraph.create(kinds.TupleUnpack, (context,), 0))

    captures: dict[Value, Value] = {}

    def env(v: Value) -> Value:
        got = captures.get(v)
        if got is not None:
            return got
        pack_context.add_input(v)
        r = unpack_context.add_output().copy_metadata(v)
        captures[v] = r
        return r

    subgraph.block.clone_from(block, env)
    context_type = T.TupleType(tuple(v.type for v in pack_context.inputs))
    context.set_type(context_type)
    pack_context.output().set_type(context_type)
    closure_tuple = g.create(kinds.TupleConstruct, (), 1).insert_after(pack_context)
    closure.output().replace_all_uses_with(closure_tuple.output())
    closure_tuple.add_input(closure.output())
    closure_tuple.add_input(pack_context.output())
    closure_tuple.output().set_type(T.TupleType((closure.output().type, context_type)))
    closure.erase_block(0)
    closure.set_attr("Subgraph", AttributeKind.g, subgraph)
    cleanup(subgraph)
