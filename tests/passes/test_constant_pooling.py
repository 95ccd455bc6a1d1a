"""Constant pooling: one node per distinct constant, all at the top of the graph.

Expected texts are torch's ``ConstantPooling`` (checked below when torch is
installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.constant_pooling import constant_pooling

from .harness import run_pyjit, run_torch

EQUAL_CONSTANTS_MERGE_LAST_SEEN_FIRST = """\
graph(%x : int):
  %a : int = prim::Constant[value=1]()
  %b : int = prim::Constant[value=2]()
  %s : int = aten::add(%x, %a)
  %c : int = prim::Constant[value=1]()
  %t : int = aten::mul(%s, %c)
  %u : int = aten::add(%t, %b)
  return (%u)
"""


def test_equal_constants_merge_last_seen_first():
    """Each new constant moves to the top, so the last one seen prints first; duplicates use the first."""
    assert run_pyjit(EQUAL_CONSTANTS_MERGE_LAST_SEEN_FIRST, constant_pooling) == """\
graph(%x : int):
  %b : int = prim::Constant[value=2]()
  %a : int = prim::Constant[value=1]()
  %s : int = aten::add(%x, %a)
  %t : int = aten::mul(%s, %a)
  %u : int = aten::add(%t, %b)
  return (%u)
"""


TAGS_DISTINGUISH_EQUAL_NUMBERS = """\
graph():
  %i : int = prim::Constant[value=1]()
  %b : bool = prim::Constant[value=1]()
  %f : float = prim::Constant[value=1.]()
  %i2 : int = prim::Constant[value=1]()
  %t : (int, bool, float, int) = prim::TupleConstruct(%i, %b, %f, %i2)
  return (%t)
"""


def test_tags_distinguish_equal_numbers():
    """1, True and 1.0 are different constants."""
    assert run_pyjit(TAGS_DISTINGUISH_EQUAL_NUMBERS, constant_pooling) == """\
graph():
  %f : float = prim::Constant[value=1.]()
  %b : bool = prim::Constant[value=1]()
  %i : int = prim::Constant[value=1]()
  %t : (int, bool, float, int) = prim::TupleConstruct(%i, %b, %f, %i)
  return (%t)
"""


SIGNED_ZEROS_ARE_EQUAL = """\
graph():
  %p : float = prim::Constant[value=0.]()
  %n : float = prim::Constant[value=-0.]()
  %t : (float, float) = prim::TupleConstruct(%p, %n)
  return (%t)
"""


def test_signed_zeros_are_equal():
    """0.0 == -0.0 in C++, so -0.0 is replaced by the first 0.0."""
    assert run_pyjit(SIGNED_ZEROS_ARE_EQUAL, constant_pooling) == """\
graph():
  %p : float = prim::Constant[value=0.]()
  %t : (float, float) = prim::TupleConstruct(%p, %p)
  return (%t)
"""


NESTED_CONSTANTS_HOIST_TO_GRAPH_TOP = """\
graph(%c : bool):
  %one : int = prim::Constant[value=1]()
  %r : int = prim::If(%c)
    block0():
      %two : int = prim::Constant[value=2]()
      -> (%two)
    block1():
      %one.2 : int = prim::Constant[value=1]()
      %s : str = prim::Constant[value="x"]()
      %n : int = aten::len(%s)
      %m : int = aten::add(%n, %one.2)
      -> (%m)
  return (%r)
"""


def test_nested_constants_hoist_to_graph_top():
    """Constants inside blocks move to the top of the graph too."""
    assert run_pyjit(NESTED_CONSTANTS_HOIST_TO_GRAPH_TOP, constant_pooling) == """\
graph(%c : bool):
  %s : str = prim::Constant[value="x"]()
  %two : int = prim::Constant[value=2]()
  %one : int = prim::Constant[value=1]()
  %r : int = prim::If(%c)
    block0():
      -> (%two)
    block1():
      %n : int = aten::len(%s)
      %m : int = aten::add(%n, %one)
      -> (%m)
  return (%r)
"""


NONE_OF_DIFFERENT_TYPES_STAY_APART = """\
graph():
  %a : NoneType = prim::Constant()
  %b : int? = prim::Constant()
  %c : NoneType = prim::Constant()
  %t : (NoneType, int?, NoneType) = prim::TupleConstruct(%a, %b, %c)
  return (%t)
"""


def test_none_of_different_types_stay_apart():
    """Output types must match for two constants to merge."""
    assert run_pyjit(NONE_OF_DIFFERENT_TYPES_STAY_APART, constant_pooling) == """\
graph():
  %b : int? = prim::Constant()
  %a : NoneType = prim::Constant()
  %t : (NoneType, int?, NoneType) = prim::TupleConstruct(%a, %b, %a)
  return (%t)
"""


STRINGS_AND_DEVICES = """\
graph():
  %s : str = prim::Constant[value="cpu"]()
  %d : Device = prim::Constant[value="cpu"]()
  %s2 : str = prim::Constant[value="cpu"]()
  %d2 : Device = prim::Constant[value="cpu"]()
  %t : (str, Device, str, Device) = prim::TupleConstruct(%s, %d, %s2, %d2)
  return (%t)
"""


def test_strings_and_devices():
    """A device and a string with the same text are different constants."""
    assert run_pyjit(STRINGS_AND_DEVICES, constant_pooling) == """\
graph():
  %d : Device = prim::Constant[value="cpu"]()
  %s : str = prim::Constant[value="cpu"]()
  %t : (str, Device, str, Device) = prim::TupleConstruct(%s, %d, %s, %d)
  return (%t)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    import torch

    assert run_pyjit(CASES[name], constant_pooling) == run_torch(CASES[name], torch._C._jit_pass_constant_pooling)
