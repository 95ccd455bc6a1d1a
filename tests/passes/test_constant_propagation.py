"""Constant propagation over immutable values, as the frontend runs it.

Expected texts are torch's ``ConstantPropagationImmutableTypes`` (checked
below when torch is installed; the per-operator folding itself is checked in
``test_scalar_kernels_against_torch.py``).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.constant_propagation import constant_propagation_immutable_types

from .harness import run_pyjit, run_torch

CONSTANT_CONDITION_INLINES_THE_TAKEN_BRANCH = """\
graph(%x : int):
  %t : bool = prim::Constant[value=1]()
  %one : int = prim::Constant[value=1]()
  %r : int = prim::If(%t)
    block0():
      %a : int = aten::add(%x, %one)
      -> (%a)
    block1():
      %b : int = aten::sub(%x, %one)
      -> (%b)
  return (%r)
"""


def test_constant_condition_inlines_the_taken_branch():
    """An if on a constant becomes the taken branch's nodes."""
    assert run_pyjit(CONSTANT_CONDITION_INLINES_THE_TAKEN_BRANCH, constant_propagation_immutable_types) == """\
graph(%x : int):
  %one : int = prim::Constant[value=1]()
  %a : int = aten::add(%x, %one)
  return (%a)
"""


FOLDING_CASCADES = """\
graph():
  %two : int = prim::Constant[value=2]()
  %three : int = prim::Constant[value=3]()
  %six : int = aten::mul(%two, %three)
  %big : bool = aten::gt(%six, %three)
  %s : str = aten::str(%six)
  %t : (bool, str) = prim::TupleConstruct(%big, %s)
  return (%t)
"""


def test_folding_cascades():
    """Folded results feed the next fold; a tuple of constants becomes a tuple constant."""
    assert run_pyjit(FOLDING_CASCADES, constant_propagation_immutable_types) == """\
graph():
  %9 : (bool, str) = prim::Constant[value=(True, "6")]()
  return (%9)
"""


MUTABLE_AND_SIDE_EFFECTING_NODES_STAY = """\
graph(%t : Tensor):
  %one : int = prim::Constant[value=1]()
  %l : int[] = prim::ListConstruct(%one, %one)
  %n : int = aten::len(%l)
  %msg : str = prim::Constant[value="n"]()
   = prim::Print(%msg, %n)
  %u : Tensor = aten::add(%t, %t, %one)
  return (%u)
"""


def test_mutable_and_side_effecting_nodes_stay():
    """Lists and tensors are mutable; prints have side effects: none of them fold."""
    assert run_pyjit(MUTABLE_AND_SIDE_EFFECTING_NODES_STAY, constant_propagation_immutable_types) == """\
graph(%t : Tensor):
  %one : int = prim::Constant[value=1]()
  %l : int[] = prim::ListConstruct(%one, %one)
  %n : int = aten::len(%l)
  %msg : str = prim::Constant[value="n"]()
   = prim::Print(%msg, %n)
  %u : Tensor = aten::add(%t, %t, %one)
  return (%u)
"""


EQUAL_BRANCH_OUTPUTS_ARE_REMOVED = """\
graph(%c : bool,
      %x : int):
  %one : int = prim::Constant[value=1]()
  %a : int, %b : int, %d : int = prim::If(%c)
    block0():
      %k : int = prim::Constant[value=7]()
      %y : int = aten::add(%x, %one)
      -> (%k, %x, %y)
    block1():
      %k.1 : int = prim::Constant[value=7]()
      -> (%k.1, %x, %one)
  %s : int = aten::add(%a, %b)
  %r : int = aten::add(%s, %d)
  return (%r)
"""


def test_equal_branch_outputs_are_removed():
    """An if-output both branches give the same value (or equal constants) is replaced by it."""
    assert run_pyjit(EQUAL_BRANCH_OUTPUTS_ARE_REMOVED, constant_propagation_immutable_types) == """\
graph(%c : bool,
      %x : int):
  %one : int = prim::Constant[value=1]()
  %11 : int = prim::Constant[value=7]()
  %d : int = prim::If(%c)
    block0():
      %y : int = aten::add(%x, %one)
      -> (%y)
    block1():
      -> (%one)
  %s : int = aten::add(%11, %x)
  %r : int = aten::add(%s, %d)
  return (%r)
"""


LOOP_THAT_NEVER_RUNS_IS_REMOVED = """\
graph(%x : int):
  %zero : int = prim::Constant[value=0]()
  %true : bool = prim::Constant[value=1]()
  %r : int = prim::Loop(%zero, %true, %x)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      -> (%true, %acc.1)
  return (%r)
"""


def test_loop_that_never_runs_is_removed():
    """A loop with a zero trip count is replaced by its initial values."""
    assert run_pyjit(LOOP_THAT_NEVER_RUNS_IS_REMOVED, constant_propagation_immutable_types) == """\
graph(%x : int):
  return (%x)
"""


UNCHANGED_LOOP_CARRIED_VALUES_ARE_DROPPED = """\
graph(%n : int,
      %x : int):
  %true : bool = prim::Constant[value=1]()
  %same : int, %acc : int = prim::Loop(%n, %true, %x, %x)
    block0(%i : int, %s : int, %a : int):
      %a.1 : int = aten::add(%a, %s)
      -> (%true, %s, %a.1)
  %r : int = aten::add(%same, %acc)
  return (%r)
"""


def test_unchanged_loop_carried_values_are_dropped():
    """A carried value the body passes through unchanged stops being carried."""
    assert run_pyjit(UNCHANGED_LOOP_CARRIED_VALUES_ARE_DROPPED, constant_propagation_immutable_types) == """\
graph(%n : int,
      %x : int):
  %true : bool = prim::Constant[value=1]()
  %acc : int = prim::Loop(%n, %true, %x)
    block0(%i : int, %a : int):
      %a.1 : int = aten::add(%a, %x)
      -> (%true, %a.1)
  %r : int = aten::add(%x, %acc)
  return (%r)
"""


RAISING_KERNELS_DO_NOT_FOLD = """\
graph():
  %seven : int = prim::Constant[value=7]()
  %zero : int = prim::Constant[value=0]()
  %q : int = aten::floordiv(%seven, %zero)
  %s : str = prim::Constant[value="x1"]()
  %i : int = aten::Int(%s)
  %t : (int, int) = prim::TupleConstruct(%q, %i)
  return (%t)
"""


def test_raising_kernels_do_not_fold():
    """7 // 0 and int('x1') raise in torch, so they stay for run time."""
    assert run_pyjit(RAISING_KERNELS_DO_NOT_FOLD, constant_propagation_immutable_types) == """\
graph():
  %seven : int = prim::Constant[value=7]()
  %zero : int = prim::Constant[value=0]()
  %q : int = aten::floordiv(%seven, %zero)
  %s : str = prim::Constant[value="x1"]()
  %i : int = aten::Int(%s)
  %t : (int, int) = prim::TupleConstruct(%q, %i)
  return (%t)
"""


NONE_KEEPS_ITS_OPTIONAL_TYPE = """\
graph(%c : bool):
  %none : NoneType = prim::Constant()
  %x : int? = prim::unchecked_cast(%none)
  %same : bool = aten::__is__(%x, %none)
  return (%same, %x)
"""


def test_none_keeps_its_optional_type():
    """A folded None keeps the type of the value it replaces; `None is None` folds to True."""
    assert run_pyjit(NONE_KEEPS_ITS_OPTIONAL_TYPE, constant_propagation_immutable_types) == """\
graph(%c : bool):
  %4 : int? = prim::Constant()
  %5 : bool = prim::Constant[value=1]()
  return (%5, %4)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    import torch

    assert run_pyjit(CASES[name], constant_propagation_immutable_types) == \
        run_torch(CASES[name], torch._C._jit_pass_constant_propagation_immutable_types)
