"""``alias_analysis.may_write`` lets dead code elimination skip building an
alias database. It must never say False for a node the database records a
write for: it mirrors ``AliasDb._analyze``'s dispatch, so the two have to
change together.
"""

from __future__ import annotations

import pytest

from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.walk import walk_nodes
from pyjit_core.passes.alias_analysis import INERT_KINDS, AliasDb, has_side_effects, may_write

from . import test_constant_pooling, test_dead_code_elimination

GRAPHS = {
    f"{module.__name__.rpartition('.')[2]}.{name}": text
    for module in (test_dead_code_elimination, test_constant_pooling)
    for name, text in vars(module).items()
    if isinstance(text, str) and text.startswith("graph(")
}

WRITERS = """\
graph(%x : Tensor, %l : int[], %flag : bool):
  %one : int = prim::Constant[value=1]()
  %y : Tensor = aten::relu_(%x)
  %z : Tensor = aten::add(%x, %one, %one)
  %r : int[] = aten::append(%l, %one)
  %n : int = aten::len(%l)
  %t : Tensor = aten::mul_(%x, %z)
  %c : Tensor = aten::dropout(%t, %one, %flag)
  %s : Tensor = aten::dropout_(%c, %one, %flag)
  return (%s)
"""


@pytest.mark.parametrize("text", [*GRAPHS.values(), WRITERS], ids=[*GRAPHS, "writers"])
def test_may_write_is_false_only_for_nodes_the_alias_database_sees_no_write_by(text: str) -> None:
    graph = parse_graph(text)
    db = AliasDb(graph)
    for node in walk_nodes(graph):
        if not node.blocks and not may_write(node):
            assert not db.writes(node), f"{node.kind} writes but may_write says it does not"
        if node.kind in INERT_KINDS:
            assert not node.blocks
            assert not has_side_effects(node)
            assert not may_write(node)


def test_in_place_ops_may_write() -> None:
    graph = parse_graph(WRITERS)
    db = AliasDb(graph)
    writers = {str(n.kind) for n in graph.nodes() if may_write(n) and db.writes(n)}
    assert {"aten::relu_", "aten::append", "aten::mul_", "aten::dropout_"} <= writers
