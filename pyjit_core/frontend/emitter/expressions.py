"""Expressions to IR: names, operators, constants, list/tuple/dict displays, comprehensions.

torch: to_ir::getSugaredVar, emitExpr, emitSugaredExpr, emitSimpleExpr,
emitUnaryOp, emitBinaryOp, emitConst, emitTernaryIf, emitListLiteral,
emitDictLiteral, emitListComprehension, emitDictComprehension
(ir_emitter.cpp). Calls are in :mod:`.calls`, subscripts in
:mod:`.indexing`, conditions in :mod:`.refinement`.
"""

from __future__ import annotations

from ...ir import types as T
from ...ir.constants import insert_constant
from ...ir.graph import Value
from ...ir.symbols import Symbol, aten, kinds, prim
from ...passes.constant_propagation import run_node_if_inputs_are_constant
from .. import tree as t
from ..conversions import create_tuple_unpack
from ..errors import CompileError
from ..named_value import NamedValue
from ..sugared import (
    BuiltinFunction,
    ClassValue,
    NamedTupleConstructor,
    SimpleValue,
    SugaredValue,
    create_dict,
    create_list,
    emit_builtin_call,
)
from .base import EmitterBase, anchored, magic_method, unify_type_list

BINARY_KINDS = {
    "+": "aten::add", "-": "aten::sub", "*": "aten::mul", "**": "aten::pow", "@": "aten::matmul",
    "/": "aten::div", "%": "aten::remainder", "!=": "aten::ne", "==": "aten::eq", "<": "aten::lt",
    ">": "aten::gt", "<=": "aten::le", ">=": "aten::ge", "and": "aten::__and__", "or": "aten::__or__",
    "is": "aten::__is__", "is not": "aten::__isnot__", "not": "aten::__not__", "//": "aten::floordiv",
    "<<": "aten::__lshift__", ">>": "aten::__rshift__", "&": "aten::__and__", "|": "aten::__or__",
    "^": "aten::__xor__", "in": "aten::__contains__",
}


BINARY_MAGIC = {
    "+": "__add__", "-": "__sub__", "*": "__mul__", "**": "__pow__", "/": "__truediv__",
    "%": "__mod__", "!=": "__ne__", "==": "__eq__", "<": "__lt__", ">": "__gt__", "<=": "__le__",
    ">=": "__ge__", "&": "__and__", "|": "__or__", "^": "__xor__", "in": "__contains__",
    "<<": "__lshift__", ">>": "__rshift__",
}


class ExpressionEmitter(EmitterBase):
    """Expressions: names, operators, constants, displays, comprehensions."""

    def get_sugared_var(self, name: str, range, required: bool = True) -> SugaredValue | None:
        found = self.env.find_in_any_frame(name)
        if found is None:
            found = self.globals.get(name)
        if found is None:
            type_ = self.resolver.resolve_type(name, range)
            if isinstance(type_, T.TupleType) and type_.fields is not None:
                found = NamedTupleConstructor(type_, self.resolver.named_tuple_schema(type_))
        if found is None:
            found = self.resolver.resolve_value(name, self, range)
        if found is None:
            type_ = self.resolver.resolve_type(name, range)
            if isinstance(type_, T.ClassType):
                found = ClassValue(type_)
        if found is None and required:
            self.env.throw_var_not_found(name, range)
        return found

    def get_var(self, name: str, range) -> Value:
        return self.get_sugared_var(name, range).as_value(range, self)

    def emit_expr(self, expr: t.Expr, type_hint: T.JitType | None = None) -> Value:
        out = self.emit_sugared_expr(expr, 1, type_hint).as_value(expr.range, self)
        if isinstance(type_hint, T.AnyType) and not isinstance(out.type, T.AnyType):
            out = self.insert_unchecked_cast(out, type_hint)
        return out

    def emit_sugared_expr(self, expr: t.Expr, n_binders: int, type_hint: T.JitType | None = None) -> SugaredValue:
        if isinstance(expr, t.Var):
            return self.get_sugared_var(expr.name, expr.range)
        if isinstance(expr, t.Select):
            sv = self.emit_sugared_expr(expr.value, 1)
            return sv.attr(expr.range, self, expr.selector)
        if isinstance(expr, t.Apply):
            return self.emit_apply_expr(expr, n_binders, type_hint)
        if isinstance(expr, t.Subscript):
            return self.emit_subscript(expr, type_hint)
        return SimpleValue(self.emit_simple_expr(expr, type_hint))

    def emit_unary_op(self, expr: t.UnaryOp, magic: str, op: Symbol) -> Value:
        named = self.get_named_values([expr.operand], False)
        val = magic_method(magic, BuiltinFunction(op)).call(expr.range, self, named, [], 0).as_value(expr.range, self)
        if val.node.kind is not op:
            return val

        folded = run_node_if_inputs_are_constant(val.node)
        if folded is None:
            return val
        return insert_constant(self.graph, folded[0], expr.range)

    def emit_binary_op(self, expr: t.BinOp) -> Value:
        kind = Symbol(BINARY_KINDS[expr.kind])
        overload = BINARY_MAGIC[expr.kind]
        named = self.get_named_values([expr.lhs, expr.rhs], False)
        if expr.kind == "in":
            named.reverse()
        if kind == aten("add") and all(isinstance(n.type(), T.TupleType) for n in named):
            # tuple + tuple: no schema can say the lengths, so torch concatenates here
            elements = [e for n in named for e in create_tuple_unpack(n.value(self.graph))]
            return self.graph.insert_node(self.graph.create_tuple(elements)).output()
        called = magic_method(overload, BuiltinFunction(kind)).call(expr.range, self, named, [], 0)
        return called.as_value(expr.range, self)

    def emit_simple_expr(self, expr: t.Expr, type_hint=None) -> Value:
        g = self.graph
        if isinstance(expr, t.BinOp):
            if expr.kind in ("//", "@"):
                named = self.get_named_values([expr.lhs, expr.rhs], False)
                return emit_builtin_call(expr.range, g, Symbol(BINARY_KINDS[expr.kind]), named)
            if expr.kind == "%":
                lhs = self.emit_sugared_expr(expr.lhs, 0).as_value(expr.lhs.range, self)
                if isinstance(lhs.type, T.StringType):
                    values = [lhs, self.emit_expr(expr.rhs)]
                    n = g.insert_node(g.create(aten("percentFormat"), values).set_source_range(expr.range))
                    n.output().set_type(T.Str)
                    return n.output()
                named = [NamedValue.of(lhs, loc=expr.lhs.range),
                         NamedValue.of(self.emit_expr(expr.rhs), loc=expr.rhs.range)]
                remainder = magic_method("__mod__", BuiltinFunction(aten("remainder")))
                return remainder.call(expr.range, self, named, [], 0).as_value(expr.range, self)
            if expr.kind in ("is", "is not", "and", "or"):
                return self.emit_cond_expr(expr).value
            return self.emit_binary_op(expr)
        if isinstance(expr, t.UnaryOp):
            if expr.kind == "not":
                return self.emit_cond_expr(expr).value
            if expr.kind == "-":
                return self.emit_unary_op(expr, "__neg__", aten("neg"))
            if expr.kind == "~":
                return self.emit_unary_op(expr, "__invert__", aten("bitwise_not"))
        if isinstance(expr, t.Starred):
            raise CompileError("Unexpected starred expansion. File a bug report", expr.range)
        if isinstance(expr, t.Const):
            return self.emit_const(expr)
        if isinstance(expr, t.TrueLiteral):
            return insert_constant(g, True, expr.range)
        if isinstance(expr, t.FalseLiteral):
            return insert_constant(g, False, expr.range)
        if isinstance(expr, t.NoneLiteral):
            return insert_constant(g, None, expr.range)
        if isinstance(expr, t.TernaryIf):
            return self.emit_ternary_if(expr, type_hint)
        if isinstance(expr, t.StringLiteral):
            return insert_constant(g, expr.text, expr.range)
        if isinstance(expr, t.ListLiteral):
            return self.emit_list_literal(expr, type_hint)
        if isinstance(expr, t.TupleLiteral):
            values = self.get_values(expr.inputs, True)
            return anchored(g.insert_node(g.create_tuple(values)), expr.range).output()
        if isinstance(expr, t.DictLiteral):
            return self.emit_dict_literal(expr, type_hint)
        if isinstance(expr, t.ListComp):
            return self.emit_list_comprehension(expr, type_hint)
        if isinstance(expr, t.DictComp):
            return self.emit_dict_comprehension(expr, type_hint)
        if isinstance(expr, t.Dots):
            raise CompileError("Cannot emit expr for: ...", expr.range)
        raise CompileError(f"Cannot emit expr for: {type(expr).__name__}", expr.range)

    def emit_const(self, c: t.Const) -> Value:
        v = c.value
        if isinstance(v, complex):
            return insert_constant(self.graph, v, c.range)
        if isinstance(v, float):
            return self.materialize_constant(v, c.range, self.fp_constants)
        return self.materialize_constant(v, c.range, self.integral_constants)

    def emit_ternary_if(self, expr: t.TernaryIf, type_hint=None) -> Value:
        cond = self.emit_cond_expr(expr.cond)
        if cond.static_if is not None:
            return self.emit_expr(expr.true_expr if cond.static_if else expr.false_expr, type_hint)
        return self.emit_if_expr(expr.range, cond, lambda: self.emit_expr(expr.true_expr, type_hint),
                                 lambda: self.emit_expr(expr.false_expr, type_hint))

    def emit_list_literal(self, ll: t.ListLiteral, type_hint=None) -> Value:
        g = self.graph
        values = self.get_values(ll.inputs, True)
        elem: T.JitType = T.Tensor
        if type_hint is not None:
            if isinstance(type_hint, T.ListType):
                elem = type_hint.element
            else:
                raise CompileError(f"Expected a List type hint but instead got {type_hint.annotation_str()}", ll.range)
        elif values:
            unified = unify_type_list([v.type for v in values], default_to_union=True)
            if unified is None:
                raise CompileError("Lists must contain only a single type\n", ll.range, code="PJ222")
            elem = unified
        for v in values:
            if not T.is_subtype(v.type, elem):
                raise CompileError(f"Lists must contain only a single type, expected: {elem.annotation_str()} but "
                                   f"found {v.type.annotation_str()} instead.\n", ll.range, code="PJ222")
        return anchored(g.insert_node(create_list(g, elem, values)), ll.range).output()

    def emit_dict_literal(self, dl: t.DictLiteral, type_hint=None) -> Value:
        g = self.graph
        keys, values = [], []
        for k, v in zip(dl.key_inputs, dl.value_inputs, strict=False):
            keys.append(self.emit_expr(k))
            values.append(self.emit_expr(v))
        if isinstance(type_hint, T.DictType):
            key_type, value_type = type_hint.key, type_hint.value
        elif not keys:
            key_type, value_type = T.Str, T.Tensor
        else:
            # Several key or value types unify to a Union (torch 2.x).
            key_type = unify_type_list([k.type for k in keys], default_to_union=True)
            value_type = unify_type_list([v.type for v in values], default_to_union=True)
        for what, typ, vals, trees in (("keys", key_type, keys, dl.key_inputs),
                                       ("values", value_type, values, dl.value_inputs)):
            for v, tree in zip(vals, trees, strict=False):
                if not T.is_subtype(v.type, typ):
                    raise CompileError(f"Dict {what} must contain only a single type, expected: {typ.annotation_str()} "
                                       f"but found {v.type.annotation_str()} instead.\n", tree.range, code="PJ222")
        return anchored(g.insert_node(create_dict(g, key_type, value_type, keys, values)), dl.range).output()

    def emit_list_comprehension(self, lc: t.ListComp, type_hint=None) -> Value:
        g = self.graph
        loc = lc.range
        list_node = anchored(g.insert_node(g.create(kinds.ListConstruct)), loc)
        list_value = list_node.output().set_type(T.ListType(T.Tensor))
        type_set = False
        if type_hint is not None:
            if not isinstance(type_hint, T.ListType):
                raise CompileError(f"Expected list type annotation for list comprehension, found "
                                   f"{type_hint.annotation_str()}", loc)
            list_value.set_type(type_hint)
            type_set = True
        n = g.insert_node(g.create(prim("ComprehensionScope"), [], 0).set_source_range(loc))
        block = n.add_block()
        self.push_frame(block)
        state = {"type_set": type_set}

        def emit_body() -> None:
            out = self.emit_expr(lc.elt)
            if not state["type_set"]:
                list_value.set_type(T.ListType(out.type))
                state["type_set"] = True
            emit_builtin_call(loc, g, aten("append"), [NamedValue.of(out, loc=loc)], [],
                              NamedValue.of(list_value, "self", loc))

        with g.inserting_before(block):
            self.emit_for_common([lc.target], [lc.iter], loc, emit_body)
        self.pop_frame()
        return list_value

    def emit_dict_comprehension(self, dc: t.DictComp, type_hint=None) -> Value:
        g = self.graph
        loc = dc.range
        dict_value = anchored(g.insert_node(g.create(kinds.DictConstruct)), loc).output()
        dict_value.set_type(T.DictType(T.Str, T.Tensor))
        state = {"type_set": False}
        if type_hint is not None:
            if not isinstance(type_hint, T.DictType):
                raise CompileError(f"Expected Dict type annotation for dict comprehension, found "
                                   f"{type_hint.annotation_str()}", loc)
            dict_value.set_type(type_hint)
            state["type_set"] = True
        n = g.insert_node(g.create(prim("ComprehensionScope"), [], 0).set_source_range(loc))
        block = n.add_block()
        self.push_frame(block)

        def emit_body() -> None:
            k = self.emit_expr(dc.key)
            v = self.emit_expr(dc.value)
            if not state["type_set"]:
                dict_value.set_type(T.DictType(k.type, v.type))
                state["type_set"] = True
            emit_builtin_call(loc, g, aten("_set_item"), [NamedValue.of(dict_value, "self", loc),
                                                          NamedValue.of(k, loc=loc), NamedValue.of(v, loc=loc)])

        with g.inserting_before(block):
            self.emit_for_common([dc.target], [dc.iter], loc, emit_body)
        self.pop_frame()
        return dict_value
