"""IR -> text, line for line equal to ``str(torch_graph)``.

torch: Graph::print and Node::print (torch/csrc/jit/ir/ir.cpp). One quirk is
kept on purpose: ``print_source_locations=False`` only applies to the
graph's top-level nodes -- torch prints nodes inside blocks with their
``# file:line:col`` comments either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .attributes import OpaqueGraph, format_attribute
from .symbols import kinds

if TYPE_CHECKING:
    # Annotations only: the printer reads nodes and values through their
    # fields, so ``graph`` can print itself (``str(graph)``) through it.
    from .graph import Graph, Node, Value


def print_graph(graph: Graph, print_source_locations: bool = True) -> str:
    out: list[str] = []
    groups: list[Node] = []
    out.append("graph(" + _values_with_types(graph.inputs, ",\n      ") + "):\n")
    for n in graph.nodes():
        _print_node(out, n, 1, groups, print_source_locations)
    out.append("  return (" + _value_refs(graph.outputs) + ")\n")
    for i, group in enumerate(groups):
        sub = group.attr("Subgraph")
        body = "<Graph>\n" if isinstance(sub, OpaqueGraph) else print_graph(sub, True)
        out.append(f"with {group.kind.qual_string()}_{i} = {body}")
    return "".join(out)


def print_node(node: Node) -> str:
    """One node (and its blocks) as torch's ``operator<<(Node)`` prints it."""
    out: list[str] = []
    _print_node(out, node, 0, None, True)
    return "".join(out)


def _print_node(out: list[str], node: Node, level: int, groups: list[Node] | None,
                print_source_locations: bool) -> None:
    line = ["  " * level, _values_with_types(node.outputs), " = "]
    if node.kind is kinds.PythonOp:
        line.append("^" + node.name())  # type: ignore[attr-defined]
        line.append(_attributes(node, ignore_subgraph=False))
        line.append(node.write_scalars())  # type: ignore[attr-defined]
    elif node.has_attribute("Subgraph") and groups is not None:
        line.append(f"{node.kind.qual_string()}_{len(groups)}")
        if len(node.attributes) > 1 and node.kind is not kinds.DifferentiableGraph:
            line.append(_attributes(node, ignore_subgraph=True))
        groups.append(node)
    else:
        line.append(node.kind.qual_string())
        if node.attributes:
            line.append(_attributes(node, ignore_subgraph=False))
    line.append("(" + _value_refs(node.inputs) + ")")
    if node.scope:
        line.append(", scope: " + node.scope)
    if print_source_locations and node.source_range is not None:
        line.append(" # " + node.source_range.file_line_col())
    line.append("\n")
    out.append("".join(line))
    for i, block in enumerate(node.blocks):
        out.append("  " * (level + 1) + f"block{i}(" + _values_with_types(block.inputs) + "):\n")
        for nested in block.nodes():
            _print_node(out, nested, level + 2, groups, True)
        out.append("  " * (level + 2) + "-> (" + _value_refs(block.outputs) + ")\n")


def _attributes(node: Node, ignore_subgraph: bool) -> str:
    parts = [
        f"{name}={format_attribute(a)}"
        for name, a in node.attributes.items()
        if not (ignore_subgraph and name == "Subgraph")
    ]
    return "[" + ", ".join(parts) + "]"


def _value_refs(values: Iterable[Value]) -> str:
    return ", ".join("%" + v.debug_name() for v in values)


def _values_with_types(values: Iterable[Value], delim: str = ", ") -> str:
    return delim.join(f"%{v.debug_name()} : {v.type}" for v in values)
