"""Structural invariants of a graph, reported as findings -- never raised.

torch: Graph::lint and Node::lint (torch/csrc/jit/ir/ir.cpp) assert on the
first broken invariant; this linter checks the same invariants, plus
``PythonOp::lint_python`` on every PythonOp, and reports every violation
with the node and value involved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .graph import Block, Graph, Node, Value
from .python_op import ConcretePythonOp
from .source_range import SourceRange
from .symbols import kinds

_PYTHON_OP_CODES = {
    "bad-cconv": "PJ310",
    "missing-pyobj": "PJ311",
    "scalar-count": "PJ312",
    "input-count": "PJ313",
}


@dataclass(frozen=True, slots=True, eq=False)
class LintFinding:
    """One broken invariant. ``code`` is a catalog code (PJ3xx)."""

    code: str
    message: str
    node: Node | None = None
    value: Value | None = None

    @property
    def source_range(self) -> SourceRange | None:
        return self.node.source_range if self.node is not None else None

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


def lint(graph: Graph) -> list[LintFinding]:
    """Every structural problem in ``graph``, in graph order."""
    return _Linter(graph).run()


def lint_python(node: ConcretePythonOp) -> list[LintFinding]:
    """``PythonOp::lint_python`` for one node, as findings."""
    where = describe_node(node)
    return [
        LintFinding(_PYTHON_OP_CODES[p.code], f"{where}: {p.message}", node)
        for p in node.python_problems()
    ]


def describe_node(node: Node) -> str:
    """``aten::add (%y.1)`` -- the node's kind and its outputs, for messages."""
    outs = ", ".join("%" + v.debug_name() for v in node.outputs)
    label = f"^{node.name()}" if isinstance(node, ConcretePythonOp) and node.pyobj is not None else str(node.kind)
    return f"{label} ({outs})" if outs else label


class _Linter:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.findings: list[LintFinding] = []
        # Values visible at the current point: a stack of per-block sets.
        self.scopes: list[set[int]] = []
        # Where each value is defined: id -> (block, position within block).
        self.defined_in: dict[int, tuple[Block, int]] = {}
        self.listed_nodes: set[int] = set()

    def report(self, code: str, message: str, node: Node | None = None, value: Value | None = None) -> None:
        self.findings.append(LintFinding(code, message, node, value))

    def run(self) -> list[LintFinding]:
        self._index_definitions(self.graph.block)
        self._check_block(self.graph.block, None)
        self._check_names()
        self._check_unlisted_nodes()
        return self.findings

    # --- passes ------------------------------------------------------------------

    def _index_definitions(self, block: Block) -> None:
        for v in block.inputs:
            self.defined_in[id(v)] = (block, -1)
        for pos, n in enumerate(block.nodes()):
            for v in n.outputs:
                self.defined_in[id(v)] = (block, pos)
            for b in n.blocks:
                self._index_definitions(b)

    def _check_block(self, block: Block, owner: Node | None) -> None:
        if block.owning_node is not owner:
            self.report("PJ306", f"a block of {self._label(owner)} names a different owning node", owner)
        self.scopes.append(set())
        for i, v in enumerate(block.inputs):
            if v.node is not block.param_node:
                self.report("PJ306", f"block input %{v.debug_name()} is not produced by the block's prim::Param node",
                            owner, v)
            if v.offset != i:
                self.report("PJ306", f"block input %{v.debug_name()} records offset {v.offset} but is input {i}",
                            owner, v)
            self._define(v)
        for pos, n in enumerate(block.nodes()):
            self.listed_nodes.add(id(n))
            if n.kind is kinds.Param or n.kind is kinds.Return:
                self.report("PJ307", f"{n.kind} node appears in the node list of {self._block_label(block)}", n)
            if n.owning_block is not block:
                self.report("PJ306", f"{describe_node(n)} is listed in {self._block_label(block)} "
                            "but names another owning block", n)
            if n.graph is not self.graph or n not in self.graph.live_nodes:
                self.report("PJ306", f"{describe_node(n)} does not belong to this graph", n)
            self._check_node(n, block, pos)
        ret = block.return_node
        self.listed_nodes.add(id(ret))
        self._check_inputs(ret, block, 1 << 62, what=f"output of {self._block_label(block)}")
        if ret.outputs:
            self.report("PJ308", f"the prim::Return node of {self._block_label(block)} has outputs", ret)
        self.scopes.pop()

    def _check_node(self, n: Node, block: Block, pos: int) -> None:
        self._check_inputs(n, block, pos, what=f"input of {describe_node(n)}")
        if n.kind is kinds.Constant and n.inputs:
            self.report("PJ308", f"{describe_node(n)} is a constant but has {len(n.inputs)} input(s)", n)
        for b in n.blocks:
            self._check_block(b, n)
        for i, o in enumerate(n.outputs):
            if o.node is not n or o.offset != i:
                self.report("PJ306", f"output {i} of {describe_node(n)} records node {o.node.kind} offset {o.offset}",
                            n, o)
            self._check_uses(o)
            self._define(o)
        if isinstance(n, ConcretePythonOp):
            self.findings.extend(lint_python(n))

    def _check_inputs(self, n: Node, block: Block, pos: int, what: str) -> None:
        for i, v in enumerate(n.inputs):
            if not any(_is_use(u, n, i) for u in v.uses):
                self.report("PJ303", f"{what} #{i} (%{v.debug_name()}) is not recorded in that value's uses", n, v)
            if self._visible(v):
                continue
            where = self.defined_in.get(id(v))
            if where is None:
                self.report("PJ306", f"{what} #{i} is %{v.debug_name()}, a value that is not in this graph", n, v)
                continue
            def_block, _def_pos = where
            if self._encloses(def_block, block):
                # Same or enclosing block: defined, but later.
                self.report(
                    "PJ301",
                    f"%{v.debug_name()} is used by {describe_node(n) if n.kind is not kinds.Return else what} "
                    f"before its definition by {describe_node(v.node)}",
                    n, v,
                )
            else:
                self.report(
                    "PJ302",
                    f"%{v.debug_name()} is defined inside {self._block_label(def_block)} but used outside it "
                    f"by {describe_node(n) if n.kind is not kinds.Return else what}",
                    n, v,
                )

    def _check_uses(self, v: Value) -> None:
        for u in v.uses:
            user = u.user
            if u.offset >= len(user.inputs) or user.inputs[u.offset] is not v:
                self.report("PJ303", f"%{v.debug_name()} records a use by {describe_node(user)} at input {u.offset}, "
                            "which is not that value", user, v)
            elif user not in self.graph.live_nodes:
                self.report("PJ303", f"%{v.debug_name()} is used by {describe_node(user)}, which is not in the graph",
                            user, v)

    def _check_names(self) -> None:
        values = list(_all_values(self.graph.block))
        names = Counter(v.debug_name() for v in values if v.has_debug_name())
        for name, count in names.items():
            if count > 1:
                self.report("PJ304", f"{count} values are named %{name}")
        uniques = Counter(v.unique for v in values)
        for unique, count in uniques.items():
            if count > 1:
                self.report("PJ305", f"{count} values share the number {unique}")
        for v in values:
            if v.unique >= self.graph.next_unique:
                self.report("PJ305", f"%{v.debug_name()} has number {v.unique}, not below the graph's counter "
                            f"{self.graph.next_unique}", v.node, v)

    def _check_unlisted_nodes(self) -> None:
        param_nodes = {id(b.param_node) for b in _all_blocks(self.graph.block)}
        for n in sorted(self.graph.live_nodes, key=lambda n: n.kind.qual_string()):
            if id(n) in self.listed_nodes or id(n) in param_nodes:
                continue
            if n.kind is kinds.Return and n.owning_block is not None:
                continue  # return sentinels of blocks that were checked
            if n.kind is kinds.Param:
                continue
            self.report("PJ306", f"{describe_node(n)} belongs to the graph but is in no block "
                        "(created and never inserted, or removed without destroy())", n)

    # --- helpers -----------------------------------------------------------------

    def _define(self, v: Value) -> None:
        self.scopes[-1].add(id(v))

    def _visible(self, v: Value) -> bool:
        key = id(v)
        return any(key in s for s in self.scopes)

    @staticmethod
    def _encloses(outer: Block, inner: Block) -> bool:
        b: Block | None = inner
        while b is not None:
            if b is outer:
                return True
            owner = b.owning_node
            b = owner.owning_block if owner is not None else None
        return False

    @staticmethod
    def _block_label(block: Block) -> str:
        owner = block.owning_node
        if owner is None:
            return "the graph"
        index = next((i for i, b in enumerate(owner.blocks) if b is block), "?")
        return f"block{index} of {describe_node(owner)}"

    @staticmethod
    def _label(node: Node | None) -> str:
        return "the graph" if node is None else describe_node(node)


def _is_use(use, node: Node, offset: int) -> bool:
    return use.user is node and use.offset == offset


def _all_values(block: Block):
    yield from block.inputs
    for n in block.nodes():
        yield from n.outputs
        for b in n.blocks:
            yield from _all_values(b)


def _all_blocks(block: Block):
    yield block
    for n in block.nodes():
        for b in n.blocks:
            yield from _all_blocks(b)
