"""Deduplicate constants and hoist each to the top of the graph.

torch: torch/csrc/jit/passes/constant_pooling.cpp. Nodes are visited in
printing order (nested blocks included); the first constant of each value
moves to the front of the graph -- so the constant seen *last* ends up
*first* -- and later equal constants are replaced by it. Constants of
mutable types are merged only when alias analysis says nobody can tell.
"""

from __future__ import annotations

from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import kinds

from .alias_analysis import AliasDb, is_mutable_type
from .node_hashing import equality_key, nodes_equal


def constant_pooling(graph: Graph) -> None:
    """torch: ConstantPooling."""
    pool = _ConstantPool(graph)
    pool.run(graph.block)


class _ConstantPool:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        # The pooled constants by equality_key, each list in pooling order:
        # an equal constant can only be in its own key's list.
        self.constants: dict[tuple, list[Node]] = {}
        self.alias_db: AliasDb | None = None

    def _aliases(self) -> AliasDb:
        # torch builds it up front; pyjit only when a mutable constant needs it.
        if self.alias_db is None:
            self.alias_db = AliasDb(self.graph)
        return self.alias_db

    def _find(self, node: Node, candidates: list[Node]) -> Node | None:
        for existing in candidates:
            if nodes_equal(existing, node):
                return existing
        return None

    def run(self, block: Block) -> None:
        for node in block.nodes():
            if node._blocks:   # (read, never changed: no copy)
                for b in node._blocks:
                    self.run(b)
                continue
            if node.kind is not kinds.Constant:
                continue
            candidates = self.constants.setdefault(equality_key(node), [])
            existing = self._find(node, candidates)
            if existing is not None:
                # Merging two distinct objects of a mutable type is only safe
                # if neither is written and they do not both escape.
                if is_mutable_type(node.output().type) and not self._aliases().safe_to_change_aliasing_relationship(
                    node.outputs, existing.outputs
                ):
                    continue
                for a, b in zip(node.outputs, existing.outputs, strict=False):
                    a.replace_all_uses_with(b)
                node.destroy()
                continue
            candidates.append(node)
            first = self.graph.block.first_node()
            if node is not first:
                node.move_before(first)
