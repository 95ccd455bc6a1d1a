"""NormalizeOps: operator aliases become their canonical operators.

Expected texts are torch's ``NormalizeOps`` (checked below when torch is installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.normalize_ops import normalize_ops

from .harness import run_pyjit, run_torch

ALIASES_BECOME_CANONICAL_OPS = """\
graph(%t : Tensor):
  %a : Tensor = aten::absolute(%t)
  %b : Tensor = aten::arctan2(%a, %t)
  %c : Tensor = aten::det(%b)
  %d : Tensor = aten::special_expit(%c)
  return (%d)
"""


def test_aliases_become_canonical_ops():
    """absolute -> abs, arctan2 -> atan2, det -> linalg_det, special_expit -> sigmoid."""
    assert run_pyjit(ALIASES_BECOME_CANONICAL_OPS, normalize_ops) == """\
graph(%t : Tensor):
  %a : Tensor = aten::abs(%t)
  %b : Tensor = aten::atan2(%a, %t)
  %c : Tensor = aten::linalg_det(%b)
  %d : Tensor = aten::sigmoid(%c)
  return (%d)
"""


REPLACEMENTS_TAKE_THE_NAMES = """\
graph(%t : Tensor):
  %x : Tensor = aten::negative(%t)
  %x.1 : Tensor = aten::negative(%x)
  %y : Tensor = aten::add(%x.1, %x.1, %x.1)
  return (%y)
"""


def test_replacements_take_the_names():
    """The new nodes' outputs keep the old outputs' names."""
    assert run_pyjit(REPLACEMENTS_TAKE_THE_NAMES, normalize_ops) == """\
graph(%t : Tensor):
  %x : Tensor = aten::neg(%t)
  %x.1 : Tensor = aten::neg(%x)
  %y : Tensor = aten::add(%x.1, %x.1, %x.1)
  return (%y)
"""


RSUB_OF_TENSORS_IS_SUB_SWAPPED = """\
graph(%a : Tensor,
      %b : Tensor):
  %one : int = prim::Constant[value=1]()
  %r : Tensor = aten::rsub(%a, %b, %one)
  %s : Tensor = aten::rsub(%a, %one, %one)
  %t : (Tensor, Tensor) = prim::TupleConstruct(%r, %s)
  return (%t)
"""


def test_rsub_of_tensors_is_sub_swapped():
    """rsub(Tensor, Tensor) becomes sub with its operands swapped; rsub(Tensor, Scalar) stays."""
    assert run_pyjit(RSUB_OF_TENSORS_IS_SUB_SWAPPED, normalize_ops) == """\
graph(%a : Tensor,
      %b : Tensor):
  %one : int = prim::Constant[value=1]()
  %r : Tensor = aten::sub(%b, %a, %one)
  %s : Tensor = aten::rsub(%a, %one, %one)
  %t : (Tensor, Tensor) = prim::TupleConstruct(%r, %s)
  return (%t)
"""


IS_ON_BOOLS_IS_EQ = """\
graph(%a : bool,
      %b : bool,
      %n : int?):
  %none : NoneType = prim::Constant()
  %x : bool = aten::__is__(%a, %b)
  %y : bool = aten::__isnot__(%a, %b)
  %z : bool = aten::__is__(%n, %none)
  %t : (bool, bool, bool) = prim::TupleConstruct(%x, %y, %z)
  return (%t)
"""


def test_is_on_bools_is_eq():
    """`is`/`is not` on two bools become eq/ne; on other types they stay."""
    assert run_pyjit(IS_ON_BOOLS_IS_EQ, normalize_ops) == """\
graph(%a : bool,
      %b : bool,
      %n : int?):
  %none : NoneType = prim::Constant()
  %x : bool = aten::eq(%a, %b)
  %y : bool = aten::ne(%a, %b)
  %z : bool = aten::__is__(%n, %none)
  %t : (bool, bool, bool) = prim::TupleConstruct(%x, %y, %z)
  return (%t)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    assert run_pyjit(CASES[name], normalize_ops) == run_torch(CASES[name], oracle.normalize_ops)
