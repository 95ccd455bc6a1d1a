"""Constant folding of every scalar operator overload, against torch.

For each overload in torch's registry that takes ints, floats, bools,
strings, complex numbers or None (``fold_cases.py``), a deterministic sample
of argument combinations is folded by torch's
``ConstantPropagationImmutableTypes`` (in a child process: some kernels trap)
and by pyjit's; the printed graphs must be identical -- folded or not.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.walk import walk_nodes
from pyjit_core.passes.constant_propagation import constant_propagation_immutable_types

from .fold_cases import fold_cases
from .torch_fold import fold_with_torch

pytestmark = pytest.mark.conformance

CASES = fold_cases()
BY_OVERLOAD: dict[str, list[int]] = defaultdict(list)
for _i, _case in enumerate(CASES):
    BY_OVERLOAD[_case.overload].append(_i)

#: Overloads pyjit does not fold like torch, and why.
NOT_MODELLED = {
    "aten::can_cast": "dtype promotion tables are not modelled",
    "aten::promote_types": "dtype promotion tables are not modelled",
    "aten::result_type.Scalar_Scalar": "dtype promotion tables are not modelled",
    "aten::_nnpack_available": "depends on how torch was built",
    "aten::_use_cudnn_rnn_flatten_weight": "depends on how torch was built",
    "aten::is_vulkan_available": "depends on how torch was built",
    "aten::divmod.float_int": "some signed-zero and overflow results of the 32-bit kernel differ",
    "aten::divmod.int_float": "some signed-zero and overflow results of the 32-bit kernel differ",
}


@pytest.fixture(scope="module")
def torch_results():
    pytest.importorskip("torch")
    return fold_with_torch([c.text for c in CASES])


def _fold_with_pyjit(text: str) -> str:
    graph = parse_graph(text)
    # Numbered like torch's parser does it: the next value follows the last.
    graph.next_unique = 1 + max(v.unique for n in walk_nodes(graph) for v in n.outputs)
    constant_propagation_immutable_types(graph)
    return str(graph)


@pytest.mark.parametrize("overload", sorted(BY_OVERLOAD))
def test_folds_like_torch(torch_results, overload):
    if overload in NOT_MODELLED:
        pytest.xfail(NOT_MODELLED[overload])
    for i in BY_OVERLOAD[overload]:
        case, expected = CASES[i], torch_results[i]
        ours = _fold_with_pyjit(case.text)
        if expected is None:
            # torch's kernel traps (7 % 0) or never returns: pyjit must not fold.
            call = case.text.splitlines()[-2].split(" = ", 1)[1]
            assert call in ours, f"{overload}{case.args} was folded; torch crashes on it"
            continue
        assert "error" not in expected, f"torch rejected the test graph for {overload}{case.args}: {expected}"
        assert ours == expected["graph"], f"{overload}{case.args}"


def test_the_sample_covers_the_registry():
    """Guards the generator: hundreds of overloads, thousands of cases."""
    assert len(BY_OVERLOAD) > 250
    assert len(CASES) > 4000
