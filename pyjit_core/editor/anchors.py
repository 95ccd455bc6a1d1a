"""Where a user points to see an IR node: the token each construct is anchored on.

Every node the frontend emits carries torch's source range (1-based line,
UTF-8 byte columns, end-exclusive; see :mod:`pyjit_core.frontend.ranges`):
a call's range is its callee expression, a binary operation's the whole
expression, a statement's the whole statement. A range says *which syntax*
made the node, not which token a user hovers. This module indexes a file's
syntax by torch's ranges and maps each range to that token:

========================================  ==========================================
syntax                                    token
========================================  ==========================================
call ``torch.relu(x)``, ``Model()``       the last name of the callee (``relu``)
binary op, ``x += 1``                     the operator (``+``, ``+=``)
``d[k] = v``, ``self.x = v``              the ``=``
comparison, chain, ``and``/``or``         the operator; for a chain's (or a long
                                          ``and``'s) whole range the last one
``is not``, ``not in``                    the first word
unary op                                  the operator
subscript, slice                          the ``[``
``a if c else b``                         the ``if``
statements                                the first keyword (``elif`` for an elif)
displays, comprehensions                  the opening bracket; a bare tuple's first comma
attribute read ``self.k``                 the attribute name
string, f-string                          the first character
========================================  ==========================================

Tokens are found by scanning the file's bytes from a syntax node's Python
extent (``ast`` end positions), skipping whitespace, comments, line
continuations and closing parentheses: between two operands only those can
occur. Ranges here are editor ranges (0-based lines, code-point columns).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..diagnostics.model import TextRange
from ..frontend.ranges import TorchRanges
from ..frontend.source import SourceFile
from ..ir.source_range import SourceRange

Span = tuple[int, int]  # absolute UTF-8 byte offsets, end-exclusive

_OPERATORS = sorted(
    ["**=", "//=", ">>=", "<<=", "...", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=",
     "%=", "&=", "|=", "^=", "@=", "->", ":=", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "=",
     ",", "[", "]", "(", ")", "{", "}", ".", ":", ";"],
    key=len, reverse=True,
)
_OPERATOR_BYTES = [op.encode() for op in _OPERATORS]
_SPACE = frozenset(b" \t\r\n\f")
_STATEMENTS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Assert, ast.Raise, ast.Return, ast.With,
               ast.AsyncWith, ast.Delete, ast.Pass, ast.Break, ast.Continue)
_DISPLAYS = (ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True, slots=True, eq=False)
class Anchor:
    """The token a user points at to see the nodes one piece of syntax made."""

    range: TextRange           # the token (editor coordinates)
    syntax: ast.AST            # the construct: an ast.Call, ast.BinOp, ast.If, ...
    role: str                  # "call", "binop", "compare", "boolop", "unary", "assign", "augassign",
                               # "subscript", "ifexp", "statement", "display", "tuple", "attribute",
                               # "name", "literal", "def"

    @property
    def key(self) -> tuple[int, int, int, int]:
        r = self.range
        return (r.start_line, r.start_col, r.end_line, r.end_col)


@dataclass(slots=True)
class _Entry:
    rank: tuple[int, int]
    anchors: list[Anchor] = field(default_factory=list)


class AnchorIndex:
    """Torch ranges of one file's syntax, each mapped to its anchor token.

    ``scopes`` limits indexing to some definitions (the compiled functions);
    by default the whole module is indexed.
    """

    def __init__(self, source: SourceFile, tree: ast.Module | None = None, ranges: TorchRanges | None = None,
                 scopes: Iterable[ast.AST] | None = None) -> None:
        self.source = source
        self.tree = tree if tree is not None else source.parse()
        self.ranges = ranges if ranges is not None else TorchRanges(source)
        self._data: bytes = source.text.encode("utf-8", "surrogatepass")
        self._by_span: dict[Span, _Entry] = {}
        self._extra: dict[Span, list[Anchor]] = {}
        self._by_start: dict[int, list[Span]] = {}
        self._calls: dict[Span, ast.Call] = {}
        for scope in (scopes if scopes is not None else [self.tree]):
            self._visit(scope, 0)

    # --- queries ------------------------------------------------------------------------

    def anchors_for(self, r: SourceRange | None) -> list[Anchor]:
        """The anchors of an IR node's source range (usually one; none when the
        range is not in this file or matches no syntax)."""
        if r is None or r.path != self.source.path:
            return []
        span = self.span_of(r)
        entry = self._by_span.get(span)
        if entry is None:
            entry = self._nearest(span)
            if entry is None:
                return []
        return entry.anchors[:1] + self._extra.get(span, [])

    def span_of(self, r: SourceRange) -> Span:
        end_line = r.end_line if r.end_line is not None else r.start_line
        end_col = r.end_col if r.end_col is not None else r.start_col
        return (self.source.offset(r.start_line, r.start_col), self.source.offset(end_line, end_col))

    def call_for(self, r: SourceRange | None) -> ast.Call | None:
        """The call whose callee has range ``r`` (torch gives a call's nodes its callee's range)."""
        if r is None or r.path != self.source.path:
            return None
        return self._calls.get(self.span_of(r))

    def syntax_for(self, r: SourceRange | None) -> ast.AST | None:
        found = self.anchors_for(r)
        return found[0].syntax if found else None

    def attribute_accesses(self, definition: ast.AST) -> list[tuple[str, str, TextRange]]:
        """``obj.name`` reads and writes inside one function, in source order, as
        ``("read" | "write", name, token)``: a read shows on the attribute name,
        a write on the ``=`` (or ``+=``) of its assignment. torch gives the
        ``prim::GetAttr``/``prim::SetAttr`` nodes they make no source range."""
        found: list[tuple[int, str, str, Span]] = []
        stack: list[ast.AST] = list(getattr(definition, "body", []))
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            stack.extend(ast.iter_child_nodes(node))
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                found.append((self._start(node), "read", node.attr, self._attribute_token(node)))
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
                found.append((self._start(node.target), "read", node.target.attr,
                              self._attribute_token(node.target)))
                op = self._token_after(node.target)
                if op is not None:
                    found.append((self._start(node), "write", node.target.attr, op))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                after = node.targets[0] if isinstance(node, ast.Assign) else node.annotation
                equals = self._equals_after(after) if getattr(node, "value", None) is not None else None
                for t in targets:
                    if isinstance(t, ast.Attribute) and equals is not None:
                        found.append((self._start(node), "write", t.attr, equals))
        found.sort(key=lambda f: f[0])
        return [(kind, name, self.text_range(span)) for _, kind, name, span in found]

    def with_items(self, definition: ast.AST) -> list[TextRange]:
        """The ``with`` keyword once per context manager inside one function, in
        source order: torch gives the ``prim::Enter``/``prim::Exit`` nodes no range."""
        found: list[tuple[int, Span]] = []
        stack: list[ast.AST] = list(getattr(definition, "body", []))
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            stack.extend(ast.iter_child_nodes(node))
            if isinstance(node, (ast.With, ast.AsyncWith)):
                keyword = self._token(self._start(node))
                if keyword is not None:
                    found += [(self._start(item.context_expr), keyword) for item in node.items]
        found.sort(key=lambda f: f[0])
        return [self.text_range(span) for _, span in found]

    def all_anchors(self) -> Iterator[tuple[Span, Anchor]]:
        for span, entry in self._by_span.items():
            for a in entry.anchors[:1]:
                yield span, a

    def _nearest(self, span: Span) -> _Entry | None:
        """A range no syntax has exactly: the indexed range with the same start
        whose end is closest (torch and pyjit ranges may differ by a bracket)."""
        starts = self._by_start.get(span[0])
        if not starts:
            return None
        best = min(starts, key=lambda s: (abs(s[1] - span[1]), self._by_span[s].rank))
        return self._by_span[best]

    # --- coordinates ------------------------------------------------------------------------

    def _at(self, line: int, col: int) -> int:
        return self.source.offset(line, col)

    def _start(self, node: ast.AST) -> int:
        return self._at(node.lineno, node.col_offset)

    def _end(self, node: ast.AST) -> int:
        return self._at(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)

    def text_range(self, span: Span) -> TextRange:
        sl, sc = self.source.position(span[0])
        el, ec = self.source.position(span[1])
        return TextRange(sl - 1, self.source.code_point_col(sl, sc), el - 1, self.source.code_point_col(el, ec))

    # --- token scanning ---------------------------------------------------------------------

    def _skip(self, pos: int, close_parens: bool = True) -> int:
        """The next position after whitespace, comments, continuations and (optionally) ``)``."""
        data = self._data
        n = len(data)
        while pos < n:
            c = data[pos]
            if c in _SPACE:
                pos += 1
            elif c == 0x5C and pos + 1 < n and data[pos + 1] in (0x0A, 0x0D):  # backslash-newline
                pos += 2
            elif c == 0x23:  # '#': comment to the end of the line
                nl = data.find(b"\n", pos)
                pos = n if nl == -1 else nl + 1
            elif close_parens and c == 0x29:  # ')'
                pos += 1
            else:
                break
        return pos

    def _token(self, pos: int) -> Span | None:
        """The token starting at ``pos``: a name/keyword, a number, or an operator."""
        data = self._data
        if pos >= len(data):
            return None
        c = data[pos]
        if c == 0x5F or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or c >= 0x80 or 0x30 <= c <= 0x39:
            end = pos + 1
            while end < len(data):
                d = data[end]
                if d == 0x5F or 0x41 <= d <= 0x5A or 0x61 <= d <= 0x7A or d >= 0x80 or 0x30 <= d <= 0x39:
                    end += 1
                else:
                    break
            return (pos, end)
        for op in _OPERATOR_BYTES:
            if data.startswith(op, pos):
                return (pos, pos + len(op))
        return (pos, pos + 1)

    def _token_after(self, node: ast.AST) -> Span | None:
        return self._token(self._skip(self._end(node)))

    def _char(self, pos: int) -> Span:
        """One code point at ``pos``."""
        data = self._data
        end = pos + 1
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end += 1
        return (pos, end)

    # --- the walk --------------------------------------------------------------------------

    def _register(self, span: Span, token: Span | None, syntax: ast.AST, role: str, rank: tuple[int, int]) -> None:
        if token is None:
            return
        anchor = Anchor(self.text_range(token), syntax, role)
        entry = self._by_span.get(span)
        if entry is None:
            self._by_span[span] = _Entry(rank, [anchor])
            self._by_start.setdefault(span[0], []).append(span)
        elif rank < entry.rank:
            entry.rank = rank
            entry.anchors.insert(0, anchor)
        else:
            entry.anchors.append(anchor)

    def _visit(self, node: ast.AST, depth: int) -> None:
        try:
            if isinstance(node, ast.expr):
                self._expression(node, depth)
            elif isinstance(node, ast.stmt):
                self._statement(node, depth)
        except (ValueError, IndexError):  # malformed positions: index what we can
            pass
        for child in ast.iter_child_nodes(node):
            self._visit(child, depth + 1)

    def _expression(self, node: ast.expr, depth: int) -> None:
        rank = (0, depth)
        span = self.ranges.span(node)
        if isinstance(node, ast.Name):
            self._register(span, self._name_token(node), node, "name", rank)
        elif isinstance(node, ast.Attribute):
            self._register(span, self._attribute_token(node), node, "attribute", rank)
        elif isinstance(node, ast.Call):
            self._register(span, self._callee_token(node.func), node, "call", rank)
            self._calls.setdefault(self.ranges.span(node.func), node)
        elif isinstance(node, ast.BinOp):
            self._register(span, self._token_after(node.left), node, "binop", rank)
        elif isinstance(node, ast.UnaryOp):
            self._register(span, self._token(self._start(node)), node, "unary", rank)
        elif isinstance(node, ast.BoolOp):
            values = node.values
            for i in range(1, len(values)):
                prefix = (span[0], self.ranges.span(values[i])[1])
                self._register(prefix, self._token_after(values[i - 1]), node, "boolop", rank)
        elif isinstance(node, ast.Compare):
            self._compare(node, span, rank)
        elif isinstance(node, ast.IfExp):
            self._register(span, self._token_after(node.body), node, "ifexp", rank)
        elif isinstance(node, ast.Subscript):
            self._subscript(node, span, rank)
        elif isinstance(node, _DISPLAYS):
            role = "display" if isinstance(node, (ast.List, ast.Set, ast.Dict)) else "comprehension"
            self._register(span, self._char(self._start(node)), node, role, rank)
        elif isinstance(node, ast.Tuple):
            self._register(span, self._tuple_token(node), node, "tuple", rank)
        elif isinstance(node, ast.JoinedStr):
            first = self._char(self._start(node))
            self._register(span, first, node, "literal", rank)
            self._register((first[0], first[0] + 1), first, node, "literal", rank)
        elif isinstance(node, ast.Constant):
            start = self._start(node)
            token = self._char(start) if isinstance(node.value, (str, bytes)) else self._token(start)
            self._register(span, token, node, "literal", rank)

    def _statement(self, node: ast.stmt, depth: int) -> None:
        rank = (1, depth)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            span = self.ranges.span(node)
            self._register(span, self._token(self._start(node)), node, "def", rank)
            return
        if isinstance(node, ast.Expr):
            return
        span = self.ranges.span(node)
        if isinstance(node, _STATEMENTS):
            keyword = self._token(self._start(node))
            self._register(span, keyword, node, "statement", rank)
            if isinstance(node, ast.Delete) and keyword is not None:
                # torch gives `del d[k]`'s aten::Delete the target's range; it shows
                # on the `del` as well as on the `[`.
                anchor = Anchor(self.text_range(keyword), node, "statement")
                for target in node.targets:
                    self._extra.setdefault(self.ranges.span(target), []).append(anchor)
        elif isinstance(node, ast.Assign):
            self._register(span, self._equals_after(node.targets[0]), node, "assign", rank)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._register(span, self._equals_after(node.annotation), node, "assign", rank)
        elif isinstance(node, ast.AugAssign):
            self._register(span, self._token_after(node.target), node, "augassign", rank)

    # --- tokens of particular syntax -------------------------------------------------------

    def _name_token(self, node: ast.Name) -> Span:
        start = self._start(node)
        return (start, start + len(node.id.encode("utf-8")))

    def _attribute_token(self, node: ast.Attribute) -> Span:
        end = self._end(node)
        return (end - len(node.attr.encode("utf-8")), end)

    def _callee_token(self, func: ast.expr) -> Span | None:
        if isinstance(func, ast.Name):
            return self._name_token(func)
        if isinstance(func, ast.Attribute):
            return self._attribute_token(func)
        if isinstance(func, ast.Call):
            return self._callee_token(func.func)
        if isinstance(func, ast.Subscript):
            return self._token_after(func.value)
        return self._token(self._start(func))

    def _equals_after(self, node: ast.AST) -> Span | None:
        token = self._token_after(node)
        if token is None or self._data[token[0]:token[1]] != b"=":
            return None
        return token

    def _compare(self, node: ast.Compare, span: Span, rank: tuple[int, int]) -> None:
        operands = [node.left, *node.comparators]
        spans = [self.ranges.span(o) for o in operands]
        for i in range(len(node.ops)):
            token = self._token_after(operands[i])
            pair = (spans[i][0], spans[i + 1][1])
            self._register(pair, token, node, "compare", rank)
            if i:
                # torch ands the comparisons from the left: (a < b) and (b < c)
                self._register((span[0], spans[i + 1][1]), token, node, "compare", rank)

    def _subscript(self, node: ast.Subscript, span: Span, rank: tuple[int, int]) -> None:
        bracket = self._token_after(node.value)
        if bracket is None or self._data[bracket[0]:bracket[1]] != b"[":
            return
        self._register(span, bracket, node, "subscript", rank)
        # torch gives each slice its base's range merged with its bounds.
        base = self.ranges.span(node.value)
        index = node.slice
        slices = [e for e in index.elts if isinstance(e, ast.Slice)] if isinstance(index, ast.Tuple) else [index]
        for s in slices:
            if not isinstance(s, ast.Slice):
                continue
            bounds = [self.ranges.span(b) for b in (s.lower, s.upper, s.step) if b is not None]
            merged = (min([base[0]] + [b[0] for b in bounds]), max([base[1]] + [b[1] for b in bounds]))
            self._register(merged, bracket, node, "subscript", rank)

    def _tuple_token(self, node: ast.Tuple) -> Span | None:
        start = self._start(node)
        if not node.elts:
            return self._char(start)
        # Count the parentheses opened before the first element and those closed
        # after it: one left open encloses the whole tuple.
        opened = 0
        pos = self._skip(start, close_parens=False)
        first = self._start(node.elts[0])
        while pos < first and self._data[pos] == 0x28:
            opened += 1
            pos = self._skip(pos + 1, close_parens=False)
        closed = 0
        pos = self._skip(self._end(node.elts[0]), close_parens=False)
        while pos < len(self._data) and self._data[pos] == 0x29:
            closed += 1
            pos = self._skip(pos + 1, close_parens=False)
        if opened > closed:
            return self._char(start)
        token = self._token(pos)
        if token is None or self._data[token[0]:token[1]] != b",":
            return None
        return token


def variable_tokens(source: SourceFile, definition: ast.AST) -> Iterator[tuple[TextRange, str]]:
    """Every name token inside one function: its parameters and the names it
    reads or writes (not those of nested definitions)."""

    def token(line: int, col: int, name: str) -> TextRange:
        end = col + len(name.encode("utf-8"))
        return TextRange(line - 1, source.code_point_col(line, col), line - 1, source.code_point_col(line, end))

    args = getattr(definition, "args", None)
    if isinstance(args, ast.arguments):
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            yield token(a.lineno, a.col_offset, a.arg), a.arg
    stack: list[ast.AST] = list(getattr(definition, "body", []))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Name):
            yield token(node.lineno, node.col_offset, node.id), node.id
        stack.extend(ast.iter_child_nodes(node))
