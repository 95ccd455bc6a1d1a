"""TorchScript's syntax tree, built from Python's ``ast`` as torch builds it.

torch: torch/jit/frontend.py (``build_def``, ``StmtBuilder``, ``ExprBuilder``)
and the tree views of torch/csrc/jit/frontend/tree_views.h. Building this
tree first, for a whole function, reproduces two things the emitter relies on:
torch rejects unsupported syntax (``try``, ``lambda``, ``*args``...) *before*
it emits anything, with its own messages and keyword ranges; and every tree
node carries torch's source range (see :mod:`ranges`).

Each node keeps the ``ast`` node it came from (``py``), which editors use to
find the token a user points at.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..ir.source_range import SourceRange
from .errors import CompileError
from .ranges import TorchRanges

# --- expressions ----------------------------------------------------------------------


@dataclass(eq=False)
class Expr:
    range: SourceRange
    py: ast.AST | None = field(default=None, repr=False, kw_only=True)


@dataclass(eq=False)
class Var(Expr):
    name: str


@dataclass(eq=False)
class Const(Expr):
    value: int | float | complex   # Python's parsed number


@dataclass(eq=False)
class StringLiteral(Expr):
    text: str


@dataclass(eq=False)
class TrueLiteral(Expr):
    pass


@dataclass(eq=False)
class FalseLiteral(Expr):
    pass


@dataclass(eq=False)
class NoneLiteral(Expr):
    pass


@dataclass(eq=False)
class Dots(Expr):
    pass


@dataclass(eq=False)
class BinOp(Expr):
    """``kind`` is torch's token: ``+ - * / // % ** @ & | ^ << >> == != < > <= >= is is not in and or``."""

    kind: str
    lhs: Expr
    rhs: Expr


@dataclass(eq=False)
class UnaryOp(Expr):
    kind: str           # "not", "-", "~"
    operand: Expr


@dataclass(eq=False)
class TernaryIf(Expr):
    cond: Expr
    true_expr: Expr
    false_expr: Expr


@dataclass(eq=False)
class Apply(Expr):
    callee: Expr
    inputs: list[Expr]
    attributes: list[Attribute]


@dataclass(eq=False)
class Attribute:
    """A keyword argument ``name=value``."""

    name: str
    name_range: SourceRange
    value: Expr


@dataclass(eq=False)
class Select(Expr):
    value: Expr
    selector: str
    selector_range: SourceRange


@dataclass(eq=False)
class SliceExpr(Expr):
    start: Expr | None
    end: Expr | None
    step: Expr | None


@dataclass(eq=False)
class Subscript(Expr):
    value: Expr
    subscript_exprs: list[Expr]
    subscript_range: SourceRange | None = None


@dataclass(eq=False)
class ListLiteral(Expr):
    inputs: list[Expr]


@dataclass(eq=False)
class TupleLiteral(Expr):
    inputs: list[Expr]


@dataclass(eq=False)
class DictLiteral(Expr):
    key_inputs: list[Expr]
    value_inputs: list[Expr]


@dataclass(eq=False)
class ListComp(Expr):
    elt: Expr
    target: Expr
    iter: Expr


@dataclass(eq=False)
class DictComp(Expr):
    key: Expr
    value: Expr
    target: Expr
    iter: Expr


@dataclass(eq=False)
class Starred(Expr):
    expr: Expr


# --- statements -------------------------------------------------------------------------


@dataclass(eq=False)
class Stmt:
    range: SourceRange
    py: ast.AST | None = field(default=None, repr=False, kw_only=True)


@dataclass(eq=False)
class If(Stmt):
    cond: Expr
    true_branch: list[Stmt]
    false_branch: list[Stmt]
    branch_ranges: tuple[SourceRange, SourceRange] | None = None


@dataclass(eq=False)
class While(Stmt):
    cond: Expr
    body: list[Stmt]


@dataclass(eq=False)
class For(Stmt):
    targets: list[Expr]
    itrs: list[Expr]
    body: list[Stmt]


@dataclass(eq=False)
class Assign(Stmt):
    lhs_list: list[Expr]
    rhs: Expr | None
    type: Expr | None = None


@dataclass(eq=False)
class AugAssign(Stmt):
    lhs: Expr
    aug_op: str
    rhs: Expr


@dataclass(eq=False)
class Return(Stmt):
    expr: Expr | None


@dataclass(eq=False)
class Raise(Stmt):
    expr: Expr


@dataclass(eq=False)
class Assert(Stmt):
    test: Expr
    msg: Expr | None


@dataclass(eq=False)
class Pass(Stmt):
    pass


@dataclass(eq=False)
class Break(Stmt):
    pass


@dataclass(eq=False)
class Continue(Stmt):
    pass


@dataclass(eq=False)
class Delete(Stmt):
    targets: list[Expr]


@dataclass(eq=False)
class WithItem:
    range: SourceRange
    target: Expr
    var: Expr | None


@dataclass(eq=False)
class With(Stmt):
    items: list[WithItem]
    body: list[Stmt]


@dataclass(eq=False)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(eq=False)
class PoisonStmt(Stmt):
    """A statement that failed to build (its error is reported); it binds ``names``."""

    names: frozenset[str]


@dataclass(eq=False)
class FunctionDefStmt(Stmt):
    """A nested ``def`` (torch compiles it as a closure)."""

    definition: Def


# --- definitions ---------------------------------------------------------------------------


@dataclass(eq=False)
class Param:
    name: str
    range: SourceRange
    annotation: Expr | None       # None: unannotated
    kwarg_only: bool = False
    default: ast.expr | None = None  # evaluated statically by the compiler


@dataclass(eq=False)
class Def:
    name: str
    name_range: SourceRange
    range: SourceRange
    params: list[Param]
    return_type: Expr | None
    body: list[Stmt]
    py: ast.FunctionDef | None = None
    params_range: SourceRange | None = None
    # Statements torch's frontend rejects (torch reports the first and stops;
    # they stand in the body as PoisonStmts so emission can go on).
    build_errors: list = field(default_factory=list)


# --- the builder -----------------------------------------------------------------------------

_PRETTY = {
    ast.FunctionDef: "function definitions", ast.For: "for loops", ast.Delete: "del statements",
    ast.ClassDef: "class definitions", ast.With: "with statements", ast.Raise: "raise statements",
    ast.Assert: "assertions", ast.Import: "import statements", ast.ImportFrom: "import statements",
    ast.Global: "global variables", ast.Break: "break statements", ast.Continue: "continue statements",
    ast.AsyncFunctionDef: "async function definitions", ast.AsyncFor: "async for loops",
    ast.AsyncWith: "async with statements", ast.Try: "try blocks", ast.Nonlocal: "nonlocal variables",
    ast.AnnAssign: "annotated assignments",
}
if hasattr(ast, "TryStar"):
    _PRETTY[ast.TryStar] = "TryStar"

_BINOPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.Mod: "%",
    ast.FloorDiv: "//", ast.BitAnd: "&", ast.BitXor: "^", ast.BitOr: "|", ast.LShift: "<<",
    ast.RShift: ">>", ast.MatMult: "@",
}
_AUG_OPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%", ast.BitOr: "|",
    ast.BitAnd: "&", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.Pow: "**",
}
_UNOPS = {ast.Not: "not", ast.USub: "-", ast.Invert: "~"}
_BOOLOPS = {ast.And: "and", ast.Or: "or"}
_CMPOPS = {
    ast.Eq: "==", ast.NotEq: "!=", ast.LtE: "<=", ast.Lt: "<", ast.GtE: ">=", ast.Gt: ">",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_RESERVED_PREFIX = "__jit"

TYPE_IGNORE = __import__("re").compile(r"# type:\ ignore(\[[a-zA-Z-]+\])?$")

VARARG_KWARG_ERROR = ("Compiled functions can't take variable number of arguments "
                      "or use keyword-only arguments with defaults")


class TreeBuilder:
    """Python ``ast`` -> TorchScript tree, raising torch's frontend errors."""

    def __init__(self, ranges: TorchRanges, *, funcname: str = "") -> None:
        self.ranges = ranges
        self.funcname = funcname
        self.errors: list[CompileError] = []

    # --- errors ------------------------------------------------------------------------

    def unsupported(self, node: ast.AST, reason: str = "") -> CompileError:
        """torch: UnsupportedNodeError -- the feature name, at its keyword."""
        feature = _PRETTY.get(type(node), type(node).__name__)
        message = f"{feature} {reason + ' ' if reason else ''}aren't supported"
        return CompileError(message, self.ranges.keyword(node), code="PJ101")

    def not_supported(self, range: SourceRange | None, message: str) -> CompileError:
        return CompileError(message, range, code="PJ102")

    # --- definitions --------------------------------------------------------------------

    def build_def(self, node: ast.FunctionDef, def_name: str | None = None, self_name: str | None = None) -> Def:
        r = self.ranges.keyword(node, len("def"))
        params = self.build_params(node.args, self_name)
        return_type = self.build_expr(node.returns) if node.returns is not None else None
        type_line = self.type_line(node)
        if type_line is not None:
            return_type = self.merge_type_comment(node, params, type_line, self_name is not None, return_type)
        body = self.build_stmts(node.body)
        build_errors, self.errors = self.errors, []
        params_range = None
        if node.args.args:
            params_range = self.ranges.merge(*(p.range for p in params))
        return Def(def_name or node.name, r, self.ranges.of(node), params, return_type, body, py=node,
                   params_range=params_range, build_errors=build_errors)

    # --- `# type:` comments (torch: get_type_line, mergeTypesFromTypeComment) -----------------

    def type_line(self, node: ast.FunctionDef) -> tuple[str, SourceRange] | None:
        source = self.ranges.source
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        lines = [(i, source.lines[i - 1]) for i in range(first, (node.end_lineno or node.lineno) + 1)
                 if i - 1 < len(source.lines)]
        found = [(i, text) for i, text in lines if "# type:" in text and not TYPE_IGNORE.search(text)]
        if not found:
            return None
        if len(found) == 1:
            i, text = found[0]
        else:
            ret = next(((i, text) for i, text in found if "# type: (...) -> " in text), None)
            if ret is None:
                raise CompileError("Return type line '# type: (...) -> ...' not found on multiline type "
                                   "annotation\nfor type lines:\n" + "\n".join(text for _, text in found),
                                   self.ranges.keyword(node), code="PJ211")
            params = ", ".join(text[text.find("# type:") + 7:].strip() for i2, text in found
                               if (i2, text) != ret and "# type: (...) -> " not in text)
            i, text = ret[0], ret[1].replace("...", params)
        col = text.find("# type:")
        return text[col:].strip(), self.ranges.source.range(i, col, i, len(text))

    def merge_type_comment(self, node: ast.FunctionDef, params: list[Param], type_line, is_method: bool,
                           return_type: Expr | None) -> Expr | None:
        text, r = type_line
        body = text[len("# type:"):].strip()
        arrow = body.rfind("->")
        if not body.startswith("(") or arrow == -1:
            raise CompileError(f"expected a type comment of the form '# type: (...) -> ...', found '{text}'", r,
                               code="PJ211")
        try:
            args_expr = ast.parse(body[:arrow].strip(), mode="eval").body
            ret_expr = ast.parse(body[arrow + 2:].strip(), mode="eval").body
        except SyntaxError:
            raise CompileError(f"could not parse the type comment '{text}'", r, code="PJ211") from None
        annotations = list(args_expr.elts) if isinstance(args_expr, ast.Tuple) else [args_expr]
        expected = len(params) - (1 if is_method else 0)
        if expected != len(annotations):
            raise CompileError(f"Number of type annotations ({len(annotations)}) did not match the number of "
                               f"{'method' if is_method else 'function'} parameters ({expected})",
                               self.ranges.keyword(node), code="PJ211")
        build = StringAnnotationBuilder(r).build
        for p, a in zip(params[1:] if is_method else params, annotations, strict=False):
            p.annotation = build(a)
        return build(ret_expr)

    def build_params(self, args: ast.arguments, self_name: str | None) -> list[Param]:
        if args.kwarg is not None:
            raise self.not_supported(self._arg_star_range(args.kwarg), VARARG_KWARG_ERROR)
        if args.vararg is not None:
            raise self.not_supported(self._arg_star_range(args.vararg), VARARG_KWARG_ERROR)
        for default in args.kw_defaults:
            if default is not None:
                raise self.not_supported(self.build_expr(default).range, VARARG_KWARG_ERROR)
        positional = list(args.posonlyargs) + list(args.args)
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        params = [self.build_param(a, self_name, False, d) for a, d in zip(positional, defaults, strict=False)]
        params += [self.build_param(a, self_name, True, None) for a in args.kwonlyargs]
        return params

    def _arg_star_range(self, arg: ast.arg) -> SourceRange:
        start = self.ranges.source.offset(arg.lineno, arg.col_offset - 1)
        return self.ranges.to_range((start, start + 1 + len(arg.arg)))

    def build_param(self, arg: ast.arg, self_name: str | None, kwarg_only: bool, default) -> Param:
        r = self.ranges.point(arg, len(arg.arg))
        if arg.annotation is not None:
            annotation: Expr | None = self.build_expr(arg.annotation)
        elif self_name is not None and arg.arg == "self":
            annotation = Var(r, self_name)
        else:
            annotation = None
        return Param(arg.arg, r, annotation, kwarg_only, default)

    # --- statements ---------------------------------------------------------------------

    def build_stmts(self, stmts: list[ast.stmt]) -> list[Stmt]:
        out = []
        for s in stmts:
            try:
                built = self.build_stmt(s)
            except CompileError as e:
                # torch stops here; pyjit records the error, stands the
                # statement in with one that poisons what it would bind, and
                # reports every rejected statement of the function at once.
                self.errors.append(e)
                built = PoisonStmt(self.ranges.keyword(s), _bound_names(s), py=s)
            if built is not None:
                out.append(built)
        return out

    def build_stmt(self, node: ast.stmt) -> Stmt | None:
        method = _STMT_BUILDERS.get(type(node))
        if method is None:
            raise self.unsupported(node)
        return method(self, node)

    def build_Expr(self, node: ast.Expr) -> Stmt | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None  # a docstring
        return ExprStmt(self.ranges.of(node), self.build_expr(node.value), py=node)

    def build_Assign(self, node: ast.Assign) -> Stmt:
        rhs = self.build_expr(node.value)
        lhs = [self.build_expr(t) for t in node.targets]
        return Assign(self.ranges.of(node), lhs, rhs, py=node)

    def build_AnnAssign(self, node: ast.AnnAssign) -> Stmt:
        if node.value is None:
            raise self.unsupported(node, reason="without assigned value")
        target = node.target
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == "self" and self.funcname != "__init__"):
            raise CompileError(
                f"Type annotations on instance attributes must be declared in __init__, not '{self.funcname}'",
                self.ranges.of(node), code="PJ103")
        rhs = self.build_expr(node.value)
        lhs = self.build_expr(target)
        the_type = self.build_expr(node.annotation)
        return Assign(self.ranges.of(node), [lhs], rhs, the_type, py=node)

    def build_Delete(self, node: ast.Delete) -> Stmt:
        return Delete(self.ranges.of(node), [self.build_expr(t) for t in node.targets], py=node)

    def build_Return(self, node: ast.Return) -> Stmt:
        value = self.build_expr(node.value) if node.value is not None else None
        return Return(self.ranges.of(node), value, py=node)

    def build_Raise(self, node: ast.Raise) -> Stmt:
        if node.exc is None:
            # torch's build_expr(None) fails; a bare `raise` is rejected.
            raise CompileError("exceptions must derive from BaseException", self.ranges.keyword(node), code="PJ102")
        return Raise(self.ranges.of(node), self.build_expr(node.exc), py=node)

    def build_Assert(self, node: ast.Assert) -> Stmt:
        test = self.build_expr(node.test)
        msg = self.build_expr(node.msg) if node.msg is not None else None
        return Assert(self.ranges.of(node), test, msg, py=node)

    def build_AugAssign(self, node: ast.AugAssign) -> Stmt:
        lhs = self.build_expr(node.target)
        rhs = self.build_expr(node.value)
        op = _AUG_OPS.get(type(node.op))
        if op is None:
            eq = self.ranges.source.find_before(self.ranges.span(node.value)[0], "=")
            raise self.not_supported(self.ranges.to_range((eq - 1, eq + 1)),
                                     "unsupported kind of augmented assignment: " + type(node.op).__name__)
        return AugAssign(self.ranges.of(node), lhs, op, rhs, py=node)

    def build_While(self, node: ast.While) -> Stmt:
        if node.orelse:
            raise self.not_supported(self.ranges.keyword(node), "else branches of while loops aren't supported")
        return While(self.ranges.of(node), self.build_expr(node.test), self.build_stmts(node.body), py=node)

    def build_For(self, node: ast.For) -> Stmt:
        if node.orelse:
            raise self.not_supported(self.ranges.keyword(node), "else branches of for loops aren't supported")
        return For(self.ranges.of(node), [self.build_expr(node.target)], [self.build_expr(node.iter)],
                   self.build_stmts(node.body), py=node)

    def build_If(self, node: ast.If) -> Stmt:
        return If(self.ranges.of(node), self.build_expr(node.test), self.build_stmts(node.body),
                  self.build_stmts(node.orelse), py=node)

    def build_Pass(self, node: ast.Pass) -> Stmt:
        return Pass(self.ranges.keyword(node), py=node)

    def build_Break(self, node: ast.Break) -> Stmt:
        return Break(self.ranges.keyword(node), py=node)

    def build_Continue(self, node: ast.Continue) -> Stmt:
        return Continue(self.ranges.keyword(node), py=node)

    def build_With(self, node: ast.With) -> Stmt:
        items = []
        for item in node.items:
            r = self.ranges.point(item.context_expr, len("with statements"))
            var = self.build_expr(item.optional_vars) if item.optional_vars is not None else None
            items.append(WithItem(r, self.build_expr(item.context_expr), var))
        return With(self.ranges.of(node), items, self.build_stmts(node.body), py=node)

    def build_FunctionDef(self, node: ast.FunctionDef) -> Stmt:
        # torch's frontend rejects nested function definitions.
        raise self.unsupported(node)

    # --- expressions --------------------------------------------------------------------

    def build_expr(self, node: ast.expr) -> Expr:
        method = _EXPR_BUILDERS.get(type(node))
        if method is None:
            raise self.unsupported(node)
        return method(self, node)

    def expr_Name(self, node: ast.Name) -> Expr:
        r = self.ranges.of(node)
        if node.id.startswith(_RESERVED_PREFIX):
            raise self.not_supported(
                r, "names of variables used in JIT-ed functions can't start with " + _RESERVED_PREFIX)
        if node.id == "True":
            return TrueLiteral(r, py=node)
        if node.id == "False":
            return FalseLiteral(r, py=node)
        if node.id == "None":
            return NoneLiteral(r, py=node)
        if node.id == "Ellipsis":
            return Dots(r, py=node)
        return Var(r, node.id, py=node)

    def expr_Constant(self, node: ast.Constant) -> Expr:
        r = self.ranges.of(node)
        v = node.value
        if v is True:
            return TrueLiteral(r, py=node)
        if v is False:
            return FalseLiteral(r, py=node)
        if v is None:
            return NoneLiteral(r, py=node)
        if isinstance(v, (int, float, complex)):
            return Const(r, v, py=node)
        if isinstance(v, str):
            return StringLiteral(r, v, py=node)
        if v is Ellipsis:
            return Dots(r, py=node)
        raise CompileError("Unknown Constant expression type", r, code="PJ102")

    def expr_Attribute(self, node: ast.Attribute) -> Expr:
        base = self.build_expr(node.value)
        full = self.ranges.of(node)
        sel_start = self.ranges.span(node)[1] - len(node.attr)
        sel = self.ranges.to_range((sel_start, sel_start + len(node.attr)))
        return Select(full, base, node.attr, sel, py=node)

    def expr_Call(self, node: ast.Call) -> Expr:
        func = self.build_expr(node.func)
        args = [self.build_expr(a) for a in node.args]
        kwargs = []
        for kw in node.keywords:
            value = self.build_expr(kw.value)
            if not kw.arg:
                raise self.not_supported(value.range, "keyword-arg expansion is not supported")
            kwargs.append(Attribute(kw.arg, value.range, value))
        return Apply(self.ranges.of(node), func, args, kwargs, py=node)

    def expr_BinOp(self, node: ast.BinOp) -> Expr:
        lhs = self.build_expr(node.left)
        rhs = self.build_expr(node.right)
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise self.not_supported(self.ranges.between(node.left, node.right),
                                     "unsupported binary operator: " + type(node.op).__name__)
        return BinOp(self.ranges.of(node), op, lhs, rhs, py=node)

    def expr_UnaryOp(self, node: ast.UnaryOp) -> Expr:
        operand = self.build_expr(node.operand)
        op = _UNOPS.get(type(node.op))
        if op is None:
            raise self.not_supported(self.ranges.of(node), "unsupported unary operator: " + type(node.op).__name__)
        return UnaryOp(self.ranges.of(node), op, operand, py=node)

    def expr_BoolOp(self, node: ast.BoolOp) -> Expr:
        subs = [self.build_expr(v) for v in node.values]
        op = _BOOLOPS[type(node.op)]
        lhs = subs[0]
        for _py_rhs, rhs in zip(node.values[1:], subs[1:], strict=False):
            lhs = BinOp(self.ranges.merge(lhs.range, rhs.range), op, lhs, rhs, py=node)
        return lhs

    def expr_IfExp(self, node: ast.IfExp) -> Expr:
        return TernaryIf(self.ranges.of(node), self.build_expr(node.test), self.build_expr(node.body),
                         self.build_expr(node.orelse), py=node)

    def expr_Compare(self, node: ast.Compare) -> Expr:
        operands = [self.build_expr(e) for e in [node.left, *node.comparators]]
        result: Expr | None = None
        for lhs, op, rhs in zip(operands, node.ops, operands[1:], strict=False):
            token = _CMPOPS.get(type(op))
            between = self.ranges.to_range((self.ranges.span_of_range(lhs.range)[1],
                                            self.ranges.span_of_range(rhs.range)[0]))
            merged = self.ranges.merge(lhs.range, rhs.range)
            if token is None:
                raise self.not_supported(between, "unsupported comparison operator: " + type(op).__name__)
            if token == "not in":
                inner = BinOp(merged, "in", lhs, rhs, py=node)
                cmp: Expr = UnaryOp(self.ranges.merge(between, merged), "not", inner, py=node)
            else:
                cmp = BinOp(merged, token, lhs, rhs, py=node)
            if result is not None:
                cmp = BinOp(self.ranges.merge(result.range, cmp.range), "and", result, cmp, py=node)
            result = cmp
        assert result is not None
        return result

    def expr_Subscript(self, node: ast.Subscript) -> Expr:
        base = self.build_expr(node.value)
        index = node.slice
        if isinstance(index, ast.Tuple):
            indices = [self._slice(base, e) if isinstance(e, ast.Slice) else self.build_expr(e) for e in index.elts]
            if not indices:
                start = self.ranges.source.offset(index.lineno, index.col_offset)
                indices.append(TupleLiteral(self.ranges.to_range((start, start + 2)), [], py=index))
            return Subscript(self.ranges.of(node), base, indices, py=node)
        if isinstance(index, ast.Slice):
            return Subscript(self.ranges.of(node), base, [self._slice(base, index)], py=node)
        return Subscript(self.ranges.of(node), base, [self.build_expr(index)], py=node)

    def _slice(self, base: Expr, s: ast.Slice) -> Expr:
        lower = self.build_expr(s.lower) if s.lower is not None else None
        upper = self.build_expr(s.upper) if s.upper is not None else None
        step = self.build_expr(s.step) if s.step is not None else None
        r = self.ranges.merge(base.range, *(p.range for p in (lower, upper, step) if p is not None))
        return SliceExpr(r, lower, upper, step, py=s)

    def expr_List(self, node: ast.List) -> Expr:
        return ListLiteral(self.ranges.of(node), [self.build_expr(e) for e in node.elts], py=node)

    def expr_Tuple(self, node: ast.Tuple) -> Expr:
        return TupleLiteral(self.ranges.of(node), [self.build_expr(e) for e in node.elts], py=node)

    def expr_Dict(self, node: ast.Dict) -> Expr:
        r = self.ranges.of(node)
        if node.keys and node.keys[0] is None:
            raise self.not_supported(self.ranges.point(node), "Dict expansion (e.g. `{**dict}`) is not supported")
        return DictLiteral(r, [self.build_expr(k) for k in node.keys], [self.build_expr(v) for v in node.values],
                           py=node)

    def expr_JoinedStr(self, node: ast.JoinedStr) -> Expr:
        text = ""
        args = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                r = self.ranges.point(value)
                if value.conversion != -1:
                    raise self.not_supported(r, "Don't support conversion in JoinedStr")
                if value.format_spec is not None:
                    raise self.not_supported(r, "Don't support formatting in JoinedStr")
                text += "{}"
                args.append(self.build_expr(value.value))
            elif isinstance(value, ast.Constant):
                text += value.value
            else:
                raise self.not_supported(self.ranges.point(value), "Unsupported value in JoinedStr")
        r = self.ranges.point(node)
        literal = StringLiteral(r, text, py=node)
        callee = Select(r, literal, "format", r, py=node)
        return Apply(self.ranges.of(node), callee, args, [], py=node)

    def _comprehension(self, node) -> tuple[ast.comprehension, SourceRange]:
        r = self.ranges.point(node, 0)
        if len(node.generators) != 1:
            raise self.not_supported(r, "Only a single generator is currently supported")
        if node.generators[0].ifs:
            raise self.not_supported(r, "Comprehension ifs are not supported yet")
        return node.generators[0], r

    def expr_ListComp(self, node: ast.ListComp) -> Expr:
        gen, _ = self._comprehension(node)
        return ListComp(self.ranges.of(node), self.build_expr(node.elt), self.build_expr(gen.target),
                        self.build_expr(gen.iter), py=node)

    expr_GeneratorExp = expr_ListComp

    def expr_DictComp(self, node: ast.DictComp) -> Expr:
        gen, _ = self._comprehension(node)
        return DictComp(self.ranges.of(node), self.build_expr(node.key), self.build_expr(node.value),
                        self.build_expr(gen.target), self.build_expr(gen.iter), py=node)

    def expr_Starred(self, node: ast.Starred) -> Expr:
        return Starred(self.ranges.of(node), self.build_expr(node.value), py=node)


def _builders(prefix: str) -> dict[type, Any]:
    """TreeBuilder's ``<prefix><ast class>`` methods by ast class (a dict
    lookup per node instead of building the method's name)."""
    return {getattr(ast, name[len(prefix):]): method for name, method in vars(TreeBuilder).items()
            if name.startswith(prefix) and isinstance(getattr(ast, name[len(prefix):], None), type)}


_STMT_BUILDERS = _builders("build_")
_EXPR_BUILDERS = _builders("expr_")


def _bound_names(node: ast.stmt) -> frozenset[str]:
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(n.name)
        elif isinstance(n, ast.alias):
            names.add((n.asname or n.name).split(".")[0])
    return frozenset(names)


def walk_exprs(stmts: list[Stmt]) -> list[Any]:
    """Every expression in a statement list (for tooling)."""
    out: list[Any] = []

    def visit(obj):
        if isinstance(obj, (Expr, Stmt)):
            out.append(obj)
        if isinstance(obj, (Expr, Stmt, Attribute, WithItem)):
            for name in obj.__dataclass_fields__:
                if name in ("range", "py"):
                    continue
                visit(getattr(obj, name))
        elif isinstance(obj, list):
            for x in obj:
                visit(x)

    visit(stmts)
    return out


class StringAnnotationBuilder:
    """Builds tree nodes for a forward-reference annotation (``"Optional[Foo]"``)
    without positions of its own: every node gets the string's range."""

    def __init__(self, range) -> None:
        self.range = range

    def build(self, node: ast.expr) -> Expr:
        r = self.range
        if isinstance(node, ast.Name):
            return Var(r, node.id)
        if isinstance(node, ast.Constant) and node.value is None:
            return NoneLiteral(r)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return StringLiteral(r, node.value)
        if isinstance(node, ast.Attribute):
            return Select(r, self.build(node.value), node.attr, r)
        if isinstance(node, ast.Subscript):
            index = node.slice
            parts = index.elts if isinstance(index, ast.Tuple) else [index]
            built = [self.build(p) for p in parts]
            if isinstance(index, ast.Tuple) and not index.elts:
                built = [TupleLiteral(r, [])]
            return Subscript(r, self.build(node.value), built)
        if isinstance(node, ast.Tuple):
            return TupleLiteral(r, [self.build(e) for e in node.elts])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return BinOp(r, "|", self.build(node.left), self.build(node.right))
        raise CompileError(f"Unknown type name '{ast.unparse(node)}'", r, code="PJ211")
