"""Dead code elimination: an inverse mark-and-sweep from the outputs, with
side effects and writes to live (or outside) memory kept.

Expected texts are torch's ``EliminateDeadCode(graph)`` (checked below when
torch is installed, as is the alias-analysis-free block variant).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.dead_code_elimination import eliminate_dead_code, eliminate_dead_code_in_block

from .harness import run_pyjit, run_torch

UNUSED_PURE_NODES_GO_SIDE_EFFECTS_STAY = """\
graph(%x : int):
  %one : int = prim::Constant[value=1]()
  %dead : int = aten::add(%x, %one)
  %msg : str = prim::Constant[value="hi"]()
   = prim::Print(%msg)
  %w : str = prim::Constant[value="careful"]()
  %level : int = prim::Constant[value=2]()
   = aten::warn(%w, %level)
  return (%x)
"""


def test_unused_pure_nodes_go_side_effects_stay():
    """Unused pure nodes go; prints and warnings stay."""
    assert run_pyjit(UNUSED_PURE_NODES_GO_SIDE_EFFECTS_STAY, eliminate_dead_code) == """\
graph(%x : int):
  %msg : str = prim::Constant[value="hi"]()
   = prim::Print(%msg)
  %w : str = prim::Constant[value="careful"]()
  %level : int = prim::Constant[value=2]()
   = aten::warn(%w, %level)
  return (%x)
"""


UNUSED_LOCAL_LIST_AND_ITS_APPENDS_GO = """\
graph(%x : int):
  %l : int[] = prim::ListConstruct()
  %r : int[] = aten::append(%l, %x)
  %l2 : int[] = prim::ListConstruct(%x)
  %r2 : int[] = aten::append(%l2, %x)
  %n : int = aten::len(%l2)
  return (%n)
"""


def test_unused_local_list_and_its_appends_go():
    """Writes to a list nobody reads are dead; writes to a list that is read are not."""
    assert run_pyjit(UNUSED_LOCAL_LIST_AND_ITS_APPENDS_GO, eliminate_dead_code) == """\
graph(%x : int):
  %l2 : int[] = prim::ListConstruct(%x)
  %r2 : int[] = aten::append(%l2, %x)
  %n : int = aten::len(%l2)
  return (%n)
"""


WRITES_TO_INPUTS_STAY = """\
graph(%t : Tensor,
      %xs : int[]):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::add_(%t, %t, %one)
  %r : int[] = aten::append(%xs, %one)
  %none : NoneType = prim::Constant()
  return (%none)
"""


def test_writes_to_inputs_stay():
    """Graph inputs may alias anything outside: writes to them are kept."""
    assert run_pyjit(WRITES_TO_INPUTS_STAY, eliminate_dead_code) == """\
graph(%t : Tensor,
      %xs : int[]):
  %one : int = prim::Constant[value=1]()
  %a : Tensor = aten::add_(%t, %t, %one)
  %r : int[] = aten::append(%xs, %one)
  %none : NoneType = prim::Constant()
  return (%none)
"""


WRITES_THROUGH_A_VIEW_KEEP_THE_BASE_ALIVE = """\
graph(%n : int):
  %sizes : int[] = prim::ListConstruct(%n)
  %none : NoneType = prim::Constant()
  %base : Tensor = aten::zeros(%sizes, %none, %none, %none, %none)
  %zero : int = prim::Constant[value=0]()
  %view : Tensor = aten::select(%base, %zero, %zero)
  %one : int = prim::Constant[value=1]()
  %w : Tensor = aten::add_(%view, %view, %one)
  %other : Tensor = aten::select(%base, %zero, %one)
  %unused : Tensor = aten::mul(%other, %other)
  return (%base)
"""


def test_writes_through_a_view_keep_the_base_alive():
    """`select` aliases its input, so writing the view writes the returned base."""
    assert run_pyjit(WRITES_THROUGH_A_VIEW_KEEP_THE_BASE_ALIVE, eliminate_dead_code) == """\
graph(%n : int):
  %sizes : int[] = prim::ListConstruct(%n)
  %none : NoneType = prim::Constant()
  %base : Tensor = aten::zeros(%sizes, %none, %none, %none, %none)
  %zero : int = prim::Constant[value=0]()
  %view : Tensor = aten::select(%base, %zero, %zero)
  %one : int = prim::Constant[value=1]()
  %w : Tensor = aten::add_(%view, %view, %one)
  return (%base)
"""


DEAD_IF_AND_LOOP_OUTPUTS = """\
graph(%c : bool,
      %n : int):
  %one : int = prim::Constant[value=1]()
  %two : int = prim::Constant[value=2]()
  %a : int, %b : int = prim::If(%c)
    block0():
      %t : int = aten::add(%n, %one)
      -> (%t, %one)
    block1():
      %f : int = aten::mul(%n, %two)
      -> (%two, %f)
  %true : bool = prim::Constant[value=1]()
  %s : int, %dead : int = prim::Loop(%n, %true, %one, %two)
    block0(%i : int, %s.1 : int, %d.1 : int):
      %s.2 : int = aten::add(%s.1, %i)
      %d.2 : int = aten::mul(%d.1, %two)
      -> (%true, %s.2, %d.2)
  %r : int = aten::add(%a, %s)
  return (%r)
"""


def test_dead_if_and_loop_outputs():
    """Unused if-outputs and loop-carried values are dropped with what computes them."""
    assert run_pyjit(DEAD_IF_AND_LOOP_OUTPUTS, eliminate_dead_code) == """\
graph(%c : bool,
      %n : int):
  %one : int = prim::Constant[value=1]()
  %two : int = prim::Constant[value=2]()
  %a : int = prim::If(%c)
    block0():
      %t : int = aten::add(%n, %one)
      -> (%t)
    block1():
      -> (%two)
  %true : bool = prim::Constant[value=1]()
  %s : int, %dead : int = prim::Loop(%n, %true, %one, %two)
    block0(%i : int, %s.1 : int, %d.1 : int):
      %s.2 : int = aten::add(%s.1, %i)
      %d.2 : int = aten::mul(%d.1, %two)
      -> (%true, %s.2, %d.2)
  %r : int = aten::add(%a, %s)
  return (%r)
"""


LOOP_CARRIED_VALUE_READ_NEXT_ITERATION_STAYS = """\
graph(%n : int):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %s : int, %prev : int = prim::Loop(%n, %true, %one, %one)
    block0(%i : int, %s.1 : int, %p.1 : int):
      %s.2 : int = aten::add(%s.1, %p.1)
      -> (%true, %s.2, %i)
  return (%s)
"""


def test_loop_carried_value_read_next_iteration_stays():
    """A carried value unused after the loop is live if the body reads it."""
    assert run_pyjit(LOOP_CARRIED_VALUE_READ_NEXT_ITERATION_STAYS, eliminate_dead_code) == """\
graph(%n : int):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %s : int, %prev : int = prim::Loop(%n, %true, %one, %one)
    block0(%i : int, %s.1 : int, %p.1 : int):
      %s.2 : int = aten::add(%s.1, %p.1)
      -> (%true, %s.2, %i)
  return (%s)
"""


RAISE_KEEPS_ITS_IF = """\
graph(%c : bool):
  %msg : str = prim::Constant[value="boom"]()
  %none : NoneType = prim::Constant()
   = prim::If(%c)
    block0():
       = prim::RaiseException(%msg, %none)
      -> ()
    block1():
      -> ()
  return (%none)
"""


def test_raise_keeps_its_if():
    """A node containing a side effect is live."""
    assert run_pyjit(RAISE_KEEPS_ITS_IF, eliminate_dead_code) == """\
graph(%c : bool):
  %msg : str = prim::Constant[value="boom"]()
  %none : NoneType = prim::Constant()
   = prim::If(%c)
    block0():
       = prim::RaiseException(%msg, %none)
      -> ()
    block1():
      -> ()
  return (%none)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


def test_without_alias_analysis_every_mutating_op_is_a_side_effect():
    """``EliminateDeadCode(block)`` has no alias information: an op whose schema
    writes an input is kept even when nothing reads what it wrote."""
    out = run_pyjit(UNUSED_LOCAL_LIST_AND_ITS_APPENDS_GO, lambda g: eliminate_dead_code_in_block(g.block))
    assert "%r : int[] = aten::append(%l, %x)" in out


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    import torch

    assert run_pyjit(CASES[name], eliminate_dead_code) == run_torch(CASES[name], torch._C._jit_pass_dce_graph)


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_block_variant_matches_torch(oracle, name):
    import torch

    assert run_pyjit(CASES[name], lambda g: eliminate_dead_code_in_block(g.block)) == \
        run_torch(CASES[name], torch._C._jit_pass_dce)
