"""Order the outputs of ``prim::If`` and ``prim::Loop`` by their first use.

torch: CanonicalizeOutputs in torch/csrc/jit/passes/canonicalize.cpp, run
"for jitter": outputs added by SSA conversion and exit transforms come out
in a canonical order -- by where each output is first used, in printing
order; unused outputs keep their relative order at the end.
"""

from __future__ import annotations

from functools import cmp_to_key

from pyjit_core.ir.graph import Block, Graph, Node, Use, Value
from pyjit_core.ir.symbols import kinds


def canonicalize_outputs(graph: Graph) -> None:
    """torch: CanonicalizeOutputs."""
    _canonicalize_block(graph.block)


def _canonicalize_block(block: Block) -> None:
    # In reverse: a node's output order depends on the uses after it.
    for n in list(block.nodes_reversed()):
        # Permuting into the same order changes nothing: skipped.
        if n.kind is kinds.Loop:
            order = _sort_indexes(n.outputs)
            if order != list(range(len(order))):
                _permute_loop_carried(n, order)
        elif n.kind is kinds.If:
            order = _sort_indexes(n.outputs)
            if order != list(range(len(order))):
                n.permute_outputs(order)
                n.blocks[0].permute_outputs(order)
                n.blocks[1].permute_outputs(order)
        # A control-flow node's outputs come after what its blocks output,
        # so canonicalize the node first, then its blocks.
        for b in n._blocks:   # (read, never changed: no copy)
            _canonicalize_block(b)


def _permute_loop_carried(n: Node, order: list[int]) -> None:
    """torch: LoopView::permuteLoopCarried."""
    n.permute_outputs(order)
    n.permute_inputs([0, 1] + [i + 2 for i in order])
    body = n.blocks[0]
    adjusted = [0] + [i + 1 for i in order]
    body.permute_outputs(adjusted)
    body.permute_inputs(adjusted)


def _blocks_from_graph_block(n: Node) -> int:
    depth = 0
    block = n.owning_block
    while block is not None and block.owning_node is not None:
        depth += 1
        block = block.owning_node.owning_block
    return depth


def _block_index(block: Block) -> int:
    owner = block.owning_node
    assert owner is not None
    for i, b in enumerate(owner.blocks):
        if b is block:
            return i
    raise AssertionError("block not found in its owning node")


def _node_is_before(n1: Node, n2: Node) -> bool:
    """Printing order, with a node before the nodes it contains.
    torch: isBefore(Node*, Node*) in canonicalize.cpp."""
    assert n1 is not n2
    d1 = _blocks_from_graph_block(n1)
    d2 = _blocks_from_graph_block(n2)
    while d1 > d2:
        n1 = n1.owning_block.owning_node  # type: ignore[union-attr, assignment]
        if n1 is n2:
            return False  # n2 contains n1
        d1 -= 1
    while d2 > d1:
        n2 = n2.owning_block.owning_node  # type: ignore[union-attr, assignment]
        if n2 is n1:
            return True  # n1 contains n2
        d2 -= 1
    while True:
        if n1.owning_block is n2.owning_block:
            return n1.is_before(n2)
        p1 = n1.owning_block.owning_node  # type: ignore[union-attr]
        p2 = n2.owning_block.owning_node  # type: ignore[union-attr]
        assert p1 is not None
        assert p2 is not None
        if p1 is p2:
            return _block_index(n1.owning_block) < _block_index(n2.owning_block)  # type: ignore[arg-type]
        n1, n2 = p1, p2


def _use_is_before(a: Use, b: Use) -> bool:
    if a.user is b.user:
        return a.offset < b.offset
    return _node_is_before(a.user, b.user)


def _first_use(v: Value) -> Use | None:
    """torch: firstOrLastUse(v, /*find_first=*/true)."""
    if not v.uses:
        return None
    first = v.uses[0]
    for use in v.uses[1:]:
        if not _use_is_before(first, use):
            first = use
    return first


def _sort_indexes(values: tuple[Value, ...]) -> list[int]:
    if len(values) < 2:
        return list(range(len(values)))
    firsts = [_first_use(v) for v in values]

    def less(i1: int, i2: int) -> bool:
        u1, u2 = firsts[i1], firsts[i2]
        if u1 is None and u2 is None:
            return i1 < i2
        if u1 is None:
            return False
        if u2 is None:
            return True
        return _use_is_before(u1, u2)

    def compare(i1: int, i2: int) -> int:
        if i1 == i2:
            return 0
        if less(i1, i2):
            return -1
        if less(i2, i1):
            return 1
        return 0

    return sorted(range(len(values)), key=cmp_to_key(compare))
