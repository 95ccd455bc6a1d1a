"""The source range torch gives each piece of syntax.

torch builds its own tree from Python's ``ast`` (torch/jit/frontend.py) and
every compound tree node's range is its own range merged with its children's
(torch: ``Compound::mergeRanges``). So a binary operation spans its operands
(not the parentheses around them), a call spans from the callee to its last
argument, a statement starts at its keyword, and a few leaves get
peculiar lengths (a string literal is ``len(value) + 1`` long). Node source
ranges and error locations in pyjit come from here, so they match torch's
``# file:line:col`` comments and ``File "...", line N`` reports.
"""

from __future__ import annotations

import ast
import string
from bisect import bisect_right

from ..ir.source_range import SourceRange, make_source_range
from .source import SourceFile

_KEYWORDS = {
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "async def", ast.ClassDef: "class",
    ast.For: "for", ast.AsyncFor: "async for", ast.While: "while", ast.If: "if",
    ast.With: "with", ast.AsyncWith: "async with", ast.Raise: "raise",
    ast.Assert: "assert", ast.Delete: "del", ast.Return: "return", ast.Pass: "pass",
    ast.Break: "break", ast.Continue: "continue", ast.Import: "import",
    ast.ImportFrom: "from", ast.Global: "global", ast.Nonlocal: "nonlocal", ast.Try: "try",
}
if hasattr(ast, "TryStar"):
    _KEYWORDS[ast.TryStar] = "try"

_UNARY_TOKENS = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
_WHITESPACE = set(string.whitespace.encode())

Span = tuple[int, int]  # absolute byte offsets, end-exclusive


class TorchRanges:
    """Computes (and caches) torch's range of any ast node of one file."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self._cache: dict[int, Span] = {}

    # --- public ------------------------------------------------------------------

    def of(self, node: ast.AST) -> SourceRange:
        if type(node) is ast.Name:
            # A name that ends on its own line: what to_range(span(node)) gives,
            # without the searches. (Names the compiler makes up for stubs may
            # run past the end of the line they are placed on.)
            starts = self.source._line_starts
            line, col = node.lineno, node.col_offset
            if (line < len(starts) and starts[line - 1] + col + len(node.id) < starts[line]) or line == len(starts):
                return make_source_range(self.source.path, line, col, line, col + len(node.id))
        span = self._cache.get(id(node))
        if span is None:
            span = self.span(node)
        return self.to_range(span)

    def keyword(self, node: ast.AST, length: int | None = None) -> SourceRange:
        """The statement's first keyword (torch: the ranges UnsupportedNodeError
        and statement builders start with); a one-character range when the
        node has no keyword."""
        if length is None:
            length = len(_KEYWORDS.get(type(node), " "))
        start = self._at(node.lineno, node.col_offset)
        return self.to_range((start, start + length))

    def point(self, node: ast.AST, length: int = 1) -> SourceRange:
        start = self._at(node.lineno, node.col_offset)
        return self.to_range((start, start + length))

    def between(self, left: ast.AST, right: ast.AST) -> SourceRange:
        """From the end of ``left`` to the start of ``right`` (torch: make_raw_range)."""
        return self.to_range((self.span(left)[1], self.span(right)[0]))

    def to_range(self, span: Span) -> SourceRange:
        # SourceFile.position for both ends, with one search when they share a line.
        start, end = span
        starts = self.source._line_starts
        i = bisect_right(starts, start) - 1
        j = i if start <= end and (i + 1 == len(starts) or end < starts[i + 1]) else bisect_right(starts, end) - 1
        return make_source_range(self.source.path, i + 1, start - starts[i], j + 1, end - starts[j])

    def merge(self, *ranges: SourceRange) -> SourceRange:
        spans = [self.span_of_range(r) for r in ranges if r is not None]
        return self.to_range((min(s for s, _ in spans), max(e for _, e in spans)))

    def span_of_range(self, r: SourceRange) -> Span:
        return (self.source.offset(r.start_line, r.start_col),
                self.source.offset(r.end_line if r.end_line is not None else r.start_line,
                                   r.end_col if r.end_col is not None else r.start_col))

    # --- spans -------------------------------------------------------------------

    def span(self, node: ast.AST) -> Span:
        key = id(node)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._compute(node)
            self._cache[key] = cached
        return cached

    def _at(self, line: int, col: int) -> int:
        """SourceFile.offset."""
        starts = self.source._line_starts
        if line - 1 >= len(starts):
            return len(self.source._encoded)
        return starts[line - 1] + col

    def _leaf(self, node: ast.AST, length: int) -> Span:
        start = self._at(node.lineno, node.col_offset)
        return (start, start + length)

    def _merge(self, own: Span, children) -> Span:
        s, e = own
        cache = self._cache
        for child in children:
            if child is None:
                continue
            span = cache.get(id(child))
            if span is None:
                span = self.span(child)
            cs, ce = span
            if cs < s:
                s = cs
            if ce > e:
                e = ce
        return (s, e)

    def _compute(self, node: ast.AST) -> Span:
        rule = _SPAN_RULES.get(type(node))
        if rule is not None:
            return rule(self, node)
        if isinstance(node, ast.stmt):
            own = self._leaf(node, len(_KEYWORDS.get(type(node), " ")))
            return self._merge(own, _child_nodes(node))
        if hasattr(node, "lineno"):
            # Python's own extent for anything torch has no special rule for.
            start = self._at(node.lineno, node.col_offset)
            end = self._at(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)
            return (start, end)
        return (0, 0)

    # expressions: torch/jit/frontend.py ExprBuilder.build_*

    def _span_Name(self, node: ast.Name) -> Span:
        return self._leaf(node, len(node.id))

    def _span_Constant(self, node: ast.Constant) -> Span:
        value = node.value
        if value is None or isinstance(value, bool):
            return self._leaf(node, len(str(value)))
        if isinstance(value, str):
            return self._leaf(node, len(value) + 1)
        if value is Ellipsis:
            return self._leaf(node, 3)
        if isinstance(value, bytes):
            return self._leaf(node, len(str(value)))
        return self._leaf(node, len(str(value)))

    def _span_Attribute(self, node: ast.Attribute) -> Span:
        base = self.span(node.value)
        pos = base[1] + 1  # torch assumes the dot follows the base directly
        while self.source.byte_at(pos) in _WHITESPACE and pos < base[1] + 10_000:
            pos += 1
        return (min(base[0], pos), max(base[1], pos + len(node.attr)))

    def _span_Call(self, node: ast.Call) -> Span:
        return self._merge(self.span(node.func), [*node.args, *(k.value for k in node.keywords)])

    def _span_BinOp(self, node: ast.BinOp) -> Span:
        return self._merge(self.span(node.left), [node.right])

    def _span_UnaryOp(self, node: ast.UnaryOp) -> Span:
        token = _UNARY_TOKENS.get(type(node.op), " ")
        return self._merge(self._leaf(node, len(token)), [node.operand])

    def _span_BoolOp(self, node: ast.BoolOp) -> Span:
        return self._merge(self.span(node.values[0]), node.values[1:])

    def _span_IfExp(self, node: ast.IfExp) -> Span:
        return self._merge(self.span(node.test), [node.body, node.orelse])

    def _span_Compare(self, node: ast.Compare) -> Span:
        return self._merge(self.span(node.left), node.comparators)

    def _span_Subscript(self, node: ast.Subscript) -> Span:
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        return self._merge(self.span(node.value), parts)

    def _span_Slice(self, node: ast.Slice) -> Span:
        # torch gives a slice its base's range merged with its bounds; the
        # base is not known here, so a bare slice spans its own bounds.
        parts = [p for p in (node.lower, node.upper, node.step) if p is not None]
        if not parts:
            start = self._at(node.lineno, node.col_offset)
            return (start, start + 1)
        return self._merge(self.span(parts[0]), parts[1:])

    def _span_List(self, node: ast.List) -> Span:
        return self._merge(self._leaf(node, 1), node.elts)

    def _span_Tuple(self, node: ast.Tuple) -> Span:
        return self._merge(self._leaf(node, 1), node.elts)

    def _span_Set(self, node: ast.Set) -> Span:
        return self._merge(self._leaf(node, 1), node.elts)

    def _span_Dict(self, node: ast.Dict) -> Span:
        return self._merge(self._leaf(node, 1), [*(k for k in node.keys if k is not None), *node.values])

    def _span_JoinedStr(self, node: ast.JoinedStr) -> Span:
        args = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
        return self._merge(self._leaf(node, 1), args)

    def _span_ListComp(self, node: ast.ListComp) -> Span:
        gen = node.generators[0] if node.generators else None
        children = [node.elt] + ([gen.target, gen.iter] if gen else [])
        return self._merge(self._leaf(node, 0), children)

    _span_GeneratorExp = _span_ListComp
    _span_SetComp = _span_ListComp

    def _span_DictComp(self, node: ast.DictComp) -> Span:
        gen = node.generators[0] if node.generators else None
        children = [node.key, node.value] + ([gen.target, gen.iter] if gen else [])
        return self._merge(self._leaf(node, 0), children)

    def _span_Starred(self, node: ast.Starred) -> Span:
        return self._merge(self._leaf(node, 1), [node.value])

    # statements: StmtBuilder.build_*

    def _span_Assign(self, node: ast.Assign) -> Span:
        return self._merge(self.span(node.targets[0]), [*node.targets[1:], node.value])

    def _span_AnnAssign(self, node: ast.AnnAssign) -> Span:
        return self._merge(self.span(node.target), [node.value, node.annotation])

    def _span_AugAssign(self, node: ast.AugAssign) -> Span:
        return self._merge(self.span(node.target), [node.value])

    def _span_Expr(self, node: ast.Expr) -> Span:
        return self.span(node.value)


#: The ``_span_<ast class>`` rule of each ast node type that has one.
_SPAN_RULES = {
    getattr(ast, name[len("_span_"):]): rule
    for name, rule in vars(TorchRanges).items()
    if name.startswith("_span_") and hasattr(ast, name[len("_span_"):])
}


def _child_nodes(node: ast.AST):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.expr, ast.stmt)):
            yield child
