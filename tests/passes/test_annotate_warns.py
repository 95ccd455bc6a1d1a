"""AnnotateWarns: every ``aten::warn`` gets a ``warn_id`` so it warns once."""

from __future__ import annotations

import re

import pytest

from pyjit_core.passes.annotate_warns import WarnCounter, annotate_warns

from .harness import run_pyjit, run_torch

WARNS = """\
graph(%c : bool):
  %msg : str = prim::Constant[value="careful"]()
  %level : int = prim::Constant[value=2]()
   = aten::warn(%msg, %level)
   = prim::If(%c)
    block0():
       = aten::warn(%msg, %level)
      -> ()
    block1():
       = aten::warn(%msg, %level)
      -> ()
   = aten::warn(%msg, %level)
  return (%c)
"""


def test_ids_follow_printing_order_and_continue_across_graphs():
    counter = WarnCounter(10)
    first = run_pyjit(WARNS, lambda g: annotate_warns(g, counter))
    assert re.findall(r"warn_id=(\d+)", first) == ["10", "11", "12", "13"]
    second = run_pyjit(WARNS, lambda g: annotate_warns(g, counter))
    assert re.findall(r"warn_id=(\d+)", second) == ["14", "15", "16", "17"]


def test_the_attribute_is_printed_like_torch():
    out = run_pyjit(WARNS, lambda g: annotate_warns(g, WarnCounter(0)))
    assert '   = aten::warn[warn_id=0](%msg, %level)\n' in out


@pytest.mark.conformance
def test_matches_torch(oracle):
    # torch's counter is process-wide: start where this process's torch is.
    expected = run_torch(WARNS, oracle.annotate_warns)
    start = min(int(i) for i in re.findall(r"warn_id=(\d+)", expected))
    assert run_pyjit(WARNS, lambda g: annotate_warns(g, WarnCounter(start))) == expected
