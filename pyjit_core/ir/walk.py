"""The one walk over a graph's nodes, and which subgraphs it enters.

torch: ``DepthFirstGraphNodeIterator`` (torch/csrc/jit/ir/graph_node_list.h),
which the passes iterate with; the checks, hovers and the function cache
walk the same way and also enter subgraphs.
"""

from __future__ import annotations

from collections.abc import Iterator

from .attributes import AttributeKind
from .graph import Block, Graph, Node

_GRAPH, _GRAPHS = AttributeKind.g, AttributeKind.gs


def walk_nodes(where: Graph | Block, *, subgraphs: bool = False) -> Iterator[Node]:
    """Every node of ``where``, depth first, in printing order.

    * **Nested blocks are always entered**: a node is followed by the nodes of
      its blocks (``prim::If``'s two, ``prim::Loop``'s body, a closure's),
      then by its next sibling. ``prim::Param`` and ``prim::Return`` nodes are
      never yielded.
    * **Subgraphs are entered only with** ``subgraphs=True``: the graphs held
      in a node's attributes (:meth:`Node.subgraphs`: ``prim::fork``'s body,
      a lifted closure's ``Subgraph``) are functions of their own, and their
      nodes come right after their node, before its blocks. The passes leave
      them out, as torch's iterator does (torch runs a pass on a subgraph as a
      graph of its own). What reads a function as the user wrote it (checks,
      hovers, the function cache) enters them: a fork's body is the user's code.
    * Destroying the node just yielded is safe (its next sibling was read
      before it was yielded); its blocks and subgraphs are read after.

    ``Graph.live_nodes`` holds every node this walk yields without subgraphs
    (and nodes created but not inserted yet): ``passes._util.has_node_of_kind``
    reads the set instead of walking.
    """
    block = where.block if isinstance(where, Graph) else where
    # Where to go on when the current block ends: (next node, end of its block).
    pending: list[tuple[Node | None, Node]] = []
    end = block.return_node
    node = end.next
    while True:
        if node is None or node is end:
            if not pending:
                return
            node, end = pending.pop()
            continue
        following = node.next
        yield node
        pending.append((following, end))
        for nested in reversed(node._blocks):
            pending.append((nested.return_node.next, nested.return_node))
        if subgraphs and node.attributes:
            for attribute in node.attributes.values():
                if attribute.kind is _GRAPH or attribute.kind is _GRAPHS:
                    for graph in reversed(node.subgraphs()):
                        pending.append((graph.block.return_node.next, graph.block.return_node))
                    break
        node, end = pending.pop()
