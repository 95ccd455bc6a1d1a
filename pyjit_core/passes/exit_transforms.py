"""Remove ``prim::LoopContinuation`` and ``prim::ReturnStmt`` exits.

torch: torch/csrc/jit/frontend/exit_transforms.cpp. After an exit nothing
else in the block runs until the exit reaches its target (the loop body for
a continuation, the graph or closure for a return). Nodes after a certain
exit are deleted; nodes after a possible exit move into a ``prim::If`` on a
"has exited" boolean. Exit values travel out as block outputs, with
``prim::Uninitialized`` placeholders (one per type) on paths that did not
exit. Finally consecutive ifs of the form ``if c: ... exited = True else:
... exited = False; if exited: ...`` are fused (:func:`_inline_consecutive_ifs`).

``prim::Enter``/``prim::Exit`` pairs (``with`` statements) are wrapped in
``prim::With`` nodes while the exits are transformed, and unwrapped after.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pyjit_core.ir import types as T
from pyjit_core.ir.constants import insert_constant
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import Symbol, kinds, prim
from pyjit_core.ir.walk import walk_nodes

from ._util import NOT_CONSTANT, create_uninitialized, has_node_of_kind, to_ivalue

ReturnStmt = prim("ReturnStmt")
LoopContinuation = prim("LoopContinuation")
With = prim("With")
Enter = prim("Enter")
Exit = prim("Exit")
_WITH_ENDS = frozenset((Enter, Exit))


class ExitStatus(enum.Enum):
    """WILL: the block certainly exits; MIGHT: perhaps; WONT: never;
    THROWS: always raises (so its exit status never matters)."""

    WILL = "will"
    MIGHT = "might"
    WONT = "wont"
    THROWS = "throws"


@dataclass(frozen=True)
class ExitPair:
    """``has_exited`` (a bool value) and the values carried to the exit target."""

    has_exited: Value
    exit_values: tuple[Value, ...]


def transform_exits(graph: Graph) -> None:
    """torch: TransformExits."""
    # Most graphs have no ``with``: look for its nodes in the graph's node
    # set instead of walking every block twice.
    has_with = has_node_of_kind(graph, _WITH_ENDS)
    if has_with:
        _convert_enter_exit_nodes_to_with_blocks(graph)
    _ExitTransformer(graph).transform(LoopContinuation)
    _ExitTransformer(graph).transform(ReturnStmt)
    _inline_consecutive_ifs(graph.block)
    if has_with:
        _convert_with_blocks_to_enter_exit_nodes(graph)


class _ExitTransformer:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        with graph.inserting_before(graph.block.first_node()):
            self.true_val = insert_constant(graph, True)
            self.false_val = insert_constant(graph, False)
        # One Uninitialized per type, created on demand at the top of the graph.
        # torch keys this cache by TypePtr identity; pyjit's types are values,
        # so structurally equal types share one placeholder.
        self.unit_values: dict[T.JitType, Value] = {}
        # Never read: a block that always throws never reaches its exit.
        self.throws_val = self._unit_value(T.Bool)
        # Pairs are immutable: the two without exit values are made once.
        self.throws_pair = ExitPair(self.throws_val, ())
        self.wont_pair = ExitPair(self.false_val, ())
        self.current_exit_kind: Symbol | None = None
        self.target_block: Block | None = None

    def transform(self, exit_kind: Symbol) -> None:
        self.current_exit_kind = exit_kind
        self._transform_exits(self.graph.block)

    # --- exit pairs ----------------------------------------------------------------

    def _throws(self) -> ExitPair:
        return self.throws_pair

    def _wont(self) -> ExitPair:
        return self.wont_pair

    def _will(self, values: tuple[Value, ...]) -> ExitPair:
        return ExitPair(self.true_val, values)

    def _status(self, pair: ExitPair) -> ExitStatus:
        v = pair.has_exited
        if v is self.true_val:
            return ExitStatus.WILL
        if v is self.false_val:
            return ExitStatus.WONT
        if v is self.throws_val:
            return ExitStatus.THROWS
        return ExitStatus.MIGHT

    def _unit_value(self, type: T.JitType) -> Value:
        got = self.unit_values.get(type)
        if got is not None:
            return got
        unit = create_uninitialized(self.graph, type).insert_after(self.graph.block.param_node).output()
        self.unit_values[type] = unit
        return unit

    def _match_with_uninitialized(self, values: tuple[Value, ...]) -> tuple[Value, ...]:
        return tuple(self._unit_value(v.type) for v in values)

    # --- blocks and outputs ----------------------------------------------------------

    @staticmethod
    def _owning_node_kind(block: Block) -> Symbol | None:
        return block.owning_node.kind if block.owning_node is not None else None

    @classmethod
    def _is_graph_or_closure_block(cls, block: Block) -> bool:
        return block.owning_node is None or cls._owning_node_kind(block) is kinds.Closure

    @staticmethod
    def _replace_block_outputs(b: Block, outs: tuple[Value, ...]) -> None:
        while b.outputs:
            b.erase_output(0)
        for out in outs:
            b.register_output(out)

    @staticmethod
    def _add_if_outputs(n: Node, true_outs: tuple[Value, ...], false_outs: tuple[Value, ...]) -> None:
        then_block, else_block = n.blocks[0], n.blocks[1]
        for v in true_outs:
            then_block.register_output(v)
        for v in false_outs:
            else_block.register_output(v)
        for t, f in zip(true_outs, false_outs, strict=False):
            unified = T.unify_types(t.type, f.type, default_to_union=True)
            assert unified is not None
            n.add_output().set_type(unified)

    # --- nodes -------------------------------------------------------------------------

    def _transform_loop(self, node: Node) -> ExitPair:
        body = node.blocks[0]
        pair = self._transform_exits(body)
        # Not exiting past the loop: nothing to do. A body that throws may
        # still never run, so that is "won't exit" too.
        if self._status(pair) in (ExitStatus.WONT, ExitStatus.THROWS):
            return self._wont()

        g = self.graph
        # Stop iterating once exited: next_cond = False if exited else next_cond.
        with g.inserting_before(body):
            new_if = g.insert_node(g.create(kinds.If, (), 0))
        new_if.add_input(pair.has_exited)
        new_if.add_block().register_output(self.false_val)
        new_if.add_block().register_output(body.outputs[0])
        new_condition = new_if.add_output().set_type(T.Bool)
        body.erase_output(0)
        body.insert_output(0, new_condition)

        # Carry has_exited (False if the loop never runs) and the exit values out.
        node.add_input(self.false_val)
        body.add_input().set_type(T.Bool)
        body.register_output(pair.has_exited)
        new_has_exited = node.add_output().set_type(T.Bool)
        for exit_value in pair.exit_values:
            typ = exit_value.type
            node.add_input(self._unit_value(typ))
            node.add_output().set_type(typ)
            body.add_input().set_type(typ)
            body.register_output(exit_value)
        count = len(pair.exit_values)
        exit_vals = node.outputs[len(node.outputs) - count:] if count else ()
        return ExitPair(new_has_exited, tuple(exit_vals))

    @staticmethod
    def _if_status(then_status: ExitStatus, else_status: ExitStatus) -> ExitStatus:
        # If one branch throws, the other decides.
        if then_status is ExitStatus.THROWS:
            return else_status
        if else_status is ExitStatus.THROWS:
            return then_status
        if then_status is ExitStatus.WONT and else_status is ExitStatus.WONT:
            return ExitStatus.WONT
        if then_status is ExitStatus.WILL and else_status is ExitStatus.WILL:
            return ExitStatus.WILL
        return ExitStatus.MIGHT

    def _transform_if(self, node: Node) -> ExitPair:
        then_pair = self._transform_exits(node.blocks[0])
        else_pair = self._transform_exits(node.blocks[1])
        then_status = self._status(then_pair)
        else_status = self._status(else_pair)
        status = self._if_status(then_status, else_status)
        if status is ExitStatus.THROWS:
            return self._throws()
        if status is ExitStatus.WONT:
            return self._wont()

        # The branch that does not exit carries placeholders for the exit values.
        if then_status in (ExitStatus.WONT, ExitStatus.THROWS):
            then_pair = ExitPair(then_pair.has_exited, self._match_with_uninitialized(else_pair.exit_values))
        elif else_status in (ExitStatus.WONT, ExitStatus.THROWS):
            else_pair = ExitPair(else_pair.has_exited, self._match_with_uninitialized(then_pair.exit_values))

        if status is ExitStatus.WILL:
            # Keep the invariant: has_exited is true_val exactly when certain.
            has_exited = self.true_val
        else:
            self._add_if_outputs(node, (then_pair.has_exited,), (else_pair.has_exited,))
            has_exited = node.outputs[-1]
        self._add_if_outputs(node, then_pair.exit_values, else_pair.exit_values)
        count = len(then_pair.exit_values)
        exit_vals = node.outputs[len(node.outputs) - count:] if count else ()
        return ExitPair(has_exited, tuple(exit_vals))

    def _transform_with(self, node: Node) -> ExitPair:
        return self._transform_exits(node.blocks[0])

    def _guard_block_nodes(self, block: Block, pair: ExitPair, rest: Node) -> ExitPair:
        """Move ``rest`` and everything after it into ``if has_exited: <exit>
        else: <rest>``; the block's outputs become the if's outputs."""
        g = self.graph
        new_if = g.create(kinds.If, (), 0).insert_before(rest)
        new_if.add_input(pair.has_exited)
        exit_block = new_if.add_block()
        guard_block = new_if.add_block()
        n: Node = rest
        while n is not block.return_node:
            nxt = n.next
            assert nxt is not None
            n.move_before(guard_block.return_node)
            n = nxt
        # After an exit only has_exited and the exit values are read, so the
        # exiting path gives placeholders for the block's own outputs.
        exit_block_vals = self._match_with_uninitialized(block.outputs)
        for i, out in enumerate(block.outputs):
            exit_block.register_output(exit_block_vals[i])
            guard_block.register_output(out)
            new_if.add_output().set_type(out.type)
        while block.outputs:
            block.erase_output(0)
        for out in new_if.outputs:
            block.register_output(out)
        assert self.current_exit_kind is not None
        g.create(self.current_exit_kind, pair.exit_values, 0).insert_before(exit_block.return_node)
        return self._transform_if(new_if)

    def _destroy_node_after_exit(self, n: Node) -> None:
        """A node after an exit never runs; its remaining uses (block
        outputs) take placeholders."""
        for out in n.outputs:
            if out.uses:
                out.replace_all_uses_with(self._unit_value(out.type))
        n.destroy()

    def _delete_after_exit_nodes(self, block: Block, first: Node) -> None:
        if first is block.return_node:
            return
        # In reverse, so every node is unused by later ones when destroyed.
        n = block.return_node.prev
        while n is not first:
            assert n is not None
            prev = n.prev
            self._destroy_node_after_exit(n)
            n = prev
        self._destroy_node_after_exit(first)

    def _update_target_block(self, block: Block) -> None:
        if ((self._owning_node_kind(block) is kinds.Loop and self.current_exit_kind is LoopContinuation)
                or (self._is_graph_or_closure_block(block) and self.current_exit_kind is ReturnStmt)):
            self.target_block = block

    def _transform_exits(self, block: Block) -> ExitPair:
        prev_target = self.target_block
        self._update_target_block(block)
        pair = self._wont()

        n = block.first_node()
        while n is not block.return_node:
            node = n
            nxt = node.next
            assert nxt is not None
            kind = node.kind
            if kind is kinds.RaiseException:
                pair = self._throws()
            elif kind is ReturnStmt or kind is LoopContinuation:
                if kind is self.current_exit_kind:
                    pair = self._will(node.inputs)
                    node.destroy()
            elif kind is kinds.If:
                pair = self._transform_if(node)
            elif kind is With:
                pair = self._transform_with(node)
            elif kind is kinds.Closure:
                # A closure's returns stay inside the closure.
                self._transform_exits(node.blocks[0])
            elif kind is kinds.Loop:
                pair = self._transform_loop(node)
            else:
                # Not an exit and holds none: the pair is unchanged (won't exit).
                n = nxt
                continue

            # After a certain exit the rest of the block is dead; after a
            # possible one it runs only if we did not exit.
            status = self._status(pair)
            if status in (ExitStatus.WILL, ExitStatus.THROWS):
                self._delete_after_exit_nodes(block, nxt)
                break
            if status is ExitStatus.MIGHT:
                if nxt is not block.return_node:
                    pair = self._guard_block_nodes(block, pair, nxt)
                break
            n = nxt

        # This block is the exit target: its outputs become the exit values
        # (conditionally if the exit is not certain), and the exit stops here.
        if self.target_block is block:
            status = self._status(pair)
            if status is ExitStatus.MIGHT:
                g = self.graph
                new_if = g.create(kinds.If, (), 0).insert_before(block.return_node)
                new_if.add_block()
                new_if.add_block()
                new_if.add_input(pair.has_exited)
                self._add_if_outputs(new_if, pair.exit_values, block.outputs)
                self._replace_block_outputs(block, new_if.outputs)
            elif status is ExitStatus.WILL:
                self._replace_block_outputs(block, pair.exit_values)
            pair = self._wont()
        self.target_block = prev_target
        return pair


# --- fusing consecutive ifs -------------------------------------------------------------


def _inline_consecutive_ifs_node(node: Node) -> bool:
    """``%a = If(..) -> (True | False); If(%a)`` becomes one if. Returns
    whether the second if was folded into the first."""
    nxt = node.next
    if node.kind is not kinds.If or nxt is None or nxt.kind is not kinds.If:
        return False
    first, second = node, nxt
    cond = second.inputs[0]
    if cond.node is not first:
        return False
    # Both branches must output differing constants at the condition's
    # offset; equal ones would be constant-folded anyway, and fusing would
    # duplicate code.
    offset = cond.offset
    then_value = to_ivalue(first.blocks[0].outputs[offset])
    else_value = to_ivalue(first.blocks[1].outputs[offset])
    if then_value is NOT_CONSTANT or else_value is NOT_CONSTANT or bool(then_value) == bool(else_value):
        return False

    for i in range(2):
        first_block = first.blocks[i]
        taken = then_value if i == 0 else else_value
        second_block = second.blocks[0] if taken else second.blocks[1]

        def value_map(v: Value, first_block: Block = first_block) -> Value:
            # Outputs of the first if are, inside its branch, that branch's outputs.
            if v.node is not first:
                return v
            return first_block.outputs[v.offset]

        # Also appends second_block's outputs to first_block's.
        first_block.clone_from(second_block, value_map)

    for out in second.outputs:
        new_out = first.add_output().copy_metadata(out)
        out.replace_all_uses_with(new_out)
    second.destroy()
    return True


def _inline_consecutive_ifs(block: Block) -> None:
    """torch: inlineConsecutiveIfs (an early ``return`` followed by code)."""
    n = block.first_node()
    while n is not block.return_node:
        for b in n._blocks:   # (read, never changed: no copy)
            _inline_consecutive_ifs(b)
        # After a fusion, look at the same node again (it has a new next).
        if n.kind is not kinds.If or not _inline_consecutive_ifs_node(n):
            nxt = n.next
            assert nxt is not None
            n = nxt


# --- with blocks ----------------------------------------------------------------------------


def _convert_enter_exit_nodes_to_with_blocks(graph: Graph) -> None:
    """``Enter; <code>; Exit`` -> ``Enter; With { <code> } { Exit }``."""
    pairs: list[tuple[Node, Node]] = []
    stack: list[Node] = []
    for node in walk_nodes(graph):
        if node.kind is Enter:
            stack.append(node)
        elif node.kind is Exit:
            assert stack, "prim::Exit without a prim::Enter"
            assert stack[-1].inputs[0] is node.inputs[0]
            pairs.append((stack.pop(), node))
    assert not stack, "prim::Enter without a prim::Exit"

    # Innermost pairs were found first, so they are converted first.
    for enter, exit_node in pairs:
        with_node = graph.create(With, (), 0)
        body = with_node.add_block()
        exit_block = with_node.add_block()
        cur = enter.next
        insert_point = body.param_node
        while cur is not exit_node:
            assert cur is not None
            nxt = cur.next
            cur.move_after(insert_point)
            insert_point = cur
            cur = nxt
        exit_node.move_after(exit_block.param_node)
        with_node.insert_after(enter)


def _convert_with_blocks_to_enter_exit_nodes(graph: Graph) -> None:
    """Undo :func:`_convert_enter_exit_nodes_to_with_blocks`."""
    with_nodes = [n for n in walk_nodes(graph) if n.kind is With]
    for node in with_nodes:
        body, exit_block = node.blocks[0], node.blocks[1]
        to_append = list(body.nodes()) + list(exit_block.nodes())
        cur = node.prev
        assert cur is not None
        for n in to_append:
            n.move_after(cur)
            cur = n
        node.destroy()
