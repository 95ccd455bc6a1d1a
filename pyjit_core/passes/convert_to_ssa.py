"""Turn the emitter's variable loads and stores into SSA values.

torch: torch/csrc/jit/frontend/convert_to_ssa.cpp. The emitter writes every
variable access as ``prim::Store[name="x"](%v)`` / ``%x = prim::Load[name="x"]()``,
control flow without outputs, and ``break``/``continue``/``return`` as
``prim::BreakStmt``/``prim::ContinueStmt``/``prim::ReturnStmt``. In order:

1. :class:`_ControlFlowLoadStores` gives ``prim::If`` and ``prim::Loop``
   nodes their outputs (and loops their carried inputs): a variable assigned
   in both branches of an ``if`` (or in one branch and before it) becomes an
   if-output (of the two branches' types unified, or their ``Union``); one
   assigned in a loop body and defined before the loop becomes loop-carried.
   Both lists are sorted by variable name, which is why torch's control-flow
   outputs come out in alphabetical order of the variables.
2. :class:`_LoopContinuations` turns ``break``/``continue`` into
   ``prim::LoopContinuation(%next_cond, *carried)``.
3. :func:`~pyjit_core.passes.inline_loop_condition.inline_loop_condition`.
4. :class:`_EraseLoadStores` replaces each load by the value last stored
   under that name in scope (and inlines ``prim::ComprehensionScope``).
5. :func:`~pyjit_core.passes.exit_transforms.transform_exits`.

Every step creates nodes and values in torch's order, so value numbers and
``name.N`` suffixes come out as torch's.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pyjit_core.ir import types as T
from pyjit_core.ir.constants import insert_constant
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import kinds, prim

from ._util import (
    create_load,
    create_store,
    has_node_of_kind,
    inline_block_before_node,
    meaningful_name,
    nodes_live,
)
from .exit_transforms import transform_exits
from .inline_loop_condition import inline_loop_condition

ComprehensionScope = prim("ComprehensionScope")
ContinueStmt = prim("ContinueStmt")
BreakStmt = prim("BreakStmt")
LoopContinuation = prim("LoopContinuation")
# What _LoopContinuations rewrites or looks into.
_EXITS_AND_CLOSURES = frozenset((ContinueStmt, BreakStmt, kinds.Closure))

V = TypeVar("V")


class MiniEnvironment(Generic[V]):
    """One frame of a block-scoped name table. torch: MiniEnvironment."""

    def __init__(self, next: MiniEnvironment[V] | None = None) -> None:
        self.next = next
        self.table: dict[str, V] = {}

    def find_in_this_frame(self, name: str) -> V | None:
        return self.table.get(name)

    def find_in_any_frame(self, name: str) -> V | None:
        frame: MiniEnvironment[V] | None = self
        while frame is not None:
            found = frame.table.get(name)
            if found is not None:
                return found
            frame = frame.next
        return None

    def set_var(self, name: str, value: V) -> None:
        self.table[name] = value

    def defined_variables(self) -> list[str]:
        """Names set in this frame, sorted (torch sorts them too)."""
        return sorted(self.table)


def convert_to_ssa(graph: Graph) -> None:
    """torch: ConvertToSSA."""
    _ControlFlowLoadStores().run(graph)
    _LoopContinuations().run(graph.block)
    inline_loop_condition(graph)
    _EraseLoadStores().run(graph)
    transform_exits(graph)


class _ControlFlowLoadStores:
    """Adds loads and stores around ``prim::If`` / ``prim::Loop`` nodes."""

    def __init__(self) -> None:
        self.env: MiniEnvironment[T.JitType] | None = None

    def run(self, graph: Graph) -> None:
        self._add_control_flow_load_stores(graph.block)

    @staticmethod
    def _add_block_input(b: Block, type: T.JitType, name: str) -> None:
        g = b.graph
        create_store(g, name, b.add_input(name).set_type(type)).insert_after(b.param_node)

    @staticmethod
    def _add_block_output(exit_block: Block, type: T.JitType, name: str) -> None:
        g = exit_block.graph
        out = create_load(g, name, type).insert_before(exit_block.return_node).output()
        exit_block.register_output(out)

    @staticmethod
    def _add_node_output(n: Node, type: T.JitType, name: str) -> None:
        out = n.add_output().set_type(type)
        if meaningful_name(name):
            out.set_debug_name(name)
        create_store(n.graph, name, out).insert_after(n)

    @staticmethod
    def _add_node_input(n: Node, type: T.JitType, name: str) -> None:
        load = create_load(n.graph, name, type).insert_before(n)
        n.add_input(load.output())

    def _add_if_load_stores(self, n: Node) -> None:
        true_block, false_block = n.blocks[0], n.blocks[1]
        true_vars = self._add_control_flow_load_stores(true_block)
        false_vars = self._add_control_flow_load_stores(false_block)
        mutated: set[str] = set()
        for v in true_vars.defined_variables():
            if false_vars.find_in_any_frame(v) is not None:
                mutated.add(v)
        for v in false_vars.defined_variables():
            if true_vars.find_in_any_frame(v) is not None:
                mutated.add(v)
        # A variable defined on both paths becomes an output; types that do
        # not unify become their Union (torch 2.x; torch 1.x dropped them).
        for name in sorted(mutated):
            true_type = true_vars.find_in_any_frame(name)
            false_type = false_vars.find_in_any_frame(name)
            assert true_type is not None
            assert false_type is not None
            unified = T.unify_types(true_type, false_type, default_to_union=True)
            assert unified is not None
            self._add_block_output(true_block, true_type, name)
            self._add_block_output(false_block, false_type, name)
            self._add_node_output(n, unified, name)

    def _add_loop_load_stores(self, n: Node) -> None:
        body = n.blocks[0]
        loop_vars = self._add_control_flow_load_stores(body)
        for name in loop_vars.defined_variables():
            # A variable local to the body needs no carried value.
            assert self.env is not None
            parent_type = self.env.find_in_any_frame(name)
            if parent_type is None:
                continue
            block_type = loop_vars.find_in_this_frame(name)
            assert block_type is not None
            # The loop may run zero or many times: the carried type is the
            # union of the type before the loop and the body's.
            unified = T.unify_types(parent_type, block_type)
            if unified is None:
                raise AssertionError(f"loop-carried variable {name!r}: {parent_type} and {block_type} do not unify")
            self._add_node_input(n, parent_type, name)
            self._add_block_input(body, unified, name)
            self._add_block_output(body, block_type, name)
            self._add_node_output(n, unified, name)

    def _add_control_flow_load_stores(self, block: Block) -> MiniEnvironment[T.JitType]:
        self.env = MiniEnvironment(self.env)
        # Stores this loop adds right after an if/loop are visited next, and
        # record the unified type of the variable in this frame.
        for n in nodes_live(block):
            kind = n.kind
            if kind is kinds.If:
                self._add_if_load_stores(n)
            elif kind is kinds.Loop:
                self._add_loop_load_stores(n)
            elif kind is kinds.Closure:
                for b in n.blocks:
                    self._add_control_flow_load_stores(b)
            elif kind is kinds.Store:
                self.env.set_var(n.s("name"), n.input().type)
            elif kind is ComprehensionScope:
                self._add_control_flow_load_stores(n.blocks[0])
        frame = self.env
        self.env = frame.next
        return frame


class _EraseLoadStores:
    """Replaces loads with the values stored under their names."""

    def __init__(self) -> None:
        self.env: MiniEnvironment[Value] | None = None

    def run(self, graph: Graph) -> None:
        self._erase_block(graph.block)

    def _erase_block(self, block: Block) -> None:
        self.env = MiniEnvironment(self.env)
        for n in block.nodes():
            kind = n.kind
            if kind is kinds.Store:
                self.env.set_var(n.s("name"), n.input())
                n.destroy()
            elif kind is kinds.Load:
                name = n.s("name")
                var = self.env.find_in_any_frame(name)
                if var is None:
                    raise AssertionError(f"prim::Load of {name!r} has no store in scope")
                n.output().replace_all_uses_with(var)
                n.destroy()
            elif kind is ComprehensionScope:
                # Writes inside a comprehension do not leak out of it.
                body = n.blocks[0]
                self._erase_block(body)
                for inner in body.nodes():
                    inner.move_before(n)
                n.destroy()
            else:
                for b in n._blocks:   # (read, never changed: no copy)
                    self._erase_block(b)
        self.env = self.env.next


class _LoopContinuations:
    """``break`` -> ``LoopContinuation(False, *carried)``; ``continue`` ->
    ``LoopContinuation(<cond>, *carried)`` with the loop condition cloned in."""

    def __init__(self) -> None:
        self.graph: Graph | None = None
        self.false_val: Value | None = None
        self.curr_loop: Node | None = None

    def run(self, block: Block) -> None:
        self.graph = block.graph
        with self.graph.inserting_before(block.first_node()):
            self.false_val = insert_constant(self.graph, False)
        if has_node_of_kind(self.graph, _EXITS_AND_CLOSURES):
            self._assign_exit_continuations(block)

    def _add_loop_carried_outputs(self, n: Node) -> None:
        g = n.graph
        assert self.curr_loop is not None
        continuation = self.curr_loop.blocks[0].return_node
        with g.inserting_before(n):
            for out in continuation.inputs:
                load = out.node
                assert load.kind is kinds.Load, f"loop-carried output comes from {load.kind}, not a load"
                new_load = g.insert_node(g.create_clone(load, lambda v: v))
                n.add_input(new_load.output())

    def _assign_exit_continuations(self, block: Block) -> None:
        g = self.graph
        assert g is not None
        for n in block.nodes():
            kind = n.kind
            if kind is kinds.If:
                self._assign_exit_continuations(n.blocks[0])
                self._assign_exit_continuations(n.blocks[1])
            elif kind is kinds.Closure:
                _LoopContinuations().run(n.blocks[0])
            elif kind is kinds.Loop:
                prev = self.curr_loop
                self.curr_loop = n
                self._assign_exit_continuations(n.blocks[0])
                self.curr_loop = prev
            elif kind is ContinueStmt:
                assert self.curr_loop is not None, "continue outside a loop"
                cont = g.create(LoopContinuation, (), 0).insert_after(n)
                header = cont.add_block()
                header.clone_from(self.curr_loop.blocks[1], lambda v: v)
                inline_block_before_node(n, header)
                cont.add_input(header.outputs[0])
                cont.erase_block(0)
                self._add_loop_carried_outputs(cont)
                n.destroy()
            elif kind is BreakStmt:
                assert self.curr_loop is not None, "break outside a loop"
                exit_node = g.create(LoopContinuation, (), 0).insert_after(n)
                assert self.false_val is not None
                exit_node.add_input(self.false_val)
                self._add_loop_carried_outputs(exit_node)
                n.destroy()
