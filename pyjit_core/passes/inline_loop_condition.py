"""Move each loop's condition block into the graph: once before the loop (the
start condition) and once at the end of the body (the next condition).

torch: torch/csrc/jit/frontend/inline_loop_condition.cpp. The emitter writes

    prim::Loop(%max_trip_count)
      block0(%trip_count, ...):  <body>  -> (...)
      block1():                  <cond>  -> (%cond)

and this pass turns it into torch's final loop form

    %start = <cond, cloned before the loop>
    prim::Loop(%max_trip_count, %start, ...)
      block0(%trip_count, ...):  <body> <cond>  -> (%cond, ...)
"""

from __future__ import annotations

from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import kinds

from ._util import has_node_of_kind, inline_block_before_node, is_loop, nodes_live


def inline_loop_condition(graph: Graph) -> None:
    """torch: InlineLoopCondition."""
    if has_node_of_kind(graph, kinds.Loop):
        _inline_block(graph.block)


def _inline_block(block: Block) -> None:
    for n in nodes_live(block):
        for b in n.blocks:
            _inline_block(b)
        if is_loop(n):
            _inline_loop(n)


def _inline_loop(n: Node) -> None:
    body = n.blocks[0]
    pre_header = n.blocks[1]
    # A clone of the condition runs before the loop...
    temp = n.add_block()
    temp.clone_from(pre_header, lambda v: v)
    inline_block_before_node(n, temp)
    n.insert_input(1, temp.outputs[0])
    n.erase_block(2)
    # ...and the original at the end of every iteration.
    inline_block_before_node(body.return_node, pre_header)
    body.return_node.insert_input(0, pre_header.outputs[0])
    n.erase_block(1)
