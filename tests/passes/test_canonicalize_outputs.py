"""CanonicalizeOutputs: control-flow outputs in order of first use.

Expected texts are torch's ``CanonicalizeOutputs`` (checked below when torch is installed).
"""

from __future__ import annotations

import pytest

from pyjit_core.passes.canonicalize_outputs import canonicalize_outputs

from .harness import run_pyjit, run_torch

IF_OUTPUTS_FOLLOW_FIRST_USE = """\
graph(%c : bool,
      %x : int):
  %one : int = prim::Constant[value=1]()
  %a : int, %b : int, %unused : int = prim::If(%c)
    block0():
      -> (%x, %one, %x)
    block1():
      -> (%one, %x, %one)
  %s : int = aten::add(%b, %a)
  return (%s)
"""


def test_if_outputs_follow_first_use():
    """Outputs are ordered by their first use; unused ones go last."""
    assert run_pyjit(IF_OUTPUTS_FOLLOW_FIRST_USE, canonicalize_outputs) == """\
graph(%c : bool,
      %x : int):
  %one : int = prim::Constant[value=1]()
  %b : int, %a : int, %unused : int = prim::If(%c)
    block0():
      -> (%one, %x, %x)
    block1():
      -> (%x, %one, %one)
  %s : int = aten::add(%b, %a)
  return (%s)
"""


LOOP_CARRIED_FOLLOW_FIRST_USE = """\
graph(%n : int):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %p : int, %q : int = prim::Loop(%n, %true, %one, %one)
    block0(%i : int, %p.1 : int, %q.1 : int):
      %p.2 : int = aten::add(%p.1, %i)
      %q.2 : int = aten::mul(%q.1, %i)
      -> (%true, %p.2, %q.2)
  %r : int = aten::sub(%q, %p)
  return (%r)
"""


def test_loop_carried_follow_first_use():
    """Loop outputs, carried inputs and body values are permuted together."""
    assert run_pyjit(LOOP_CARRIED_FOLLOW_FIRST_USE, canonicalize_outputs) == """\
graph(%n : int):
  %one : int = prim::Constant[value=1]()
  %true : bool = prim::Constant[value=1]()
  %q : int, %p : int = prim::Loop(%n, %true, %one, %one)
    block0(%i : int, %q.1 : int, %p.1 : int):
      %p.2 : int = aten::add(%p.1, %i)
      %q.2 : int = aten::mul(%q.1, %i)
      -> (%true, %q.2, %p.2)
  %r : int = aten::sub(%q, %p)
  return (%r)
"""


CASES = {name: text for name, text in globals().items() if name.isupper() and name != "CASES"}


@pytest.mark.conformance
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(oracle, name):
    assert run_pyjit(CASES[name], canonicalize_outputs) == run_torch(CASES[name], oracle.canonicalize_outputs)
