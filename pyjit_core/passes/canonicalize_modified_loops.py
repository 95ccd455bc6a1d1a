"""Rewrite loops that have both a trip count and a condition as while loops.

torch: torch/csrc/jit/frontend/canonicalize_modified_loop.cpp. A ``for``
loop whose condition was modified (by ``break``, or by an early exit) is
rewritten so that the trip count is an explicit loop-carried counter:

    %cond = aten::gt(%max, 0) [and %start_cond]
    prim::Loop(INT64_MAX, %cond, ..., 0)
      block0(%_, ..., %i):
        ...                         # uses of the old trip count use %i
        %i1 = aten::add(%i, 1)
        -> (aten::__and__(aten::lt(%i1, %max), %next_cond), ..., %i1)
"""

from __future__ import annotations

import enum

from pyjit_core.ir import types as T
from pyjit_core.ir.constants import insert_constant
from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import kinds

from ._util import NOT_CONSTANT, has_node_of_kind, insert_op, is_loop, nodes_live, to_ivalue

INT64_MAX = (1 << 63) - 1


class LoopType(enum.Enum):
    """torch: LoopView::LoopType."""

    WHILE = "While"
    FOR = "For"
    MODIFIED_LOOP = "ModifiedLoop"


def loop_type(n: Node) -> LoopType:
    """torch: LoopView::loopType."""
    body = n.blocks[0]
    trip_count = to_ivalue(n.inputs[0])
    cond_input = to_ivalue(n.inputs[1])
    cond_next = to_ivalue(body.outputs[0])
    condition_is_always_true = (
        cond_input is not NOT_CONSTANT and bool(cond_input)
        and cond_next is not NOT_CONSTANT and bool(cond_next)
    )
    trip_count_is_specified = (
        trip_count is NOT_CONSTANT  # not a constant
        or trip_count != INT64_MAX  # a constant other than the default
        or bool(body.inputs[0].uses)  # the body reads the counter
    )
    if condition_is_always_true:
        # Without a trip count this is a user-written `while True:`.
        return LoopType.FOR if trip_count_is_specified else LoopType.WHILE
    return LoopType.MODIFIED_LOOP if trip_count_is_specified else LoopType.WHILE


def canonicalize_modified_loops(graph: Graph) -> None:
    """torch: CanonicalizeModifiedLoops."""
    if has_node_of_kind(graph, kinds.Loop):
        _canonicalize_block(graph.block)


def _canonicalize_block(block: Block) -> None:
    for n in nodes_live(block):
        for b in n.blocks:
            _canonicalize_block(b)
        if is_loop(n):
            _canonicalize_loop(n)


def _canonicalize_loop(n: Node) -> None:
    if loop_type(n) is not LoopType.MODIFIED_LOOP:
        return
    g = n.graph
    body = n.blocks[0]
    with g.inserting_before(n):
        zero = insert_constant(g, 0)
        one = insert_constant(g, 1)
        max_trip_count = n.inputs[0]
        condition = insert_op(g, "aten::gt", (max_trip_count, zero), T.Bool)
        n.replace_input(0, insert_constant(g, INT64_MAX))
        start_cond = n.inputs[1]
        start = to_ivalue(start_cond)
        if start is NOT_CONSTANT or not bool(start):
            condition = insert_op(g, "aten::__and__", (condition, start_cond), T.Bool)
    n.replace_input(1, condition)
    n.add_output().set_type(T.Int)
    with g.inserting_before(body):
        n.add_input(zero)
        new_iter = body.add_input().set_type(T.Int)
        # Unnamed for jitter: its replacement has no name either.
        old_iter = body.inputs[0]
        old_iter.set_debug_name("")
        old_iter.replace_all_uses_with(new_iter)
        inc_iter = insert_op(g, "aten::add", (new_iter, one), T.Int)
        body.register_output(inc_iter)
        less_than_max = insert_op(g, "aten::lt", (inc_iter, max_trip_count), T.Bool)
        loop_continue = body.outputs[0]
        new_condition = insert_op(g, "aten::__and__", (less_than_max, loop_continue), T.Bool)
    body.erase_output(0)
    body.insert_output(0, new_condition)
