"""Type annotations -> TorchScript types. torch: ScriptTypeParser (script_type_parser.cpp).

Works on the torch tree (:mod:`tree`); names that are not built in are
resolved through the resolver (``resolve_type``), which knows the user's
classes, NamedTuples, enums and interfaces and torch's Python types.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..ir import types as T
from ..schema.model import Argument, FunctionSchema
from . import tree as t
from .errors import CompileError
from .pyworld import MISSING, literal_value

#: torch: string_to_type_lut.
BUILTIN_TYPE_NAMES: dict[str, T.JitType] = {
    "Tensor": T.Tensor, "LongTensor": T.Tensor, "FloatTensor": T.Tensor, "DoubleTensor": T.Tensor,
    "int": T.Int, "float": T.Float, "double": T.Float, "complex": T.Complex, "str": T.Str, "bool": T.Bool,
    "Device": T.Device, "Stream": T.StreamObjType(), "number": T.Number, "None": T.NoneT, "NoneType": T.NoneT,
    "Any": T.Any_, "Capsule": T.CapsuleType(), "list": T.AnyListType(), "tuple": T.AnyTupleType(),
}

_TENSOR_SUBTYPES = {"Tensor", "LongTensor", "FloatTensor", "DoubleTensor"}


class TypeParser:
    def __init__(self, resolver) -> None:
        self.resolver = resolver

    # --- names -------------------------------------------------------------------------

    def base_type_name(self, expr: t.Expr) -> str | None:
        """torch: ScriptTypeParser::parseBaseTypeName."""
        if isinstance(expr, t.Var):
            return expr.name
        if isinstance(expr, t.NoneLiteral):
            return "None"
        if isinstance(expr, t.Select):
            if _is_torch(expr.value) and expr.selector in _TENSOR_SUBTYPES:
                return expr.selector
            return _collect_qualname(expr)
        return None

    # --- types ---------------------------------------------------------------------------

    def parse_type_from_expr(self, expr: t.Expr) -> T.JitType:
        """torch: ScriptTypeParser::parseTypeFromExpr (with the resolver first,
        as torch consults Python's resolution callback for names)."""
        if isinstance(expr, t.Subscript):
            name = self.base_type_name(expr.value)
            if name is None:
                raise CompileError("Subscripted type must be a type identifier", expr.value.range, code="PJ211")
            return self.subscript_to_type(name, expr)
        if isinstance(expr, t.StringLiteral):
            return self.parse_type_from_string(expr)
        if isinstance(expr, t.BinOp) and expr.kind == "|":
            return T.make_union([self.parse_type_from_expr(expr.lhs), self.parse_type_from_expr(expr.rhs)])
        name = self.base_type_name(expr)
        if name is not None:
            resolved = self.resolver.resolve_type(name, expr.range) if self.resolver is not None else None
            if resolved is not None:
                return resolved
            short = name.rsplit(".", 1)[-1] if name.startswith(("typing.", "builtins.")) else name
            builtin = BUILTIN_TYPE_NAMES.get(short)
            if builtin is not None:
                return builtin
            raise CompileError(f"Unknown type name '{name}'", expr.range, code="PJ211")
        raise CompileError(f"Expression of type {type(expr).__name__} cannot be used in a type expression",
                           expr.range, code="PJ211")

    def parse_type_from_string(self, expr: t.StringLiteral) -> T.JitType:
        text = expr.text
        if text.startswith("torch.classes."):
            return T.ClassType("__torch__." + text)
        try:
            parsed = ast.parse(text, mode="eval").body
        except SyntaxError:
            raise CompileError(f"Unknown type name '{text}'", expr.range, code="PJ211") from None
        builder = t.StringAnnotationBuilder(expr.range)
        return self.parse_type_from_expr(builder.build(parsed))

    def subscript_to_type(self, type_name: str, subscript: t.Subscript) -> T.JitType:
        """torch: ScriptTypeParser::subscriptToType."""
        qualified = type_name.startswith(("typing.", "torch.jit.", "builtins."))
        short = type_name.rsplit(".", 1)[-1] if qualified else type_name
        exprs = subscript.subscript_exprs
        if short in ("Tuple", "tuple"):
            if len(exprs) == 1 and isinstance(exprs[0], t.TupleLiteral) and not exprs[0].inputs:
                return T.TupleType(())
            if len(exprs) == 2 and isinstance(exprs[1], t.Dots):
                raise CompileError("Tuple literal types must not be unbounded (Tuple[T, ...] is not supported)",
                                   subscript.range, code="PJ211")
            return T.TupleType(tuple(self.parse_type_from_expr(e) for e in exprs))
        if short in ("List", "list"):
            self._expect_args(subscript, 1, short)
            return T.ListType(self.parse_type_from_expr(exprs[0]))
        if short == "Optional":
            self._expect_args(subscript, 1, short)
            elem = self.parse_type_from_expr(exprs[0])
            if isinstance(elem, T.NoneType):
                raise CompileError("Optional[None] is not a valid type", subscript.range, code="PJ211")
            return T.OptionalType(elem) if not isinstance(elem, T.OptionalType) else elem
        if short == "Union":
            return T.make_union([self.parse_type_from_expr(e) for e in exprs])
        if short in ("Future", "Await", "RRef"):
            self._expect_args(subscript, 1, short)
            elem = self.parse_type_from_expr(exprs[0])
            return {"Future": T.FutureType, "Await": T.AwaitType, "RRef": T.RRefType}[short](elem)
        if short in ("Dict", "dict"):
            self._expect_args(subscript, 2, short)
            key = self.parse_type_from_expr(exprs[0])
            value = self.parse_type_from_expr(exprs[1])
            return T.DictType(key, value)
        if short.startswith("BroadcastingList"):
            parsed = self.parse_broadcast_list(subscript)
            if parsed is not None:
                return parsed[0]
        if short == "Final":
            self._expect_args(subscript, 1, short)
            return self.parse_type_from_expr(exprs[0])
        raise CompileError(f"Unknown type constructor {type_name}", subscript.range, code="PJ211")

    @staticmethod
    def _expect_args(subscript: t.Subscript, n: int, name: str) -> None:
        if len(subscript.subscript_exprs) != n:
            raise CompileError(f"{name} expected exactly {n} subscript type{'s' if n > 1 else ''} but found "
                               f"{len(subscript.subscript_exprs)}", subscript.range, code="PJ211")

    def parse_broadcast_list(self, expr: t.Expr) -> tuple[T.JitType, int] | None:
        """``BroadcastingList2[int]`` (or torch's ``_size_2_t``) as ``(List[int], 2)``: a list
        parameter that also accepts a single value. torch: ScriptTypeParser::parseBroadcastList."""
        if isinstance(expr, t.Var):
            name = expr.name
            if len(name) == 9 and name.startswith("_size_") and name.endswith("_t") and name[6].isdigit():
                return T.ListType(T.Int), int(name[6])
            return None
        if isinstance(expr, t.BinOp) and expr.kind == "|":
            for inner, other in ((expr.lhs, expr.rhs), (expr.rhs, expr.lhs)):
                if isinstance(other, t.NoneLiteral):
                    parsed = self.parse_broadcast_list(inner)
                    if parsed is not None:
                        return T.OptionalType(parsed[0]), parsed[1]
            return None
        if not isinstance(expr, t.Subscript) or not isinstance(expr.value, (t.Var, t.Select)):
            return None
        name = expr.value.name if isinstance(expr.value, t.Var) else expr.value.selector
        exprs = expr.subscript_exprs
        if name == "Optional":
            parsed = self.parse_broadcast_list(exprs[0])
            return (T.OptionalType(parsed[0]), parsed[1]) if parsed is not None else None
        if not name.startswith("BroadcastingList"):
            return None
        if len(exprs) != 1:
            raise CompileError("Expected BroadcastingList/Optional[BroadcastingList] subscript to only have 1 "
                               "subscript", expr.range, code="PJ211")
        elem = self.parse_type_from_expr(exprs[0])
        digits = name[len("BroadcastingList"):]
        if not digits.isdigit():
            raise CompileError(f"Broadcasting list must be a positive integer, found {digits}", expr.range,
                               code="PJ211")
        return T.ListType(elem), int(digits)

    # --- signatures ------------------------------------------------------------------------

    def parse_schema_from_def(self, d: t.Def, skip_self: bool, fn=None) -> FunctionSchema:
        """torch: ScriptTypeParser::parseSchemaFromDef. Unannotated parameters are Tensor."""
        params = d.params[1:] if skip_self else d.params
        arguments = []
        for p in params:
            n = None
            broadcast = self.parse_broadcast_list(p.annotation) if p.annotation is not None else None
            if broadcast is not None:
                type_, n = broadcast
            else:
                type_ = (self.parse_type_from_expr(p.annotation) if p.annotation is not None
                         else T.TensorType.get_inferred())
            arguments.append(Argument(p.name, type_, N=n, kwarg_only=p.kwarg_only))
        returns = ()
        if d.return_type is not None:
            returns = (Argument("", self.parse_type_from_expr(d.return_type)),)
        return FunctionSchema(d.name, "", tuple(arguments), returns)

    def with_defaults(self, d: t.Def, schema: FunctionSchema, skip_self: bool) -> FunctionSchema:
        """The schema with the Python defaults converted to its argument types,
        as torch does after compiling the body. torch: getSchemaWithNameAndDefaults."""
        params = {p.name: p for p in (d.params[1:] if skip_self else d.params)}
        arguments = []
        for arg in schema.arguments:
            p = params.get(arg.name)
            if p is None or p.default is None:
                arguments.append(arg)
                continue
            value = literal_value(p.default)
            if value is MISSING:
                evaluate = getattr(self.resolver, "evaluate_default", None)
                value = evaluate(p.default) if evaluate is not None else MISSING
            if value is MISSING:
                # torch reads the value Python computed; pyjit runs nothing, so it cannot know it.
                raise CompileError(f"pyjit cannot evaluate the default value of parameter '{p.name}' without "
                                   "running code; the function is not analysed", p.range, code="PJ901")
            if isinstance(value, (list, dict)):
                raise CompileError(
                    "Mutable default parameters are not supported because Python binds them to the function and "
                    "they persist across function calls.\n As a workaround, make the default None and instantiate "
                    "the default parameter within the body of the function. Found "
                    f"{type(value).__name__} on parameter {arg.name}", d.range, code="PJ212")
            target = arg.type
            if arg.N and isinstance(target, T.ListType):
                target = target.element  # a broadcasting list's default is one element
            converted = _to_ivalue(value, target)
            if converted is MISSING:
                message = f'Expected a default value of type {_repr(arg.type)} on parameter "{arg.name}".'
                if isinstance(arg.type, T.TensorType) and arg.type.inferred:
                    message += (f'Because "{arg.name}" was not annotated with an explicit type it is assumed to be '
                                "type 'Tensor'.")
                raise CompileError(message, d.range, code="PJ212")
            arguments.append(replace(arg, default_value=converted))
        return replace(schema, arguments=tuple(arguments))


def _repr(t_: T.JitType) -> str:
    if isinstance(t_, T.TensorType) and t_.inferred:
        return "Tensor (inferred)"
    return t_.annotation_str()


def _to_ivalue(value, type_: T.JitType):
    """torch: toIValue(obj, type) for the Python values a default can be."""
    if isinstance(type_, T.OptionalType):
        return None if value is None else _to_ivalue(value, type_.element)
    if isinstance(type_, T.UnionType):
        for m in type_.members:
            got = _to_ivalue(value, m)
            if got is not MISSING:
                return got
        return MISSING
    if isinstance(type_, T.AnyType):
        return value
    if isinstance(type_, T.TensorType):
        return None if value is None else MISSING  # None is an undefined tensor
    if isinstance(type_, T.BoolType):
        return value if isinstance(value, bool) else MISSING
    if isinstance(type_, T.IntType):
        return value if isinstance(value, int) else MISSING
    if isinstance(type_, T.FloatType):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else MISSING
    if isinstance(type_, (T.NumberType,)):
        return value if isinstance(value, (int, float, complex)) else MISSING
    if isinstance(type_, T.ComplexType):
        return complex(value) if isinstance(value, (int, float, complex)) and not isinstance(value, bool) else MISSING
    if isinstance(type_, T.StringType):
        return value if isinstance(value, str) else MISSING
    if isinstance(type_, T.NoneType):
        return None if value is None else MISSING
    if isinstance(type_, T.ListType):
        if not isinstance(value, (list, tuple)):
            return MISSING
        items = [_to_ivalue(v, type_.element) for v in value]
        return MISSING if any(i is MISSING for i in items) else tuple(items)
    if isinstance(type_, T.TupleType):
        if not isinstance(value, tuple) or len(value) != len(type_.elements):
            return MISSING
        items = [_to_ivalue(v, et) for v, et in zip(value, type_.elements, strict=False)]
        return MISSING if any(i is MISSING for i in items) else tuple(items)
    return value


def _is_torch(expr: t.Expr) -> bool:
    return isinstance(expr, t.Var) and expr.name == "torch"


def _collect_qualname(select: t.Select) -> str:
    base = select.value
    if isinstance(base, t.Var):
        return f"{base.name}.{select.selector}"
    if isinstance(base, t.Select):
        return f"{_collect_qualname(base)}.{select.selector}"
    return select.selector
