"""Turn ``prim::forkClosure(%closure_and_ctx)`` into ``prim::fork`` with a subgraph.

torch: torch/csrc/jit/passes/inline_forked_closures.cpp. The lifted
closure's subgraph is copied; each context element becomes an explicit
input of the new ``prim::fork`` (or ``prim::awaitable``) node and of the
copied subgraph, whose context unpacking is removed. The fork keeps the
closure's output name and source range. The new subgraph is cleaned with
``cleanup``, as in :mod:`.lift_closures`.
"""

from __future__ import annotations

from collections.abc import Callable

from pyjit_core.exceptions import PyjitError
from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import AttributeKind
from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import Symbol, kinds, prim

from ._util import has_node_of_kind

ForkClosure = prim("forkClosure")
AwaitableClosure = prim("awaitableClosure")
AwaitableThenClosure = prim("awaitableThenClosure")
_FORKED_CLOSURES = frozenset((ForkClosure, AwaitableClosure, AwaitableThenClosure))


class ForkError(PyjitError, ValueError):
    """torch reports these as compile errors at the fork's source range."""


def inline_forked_closures(graph: Graph, cleanup: Callable[[Graph], None]) -> None:
    """torch: inlineForkedClosures."""
    if has_node_of_kind(graph, _FORKED_CLOSURES):
        _inline_block(graph.block, cleanup)


def _inline_block(block: Block, cleanup: Callable[[Graph], None]) -> None:
    for n in block.nodes():
        if n.kind is ForkClosure:
            inline_forked_closure(n, prim("fork"), cleanup)
        elif n.kind is AwaitableClosure:
            inline_forked_closure(n, prim("awaitable"), cleanup)
        elif n.kind is AwaitableThenClosure:
            raise NotImplementedError("prim::awaitableThenClosure is not supported by pyjit yet")
        else:
            for b in n.blocks:
                _inline_block(b, cleanup)


def inline_forked_closure(fork_closure: Node, gen_kind: Symbol, cleanup: Callable[[Graph], None]) -> None:
    """torch: inlineForkedClosure."""
    function_context = fork_closure.input().node
    if (len(function_context.inputs) != 2
            or function_context.inputs[0].node.kind is not kinds.Closure
            or function_context.inputs[1].node.kind is not kinds.TupleConstruct):
        raise ForkError("Cannot fork this value")
    function = function_context.inputs[0].node
    context = function_context.inputs[1].node
    fork_graph = function.attr("Subgraph").copy()
    g = fork_closure.graph
    fork_node = g.create(gen_kind, (), 1).insert_after(fork_closure)
    fork_node.set_source_range(fork_closure.source_range)
    if len(fork_graph.inputs) != 1 or not isinstance(fork_graph.inputs[0].type, T.TupleType):
        raise ForkError("Cannot fork lambda with parameters")
    fork_graph_context = fork_graph.inputs[0]
    assert len(fork_graph_context.uses) == 1
    unpack = fork_graph_context.uses[0].user
    for i, cont_input in enumerate(context.inputs):
        fork_node.add_input(cont_input)
        inp = fork_graph.block.insert_input(i).copy_metadata(cont_input)
        unpack.outputs[i].replace_all_uses_with(inp)
    unpack.destroy()
    fork_graph.block.erase_input(len(fork_graph.inputs) - 1)
    fork_node.output().copy_metadata(fork_closure.output())
    fork_closure.output().replace_all_uses_with(fork_node.output())
    fork_closure.destroy()
    fork_node.set_attr("Subgraph", AttributeKind.g, fork_graph)
    cleanup(fork_graph)
