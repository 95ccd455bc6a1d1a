"""ConvertToSSA, exit transforms and loop canonicalization, from the emitter's
load/store IR to what ``torch.jit.script(...).graph`` prints.

Each case is IR as torch's emitter writes it (variables as ``prim::Store`` /
``prim::Load``, ``prim::ReturnStmt``/``BreakStmt``/``ContinueStmt``, loops
with a condition block); the expected text is what torch's frontend passes
make of it (checked against torch below when it is installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.convert_to_ssa import convert_to_ssa
from pyjit_core.passes.pipeline import run_frontend_passes

from .harness import run_pyjit, run_torch

IF_OUTPUTS_SORTED_BY_NAME = """\
graph(%c : bool):
  %one : int = prim::Constant[value=1]()
  %two : int = prim::Constant[value=2]()
   = prim::If(%c)
    block0():
       = prim::Store[name="zeta"](%one)
       = prim::Store[name="alpha"](%two)
      -> ()
    block1():
       = prim::Store[name="alpha"](%one)
       = prim::Store[name="zeta"](%two)
      -> ()
  %alpha : int = prim::Load[name="alpha"]()
  %zeta : int = prim::Load[name="zeta"]()
  %sum : int = aten::add(%alpha, %zeta)
   = prim::ReturnStmt(%sum)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_if_outputs_sorted_by_name():
    """Variables assigned in both branches become if-outputs, in alphabetical order."""
    assert run_pyjit(IF_OUTPUTS_SORTED_BY_NAME, run_frontend_passes) == """\
graph(%c : bool):
  %two : int = prim::Constant[value=2]()
  %one : int = prim::Constant[value=1]()
  %alpha : int, %zeta : int = prim::If(%c)
    block0():
      -> (%two, %one)
    block1():
      -> (%one, %two)
  %sum : int = aten::add(%alpha, %zeta)
  return (%sum)
"""


ONE_BRANCH_VARIABLE_DEFINED_BEFORE = """\
graph(%c : bool,
      %x.1 : int):
   = prim::Store[name="x"](%x.1)
   = prim::If(%c)
    block0():
      %x.2 : int = prim::Load[name="x"]()
      %one : int = prim::Constant[value=1]()
      %x.3 : int = aten::add(%x.2, %one)
       = prim::Store[name="x"](%x.3)
       = prim::Store[name="tmp"](%x.3)
      -> ()
    block1():
      -> ()
  %x : int = prim::Load[name="x"]()
   = prim::ReturnStmt(%x)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_one_branch_variable_defined_before():
    """A variable assigned in one branch and defined before the if is an output;
    one only assigned inside a branch is not."""
    assert run_pyjit(ONE_BRANCH_VARIABLE_DEFINED_BEFORE, run_frontend_passes) == """\
graph(%c : bool,
      %x.1 : int):
  %one : int = prim::Constant[value=1]()
  %x : int = prim::If(%c)
    block0():
      %x.3 : int = aten::add(%x.1, %one)
      -> (%x.3)
    block1():
      -> (%x.1)
  return (%x)
"""


BRANCH_TYPES_UNIFY_TO_UNION = """\
graph(%c : bool):
  %i : int = prim::Constant[value=1]()
  %s : str = prim::Constant[value="one"]()
   = prim::If(%c)
    block0():
       = prim::Store[name="v"](%i)
      -> ()
    block1():
       = prim::Store[name="v"](%s)
      -> ()
  %v : Union(int, str) = prim::Load[name="v"]()
   = prim::ReturnStmt(%v)
  %u : Union(int, str) = prim::Uninitialized()
  return (%u)
"""


def test_branch_types_unify_to_union():
    """Branch types that do not unify become their Union (torch 2.x)."""
    assert run_pyjit(BRANCH_TYPES_UNIFY_TO_UNION, run_frontend_passes) == """\
graph(%c : bool):
  %s : str = prim::Constant[value="one"]()
  %i : int = prim::Constant[value=1]()
  %v : Union(int, str) = prim::If(%c)
    block0():
      -> (%i)
    block1():
      -> (%s)
  return (%v)
"""


LOOP_CARRIES_ONLY_OUTER_VARIABLES = """\
graph(%n : int):
  %zero : int = prim::Constant[value=0]()
  %true : bool = prim::Constant[value=1]()
   = prim::Store[name="total"](%zero)
   = prim::Store[name="count"](%zero)
   = prim::Loop(%n)
    block0(%i : int):
      %t.1 : int = prim::Load[name="total"]()
      %t.2 : int = aten::add(%t.1, %i)
       = prim::Store[name="total"](%t.2)
       = prim::Store[name="local"](%t.2)
      %c.1 : int = prim::Load[name="count"]()
      %one : int = prim::Constant[value=1]()
      %c.2 : int = aten::add(%c.1, %one)
       = prim::Store[name="count"](%c.2)
      -> ()
    block1():
      -> (%true)
  %total : int = prim::Load[name="total"]()
  %count : int = prim::Load[name="count"]()
  %r : int = aten::mul(%total, %count)
   = prim::ReturnStmt(%r)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_loop_carries_only_outer_variables():
    """Variables defined before the loop and assigned in it are carried (sorted by name); loop-local ones are not."""
    assert run_pyjit(LOOP_CARRIES_ONLY_OUTER_VARIABLES, run_frontend_passes) == """\
graph(%n : int):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %zero : int = prim::Constant[value=0]()
  %total : int, %count : int = prim::Loop(%n, %true, %zero, %zero)
    block0(%i : int, %total.3 : int, %count.3 : int):
      %t.2 : int = aten::add(%total.3, %i)
      %c.2 : int = aten::add(%count.3, %one)
      -> (%true, %t.2, %c.2)
  %r : int = aten::mul(%total, %count)
  return (%r)
"""


WHILE_CONDITION_READS_CARRIED_VALUE = """\
graph(%limit : int):
  %zero : int = prim::Constant[value=0]()
  %max : int = prim::Constant[value=9223372036854775807]()
   = prim::Store[name="i"](%zero)
   = prim::Loop(%max)
    block0(%trip : int):
      %i.1 : int = prim::Load[name="i"]()
      %two : int = prim::Constant[value=2]()
      %i.2 : int = aten::add(%i.1, %two)
       = prim::Store[name="i"](%i.2)
      -> ()
    block1():
      %i.3 : int = prim::Load[name="i"]()
      %cond : bool = aten::lt(%i.3, %limit)
      -> (%cond)
  %i : int = prim::Load[name="i"]()
   = prim::ReturnStmt(%i)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_while_condition_reads_carried_value():
    """The condition block is cloned before the loop (start condition) and moved to the end of the body."""
    assert run_pyjit(WHILE_CONDITION_READS_CARRIED_VALUE, run_frontend_passes) == """\
graph(%limit : int):
  %two : int = prim::Constant[value=2]()
  %max : int = prim::Constant[value=9223372036854775807]()
  %zero : int = prim::Constant[value=0]()
  %cond.1 : bool = aten::lt(%zero, %limit)
  %i : int = prim::Loop(%max, %cond.1, %zero)
    block0(%trip : int, %i.6 : int):
      %i.2 : int = aten::add(%i.6, %two)
      %cond.3 : bool = aten::lt(%i.2, %limit)
      -> (%cond.3, %i.2)
  return (%i)
"""


BREAK_AND_CONTINUE = """\
graph(%n : int):
  %zero : int = prim::Constant[value=0]()
  %true : bool = prim::Constant[value=1]()
   = prim::Store[name="s"](%zero)
   = prim::Loop(%n)
    block0(%i : int):
      %three : int = prim::Constant[value=3]()
      %big : bool = aten::gt(%i, %three)
       = prim::If(%big)
        block0():
           = prim::BreakStmt()
          -> ()
        block1():
          -> ()
      %one : int = prim::Constant[value=1]()
      %odd : bool = aten::eq(%i, %one)
       = prim::If(%odd)
        block0():
           = prim::ContinueStmt()
          -> ()
        block1():
          -> ()
      %s.1 : int = prim::Load[name="s"]()
      %s.2 : int = aten::add(%s.1, %i)
       = prim::Store[name="s"](%s.2)
      -> ()
    block1():
      -> (%true)
  %s : int = prim::Load[name="s"]()
   = prim::ReturnStmt(%s)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_break_and_continue():
    """break/continue become loop continuations; the loop becomes a counted while loop (CanonicalizeModifiedLoops)."""
    assert run_pyjit(BREAK_AND_CONTINUE, run_frontend_passes) == """\
graph(%n : int):
  %three : int = prim::Constant[value=3]()
  %70 : int = prim::Constant[value=9223372036854775807]()
  %68 : int = prim::Constant[value=1]()
  %zero : int = prim::Constant[value=0]()
  %20 : bool = prim::Constant[value=0]()
  %19 : bool = prim::Constant[value=1]()
  %22 : int = prim::Uninitialized()
  %21 : bool = prim::Uninitialized()
  %69 : bool = aten::gt(%n, %zero)
  %s : int, %71 : int = prim::Loop(%70, %69, %zero, %zero)
    block0(%3 : int, %s.5 : int, %72 : int):
      %big : bool = aten::gt(%72, %three)
      %58 : bool, %59 : bool, %60 : int, %56 : bool, %57 : int = prim::If(%big)
        block0():
          -> (%19, %20, %s.5, %21, %22)
        block1():
          %odd.1 : bool = aten::eq(%72, %68)
          %64 : bool, %65 : bool, %66 : int, %62 : bool, %63 : int = prim::If(%odd.1)
            block0():
              -> (%19, %19, %s.5, %21, %22)
            block1():
              %s.11 : int = aten::add(%s.5, %72)
              -> (%20, %21, %22, %19, %s.11)
          -> (%64, %65, %66, %62, %63)
      %39 : bool, %40 : int = prim::If(%58)
        block0():
          -> (%59, %60)
        block1():
          -> (%56, %57)
      %73 : int = aten::add(%72, %68)
      %74 : bool = aten::lt(%73, %n)
      %75 : bool = aten::__and__(%74, %39)
      -> (%75, %40, %73)
  return (%s)
"""


RETURN_IN_LOOP = """\
graph(%xs : int[],
      %target : int):
  %n : int = aten::len(%xs)
  %true : bool = prim::Constant[value=1]()
   = prim::Loop(%n)
    block0(%i : int):
      %x : int = aten::__getitem__(%xs, %i)
      %hit : bool = aten::eq(%x, %target)
       = prim::If(%hit)
        block0():
           = prim::ReturnStmt(%i)
          -> ()
        block1():
          -> ()
      -> ()
    block1():
      -> (%true)
  %minus1 : int = prim::Constant[value=-1]()
   = prim::ReturnStmt(%minus1)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_return_in_loop():
    """A return inside a loop threads a did-return flag and the return value out of the loop."""
    assert run_pyjit(RETURN_IN_LOOP, run_frontend_passes) == """\
graph(%xs : int[],
      %target : int):
  %minus1 : int = prim::Constant[value=-1]()
  %30 : int = prim::Constant[value=9223372036854775807]()
  %28 : int = prim::Constant[value=1]()
  %27 : int = prim::Constant[value=0]()
  %14 : bool = prim::Constant[value=0]()
  %13 : bool = prim::Constant[value=1]()
  %16 : int = prim::Uninitialized()
  %n : int = aten::len(%xs)
  %29 : bool = aten::gt(%n, %27)
  %21 : bool, %22 : int, %31 : int = prim::Loop(%30, %29, %14, %16, %27)
    block0(%4 : int, %20 : bool, %23 : int, %32 : int):
      %x : int = aten::__getitem__(%xs, %32)
      %hit : bool = aten::eq(%x, %target)
      %26 : bool, %17 : bool, %18 : int = prim::If(%hit)
        block0():
          -> (%14, %13, %32)
        block1():
          -> (%13, %14, %16)
      %33 : int = aten::add(%32, %28)
      %34 : bool = aten::lt(%33, %n)
      %35 : bool = aten::__and__(%34, %26)
      -> (%35, %17, %18, %33)
  %25 : int = prim::If(%21)
    block0():
      -> (%22)
    block1():
      -> (%minus1)
  return (%25)
"""


EARLY_RETURN_FUSES_CONSECUTIVE_IFS = """\
graph(%x : int):
  %zero : int = prim::Constant[value=0]()
  %neg : bool = aten::lt(%x, %zero)
   = prim::If(%neg)
    block0():
      %m : int = aten::neg(%x)
       = prim::ReturnStmt(%m)
      -> ()
    block1():
      -> ()
  %two : int = prim::Constant[value=2]()
  %y : int = aten::mul(%x, %two)
   = prim::ReturnStmt(%y)
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_early_return_fuses_consecutive_ifs():
    """`if c: return a` followed by code becomes one if/else (inlineConsecutiveIfs)."""
    assert run_pyjit(EARLY_RETURN_FUSES_CONSECUTIVE_IFS, run_frontend_passes) == """\
graph(%x : int):
  %two.1 : int = prim::Constant[value=2]()
  %zero : int = prim::Constant[value=0]()
  %neg : bool = aten::lt(%x, %zero)
  %22 : int = prim::If(%neg)
    block0():
      %m : int = aten::neg(%x)
      -> (%m)
    block1():
      %y.1 : int = aten::mul(%x, %two.1)
      -> (%y.1)
  return (%22)
"""


RAISE_IN_ONE_BRANCH_IS_NOT_AN_EXIT = """\
graph(%x : int):
  %zero : int = prim::Constant[value=0]()
  %neg : bool = aten::lt(%x, %zero)
   = prim::If(%neg)
    block0():
      %msg : str = prim::Constant[value="negative"]()
      %none : NoneType = prim::Constant()
       = prim::RaiseException(%msg, %none)
      -> ()
    block1():
       = prim::ReturnStmt(%x)
      -> ()
  %u : int = prim::Uninitialized()
  return (%u)
"""


def test_raise_in_one_branch_is_not_an_exit():
    """A branch that always raises takes the other branch's exit status."""
    assert run_pyjit(RAISE_IN_ONE_BRANCH_IS_NOT_AN_EXIT, run_frontend_passes) == """\
graph(%x : int):
  %none : NoneType = prim::Constant()
  %msg : str = prim::Constant[value="negative"]()
  %zero : int = prim::Constant[value=0]()
  %13 : int = prim::Uninitialized()
  %neg : bool = aten::lt(%x, %zero)
  %14 : int = prim::If(%neg)
    block0():
       = prim::RaiseException(%msg, %none)
      -> (%13)
    block1():
      -> (%x)
  return (%14)
"""


COMPREHENSION_SCOPE_IS_INLINED = """\
graph(%xs : int[]):
  %out : int[] = prim::ListConstruct()
  %n : int = aten::len(%xs)
  %true : bool = prim::Constant[value=1]()
   = prim::ComprehensionScope()
    block0():
       = prim::Loop(%n)
        block0(%i : int):
          %x : int = aten::__getitem__(%xs, %i)
           = prim::Store[name="x"](%x)
          %x.1 : int = prim::Load[name="x"]()
          %r : int[] = aten::append(%out, %x.1)
          -> ()
        block1():
          -> (%true)
      -> ()
   = prim::ReturnStmt(%out)
  %u : int[] = prim::Uninitialized()
  return (%u)
"""


def test_comprehension_scope_is_inlined():
    """Writes in a comprehension scope stay inside it; the scope node is inlined."""
    assert run_pyjit(COMPREHENSION_SCOPE_IS_INLINED, run_frontend_passes) == """\
graph(%xs : int[]):
  %true : bool = prim::Constant[value=1]()
  %out : int[] = prim::ListConstruct()
  %n : int = aten::len(%xs)
   = prim::Loop(%n, %true)
    block0(%i : int):
      %x : int = aten::__getitem__(%xs, %i)
      %r : int[] = aten::append(%out, %x)
      -> (%true)
  return (%out)
"""


WITH_STATEMENT_EXITS = """\
graph(%x : Tensor):
  %none : NoneType = prim::Constant()
  %enter : NoneType = prim::Enter(%none)
  %y : Tensor = aten::neg(%x)
   = prim::ReturnStmt(%y)
  %exit : NoneType = prim::Exit(%none)
  %u : Tensor = prim::Uninitialized()
  return (%u)
"""


def test_with_statement_exits():
    """A return inside a `with` block leaves the Enter/Exit pair in place."""
    assert run_pyjit(WITH_STATEMENT_EXITS, run_frontend_passes) == """\
graph(%x : Tensor):
  %none : NoneType = prim::Constant()
  %enter : NoneType = prim::Enter(%none)
  %y : Tensor = aten::neg(%x)
  %exit : NoneType = prim::Exit(%none)
  return (%y)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_convert_to_ssa_matches_torch(oracle, name):
    """Every step of ConvertToSSA creates torch's nodes and values in torch's order."""
    assert run_pyjit(CASES[name], convert_to_ssa) == run_torch(CASES[name], oracle.convert_to_ssa)


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_pipeline_matches_torch(oracle, name):
    assert run_pyjit(CASES[name], run_frontend_passes) == run_torch(CASES[name], oracle.run_frontend_passes)
