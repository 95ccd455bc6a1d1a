"""Fold nodes whose inputs are all constants; inline ifs on constant
conditions; drop loops that never run and outputs that never change.

torch: torch/csrc/jit/passes/constant_propagation.cpp, in the variant the
frontend runs, ``ConstantPropagationImmutableTypes``: only nodes whose
inputs and outputs all have immutable types (no tensors, lists, dicts,
objects) are run, by :func:`pyjit_core.passes.scalar_kernels.evaluate`. If
anything changed, dead code elimination follows.

The other variant, ``ConstantPropagation`` (with alias analysis, folding
ops on lists and tensors nobody writes), needs a tensor/list interpreter
and is not implemented.
"""

from __future__ import annotations

from typing import Any

from pyjit_core.ir.constants import ConstantNotSupported, insert_constant
from pyjit_core.ir.graph import Block, Graph, Node, Value
from pyjit_core.ir.symbols import Symbol, kinds

from ._util import NOT_CONSTANT, to_ivalue
from .alias_analysis import has_side_effects, is_mutable_type
from .dead_code_elimination import eliminate_dead_code
from .node_hashing import nodes_equal
from .scalar_kernels import evaluate, result_type

#: torch: skip_list in constant_propagation.cpp.
SKIP_LIST: frozenset[Symbol] = frozenset(
    Symbol(k) for k in (
        "prim::If", "prim::Loop", "prim::Closure", "prim::Constant", "prim::AutogradZero",
        "prim::Uninitialized", "prim::Guard", "prim::profile", "prim::profile_ivalue",
        "prim::unchecked_unwrap_optional", "aten::dequantize",
    )
)


def constant_propagation_immutable_types(graph: Graph) -> bool:
    """torch: ConstantPropagationImmutableTypes. Returns whether it changed anything."""
    made_change = _ConstantPropagator(graph).run()
    if made_change:
        eliminate_dead_code(graph)
    return made_change


def run_node_if_inputs_are_constant(node: Node) -> list[Any] | None:
    """torch: runNodeIfInputsAreConstant."""
    args = []
    for v in node.inputs:
        value = to_ivalue(v)
        if value is NOT_CONSTANT:
            return None
        args.append(value)
    if node.kind is kinds.ListUnpack:
        return None  # its input is a list: never reached for immutable types
    return evaluate(node, args)


class _ConstantPropagator:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.made_change = False

    def run(self) -> bool:
        self._propagate_block(self.graph.block)
        return self.made_change

    # --- single nodes ------------------------------------------------------------------------

    def _propagate_node(self, n: Node) -> None:
        outputs = run_node_if_inputs_are_constant(n)
        if outputs is None:
            return
        g = n.graph
        with g.inserting_before(n):
            for i, value in enumerate(outputs):
                declared = n.outputs[i].type
                try:
                    new_output = insert_constant(g, value, type=result_type(value, declared))
                except ConstantNotSupported:
                    # Not representable as a constant: leave the node to DCE.
                    continue
                self.made_change = True
                if value is None:
                    new_output.set_type(declared)
                n.outputs[i].replace_all_uses_with(new_output)

    @staticmethod
    def _supported_node(n: Node) -> bool:
        # The cheap tests first: constants, the most common nodes here, stop at SKIP_LIST.
        return (
            n.kind not in SKIP_LIST
            and n.kind.namespace != "onnx"
            and not has_side_effects(n)
            and not n.blocks
            and not any(is_mutable_type(v.type) for v in n.inputs)
            and not any(is_mutable_type(v.type) for v in n.outputs)
        )

    # --- control flow ----------------------------------------------------------------------------

    def _remove_loop_node(self, n: Node) -> None:
        for i, out in enumerate(n.outputs):
            out.replace_all_uses_with(n.inputs[i + 2])
        self.made_change = True
        n.destroy()

    @staticmethod
    def _loop_will_not_run(n: Node) -> bool:
        trip = to_ivalue(n.inputs[0])
        iter_len = trip if isinstance(trip, int) and not isinstance(trip, bool) else 1
        cond = to_ivalue(n.inputs[1])
        cond_val = cond if isinstance(cond, bool) else True
        return not (cond_val and iter_len > 0)

    def _inline_if_body(self, body: Block) -> None:
        n = body.owning_node
        assert n is not None
        for inner in body.nodes():
            inner.move_before(n)
        for i, out in enumerate(n.outputs):
            out.replace_all_uses_with(body.outputs[i])
        # Destroyed, not left to DCE: it might contain side effects.
        n.destroy()

    def _inline_if(self, n: Node) -> None:
        cond = to_ivalue(n.input())
        assert isinstance(cond, bool)
        block = n.blocks[0 if cond else 1]
        self._propagate_block(block)
        self._inline_if_body(block)
        self.made_change = True

    @staticmethod
    def _replace_and_remove_if_output(n: Node, i: int, replacement: Value) -> None:
        n.outputs[i].replace_all_uses_with(replacement)
        n.erase_output(i)
        n.blocks[0].erase_output(i)
        n.blocks[1].erase_output(i)

    def _remove_extra_if_outputs(self, n: Node) -> None:
        true_block, false_block = n.blocks[0], n.blocks[1]
        g = n.graph
        initial = len(true_block.outputs)
        i = 0
        while i < len(true_block.outputs):
            t_out = true_block.outputs[i]
            f_out = false_block.outputs[i]
            # Neither branch changes the value.
            if t_out is f_out:
                self._replace_and_remove_if_output(n, i, t_out)
                continue
            # Both branches produce the same constant.
            value = to_ivalue(t_out)
            if value is not NOT_CONSTANT and nodes_equal(t_out.node, f_out.node):
                typ = t_out.type if isinstance(value, tuple) else None
                with g.inserting_before(n):
                    new_const = insert_constant(g, value, type=typ)
                self._replace_and_remove_if_output(n, i, new_const)
                continue
            i += 1
        self.made_change |= initial != len(true_block.outputs)

    def _remove_extra_loop_outputs(self, node: Node) -> None:
        initial = len(node.outputs)
        body = node.blocks[0]
        for i in reversed(range(len(node.outputs))):
            # A carried value the body passes through unchanged.
            if body.inputs[1 + i] is body.outputs[1 + i]:
                node_input = node.inputs[2 + i]
                node.outputs[i].replace_all_uses_with(node_input)
                body.inputs[1 + i].replace_all_uses_with(node_input)
                node.erase_output(i)
                node.remove_input(2 + i)
                body.erase_input(1 + i)
                body.erase_output(1 + i)
        self.made_change |= initial != len(node.outputs)

    # --- traversal -------------------------------------------------------------------------------

    def _propagate(self, n: Node) -> None:
        # n._inputs / n._blocks: read, never changed here (the properties copy them).
        constant_inputs = all(v.node.kind is kinds.Constant for v in n._inputs)
        if n.kind is kinds.If:
            if constant_inputs:
                self._inline_if(n)
            else:
                for b in n._blocks:
                    self._propagate_block(b)
                self._remove_extra_if_outputs(n)
        elif n.kind is kinds.Loop:
            if self._loop_will_not_run(n):
                self._remove_loop_node(n)
            else:
                for b in n._blocks:
                    self._propagate_block(b)
                self._remove_extra_loop_outputs(n)
        elif constant_inputs and self._supported_node(n):
            self._propagate_node(n)
        else:
            for b in n._blocks:
                self._propagate_block(b)

    def _propagate_block(self, block: Block) -> None:
        for n in block.nodes():
            self._propagate(n)
