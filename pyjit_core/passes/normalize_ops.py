"""Replace operator aliases by their canonical names.

torch: torch/csrc/jit/passes/normalize_ops.cpp (torch 2.13's alias table;
checked against the installed torch, e.g. ``torch.det`` prints
``aten::linalg_det`` and ``math.degrees`` on a float stays ``aten::degrees``,
which is not in the table). Three rewrites, tried in this order on every
node:

* ``aten::rsub(Tensor self, Tensor other, *, Scalar alpha)`` ->
  ``aten::sub(other, self, alpha)``;
* an alias in :data:`OPERATOR_ALIASES` -> its canonical op;
* ``aten::__is__`` / ``aten::__isnot__`` on two bools -> ``aten::eq`` / ``aten::ne``.

Each rewrite builds a new node (torch: Node::replaceWithNewSymbol) whose
outputs take the old outputs' names, renaming the old ones ``name.N``
before they are destroyed -- so later ``name.N`` suffixes advance as in torch.
"""

from __future__ import annotations

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Block, Graph, Node
from pyjit_core.ir.symbols import Symbol, aten

from ._util import has_node_of_kind, replace_with_new_symbol

#: torch: getOperatorAliasMap().
OPERATOR_ALIASES: dict[Symbol, Symbol] = {
    aten(alias): aten(canonical)
    for alias, canonical in (
        ("absolute", "abs"), ("absolute_", "abs_"),
        ("clip", "clamp"), ("clip_", "clamp_"),
        ("det", "linalg_det"),
        ("matrix_power", "linalg_matrix_power"),
        ("matrix_exp", "linalg_matrix_exp"),
        ("ger", "outer"),
        ("arccos", "acos"), ("arccos_", "acos_"),
        ("arcsin", "asin"), ("arcsin_", "asin_"),
        ("arctan", "atan"), ("arctan_", "atan_"),
        ("arctan2", "atan2"), ("arctan2_", "atan2_"),
        ("arccosh", "acosh"), ("arccosh_", "acosh_"),
        ("arcsinh", "asinh"), ("arcsinh_", "asinh_"),
        ("arctanh", "atanh"), ("arctanh_", "atanh_"),
        ("fix", "trunc"), ("fix_", "trunc_"),
        ("negative", "neg"), ("negative_", "neg_"),
        ("subtract", "sub"), ("subtract_", "sub_"),
        ("greater_equal", "ge"), ("greater_equal_", "ge_"),
        ("greater", "gt"), ("greater_", "gt_"),
        ("less_equal", "le"), ("less_equal_", "le_"),
        ("less", "lt"), ("less_", "lt_"),
        ("not_equal", "ne"), ("not_equal_", "ne_"),
        ("divide", "div"), ("divide_", "div_"),
        ("multiply", "mul"), ("multiply_", "mul_"),
        ("linalg_matmul", "matmul"),
        ("inverse", "linalg_inv"),
        ("true_divide", "div"), ("true_divide_", "div_"),
        ("concat", "cat"), ("concatenate", "cat"),
        ("row_stack", "vstack"),
        ("swapdims", "transpose"), ("swapdims_", "transpose_"),
        ("swapaxes", "transpose"), ("swapaxes_", "transpose_"),
        ("moveaxis", "movedim"),
        ("special_erf", "erf"),
        ("special_erfc", "erfc"),
        ("special_erfinv", "erfinv"),
        ("special_expit", "sigmoid"),
        ("special_exp2", "exp2"),
        ("special_expm1", "expm1"),
        ("special_logit", "logit"),
        ("special_logsumexp", "logsumexp"),
        ("special_round", "round"),
        ("special_log1p", "log1p"),
        ("special_sinc", "sinc"),
        ("special_digamma", "digamma"),
        ("special_psi", "digamma"),
        ("special_i0", "i0"),
        ("special_xlogy", "xlogy"),
        ("special_log_softmax", "log_softmax"),
        ("orgqr", "linalg_householder_product"),
        ("adjoint", "mH"),
        ("special_multigammaln", "mvlgamma"),
        ("special_polygamma", "polygamma"),
        ("special_softmax", "softmax"),
        ("special_gammainc", "igamma"),
        ("special_gammaincc", "igammac"),
        ("special_gammaln", "lgamma"),
        ("mkldnn_rnn_layer", "onednn_rnn_layer"),
        ("mkldnn_rnn_layer_backward", "onednn_rnn_layer_backward"),
    )
}

_RSUB = aten("rsub")
_SUB = aten("sub")
_IS = aten("__is__")
_ISNOT = aten("__isnot__")
_EQ = aten("eq")
_NE = aten("ne")


#: The kinds _normalize_node may rewrite.
_NORMALIZED_KINDS = frozenset((_RSUB, _IS, _ISNOT, *OPERATOR_ALIASES))


def normalize_ops(graph: Graph) -> None:
    """torch: NormalizeOps."""
    if has_node_of_kind(graph, _NORMALIZED_KINDS):
        _normalize_block(graph.block)


def _normalize_block(block: Block) -> None:
    n = block.first_node()
    while n is not block.return_node:
        for b in n._blocks:   # (read, never changed: no copy)
            _normalize_block(b)
        nxt = n.next
        assert nxt is not None
        replacement = _normalize_node(n) if n.kind in _NORMALIZED_KINDS else None
        if replacement is not None:
            # torch re-examines the replacement (its iterator lands on it).
            n.destroy()
            n = replacement
            continue
        n = nxt


def _normalize_node(n: Node) -> Node | None:
    if _is_rsub_tensor(n):
        self_, other = n.inputs[0], n.inputs[1]
        new = replace_with_new_symbol(n, _SUB)
        new.replace_input(0, other)
        new.replace_input(1, self_)
        return new
    alias = OPERATOR_ALIASES.get(n.kind)
    if alias is not None:
        return replace_with_new_symbol(n, alias)
    ins = n.inputs
    if (n.kind is _IS or n.kind is _ISNOT) and len(ins) == 2 \
            and isinstance(ins[0].type, T.BoolType) and isinstance(ins[1].type, T.BoolType):
        return replace_with_new_symbol(n, _EQ if n.kind is _IS else _NE)
    return None


def _is_rsub_tensor(n: Node) -> bool:
    """``n->matches("aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor")``."""
    if n.kind is not _RSUB or len(n.inputs) != 3:
        return False
    a, b, alpha = (v.type for v in n.inputs)
    return (isinstance(a, T.TensorType) and isinstance(b, T.TensorType)
            and T.is_subtype(alpha, T.Number))
