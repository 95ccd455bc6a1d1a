"""Run the same IR text through torch's pass and pyjit's, and print both.

IR texts use torch's printed syntax (`` = prim::Store[...]`` for nodes
without outputs). Values should have non-numeric names: torch's parser
renumbers numeric ones, pyjit's keeps them, and the later ``%N`` names a
pass creates are only comparable when both start from the same count.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pyjit_core.ir.graph import Graph
from pyjit_core.ir.parser import parse_graph

_NO_OUTPUT = re.compile(r"^((?:  )*) ?= ", re.MULTILINE)


def torch_graph(text: str):
    """Parse with torch, naming values as written (needs the oracle)."""
    from . import torch_oracle

    oracle = torch_oracle.load()
    assert oracle is not None
    return oracle.parse_ir(_NO_OUTPUT.sub(r"\1", text))


def run_torch(text: str, apply: Callable) -> str:
    g = torch_graph(text)
    apply(g)
    return str(g)


def run_pyjit(text: str, apply: Callable[[Graph], object]) -> str:
    g = parse_graph(text)
    apply(g)
    return str(g)


def torch_graph_from_record(record):
    """A torch graph in the exact state a :class:`PassRecord` recorded."""
    from . import torch_oracle

    oracle = torch_oracle.load()
    assert oracle is not None
    return oracle.parse_ir_with_state(_NO_OUTPUT.sub(r"\1", record.pre), record.uniques,
                                      record.next_unique, record.name_base_suffix)
