"""Delete nodes whose results are never needed.

torch: torch/csrc/jit/passes/dead_code_elimination.cpp. An inverse
mark-and-sweep: starting from the graph's outputs, mark live every node
whose output is live, every node with side effects (and the nodes that
contain it), and every node that writes memory a live value may alias;
then delete the unmarked nodes, last first. Unused if-outputs and
loop-carried values are dropped along the way; loops are re-marked until
nothing new is marked.

With a graph (:func:`eliminate_dead_code`) writes are judged by
:class:`~pyjit_core.passes.alias_analysis.AliasDb`; with a bare block
(:func:`eliminate_dead_code_in_block`) any op whose schema writes an input
counts as a side effect, as in torch. Unlike torch, the alias database is
only built once a node that may write (``alias_analysis.may_write``) needs
judging: most graphs never need it, and building it dominated the pass.
"""

from __future__ import annotations

import enum

from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import kinds, prim

from ._util import has_node_of_kind
from .alias_analysis import INERT_KINDS, AliasDb, has_side_effects, may_write
from .node_schema import node_schema

_FORK = prim("fork")
_GRAD_OF = prim("GradOf")


class SideEffectPolicy(enum.Enum):
    """torch: DCESideEffectPolicy."""

    DONT_DELETE_NODES_WITH_SIDE_EFFECTS = "dont_delete"
    ALLOW_DELETING_NODES_WITH_SIDE_EFFECTS = "allow_delete"


def eliminate_dead_code(graph: Graph,
                        policy: SideEffectPolicy = SideEffectPolicy.DONT_DELETE_NODES_WITH_SIDE_EFFECTS) -> None:
    """torch: EliminateDeadCode(const std::shared_ptr<Graph>&)."""
    _DeadCodeEliminator(graph, policy).run(graph.block, recurse=True)


def eliminate_dead_code_in_block(
        block: Block, recurse: bool = True,
        policy: SideEffectPolicy = SideEffectPolicy.DONT_DELETE_NODES_WITH_SIDE_EFFECTS) -> None:
    """torch: EliminateDeadCode(Block*, bool) -- without alias analysis."""
    _DeadCodeEliminator(None, policy).run(block, recurse)


class _DeadCodeEliminator:
    def __init__(self, graph: Graph | None, policy: SideEffectPolicy) -> None:
        self.graph = graph
        self.policy = policy
        self.alias_db: AliasDb | None = None
        self.memo: dict[Node, bool] = {}
        self.may_write_memo: dict[Node, bool] = {}
        self.may_write_nested_memo: dict[Node, bool] = {}
        self.marked: set[Node] = set()
        self.live_values: set[Value] = set()

    def run(self, block: Block, recurse: bool) -> None:
        # Walking the blocks for forks is wasted on the many graphs without one.
        if has_node_of_kind(block.graph, _FORK):
            self._eliminate_dead_fork_inputs(block, recurse)
        self._mark_node(block.return_node)
        self._mark_block(block)
        self._sweep(block, recurse)

    def _get_alias_db(self) -> AliasDb:
        if self.alias_db is None:
            assert self.graph is not None
            self.alias_db = AliasDb(self.graph)
        return self.alias_db

    def _eliminate_dead_fork_inputs(self, block: Block, recurse: bool) -> None:
        for node in block.nodes():
            if recurse:
                for b in node.blocks:
                    self._eliminate_dead_fork_inputs(b, recurse)
            if node.kind is not _FORK:
                continue
            sub = node.attr("Subgraph")
            if not isinstance(sub, Graph):
                continue
            # torch's loop advances past an erased input, so it checks every
            # other one after an erasure; kept as is.
            i = 0
            while i < len(sub.inputs):
                if not sub.inputs[i].uses:
                    sub.block.erase_input(i)
                    node.remove_input(i)
                i += 1

    # --- marking -----------------------------------------------------------------------------

    def _mark_return_node(self, node: Node) -> bool:
        if node in self.marked:
            return False
        block = node.owning_block
        assert block is not None
        assert block.return_node is node
        outer = block.owning_node
        if outer is None:
            # The graph's own outputs are all used.
            return self._mark_node(node)
        if outer.kind is kinds.Loop:
            body = outer.blocks[0]
            for i, outer_out in enumerate(outer.outputs):
                inner_in = body.inputs[1 + i]
                inner_out = body.outputs[1 + i]
                if outer_out in self.live_values or inner_in.uses:
                    self.live_values.add(inner_out)
            # The next condition is always read.
            self.live_values.add(body.outputs[0])
        else:
            assert len(outer.outputs) == len(node.inputs)
            for inner_out, outer_out in zip(node.inputs, outer.outputs, strict=False):
                if outer_out in self.live_values:
                    self.live_values.add(inner_out)
        self.marked.add(node)
        return True

    def _mark_loop(self, node: Node) -> bool:
        any_marked = False
        while True:
            marked = self._mark_block(node.blocks[0])
            any_marked |= marked
            if not marked:
                return any_marked

    def _mark_block(self, block: Block) -> bool:
        any_marked = False
        if self.policy is SideEffectPolicy.DONT_DELETE_NODES_WITH_SIDE_EFFECTS:
            for node in block.nodes():
                if self._has_side_effects(node):
                    any_marked |= self._mark_node(node)
        any_marked |= self._mark_return_node(block.return_node)
        for node in block.nodes_reversed():
            if node.kind is kinds.Loop:
                any_marked |= self._mark_loop(node)
            else:
                for b in node._blocks:   # (read, never changed: no copy)
                    any_marked |= self._mark_block(b)
            any_marked |= self._mark_if_live(node)
        return any_marked

    def _mark_if_live(self, node: Node) -> bool:
        if node in self.marked:
            return False  # marking it again changes nothing
        live_values = self.live_values
        for out in node._outputs:
            if out in live_values:
                return self._mark_node(node)
        if self.graph is not None and self._may_write_nested(node) \
                and self._get_alias_db().writes_to_alias(node, self.live_values):
            return self._mark_node(node)
        return False

    def _may_write_nested(self, node: Node) -> bool:
        """Whether ``node`` or a node nested in it may write, so that
        ``AliasDb.writes`` (which includes nested nodes) may be non-empty."""
        got = self.may_write_nested_memo.get(node)
        if got is None:
            got = self._may_write(node) or any(self._may_write_nested(n) for b in node._blocks for n in b.nodes())
            self.may_write_nested_memo[node] = got
        return got

    def _may_write(self, node: Node) -> bool:
        got = self.may_write_memo.get(node)
        if got is None:
            got = self.may_write_memo[node] = may_write(node)
        return got

    def _mark_node(self, node: Node) -> bool:
        if node in self.marked:
            return False
        self.marked.add(node)
        self.live_values.update(node._inputs)
        # A node containing a live node is live. The nodes containing a
        # marked node are marked already, so stop at the first one.
        block = node.owning_block
        outer = block.owning_node if block is not None else None
        while outer is not None and outer not in self.marked:
            self.marked.add(outer)
            self.live_values.update(outer._inputs)
            block = outer.owning_block
            outer = block.owning_node if block is not None else None
        return True

    # --- side effects ------------------------------------------------------------------------

    def _has_untracked_mutation(self, node: Node) -> bool:
        if self.graph is None:
            schema = node_schema(node)
            return schema is not None and schema.is_mutable()
        # writes_to_wildcard looks at the node's own writes only.
        return self._may_write(node) and self._get_alias_db().writes_to_wildcard(node)

    def _has_side_effects(self, node: Node) -> bool:
        if node.kind in INERT_KINDS:
            return False
        got = self.memo.get(node)
        if got is not None:
            return got
        result = has_side_effects(node)
        if not result:
            blocks = node._blocks
            if blocks:
                result = any(self._has_side_effects(n) for b in blocks for n in b.nodes())
            if not result:
                result = self._has_untracked_mutation(node)
        self.memo[node] = result
        return result

    # --- sweeping ------------------------------------------------------------------------------

    def _sweep(self, block: Block, recurse: bool) -> None:
        node = block.return_node.prev
        while node is not None and node is not block.return_node:
            prev = node.prev
            blocks = node._blocks
            if blocks:
                # Before recursing, so dead outputs uncover dead code inside.
                self._remove_dead_block_outputs(node)
                self._remove_dead_loop_outputs(node)
                if recurse:
                    for b in blocks:   # (read, never changed: no copy)
                        self._sweep(b, True)
            if not (node in self.marked or node.has_uses()):
                node.destroy()
            node = prev

    @staticmethod
    def _remove_dead_block_outputs(node: Node) -> None:
        if node.kind is not kinds.If and node.kind is not _GRAD_OF:
            return
        for i in reversed(range(len(node.outputs))):
            if not node.outputs[i].uses:
                node.erase_output(i)
                for b in node.blocks:
                    b.erase_output(i)

    @staticmethod
    def _remove_dead_loop_outputs(node: Node) -> None:
        if node.kind is not kinds.Loop:
            return
        body = node.blocks[0]
        for i in reversed(range(len(node.outputs))):
            if not node.outputs[i].uses and not body.inputs[1 + i].uses:
                node.erase_output(i)
                node.remove_input(2 + i)
                body.erase_input(1 + i)
                body.erase_output(1 + i)
