"""Text -> IR: reads exactly what ``str(torch_graph)`` prints.

torch: torch/csrc/jit/ir/irparser.cpp, but irparser reads a cleaned-up
dialect (no source comments, no ``scope:``, no ``^PythonOp``, no
``with prim::X_0 = ...`` subgraphs, no NamedTuple types). This parser reads
the printer's output as it is, so that ``print(parse(text)) == text`` for
every graph torch prints:

* ``graph(%a : T, ...):`` headers, node lines, ``blockN(...):`` /
  ``-> (...)`` nested blocks and ``return (...)``;
* value names exactly as printed, including numeric ones (``%31`` sets
  ``Value.unique`` to 31; ``graph.next_unique`` stays above every number in
  the text);
* the printer's type language (:func:`parse_type`);
* attributes of every kind (``i f c s is fs ss t ts g gs ty tys ival``) in
  ``IValue::repr``'s format, strings with ``c10::printQuotedString``'s
  escapes (including its signed-char octal ones);
* ``, scope: a/b`` suffixes and ``# path:line:col`` comments (into
  :class:`SourceRange`);
* PythonOps, ``^name[attrs](scalars)(inputs)``;
* group nodes, ``prim::DifferentiableGraph_0(...)``, whose ``Subgraph``
  follows the graph as ``with prim::DifferentiableGraph_0 = graph(...)``.

What the text cannot say, and what the parser does instead:

* **PythonOp calling convention.** The text lists the scalar arguments and
  the inputs separately, not how they interleave. The parser rebuilds
  ``cconv`` as every input first, then every scalar: ``"d" * n_inputs +
  "c" * n_scalars``. That is torch's own layout for scripted PythonOps (all
  ``d``) and for the usual ``Fn.apply(tensor, options...)``, but not for
  ``Fn.apply(2, x)`` (torch: ``cd``). Scalars are kept as their printed text
  (:class:`ParsedScalar`), split at top-level ``", "``; a scalar whose
  ``str()`` itself contains a top-level ``", "`` (a raw string) splits in two,
  and a lone empty-string scalar reads as none.
* **PythonOp callables** are stand-ins: ``StaticCallable(name)``;
  ``StaticNamelessCallable`` for ``<python_value>``; for an op carrying the
  ``module`` attribute torch's tracer gives autograd Functions, the bound
  ``apply`` of a ``StaticClass(name, role="autograd_function")``.
* **Attribute kinds** are read off the syntax (``1`` -> ``i``, ``1.`` ->
  ``f``, ``[1, 2]`` -> ``is``, ``annotate(List[int], [])`` -> empty ``is``,
  ``{2.5}`` or a tensor dump -> ``t``...). A ``prim::Constant`` whose output
  is ``float`` takes an integral-looking value as ``f`` (torch prints 1e10
  as ``10000000000``); ``types=[...]``/``profiled_type=`` and undotted type
  names are types. IValues pyjit does not model (``annotate(...)`` forms
  other than empty int/float/str lists) are kept as :class:`RawIValue` text;
  tensor data as :class:`TensorConstant` text.
* **Group sections** are matched to nodes by printed kind (``prim::fork_1``);
  a subgraph's own sections come right after its ``return``, so a nested
  graph takes the sections naming its nodes before its parent does.
* **NamedTuple defaults** print raw (a string default is unquoted and may
  hold newlines); a default ends at a top-level ``)`` or at a top-level
  ``, <name> : `` -- a string default with unbalanced brackets is misread.
* Interface types print their unqualified name only.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, NoReturn

from ..exceptions import PyjitError
from .attributes import (
    Attribute,
    AttributeKind,
    Device,
    EnumValue,
    OpaqueGraph,
    RawIValue,
    TensorConstant,
    unquote_string,
)
from .graph import Block, Graph, Node, Value
from .naming import PYTHON_VALUE, StaticCallable, StaticClass, StaticNamelessCallable
from .python_op import ParsedScalar, create_python_op
from .source_range import SourceRange
from .symbols import Symbol, kinds
from .types import (
    LEAF_TYPES,
    SCALAR_TYPE_NAMES,
    AwaitType,
    ClassType,
    DictType,
    EnumType,
    FloatType,
    FunctionType,
    FutureType,
    InterfaceType,
    JitType,
    ListType,
    NamedTupleField,
    OptionalType,
    RRefType,
    TensorType,
    TupleType,
    UnionType,
)

__all__ = ["IRParseError", "parse_graph", "parse_type", "reconstruct_cconv"]


class IRParseError(PyjitError, ValueError):
    """Malformed IR text. ``line`` is 1-based, ``column`` 0-based (code points)."""

    def __init__(self, message: str, line: int, column: int, source_line: str = "") -> None:
        self.message = message
        self.line = line
        self.column = column
        self.source_line = source_line
        text = f"line {line}, column {column}: {message}"
        if source_line:
            text += f"\n  {source_line}\n  {' ' * column}^"
        super().__init__(text)


def parse_graph(text: str) -> Graph:
    """Parse one printed graph (with or without source comments)."""
    return _IRParser(text).parse_top_graph()


def parse_type(text: str) -> JitType:
    """Parse a type as the IR printer spells it (``int[]?``, ``Float(2, 3, ...)``)."""
    parser = _IRParser(text)
    t = parser.parse_type()
    parser.cursor.skip_whitespace()
    if not parser.cursor.at_end():
        parser.cursor.error("unexpected text after the type")
    return t


def reconstruct_cconv(n_inputs: int, n_scalars: int) -> str:
    """The calling convention the parser gives a PythonOp: inputs, then scalars."""
    return "d" * n_inputs + "c" * n_scalars


# --- characters -------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# A value name runs up to a delimiter of the printed syntax; names can hold
# dots (``x.1``) and any non-ASCII identifier characters.
_VALUE_NAME = re.compile(r"[^\s,()\[\]{}:=%#\"]+")
_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*::[A-Za-z_][A-Za-z0-9_.]*")
_NUMBER = r"-?(?:nan|inf|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)"
_COMPLEX = re.compile(rf"({_NUMBER})([+-])({_NUMBER})j")
_FLOAT_OR_INT = re.compile(_NUMBER)
_INT = re.compile(r"-?[0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_BIT = re.compile(r"[01]")
_DEVICE = re.compile(r"[^,)\s]+")
_SOURCE_COMMENT = re.compile(r"# (.*):(\d+):(\d+)[ \t\r]*$", re.M)
# torch's tensor printer: " 1  2  3 [ CPULongType{3} ]" (newlines already spaces).
_TENSOR_DUMP = re.compile(r"[^\[\]]*?\[ [A-Za-z0-9_]+Type\{[0-9,]*\} \]")
_NUMERIC_REF = re.compile(r"%(\d+)(?![^\s,()\[\]{}:=%#\"])")
_GROUP_KIND = re.compile(r"(.+)_(\d+)")
_WITH_HEADER = re.compile(r"with ([A-Za-z_][A-Za-z0-9_]*::[A-Za-z_][A-Za-z0-9_.]*_\d+) = ")
_NAMED_FIELD_AHEAD = re.compile(r",\s*[A-Za-z_][A-Za-z0-9_]* : ")

#: Attributes torch gives type values (``ty``/``tys``): prim::TypeCheck,
#: prim::RequiresGradCheck and prim::profile.
_TYPE_ATTRIBUTES = frozenset({"types", "profiled_type"})
_IVALUE_WORDS = frozenset({"True", "False", "None", "nan", "inf"})
#: How ``IValue::repr`` spells an empty list attribute of each kind.
_EMPTY_LIST_TYPES = {AttributeKind.is_: "List[int]", AttributeKind.fs: "List[float]", AttributeKind.ss: "List[str]"}


class _Cursor:
    """A position in the text, with torch-printer-sized lexing helpers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # --- positions and errors ---

    def line_col(self, pos: int | None = None) -> tuple[int, int]:
        pos = self.pos if pos is None else pos
        index = bisect.bisect_right(self._line_starts, pos) - 1
        return index + 1, pos - self._line_starts[index]

    def error(self, message: str, pos: int | None = None) -> NoReturn:
        line, col = self.line_col(pos)
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        source_line = self.text[start : end if end != -1 else len(self.text)]
        raise IRParseError(message, line, col, source_line)

    def describe_here(self) -> str:
        if self.at_end():
            return "end of input"
        snippet = self.text[self.pos : self.pos + 12].split("\n")[0]
        return repr(snippet) if snippet else "end of line"

    # --- peeking and consuming ---

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, literal: str) -> bool:
        return self.text.startswith(literal, self.pos)

    def peek_char(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def accept(self, literal: str) -> bool:
        if self.peek(literal):
            self.pos += len(literal)
            return True
        return False

    def expect(self, literal: str, what: str | None = None) -> None:
        if not self.accept(literal):
            self.error(f"expected {what or repr(literal)}, found {self.describe_here()}")

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        m = pattern.match(self.text, self.pos)
        if m is not None:
            self.pos = m.end()
        return m

    def expect_match(self, pattern: re.Pattern[str], what: str) -> str:
        m = self.match(pattern)
        if m is None:
            self.error(f"expected {what}, found {self.describe_here()}")
        return m.group(0)

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def skip_whitespace(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def expect_line_end(self) -> None:
        self.skip_spaces()
        if not (self.accept("\n") or self.accept("\r\n") or self.at_end()):
            self.error(f"expected the end of the line, found {self.describe_here()}")

    def scan_balanced(self, stops: str) -> str:
        """Text up to the first of ``stops`` outside brackets and quotes."""
        start = self.pos
        depth = 0
        text = self.text
        i = self.pos
        while i < len(text):
            ch = text[i]
            if ch == '"':
                i = self._skip_string(i)
                continue
            if depth == 0 and ch in stops:
                break
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch == "\n" and depth == 0:
                break
            i += 1
        self.pos = i
        return text[start:i]

    def _skip_string(self, i: int) -> int:
        """Index after the quoted string starting at ``i``."""
        text = self.text
        start = i
        i += 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
            elif text[i] == '"':
                return i + 1
            elif text[i] == "\n":
                break
            else:
                i += 1
        self.error("unterminated string literal", start)


class _GraphScope:
    """Values of one graph by printed name."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.values: dict[str, Value] = {}
        # Nodes printed as ``prim::X_<n>``, by printed kind: group nodes whose
        # subgraphs follow the graph, or operators whose names end in _<n>.
        self.group_candidates: dict[str, Node] = {}


class _IRParser:
    def __init__(self, text: str) -> None:
        self.cursor = _Cursor(text)
        numbers = [int(n) for n in _NUMERIC_REF.findall(text)]
        # Every graph starts its counter above every numeric name in the text,
        # so named values never take a number a printed ``%N`` will claim.
        self.first_free_unique = max(numbers, default=-1) + 1
        self.autograd_functions: dict[tuple[str, str], StaticClass] = {}

    # --- graphs ------------------------------------------------------------------------

    def parse_top_graph(self) -> Graph:
        c = self.cursor
        c.skip_whitespace()
        graph = self.parse_graph()
        c.skip_whitespace()
        if not c.at_end():
            c.error(f"expected the end of the input after the graph, found {c.describe_here()}")
        return graph

    def parse_graph(self, nested: bool = False) -> Graph:
        """``graph(<inputs>):`` nodes ``return (...)``, then its group subgraphs."""
        c = self.cursor
        graph = Graph()
        graph.next_unique = self.first_free_unique
        scope = _GraphScope(graph)
        c.expect("graph(", "'graph('")
        self.parse_value_definitions(scope, graph.block.param_node, ")")
        c.expect(")")
        c.expect(":")
        c.expect_line_end()
        self.parse_nodes(scope, graph.block)
        c.skip_whitespace()
        c.expect("return", "'return' or a node")
        c.skip_spaces()
        for value in self.parse_value_refs(scope):
            graph.register_output(value)
        c.expect_line_end()
        self.parse_group_subgraphs(scope, nested)
        self._finish_uniques(scope)
        return graph

    def parse_group_subgraphs(self, scope: _GraphScope, nested: bool) -> None:
        """``with prim::DifferentiableGraph_0 = graph(...)`` sections.

        torch prints a subgraph's own sections right after its ``return``,
        before the enclosing graph's next one, so a nested graph takes the
        sections that name its nodes and leaves the rest to its parent.
        """
        c = self.cursor
        while True:
            save = c.pos
            c.skip_whitespace()
            header = c.match(_WITH_HEADER)
            if header is None:
                c.pos = save
                return
            printed_kind = header.group(1)
            node = scope.group_candidates.pop(printed_kind, None)
            if node is None:
                if nested:
                    c.pos = save
                    return
                c.error(f"no node of the graph prints as {printed_kind}", header.start(1))
            subgraph = self.parse_graph(nested=True)
            node.kind = Symbol(_GROUP_KIND.fullmatch(printed_kind).group(1))  # type: ignore[union-attr]
            # The printer leaves Subgraph out of a group's attribute list; it
            # is the attribute a group is created with, so it goes first.
            node.attributes = {"Subgraph": Attribute(AttributeKind.g, subgraph), **node.attributes}

    def _finish_uniques(self, scope: _GraphScope) -> None:
        graph = scope.graph
        highest = max((v.unique for v in scope.values.values()), default=-1)
        graph.next_unique = max(graph.next_unique, highest + 1)

    # --- blocks and nodes ------------------------------------------------------------------

    def parse_nodes(self, scope: _GraphScope, block: Block) -> None:
        c = self.cursor
        while True:
            c.skip_whitespace()
            if c.at_end() or c.peek("return") or c.peek("->"):
                return
            if not (c.peek("%") or c.peek("=")):
                c.error(f"expected a node, 'return' or '->', found {c.describe_here()}")
            self.parse_node(scope, block)

    def parse_node(self, scope: _GraphScope, block: Block) -> Node:
        c = self.cursor
        outputs: list[tuple[str, JitType, int]] = []
        if not c.peek("="):
            outputs = self.parse_value_declarations(" = ")
        c.skip_spaces()
        c.expect("=", "'=' after the node's outputs")
        c.skip_spaces()
        if c.accept("^"):
            node = self.parse_python_op(scope)
        else:
            node = self.parse_regular_node(scope, [t for _, t, _ in outputs])
        for name, type_, pos in outputs:
            self.define_value(scope, node.add_output(type_), name, pos)
        self.parse_node_suffix(node)
        block.append_node(node)
        c.expect_line_end()
        self.parse_optional_blocks(scope, node)
        return node

    def parse_regular_node(self, scope: _GraphScope, output_types: list[JitType]) -> Node:
        c = self.cursor
        kind_pos = c.pos
        printed_kind = c.expect_match(_SYMBOL, "an operator name such as 'aten::add'")
        try:
            kind = Symbol(printed_kind)
        except ValueError as e:
            c.error(str(e), kind_pos)
        node = scope.graph.create(kind, (), 0)
        if _GROUP_KIND.fullmatch(printed_kind):
            scope.group_candidates[printed_kind] = node
        if c.peek("["):
            # torch prints an integral double >= 1e10 without a dot
            # (``10000000000``); only the constant's type tells it apart.
            expects_float = kind is kinds.Constant and output_types == [FloatType()]
            for name, attribute in self.parse_attributes(expects_float):
                node.attributes[name] = attribute
        c.expect("(", "'(' before the node's inputs")
        for value in self.parse_value_refs(scope, opened=True):
            node.add_input(value)
        return node

    def parse_python_op(self, scope: _GraphScope) -> Node:
        """``^name[attrs](scalars)(inputs)``."""
        c = self.cursor
        name_start = c.pos
        bracket = c.text.find("[", c.pos)
        newline = c.text.find("\n", c.pos)
        if bracket == -1 or (newline != -1 and newline < bracket):
            c.error("expected '[' after the PythonOp's name (torch always prints its attribute list)")
        name = c.text[name_start:bracket]
        if not name:
            c.error("PythonOp has an empty name", name_start)
        c.pos = bracket
        node = create_python_op(scope.graph, (), 0)
        for attr_name, attribute in self.parse_attributes(False):
            node.attributes[attr_name] = attribute
        c.expect("(", "'(' before the PythonOp's scalar arguments")
        scalars = self.parse_python_scalars()
        c.expect("(", "'(' before the PythonOp's inputs")
        inputs = self.parse_value_refs(scope, opened=True)
        for value in inputs:
            node.add_input(value)
        node.init(
            self.python_callable(name, node),
            reconstruct_cconv(len(inputs), len(scalars)),
            [ParsedScalar(s) for s in scalars],
        )
        return node

    def python_callable(self, name: str, node: Node) -> Any:
        """A stand-in whose ``python_op_name`` is ``name`` (see the module docstring).

        Ops of one autograd Function share one class, as in torch.
        """
        if name == PYTHON_VALUE:
            return StaticNamelessCallable("parsed from IR text")
        module = node.attributes.get("module")
        if module is not None and module.kind is AttributeKind.s:
            key = (module.value, name)
            cls = self.autograd_functions.get(key)
            if cls is None:
                cls = self.autograd_functions[key] = StaticClass(name, role="autograd_function", module=module.value)
            return cls.apply
        return StaticCallable(name)

    def parse_python_scalars(self) -> list[str]:
        """Scalar arguments after the opening ``(``, up to and including ``)``.

        Each is ``str()`` of a Python object, so quotes mean nothing: items
        are split at ``", "`` outside brackets, and the list ends at the
        first ``)`` outside brackets. ``()`` is no scalars (an empty-string
        scalar alone prints the same).
        """
        c = self.cursor
        text = c.text
        start = part_start = i = c.pos
        depth = 0
        scalars: list[str] = []
        while True:
            if i >= len(text) or text[i] == "\n":
                c.error("unterminated PythonOp scalar argument list", start)
            ch = text[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0 and ch == ")":
                    break
                depth = max(depth - 1, 0)
            elif depth == 0 and text.startswith(", ", i):
                scalars.append(text[part_start:i])
                i += 2
                part_start = i
                continue
            i += 1
        if i > start or scalars:
            scalars.append(text[part_start:i])
        c.pos = i + 1
        return scalars

    def parse_node_suffix(self, node: Node) -> None:
        """``, scope: a/b`` and ``# path:line:col`` after the inputs."""
        c = self.cursor
        if c.accept(", scope: "):
            end = c.text.find("\n", c.pos)
            end = len(c.text) if end == -1 else end
            comment = c.text.find(" # ", c.pos, end)
            stop = comment if comment != -1 else end
            node.scope = c.text[c.pos : stop]
            c.pos = stop
        c.skip_spaces()
        if c.peek("#"):
            m = c.match(_SOURCE_COMMENT)
            if m is None:
                c.error("expected a source comment '# path:line:col'")
            node.source_range = SourceRange(m.group(1), int(m.group(2)), int(m.group(3)))

    def parse_optional_blocks(self, scope: _GraphScope, node: Node) -> None:
        """``blockN(<inputs>):`` nodes ``-> (<outputs>)``, any number."""
        c = self.cursor
        while True:
            save = c.pos
            c.skip_whitespace()
            if not c.peek("block"):
                c.pos = save
                return
            index = len(node.blocks)
            c.expect(f"block{index}(", f"'block{index}('")
            block = node.add_block()
            self.parse_value_definitions(scope, block.param_node, ")")
            c.expect(")")
            c.expect(":")
            c.expect_line_end()
            self.parse_nodes(scope, block)
            c.skip_whitespace()
            c.expect("->", f"'->' closing block{index}")
            c.skip_spaces()
            for value in self.parse_value_refs(scope):
                block.register_output(value)
            c.expect_line_end()

    # --- values ----------------------------------------------------------------------------

    def parse_value_declarations(self, terminator: str) -> list[tuple[str, JitType, int]]:
        """``%a : T, %b : U`` up to ``terminator`` (not consumed)."""
        c = self.cursor
        declared: list[tuple[str, JitType, int]] = []
        while True:
            pos = c.pos
            name = self.parse_value_name()
            c.skip_spaces()
            c.expect(":", f"':' and a type after %{name}")
            c.skip_spaces()
            declared.append((name, self.parse_type(), pos))
            if c.peek(terminator):
                return declared
            c.skip_spaces()
            if not c.accept(","):
                c.error(f"expected ',' or {terminator.strip()!r} after a typed value, found {c.describe_here()}")
            c.skip_whitespace()

    def parse_value_definitions(self, scope: _GraphScope, param_node: Node, closer: str) -> None:
        """Inputs of a graph or block, up to ``closer`` (not consumed)."""
        c = self.cursor
        c.skip_whitespace()
        if c.peek(closer):
            return
        for name, type_, pos in self.parse_value_declarations(closer):
            self.define_value(scope, param_node.add_output(type_), name, pos)

    def parse_value_name(self) -> str:
        c = self.cursor
        c.expect("%", "a value ('%name')")
        return c.expect_match(_VALUE_NAME, "a value name after '%'")

    def define_value(self, scope: _GraphScope, value: Value, name: str, pos: int) -> None:
        if name in scope.values:
            self.cursor.error(f"value %{name} is defined twice", pos)
        if _DIGITS.fullmatch(name):
            value.unique = int(name)
        else:
            value.set_debug_name(name)
        scope.values[name] = value

    def parse_value_refs(self, scope: _GraphScope, opened: bool = False) -> list[Value]:
        """``(%a, %b)``; with ``opened`` the ``(`` was already consumed."""
        c = self.cursor
        if not opened:
            c.expect("(")
        values: list[Value] = []
        if c.accept(")"):
            return values
        while True:
            pos = c.pos
            name = self.parse_value_name()
            value = scope.values.get(name)
            if value is None:
                c.error(f"use of undefined value %{name}", pos)
            values.append(value)
            if c.accept(")"):
                return values
            c.expect(", ", "', ' or ')' in a value list")

    # --- attributes ------------------------------------------------------------------------

    def parse_attributes(self, expects_float: bool) -> list[tuple[str, Attribute]]:
        """``[name=value, ...]`` (``[]`` allowed)."""
        c = self.cursor
        c.expect("[")
        found: list[tuple[str, Attribute]] = []
        if c.accept("]"):
            return found
        while True:
            name_pos = c.pos
            name = c.expect_match(_IDENT, "an attribute name")
            if any(n == name for n, _ in found):
                c.error(f"attribute {name!r} appears twice", name_pos)
            c.expect("=", f"'=' after attribute {name!r}")
            found.append((name, self.parse_attribute_value(name, expects_float)))
            if c.accept("]"):
                return found
            c.expect(", ", "', ' or ']' in the attribute list")

    def parse_attribute_value(self, name: str, expects_float: bool = False) -> Attribute:
        c = self.cursor
        A = AttributeKind
        if name in _TYPE_ATTRIBUTES:
            if c.accept("["):
                types: list[JitType] = []
                if not c.accept("]"):
                    while True:
                        types.append(self.parse_type())
                        if c.accept("]"):
                            break
                        c.expect(", ", "', ' or ']' in a type list")
                return Attribute(A.tys, types)
            return Attribute(A.ty, self.parse_type())
        for list_kind in (A.is_, A.fs, A.ss):
            if c.accept(f"annotate({_EMPTY_LIST_TYPES[list_kind]}, [])"):
                return Attribute(list_kind, [])
        if c.accept("<Graph>"):
            return Attribute(A.g, OpaqueGraph())
        if c.accept("[<Graphs>]"):
            return Attribute(A.gs, [])
        if c.accept("[<Tensors>]"):
            return Attribute(A.ts, [])
        if c.accept("<Tensor>"):
            return Attribute(A.t, TensorConstant("<Tensor>"))
        if not c.peek('"'):
            # torch's tensor dump: " 1  2 [ CPULongType{2} ]", "1e-05 *  1.0000 ..."
            dump = c.match(_TENSOR_DUMP)
            if dump is not None:
                return Attribute(A.t, TensorConstant(dump.group(0)))
        if c.peek("{") and self._is_tensor_scalar():
            return Attribute(A.t, TensorConstant(self._take_braced()))
        ty = self.parse_optional_type_value()
        if ty is not None:
            return Attribute(A.ty, ty)
        return _attribute_for(self.parse_ivalue(), expects_float)

    def parse_optional_type_value(self) -> JitType | None:
        """A type as an attribute value (``ty``), when the text is one.

        Only undotted names are tried: IValue words (``True``, ``nan``) and
        dotted names (enum members ``__torch__.Color.RED``) stay IValues.
        """
        c = self.cursor
        word = _IDENT.match(c.text, c.pos)
        if word is None or word.group(0) in _IVALUE_WORDS or _ident_char_at(c.text, word.end()):
            return None
        save = c.pos
        try:
            t = self.parse_type()
        except IRParseError:
            c.pos = save
            return None
        if c.peek_char() not in (",", "]"):
            c.pos = save
            return None
        return t

    def _is_tensor_scalar(self) -> bool:
        """``{2.5}`` (a one-element tensor) rather than a dict ``{"a": 1}``."""
        c = self.cursor
        end = c.text.find("}", c.pos)
        if end == -1:
            return False
        inside = c.text[c.pos + 1 : end]
        return inside != "" and ":" not in inside and '"' not in inside

    def _take_braced(self) -> str:
        c = self.cursor
        end = c.text.index("}", c.pos) + 1
        text = c.text[c.pos : end]
        c.pos = end
        return text

    def parse_ivalue(self) -> Any:
        """One value in ``IValue::repr``'s format."""
        c = self.cursor
        start = c.pos
        ch = c.peek_char()
        if ch == '"':
            return self.parse_string()
        if ch == "(":
            c.pos += 1
            items = self._parse_ivalue_items(")")
            return tuple(items)
        if ch == "[":
            c.pos += 1
            return self._parse_ivalue_items("]")
        if ch == "{":
            if self._is_tensor_scalar():
                return TensorConstant(self._take_braced())
            c.pos += 1
            result: dict[Any, Any] = {}
            if c.accept("}"):
                return result
            while True:
                key = self.parse_ivalue()
                c.expect(": ", "': ' in a dict")
                result[key] = self.parse_ivalue()
                if c.accept("}"):
                    return result
                c.expect(", ", "', ' or '}' in a dict")
        m = c.match(_COMPLEX)
        if m is not None:
            # float() reads C's spellings: "3.", "1e+20", "nan", "-nan", "inf".
            real = float(m.group(1))
            imag = float(m.group(3))
            return complex(real, -imag if m.group(2) == "-" else imag)
        m = c.match(_FLOAT_OR_INT)
        if m is not None and not _runs_into_a_word(c):
            text = m.group(0)
            if _INT.fullmatch(text):
                return int(text)
            return float(text)
        c.pos = start
        for word, value in (("True", True), ("False", False), ("None", None)):
            if c.peek(word) and not _ident_char_at(c.text, c.pos + len(word)):
                c.pos += len(word)
                return value
        if c.accept("torch.device("):
            if c.peek('"'):
                spec = self.parse_string()
                if c.accept(")"):
                    return Device(spec)
            c.pos = start
            return RawIValue(c.scan_balanced(",])}"))
        if c.peek("annotate("):
            return RawIValue(c.scan_balanced(",])}"))
        dotted = c.match(_DOTTED)
        if dotted is not None and "." in dotted.group(0) and c.peek_char() in ",)]}":
            qualified_class, _, member = dotted.group(0).rpartition(".")
            return EnumValue(qualified_class, member, None)
        c.pos = start
        raw = c.scan_balanced(",])}")
        if not raw:
            c.error(f"expected a value, found {c.describe_here()}")
        return RawIValue(raw)

    def _parse_ivalue_items(self, closer: str) -> list[Any]:
        c = self.cursor
        items: list[Any] = []
        if c.accept(closer):
            return items
        while True:
            items.append(self.parse_ivalue())
            if closer == ")" and c.accept(",)"):
                return items
            if c.accept(closer):
                return items
            c.expect(", ", f"', ' or {closer!r}")

    def parse_string(self) -> str:
        c = self.cursor
        start = c.pos
        end = c._skip_string(start)
        c.pos = end
        try:
            return unquote_string(c.text[start + 1 : end - 1])
        except ValueError as e:
            c.error(str(e), start)

    # --- types -----------------------------------------------------------------------------

    def parse_type(self) -> JitType:
        """A type as ``operator<<(ostream&, const Type&)`` prints it."""
        c = self.cursor
        t = self.parse_base_type()
        while True:
            if c.accept("[]"):
                t = ListType(t)
            elif c.accept("?"):
                t = OptionalType(t)
            else:
                return t

    def parse_base_type(self) -> JitType:
        c = self.cursor
        start = c.pos
        if c.accept("("):
            elements = self._parse_type_items(")")
            return TupleType(tuple(elements))
        name = c.match(_DOTTED)
        if name is None:
            c.error(f"expected a type, found {c.describe_here()}")
        ident = name.group(0)
        if ident == "Tensor" or (ident in SCALAR_TYPE_NAMES and c.peek("(")):
            return self.parse_tensor_type(None if ident == "Tensor" else ident, sizes_printed=True)
        if ident.endswith("Tensor") and ident[: -len("Tensor")] in SCALAR_TYPE_NAMES:
            return self.parse_tensor_type(ident[: -len("Tensor")], sizes_printed=False)
        if ident == "NamedTuple" and c.accept("("):
            return self.parse_named_tuple_fields()
        if ident == "Dict" and c.accept("("):
            key, value = self._parse_type_items(")", count=2)
            return DictType(key, value)
        if ident == "Union" and c.accept("("):
            return UnionType(tuple(self._parse_type_items(")")))
        if ident == "Await" and c.accept("("):
            (element,) = self._parse_type_items(")", count=1)
            return AwaitType(element)
        if ident in ("Future", "RRef") and c.peek("[") and not c.peek("[]"):
            c.pos += 1
            (element,) = self._parse_type_items("]", count=1)
            return FutureType(element) if ident == "Future" else RRefType(element)
        if ident == "Enum" and c.accept("<"):
            qualified = c.expect_match(_DOTTED, "an enum's qualified name")
            c.expect(">")
            return EnumType(qualified)
        if ident == "InterfaceType" and c.accept("<"):
            iface = c.expect_match(_DOTTED, "an interface's name")
            c.expect(">")
            return InterfaceType(iface)
        if ident == "Function":
            return FunctionType()
        leaf = LEAF_TYPES.get(ident)
        if leaf is not None:
            return leaf
        if "." not in ident:
            c.error(f"unknown type {ident!r}", start)
        return ClassType(ident, is_module=False)

    def _parse_type_items(self, closer: str, count: int | None = None) -> list[JitType]:
        c = self.cursor
        start = c.pos
        items: list[JitType] = []
        if not c.accept(closer):
            while True:
                items.append(self.parse_type())
                if c.accept(closer):
                    break
                c.expect(", ", f"', ' or {closer!r} between types")
        if count is not None and len(items) != count:
            c.error(f"expected {count} type(s) here, found {len(items)}", start)
        return items

    def parse_named_tuple_fields(self) -> JitType:
        """``a : int, b : Tensor = <default>)`` after ``NamedTuple(``."""
        c = self.cursor
        fields: list[NamedTupleField] = []
        # torch's emitter types the dummy tuple after a raise as a named
        # tuple without fields: ``NamedTuple()``.
        while not c.accept(")"):
            field_name = c.expect_match(_IDENT, "a NamedTuple field name")
            c.expect(" : ", "' : ' after a NamedTuple field name")
            field_type = self.parse_type()
            default = None
            if c.accept(" = "):
                default = self._scan_field_default()
            fields.append(NamedTupleField(field_name, field_type, default))
            if c.peek(")"):
                continue
            c.expect(", ", "', ' or ')' between NamedTuple fields")
        return TupleType(tuple(f.type for f in fields), None, tuple(fields))

    def _scan_field_default(self) -> str:
        """A default printed by ``operator<<(IValue)``: raw, possibly multi-line.

        It ends at a top-level ``)`` or at a top-level ``,`` that starts the
        next ``name : `` field.
        """
        c = self.cursor
        text = c.text
        start = i = c.pos
        depth = 0
        while i < len(text):
            ch = text[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0 and _NAMED_FIELD_AHEAD.match(text, i):
                break
            i += 1
        if i >= len(text):
            c.error("unterminated NamedTuple default value", start)
        c.pos = i
        return text[start:i]

    def parse_tensor_type(self, scalar_type: str | None, sizes_printed: bool) -> TensorType:
        """``Tensor``, ``Float(2, *, strides=[..], requires_grad=0, device=cpu)``,
        ``FloatTensor(requires_grad=0)``, each optionally ``[Undefined]``."""
        c = self.cursor
        sizes: tuple[int | None, ...] | None = None
        strides: tuple[int, ...] | None = None
        requires_grad: bool | None = None
        device: str | None = None
        if c.accept("("):
            dims: list[int | None] = []
            saw_size = False
            if not c.accept(")"):
                while True:
                    if c.accept("strides=["):
                        strides = tuple(int(s) for s in self._scan_ints("]"))
                    elif c.accept("requires_grad="):
                        requires_grad = c.expect_match(_BIT, "0 or 1") == "1"
                    elif c.accept("device="):
                        device = c.expect_match(_DEVICE, "a device")
                    elif c.accept("*"):
                        dims.append(None)
                        saw_size = True
                    else:
                        dims.append(int(c.expect_match(_INT, "a size, '*', strides=, requires_grad= or device=")))
                        saw_size = True
                    if c.accept(")"):
                        break
                    c.expect(", ", "', ' or ')' in a tensor type")
            if sizes_printed and (saw_size or scalar_type is not None or (requires_grad is None and device is None)):
                # ``Float()`` / ``Tensor()`` is rank 0; ``Tensor(requires_grad=0)``
                # prints the same for rank 0 and unknown rank: take unknown.
                sizes = tuple(dims)
        undefined = True if c.accept("[Undefined]") else None
        return TensorType(scalar_type, sizes, strides, requires_grad, device, undefined)

    def _scan_ints(self, closer: str) -> list[int]:
        c = self.cursor
        values: list[int] = []
        if c.accept(closer):
            return values
        while True:
            values.append(int(c.expect_match(_INT, "an integer")))
            if c.accept(closer):
                return values
            c.expect(", ")


# --- helpers -----------------------------------------------------------------------------


def _ident_char_at(text: str, i: int) -> bool:
    return i < len(text) and (text[i].isalnum() or text[i] in "_.")


def _runs_into_a_word(c: _Cursor) -> bool:
    """After a number-looking prefix: ``nan_x`` or ``12abc`` is not a number."""
    return _ident_char_at(c.text, c.pos) and c.text[c.pos] != "."


def _attribute_for(value: Any, expects_float: bool) -> Attribute:
    """The attribute kind torch would have stored ``value`` under."""
    A = AttributeKind
    if isinstance(value, bool) or value is None:
        return Attribute(A.ival, value)
    if isinstance(value, int):
        return Attribute(A.f, float(value)) if expects_float else Attribute(A.i, value)
    if isinstance(value, float):
        return Attribute(A.f, value)
    if isinstance(value, complex):
        return Attribute(A.c, value)
    if isinstance(value, str):
        return Attribute(A.s, value)
    if isinstance(value, list) and value:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return Attribute(A.is_, value)
        if all(isinstance(v, float) for v in value):
            return Attribute(A.fs, value)
        if all(isinstance(v, str) for v in value):
            return Attribute(A.ss, value)
    return Attribute(A.ival, value)


