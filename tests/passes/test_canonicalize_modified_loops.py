"""CanonicalizeModifiedLoops: for loops with a changing condition become counted while loops.

Expected texts are torch's ``CanonicalizeModifiedLoops`` (checked below when torch is installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.canonicalize_modified_loops import canonicalize_modified_loops

from .harness import run_pyjit, run_torch

FOR_WITH_BREAK_BECOMES_COUNTED_WHILE = """\
graph(%n : int,
      %c : bool):
  %true : bool = prim::Constant[value=1]()
  %x : int = prim::Loop(%n, %true, %n)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      -> (%c, %acc.1)
  return (%x)
"""


def test_for_with_break_becomes_counted_while():
    """A trip count plus a changing condition: the count becomes a carried counter."""
    assert run_pyjit(FOR_WITH_BREAK_BECOMES_COUNTED_WHILE, canonicalize_modified_loops) == """\
graph(%n : int,
      %c : bool):
  %true : bool = prim::Constant[value=1]()
  %7 : int = prim::Constant[value=0]()
  %8 : int = prim::Constant[value=1]()
  %9 : bool = aten::gt(%n, %7)
  %10 : int = prim::Constant[value=9223372036854775807]()
  %x : int, %11 : int = prim::Loop(%10, %9, %n, %7)
    block0(%4 : int, %acc : int, %12 : int):
      %acc.1 : int = aten::add(%acc, %12)
      %13 : int = aten::add(%12, %8)
      %14 : bool = aten::lt(%13, %n)
      %15 : bool = aten::__and__(%14, %c)
      -> (%15, %acc.1, %13)
  return (%x)
"""


PLAIN_FOR_AND_WHILE_STAY = """\
graph(%n : int,
      %c : bool):
  %true : bool = prim::Constant[value=1]()
  %max : int = prim::Constant[value=9223372036854775807]()
  %x : int = prim::Loop(%n, %true, %n)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      -> (%true, %acc.1)
  %y : int = prim::Loop(%max, %c, %x)
    block0(%j : int, %acc.2 : int):
      %acc.3 : int = aten::add(%acc.2, %acc.2)
      -> (%c, %acc.3)
  return (%y)
"""


def test_plain_for_and_while_stay():
    """A for loop with a constant true condition and a while loop with the default trip count are left alone."""
    assert run_pyjit(PLAIN_FOR_AND_WHILE_STAY, canonicalize_modified_loops) == """\
graph(%n : int,
      %c : bool):
  %true : bool = prim::Constant[value=1]()
  %max : int = prim::Constant[value=9223372036854775807]()
  %x : int = prim::Loop(%n, %true, %n)
    block0(%i : int, %acc : int):
      %acc.1 : int = aten::add(%acc, %i)
      -> (%true, %acc.1)
  %y : int = prim::Loop(%max, %c, %x)
    block0(%j : int, %acc.2 : int):
      %acc.3 : int = aten::add(%acc.2, %acc.2)
      -> (%c, %acc.3)
  return (%y)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    expected = run_torch(CASES[name], oracle.canonicalize_modified_loops)
    assert run_pyjit(CASES[name], canonicalize_modified_loops) == expected
