"""Values read out of tensor data, followed through one graph (PJ601-PJ603, PJ640).

``torch.export`` traces with symbolic shapes. A value read out of a tensor
(``t.item()``, ``t.tolist()``, the length of ``nonzero(t)``) is an *unbacked*
symbol: arithmetic on it is fine, but Python needs a concrete answer when it
branches on it, turns it into a Python ``int``/``float``/``bool``, or asks for a
length -- and there the default mode (``strict=False``) raises
``GuardOnDataDependentSymNode`` at that line. Strict mode (Dynamo) keeps
``int()``/``float()``/``bool()`` of a tensor symbolic and fails only where the
value decides control flow ("Data-dependent branching"); an ``assert`` on a
tensor becomes a runtime assertion there. All of this was measured with torch
2.13 on ``tests/conformance/export_corpus``.

The walk is one forward pass per graph in printing order; loop-carried values
and values leaving an ``if`` through its outputs are not followed (a miss, never
a false finding).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...ir.graph import Graph, Node, Value
from ...ir.types import TensorType
from ...ir.walk import walk_nodes
from .findings import Finding, Outcome

GUARD = "Could not guard on data-dependent expression"
SPECIALIZE = "Could not extract specialized integer from data-dependent expression"
BRANCHING = "Data-dependent branching"

# Ops whose result has as many rows as the data says.
_DATA_SHAPED = frozenset({
    "aten::nonzero", "aten::masked_select", "aten::unique", "aten::_unique", "aten::_unique2",
    "aten::unique_consecutive", "aten::unique_dim", "aten::argwhere", "aten::repeat_interleave"})
_COMPARISONS = frozenset({"aten::gt", "aten::lt", "aten::ge", "aten::le", "aten::eq", "aten::ne",
                          "aten::logical_not", "aten::logical_and", "aten::logical_or", "aten::isnan",
                          "aten::isinf", "aten::isfinite", "aten::__and__", "aten::__or__", "aten::bitwise_not"})
_CONSTANT_TENSORS = frozenset({"aten::tensor", "aten::scalar_tensor", "aten::as_tensor"})
_SIZES = frozenset({"aten::size", "aten::numel", "aten::sym_size", "aten::sym_numel"})
_CONVERSIONS = frozenset({"aten::Bool", "aten::Float", "aten::Int"})
_QUIET = frozenset({"prim::Constant", "prim::GetAttr", "prim::Print", "prim::RaiseException", "aten::warn"})


@dataclass
class _Data:
    """A non-tensor value that came out of tensor data."""

    finding: Finding | None        # the conversion already reported for it, if any
    origin: Node


def _is_tensor(v: Value) -> bool:
    return isinstance(v.type, TensorType)


def _span(node: Node) -> tuple[int, int, int, int] | None:
    r = node.source_range
    if r is None:
        return None
    return r.start_line, r.start_col, r.end_line or r.start_line, r.end_col if r.end_col is not None else r.start_col


class GraphFlow:
    """One graph's findings; ``path`` is the checked file (findings elsewhere are dropped)."""

    def __init__(self, graph: Graph, path: str) -> None:
        self.graph = graph
        self.path = path
        self.data: dict[Value, _Data] = {}
        self.data_shaped: set[Value] = set()
        self.constant: set[Value] = set()
        self.masks: set[Value] = set()
        self.sizes: dict[Value, Node] = {}      # int values that are a (backed) size of an input
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        for node in walk_nodes(self.graph, subgraphs=True):
            self._visit(node)
        return [f for f in self.findings if f.default != "ok" or f.strict != "ok" or f.code in _NOTES]

    # --- reporting -----------------------------------------------------------------------------

    def _finding(self, node: Node, code: str, what: str, *, default: str, strict: str,
                 torch_default: str = "", torch_strict: str = "", instead: str = "") -> Finding | None:
        r = node.source_range
        span = _span(node)
        if span is None or r is None or r.path != self.path:
            return None
        f = Finding(code, *span, what, default, strict, torch_default, torch_strict, instead)  # type: ignore[arg-type]
        self.findings.append(f)
        return f

    # --- the walk ------------------------------------------------------------------------------

    def _visit(self, node: Node) -> None:
        kind = str(node.kind)
        if kind in _QUIET:
            return
        if kind in ("prim::If", "prim::Loop"):
            self._branch(node, kind)
            return
        ins = node.inputs
        tensor_in = [v for v in ins if _is_tensor(v)]
        if not any(v in self.data for v in ins) and (kind in _CONSTANT_TENSORS or (
                tensor_in and all(v in self.constant for v in tensor_in) and kind not in _CONVERSIONS)):
            self.constant.update(o for o in node.outputs if _is_tensor(o))
            if kind in _CONSTANT_TENSORS:
                return
        if kind in _COMPARISONS:
            self.masks.update(o for o in node.outputs if _is_tensor(o))
        if kind in ("aten::Bool", "aten::Float", "aten::Int") and tensor_in:
            self._conversion(node, kind, tensor_in[0])
            return
        if kind == "aten::len" and tensor_in:
            if tensor_in[0] in self.data_shaped:
                f = self._finding(node, "PJ603", "len() of a tensor whose size depends on its data",
                                  default="fails", strict="ok", torch_default=SPECIALIZE,
                                  instead="use `t.size(0)` (a symbolic size) instead of `len(t)`")
                self._mark(node, f)
            else:
                self._input_size(node)
            return
        if kind == "aten::len":
            return          # a list's length: `tolist()` of a tensor has as many items as its static shape
        if kind == "aten::item":
            if tensor_in and tensor_in[0] not in self.constant:
                self._mark(node, None)
            return
        if kind == "prim::tolist":
            self._mark(node, None)
            return
        if kind in _SIZES and tensor_in:
            if tensor_in[0] in self.data_shaped:
                self._mark(node, None)
            else:
                self._input_size(node)
            return
        if kind == "aten::Int" and ins and ins[0] in self.data:
            source = self.data[ins[0]]
            if source.finding is None:
                f = self._finding(node, "PJ602", "int() of a value read from a tensor", default="fails",
                                  strict="ok", torch_default=SPECIALIZE,
                                  instead="keep the value symbolic (`t.item()`, no `int()`), and bound it with "
                                          "`torch._check(v >= 0)` where it becomes a size")
                self._mark(node, f)
                return
        if kind in _DATA_SHAPED or (kind == "aten::index" and self._indexed_by_mask(node)):
            self.data_shaped.update(o for o in node.outputs if _is_tensor(o))
            return
        if any(v in self.data_shaped for v in tensor_in):
            self.data_shaped.update(o for o in node.outputs if _is_tensor(o))
        tainted = next((self.data[v] for v in ins if v in self.data), None)
        if tainted is not None:
            for o in node.outputs:
                if not _is_tensor(o):
                    self.data[o] = tainted
        elif kind in _SIZE_ARITHMETIC and any(v in self.sizes for v in ins):
            origin = next(self.sizes[v] for v in ins if v in self.sizes)
            for o in node.outputs:
                self.sizes[o] = origin

    def _mark(self, node: Node, finding: Finding | None) -> None:
        for o in node.outputs:
            self.data[o] = _Data(finding, node)

    def _input_size(self, node: Node) -> None:
        for o in node.outputs:
            self.sizes[o] = node

    def _indexed_by_mask(self, node: Node) -> bool:
        if len(node.inputs) < 2:
            return False
        indices = node.inputs[1].node
        return str(indices.kind) == "prim::ListConstruct" and any(v in self.masks for v in indices.inputs)

    def _conversion(self, node: Node, kind: str, tensor: Value) -> None:
        if tensor in self.constant:
            # a tensor made from constants: the default mode evaluates it; strict mode still
            # refuses to branch on it (measured), so keep a finding that only a branch confirms
            if kind == "aten::Bool":
                self._mark(node, self._finding(node, "PJ601", "control flow on a tensor made from constants",
                                               default="ok", strict="ok", instead="branch on the Python value"))
            return
        name = {"aten::Bool": "bool", "aten::Float": "float", "aten::Int": "int"}[kind]
        torch_default = SPECIALIZE if kind == "aten::Int" else GUARD
        instead = ("branch with `torch.cond(pred, true_fn, false_fn, operands)`, or compute both sides and "
                   "pick with `torch.where`" if kind == "aten::Bool" else
                   "keep it a tensor (tensor arithmetic), or `t.item()` bounded with `torch._check(...)`")
        f = self._finding(node, "PJ602", f"{name}() of a tensor (its data becomes a Python value)",
                          default="fails", strict="ok", torch_default=torch_default, instead=instead)
        self._mark(node, f)

    def _branch(self, node: Node, kind: str) -> None:
        conditions = [node.inputs[0]] if kind == "prim::If" else list(node.inputs[:2])
        asserting = kind == "prim::If" and _is_assert(node)
        for i, cond in enumerate(conditions):
            data = self.data.get(cond)
            if data is None:
                if cond in self.sizes and not asserting:
                    self._specialisation(node, self.sizes[cond])
                continue
            what = "a loop count read from a tensor" if kind == "prim::Loop" and i == 0 else \
                "control flow on a value read from a tensor"
            strict: Outcome = "unknown" if asserting else "fails"
            if data.finding is not None:
                if asserting:        # strict mode turns an assert on a tensor into a runtime check
                    data.finding.instead = "drop the assert, or check at runtime with `torch._assert_async(cond)`"
                    continue
                line = _span(node)
                data.finding.strict = strict if data.finding.strict != "fails" else "fails"
                data.finding.torch_strict = BRANCHING if str(data.origin.kind) == "aten::Bool" else GUARD
                if line is not None and line[0] != data.finding.line:
                    data.finding.strict_line = line[0]
                if str(data.origin.kind) == "aten::Bool" and data.finding.default != "ok":
                    data.finding.code = "PJ601"
                    data.finding.what = "control flow on a tensor's value"
                continue
            f = self._finding(node, "PJ601", what, default="fails", strict=strict, torch_default=GUARD,
                              torch_strict=GUARD,
                              instead="use `torch.cond` for a real branch, or `torch._check(...)` to state the "
                                      "bound the code relies on")
            if f is not None:
                data.finding = f

    def _specialisation(self, node: Node, size: Node) -> None:
        self._finding(node, "PJ640", "control flow on an input's size",
                      default="ok", strict="ok",
                      torch_default="export specialises this branch to the example input's size; with "
                                    "`dynamic_shapes` marking that dimension `Dim`, export fails: "
                                    "Constraints violated",
                      instead="if the dimension is dynamic, `torch._check` the sizes the code supports, or "
                              "`torch.cond` on the size")


_NOTES = frozenset({"PJ640"})
_SIZE_ARITHMETIC = frozenset({"aten::eq", "aten::ne", "aten::gt", "aten::lt", "aten::ge", "aten::le",
                              "aten::__not__", "aten::add", "aten::sub", "aten::mul", "aten::floordiv",
                              "aten::remainder"})


def _is_assert(node: Node) -> bool:
    """``assert cond`` in TorchScript: an ``if`` with no outputs, one branch raising."""
    if node.outputs:
        return False
    return any(str(n.kind) == "prim::RaiseException" for b in node.blocks for n in b.nodes())


def graph_findings(graph: Graph, path: str) -> list[Finding]:
    return GraphFlow(graph, path).run()
