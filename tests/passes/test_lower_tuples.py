"""LowerSimpleTuples: tuple elements are read straight from a TupleConstruct.

Expected texts are torch's ``LowerSimpleTuples`` (checked below when torch is installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.lower_tuples import lower_simple_tuples

from .harness import run_pyjit, run_torch

UNPACK_OF_CONSTRUCT_FORWARDS_THE_ELEMENTS = """\
graph(%a : int,
      %b : str):
  %t : (int, str) = prim::TupleConstruct(%a, %b)
  %x : int, %y : str = prim::TupleUnpack(%t)
  %n : int = aten::len(%y)
  %r : int = aten::add(%x, %n)
  return (%r)
"""


def test_unpack_of_construct_forwards_the_elements():
    """TupleUnpack of a TupleConstruct is its inputs; the dead tuple goes."""
    assert run_pyjit(UNPACK_OF_CONSTRUCT_FORWARDS_THE_ELEMENTS, lower_simple_tuples) == """\
graph(%a : int,
      %b : str):
  %n : int = aten::len(%b)
  %r : int = aten::add(%a, %n)
  return (%r)
"""


INDEX_AND_SLICE_OF_CONSTRUCT = """\
graph(%a : int,
      %b : int,
      %c : int):
  %t : (int, int, int) = prim::TupleConstruct(%a, %b, %c)
  %m1 : int = prim::Constant[value=-1]()
  %last : int = prim::TupleIndex(%t, %m1)
  %s : (int, int) = prim::TupleSlice[beg=0, end=2](%t)
  %r : ((int, int), int) = prim::TupleConstruct(%s, %last)
  return (%r)
"""


def test_index_and_slice_of_construct():
    """A constant (even negative) TupleIndex and a TupleSlice read through the construct."""
    assert run_pyjit(INDEX_AND_SLICE_OF_CONSTRUCT, lower_simple_tuples) == """\
graph(%a : int,
      %b : int,
      %c : int):
  %8 : (int, int) = prim::TupleConstruct(%a, %b)
  %r : ((int, int), int) = prim::TupleConstruct(%8, %c)
  return (%r)
"""


TUPLES_THAT_ESCAPE_STAY = """\
graph(%a : int,
      %c : bool):
  %t : (int, int) = prim::TupleConstruct(%a, %a)
  %u : (int, int) = prim::If(%c)
    block0():
      -> (%t)
    block1():
      -> (%t)
  %x : int, %y : int = prim::TupleUnpack(%u)
  return (%x)
"""


def test_tuples_that_escape_stay():
    """An unpack of anything but a TupleConstruct is left alone."""
    assert run_pyjit(TUPLES_THAT_ESCAPE_STAY, lower_simple_tuples) == """\
graph(%a : int,
      %c : bool):
  %t : (int, int) = prim::TupleConstruct(%a, %a)
  %u : (int, int) = prim::If(%c)
    block0():
      -> (%t)
    block1():
      -> (%t)
  %x : int, %y : int = prim::TupleUnpack(%u)
  return (%x)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    assert run_pyjit(CASES[name], lower_simple_tuples) == run_torch(CASES[name], oracle.lower_simple_tuples)
