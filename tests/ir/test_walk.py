"""``walk_nodes``: depth first in printing order, nested blocks always,
subgraphs only when asked (right after their node), never ``prim::Param`` or
``prim::Return``."""

from __future__ import annotations

from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.symbols import kinds
from pyjit_core.ir.walk import walk_nodes

FORK_IN_LOOP = """\
graph(%x.1 : Tensor):
  %5 : bool = prim::Constant[value=1]()
  %2 : int = prim::Constant[value=3]()
   = prim::Loop(%2, %5)
    block0(%k.1 : int):
      %52 : Future[Tensor] = prim::fork_0(%x.1)
      %8 : Tensor = aten::wait(%52)
      -> (%5)
  %9 : Tensor = aten::relu(%x.1)
  return (%9)
with prim::fork_0 = graph(%x.1 : Tensor):
  %2 : Tensor = aten::neg(%x.1)
  return (%2)
"""

IF_ELSE = """\
graph(%c : bool, %x : Tensor):
  %y : Tensor = prim::If(%c)
    block0():
      %a : Tensor = aten::neg(%x)
      -> (%a)
    block1():
      %b : Tensor = aten::relu(%x)
      -> (%b)
  %z : Tensor = aten::sigmoid(%y)
  return (%z)
"""


def kinds_of(nodes) -> list[str]:
    return [n.kind.qual_string() for n in nodes]


def test_nested_blocks_come_right_after_their_node_in_order():
    graph = parse_graph(IF_ELSE)
    assert kinds_of(walk_nodes(graph)) == ["prim::If", "aten::neg", "aten::relu", "aten::sigmoid"]


def test_subgraphs_are_entered_only_when_asked_and_right_after_their_node():
    graph = parse_graph(FORK_IN_LOOP)
    assert kinds_of(walk_nodes(graph)) == [
        "prim::Constant", "prim::Constant", "prim::Loop", "prim::fork", "aten::wait", "aten::relu"]
    assert kinds_of(walk_nodes(graph, subgraphs=True)) == [
        "prim::Constant", "prim::Constant", "prim::Loop", "prim::fork", "aten::neg", "aten::wait", "aten::relu"]


def test_a_block_can_be_walked_alone():
    graph = parse_graph(IF_ELSE)
    if_node = graph.block.first_node()
    assert kinds_of(walk_nodes(if_node.blocks[1])) == ["aten::relu"]


def test_destroying_the_node_just_yielded_is_safe():
    graph = parse_graph(IF_ELSE)
    seen = []
    for node in walk_nodes(graph):
        seen.append(node.kind.qual_string())
        if node.kind.qual_string() == "aten::neg":
            node.output().replace_all_uses_with(node.input(0))
            node.destroy()
    assert seen == ["prim::If", "aten::neg", "aten::relu", "aten::sigmoid"]
    assert kinds_of(walk_nodes(graph)) == ["prim::If", "aten::relu", "aten::sigmoid"]


def test_live_nodes_hold_every_node_walked_without_subgraphs():
    graph = parse_graph(FORK_IN_LOOP)
    walked = set(walk_nodes(graph))
    assert walked <= graph.live_nodes
    assert not any(n.kind in (kinds.Param, kinds.Return) for n in walked)
    fork = next(n for n in walked if n.kind.qual_string() == "prim::fork")
    [subgraph] = fork.subgraphs()
    assert not set(walk_nodes(subgraph)) & graph.live_nodes
