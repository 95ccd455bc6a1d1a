"""Hover content: the IR nodes a token stands for, and the IR preview.

``describe_at(result, line, col)`` answers "what does TorchScript make of the
token under the cursor": every node anchored on it (see
:mod:`pyjit_core.anchors`), each starting with its kind as torch prints it --
the matched overload's schema for operators (``aten::add.Tensor(Tensor self,
Tensor other, *, Scalar alpha=1) -> Tensor``), ``prim::PythonOp ^MyFn`` for
calls into Python, the callee and its signature for ``prim::CallFunction`` /
``prim::CallMethod`` -- followed by the node's line of IR and its result
type. On a variable inside compiled code it shows the variable's TorchScript
type. Outside compiled code there is nothing to show: ``None``.

The per-file index is built once per :class:`~pyjit_core.check.CheckResult`
and cached on it, so a hover is a dictionary lookup plus rendering the few
nodes on one token.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import TextRange
from ..frontend import torch_library
from ..ir.graph import Graph, Node, Value
from ..ir.python_op import ConcretePythonOp
from ..ir.source_range import SourceRange
from ..ir.symbols import kinds, prim
from ..ir.walk import walk_nodes
from .anchors import AnchorIndex, variable_tokens

if TYPE_CHECKING:
    from ..frontend.results import CompiledFunction
    from ..result import CheckResult


@dataclass(frozen=True)
class NodeInfo:
    """One IR node on the hovered token."""

    kind: str                          # as torch prints it: "aten::add", "prim::PythonOp"
    ir: str                            # the node's line of IR (blocks and source comment left out)
    type: str | None = None            # the result type(s): "Tensor", "(int, Tensor)"
    schema: str | None = None          # the matched overload: "aten::add.Tensor(Tensor self, ...) -> Tensor"
    python_name: str | None = None     # PythonOp: the name after ^ (ConcretePythonOp.name())
    cconv: str | None = None           # PythonOp: calling convention
    callee: str | None = None          # PythonOp: the Python callee; CallFunction/CallMethod: qualified name
    signature: str | None = None       # the callee's signature, when known
    notes: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The first line of the node's description: kind first."""
        if self.schema:
            return self.schema
        if self.python_name is not None:
            return f"{self.kind} ^{self.python_name}"
        if self.signature:
            return f"{self.kind} {self.signature}"
        if self.callee:
            return f"{self.kind} {self.callee}"
        return self.kind


@dataclass(frozen=True)
class Hover:
    range: TextRange                   # the hovered token
    markdown: str
    nodes: list[NodeInfo] = field(default_factory=list)
    variable: str | None = None        # "x : Tensor" when the token is a variable


_WITH_KINDS = (prim("Enter"), prim("Exit"))

# --- the index ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Token:
    range: TextRange
    nodes: list[tuple[Node, CompiledFunction]] = field(default_factory=list)
    variable: tuple[str, CompiledFunction] | None = None
    hover: Hover | None = None


@dataclass(frozen=True)
class _Placed:
    """What one compiled function put on the file's tokens, as indexed when its graph was."""

    graph: Graph
    first_line: int
    # (token, node or None, variable name or None, the node's place in its graph's walk)
    marks: tuple[tuple[TextRange, Node | None, str | None, int], ...]

    def moved(self, first_line: int) -> _Placed:
        delta = first_line - self.first_line
        if not delta:
            return self
        return _Placed(self.graph, first_line, tuple(
            (TextRange(r.start_line + delta, r.start_col, r.end_line + delta, r.end_col), node, name, order)
            for r, node, name, order in self.marks))


class HoverIndex:
    """Every hoverable token of one file, by line.

    Built from the index of an earlier analysis of the file (``previous``),
    only the functions whose graphs are new are indexed: a graph the
    analysis reused (see :mod:`pyjit_core.frontend.function_cache`) puts the
    same nodes on the same tokens, moved as the function moved. That needs
    the syntax of the new functions alone, not the whole file's (the anchor
    index is most of the cost), so it is done only when the new graphs'
    ranges all lie inside their own functions."""

    def __init__(self, result: CheckResult, previous: HoverIndex | None = None) -> None:
        # The result keeps its index (``hover_index``); a strong reference back
        # would make the pair a cycle that only the garbage collector frees.
        self._result = weakref.ref(result)
        source = result.source_file
        self.by_line: dict[int, list[_Token]] = {}
        self._tokens: dict[tuple[int, int, int, int], _Token] = {}
        self._types: dict[str, dict[str, list[str]]] = {}
        self._placed: dict[str, _Placed] = {}
        self.reused = 0                  # functions whose marks came from ``previous``
        if result.tree is None:
            return
        functions = [fn for fn in result.analysis.functions.values() if fn.path == result.path and fn.graph is not None]
        defs: dict[int, ast.stmt] = {d.lineno: d for d in result.compiled_definitions() if isinstance(d, ast.stmt)}
        earlier = previous._placed if previous is not None else {}
        kept = {fn.qualified_name: placed.moved(fn.first_line) for fn in functions
                if (placed := earlier.get(fn.qualified_name)) is not None and placed.graph is fn.graph}
        fresh = [fn for fn in functions if fn.qualified_name not in kept]
        if kept and all(_inside_itself(fn, defs.get(fn.first_line), result.path) for fn in fresh):
            anchors = AnchorIndex(source, result.tree, scopes=[defs[fn.first_line] for fn in fresh])
        else:
            kept, fresh, anchors = {}, functions, result.anchors
        self.reused = len(kept)
        by_position, by_line = self._tokens, self.by_line   # (self._token, inlined: ~5,000 marks an index)
        for fn in functions:
            placed = kept.get(fn.qualified_name)
            if placed is None:
                placed = self._place(fn, defs.get(fn.first_line), anchors, source)
            self._placed[fn.qualified_name] = placed
            for r, node, name, _ in placed.marks:
                key = (r.start_line, r.start_col, r.end_line, r.end_col)
                token = by_position.get(key)
                if token is None:
                    token = by_position[key] = _Token(r)
                    by_line.setdefault(r.start_line, []).append(token)
                if node is not None:
                    token.nodes.append((node, fn))
                elif name is not None:
                    token.variable = (name, fn)
        order = {id(node): i for placed in self._placed.values() for _, node, _, i in placed.marks if node is not None}
        for tokens in self.by_line.values():
            if len(tokens) > 1:
                tokens.sort(key=lambda t: (t.range.start_col, t.range.end_col))
            for t in tokens:
                if len(t.nodes) > 1:
                    # the nodes that do something first; constants torch gave this range last
                    t.nodes.sort(key=lambda pair: (pair[0].kind is kinds.Constant, order.get(id(pair[0]), 0)))

    def _place(self, fn: CompiledFunction, definition: ast.AST | None, anchors: AnchorIndex, source) -> _Placed:
        """Index one function: its nodes on their anchor tokens, its variables on theirs."""
        assert fn.graph is not None
        walk = list(walk_nodes(fn.graph, subgraphs=True))
        order = {id(node): i for i, node in enumerate(walk)}
        marks: list[tuple[TextRange, Node | None, str | None, int]] = []
        for node in walk:
            for anchor in anchors.anchors_for(node_range(node)):
                marks.append((anchor.range, node, None, order[id(node)]))
        if definition is not None:
            for where, node in self._attribute_nodes(fn, definition, anchors):
                marks.append((where, node, None, order.get(id(node), 0)))
            names = self._variable_types(fn)
            for where, name in variable_tokens(source, definition):
                if name in names:
                    marks.append((where, None, name, 0))
        return _Placed(fn.graph, fn.first_line, tuple(marks))

    def _attribute_nodes(self, fn: CompiledFunction, definition: ast.AST,
                         anchors: AnchorIndex) -> list[tuple[TextRange, Node]]:
        """Place the ``prim::GetAttr``/``prim::SetAttr`` (and ``prim::Enter``/``prim::Exit``)
        nodes torch leaves without a source range: the k-th node for ``name`` on
        the k-th read (write) of ``.name`` in the function (the k-th ``with``
        item); when DCE or unrolling made the counts differ, the first node
        stands for all of them (same kind, name and type)."""
        assert fn.graph is not None
        nodes: dict[tuple[str, str], list[Node]] = {}
        for node in walk_nodes(fn.graph, subgraphs=True):
            if node_range(node) is not None or not node.has_attribute("name"):
                continue
            if node.kind is kinds.GetAttr:
                nodes.setdefault(("read", node.s("name")), []).append(node)
            elif node.kind is kinds.SetAttr:
                nodes.setdefault(("write", node.s("name")), []).append(node)
        for node in walk_nodes(fn.graph, subgraphs=True):
            if node_range(node) is None and node.kind in _WITH_KINDS:
                nodes.setdefault(("with", node.kind.qual_string()), []).append(node)
        if not nodes:
            return []
        tokens: dict[tuple[str, str], list[TextRange]] = {}
        for kind, name, where in anchors.attribute_accesses(definition):
            tokens.setdefault((kind, name), []).append(where)
        if any(key[0] == "with" for key in nodes):
            items = anchors.with_items(definition)
            tokens[("with", "prim::Enter")] = items
            tokens[("with", "prim::Exit")] = items
        found = []
        for key, group in nodes.items():
            places = tokens.get(key, [])
            if len(places) == len(group):
                pairs = list(zip(group, places, strict=True))
            else:
                pairs = [(group[0], where) for where in places]
            found += [(where, node) for node, where in pairs]
        return found

    def _token(self, r: TextRange) -> _Token:
        key = (r.start_line, r.start_col, r.end_line, r.end_col)
        found = self._tokens.get(key)
        if found is None:
            found = self._tokens[key] = _Token(r)
            self.by_line.setdefault(r.start_line, []).append(found)
        return found

    def at(self, line: int, col: int) -> _Token | None:
        after = None
        for t in self.by_line.get(line, ()):
            if t.range.start_col <= col < t.range.end_col:
                return t
            if col == t.range.end_col:
                after = t  # the cursor just after a token still points at it
        return after

    def _variable_types(self, fn: CompiledFunction) -> dict[str, list[str]]:
        found = self._types.get(fn.qualified_name)
        if found is None:
            found = self._types[fn.qualified_name] = variable_types(fn.graph) if fn.graph is not None else {}
        return found

    @property
    def result(self) -> CheckResult:
        result = self._result()
        assert result is not None, "a hover index outlived its result"
        return result

    def hover(self, token: _Token) -> Hover | None:
        if token.hover is None:
            token.hover = self._render(token)
        return token.hover

    def _render(self, token: _Token) -> Hover | None:
        infos = _distinct([node_info(node, self.result) for node, _ in token.nodes])
        sections = [_markdown(info) for info in infos]
        variable = None
        if token.variable is not None and not infos:
            name, fn = token.variable
            types = self._variable_types(fn).get(name, [])
            if types:
                variable = f"{name} : {types[0]}"
                text = f"```text\n{variable}\n```\nvariable in `{fn.qualified_name}`"
                if len(types) > 1:
                    text += "; also " + ", ".join(f"`{t}`" for t in types[1:]) + " (refined or rebound)"
                sections.append(text)
        if not sections:
            return None
        functions = [fn for _, fn in token.nodes] or ([token.variable[1]] if token.variable is not None else [])
        origin = self._origin(functions[0]) if functions else None
        if origin is not None:
            sections.append(origin)
        return Hover(token.range, "\n\n---\n\n".join(sections), infos, variable)

    def _origin(self, fn: CompiledFunction) -> str | None:
        """Which instance a module's method was compiled for, when the file does not script it itself."""
        result = self._result()
        if result is None:
            return None
        for root in result.analysis.roots:
            if fn.qualified_name in root.functions and root.constructed_by:
                if root.representative:
                    return (f"compiled for {root.constructed_by.removeprefix('a representative instance: ')}, "
                            f"a representative instance pyjit made up: nothing in the workspace constructs "
                            f"`{root.name}`, so what depends on the arguments may differ")
                return f"compiled for the instance built by {root.constructed_by}"
        return None


_MANGLE = re.compile(r"___torch_mangle_\d+\.")


def _distinct(infos: list[NodeInfo]) -> list[NodeInfo]:
    """One description per node the method compiles to: the same method compiled for several
    differently configured instances (types torch tells apart by mangling their names) shows once,
    saying how many."""
    groups: dict[str, list[NodeInfo]] = {}
    for info in infos:
        groups.setdefault(_MANGLE.sub("", info.header + "\n" + info.ir), []).append(info)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            note = f"the same in {len(same)} compiled types of this module (differently configured instances)"
            first = dataclasses.replace(first, notes=(*first.notes, note))
        out.append(first)
    return out


def _inside_itself(fn: CompiledFunction, definition: ast.stmt | None, path: str) -> bool:
    """Whether every node of ``fn`` placed in ``path`` lies inside its own definition
    (then the syntax of that definition alone anchors them)."""
    if definition is None or fn.graph is None:
        return False
    first = min([d.lineno for d in getattr(definition, "decorator_list", ())] + [definition.lineno])
    last = definition.end_lineno or definition.lineno
    for node in walk_nodes(fn.graph, subgraphs=True):
        r = node_range(node)
        if r is not None and r.path == path and not (first <= r.start_line and (r.end_line or r.start_line) <= last):
            return False
    return True


def node_range(node: Node):
    """Where a node shows: its source range, else the anchor the frontend
    recorded for nodes torch leaves without one (list/tuple/dict displays)."""
    if node.source_range is not None:
        return node.source_range
    anchor = getattr(node, "anchor", None)
    return anchor if isinstance(anchor, SourceRange) else None


def hover_at(result: CheckResult, line: int, col: int) -> Hover | None:
    """The hover at a 0-based line and code-point column, or None outside compiled code."""
    index = result.hover_index
    token = index.at(line, col)
    return index.hover(token) if token is not None else None


# --- node descriptions -------------------------------------------------------------------------


def node_info(node: Node, result: CheckResult | None = None) -> NodeInfo:
    kind = node.kind.qual_string()
    ir = ir_line(node)
    out_type = _types_text(node.outputs)
    if isinstance(node, ConcretePythonOp):
        return _python_op_info(node, kind, ir, out_type)
    if node.kind is kinds.CallFunction:
        callee = None
        if node.inputs and getattr(node.inputs[0].type, "name", ""):
            callee = node.inputs[0].type.name
        return NodeInfo(kind, ir, out_type, callee=callee, signature=_function_signature(result, callee),
                        notes=_provenance(result, callee))
    if node.kind is kinds.CallMethod:
        callee = None
        if node.inputs and node.has_attribute("name"):
            owner = node.inputs[0].type
            callee = f"{getattr(owner, 'name', owner)}.{node.s('name')}"
        return NodeInfo(kind, ir, out_type, callee=callee, signature=_function_signature(result, callee),
                        notes=_provenance(result, callee))
    schema = None
    try:
        from ..frontend.matching import find_schema

        found = find_schema(node)
        schema = str(found) if found is not None else None
    except Exception:
        schema = None
    notes: list[str] = []
    custom = node.operator_info
    if custom is not None:      # a custom operator (frontend/custom_ops.py): what pyjit read of it
        schema = schema or next((str(s) for s in getattr(custom, "schemas", ())), None)
        notes.append(custom.describe())
    if (node.kind is kinds.GetAttr or node.kind is kinds.SetAttr) and node.inputs:
        notes.append(f"object: `{node.inputs[0].type}`")
    if node.kind is kinds.If and node.inputs:
        notes.append(f"condition: `%{node.inputs[0].debug_name()} : {node.inputs[0].type}`")
    if node.kind is kinds.Loop:
        carried = _types_text(node.outputs)
        notes.append(f"loop-carried: `{carried}`" if carried else "no loop-carried values")
    return NodeInfo(kind, ir, out_type, schema=schema, notes=tuple(notes))


def _python_op_info(node: ConcretePythonOp, kind: str, ir: str, out_type: str | None) -> NodeInfo:
    from ..checks.python_ops import callee_description, python_signature

    ref = getattr(node, "callee_ref", None)
    signature = python_signature(ref)
    sig_text = None
    if signature is not None:
        d = signature.node
        sig_text = f"def {d.name}({ast.unparse(d.args)})" + (f" -> {ast.unparse(d.returns)}" if d.returns else "")
    n_c, n_d = node.cconv.count("c"), node.cconv.count("d")
    notes = (f"calling convention `{node.cconv}`: {n_d} input(s), {n_c} scalar(s)",
             "runs in the Python interpreter; not serialisable: `torch.jit.save` fails with "
             f"*Could not export Python function call '{node.name()}'*")
    return NodeInfo(kind, ir, out_type, python_name=node.name(), cconv=node.cconv,
                    callee=callee_description(ref), signature=sig_text, notes=notes)


def _provenance(result: CheckResult | None, qualified_name: str | None) -> tuple[str, ...]:
    """Where pyjit took a callee of torch's own library from: the installed
    torch's source, or (when torch is not installed) the copy bundled with pyjit."""
    if result is None or qualified_name is None:
        return ()
    name = re.sub(r"___torch_mangle_\d+\.", "", qualified_name)
    if not name.startswith("__torch__.torch."):
        return ()
    fn = result.analysis.functions.get(qualified_name)
    path = fn.path if fn is not None else ""
    if torch_library.is_bundled(path):
        return (f"compiled from torch {torch_library.torch_version()}'s source bundled with pyjit (torch is not "
                f"installed): `{path.split('/', 1)[1]}`",)
    marker = f"{os.sep}torch{os.sep}"
    if marker in path:
        return (f"compiled from torch's installed source: `torch{os.sep}{path.rsplit(marker, 1)[1]}`",)
    return ()


def _function_signature(result: CheckResult | None, qualified_name: str | None) -> str | None:
    if result is None or qualified_name is None:
        return None
    fn = result.analysis.functions.get(qualified_name)
    if fn is None or fn.graph is None:
        return None
    g = fn.graph
    params = ", ".join(f"{v.type.annotation_str()} {v.debug_name_base()}" for v in g.inputs)
    ret = _types_text(g.outputs) or "None"
    return f"{qualified_name}({params}) -> {ret}"


def ir_line(node: Node) -> str:
    """The node's first printed line, without indentation or ``# file:line:col``."""
    from ..ir.printer import print_node

    line = print_node(node).split("\n", 1)[0].strip()
    if node.source_range is not None:
        suffix = " # " + node.source_range.file_line_col()
        if line.endswith(suffix):
            line = line[: -len(suffix)]
    return line


def _types_text(values: tuple[Value, ...]) -> str | None:
    if not values:
        return None
    if len(values) == 1:
        return str(values[0].type)
    return "(" + ", ".join(str(v.type) for v in values) + ")"


def _markdown(info: NodeInfo) -> str:
    lines = ["```text", info.header, info.ir, "```"]
    details = []
    if info.type:
        details.append(f"result: `{info.type}`")
    if info.python_name is not None and info.callee:
        details.append(f"Python: `{info.callee}`" + (f" — `{info.signature}`" if info.signature else ""))
    elif info.callee and info.signature is None:
        details.append(f"callee: `{info.callee}`")
    details += list(info.notes)
    if details:
        lines.append("")
        lines += [f"- {d}" for d in details]
    return "\n".join(lines)


def variable_types(graph: Graph) -> dict[str, list[str]]:
    """Each source variable's TorchScript types, from the values named after it
    (``x``, ``x.1``, ``x.5``...): the first is the declared type."""
    found: dict[str, list[str]] = {}

    def add(v: Value) -> None:
        if not v.has_debug_name():
            return
        types = found.setdefault(v.debug_name_base(), [])
        text = v.type.annotation_str()
        if text not in types:
            types.append(text)

    for v in graph.inputs:
        add(v)
    for node in walk_nodes(graph):
        for v in node.outputs:
            add(v)
        for b in node.blocks:
            for v in b.inputs:
                add(v)
    return found
