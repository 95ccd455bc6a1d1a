"""Assignments to IR: plain, annotated, chained, tuple and starred unpacking, augmented.

torch: to_ir::emitAssignment, emitSingleAssignment, emitTupleAssign,
emitExprsAssign, emitSubscriptAssign, emitAugAssignment and its helpers
(ir_emitter.cpp).
"""

from __future__ import annotations

from ...ir import types as T
from ...ir.graph import Value
from ...ir.symbols import Symbol, aten, prim
from .. import tree as t
from ..errors import CompileError
from ..named_value import NamedValue
from ..sugared import (
    BuiltinFunction,
    MethodValue,
    SugaredValue,
    create_list,
    emit_builtin_call,
    insert_op,
)
from .base import EmitterBase, list_range, magic_method


class AssignmentEmitter(EmitterBase):
    """``=`` and ``op=`` to variables, tuples, attributes and subscripts."""

    def validate_assign_lhs_expr(self, lhs: list[t.Expr], r) -> bool:
        normal = starred = 0
        for a in lhs:
            if isinstance(a, (t.Var, t.Subscript, t.TupleLiteral, t.Select)):
                normal += 1
            elif isinstance(a, t.Starred):
                starred += 1
            else:
                raise CompileError("lhs of assignment must be a variable, subscript, or starred expression", a.range)
        if starred > 1:
            raise CompileError("Only one starred expression is allowed on the lhs", r)
        if starred > 0 and normal == 0:
            raise CompileError("A Starred expression may only appear on the lhs within the presence of another "
                               "non-starred expression", r)
        return starred > 0

    def emit_Assign(self, stmt: t.Assign) -> None:
        if len(stmt.lhs_list) == 1:
            self.emit_single_assignment(stmt)
            return
        tmp = self.create_temp_name("$tmp_assign_")
        self.env.set_sugared_var(stmt.rhs.range, tmp, self.emit_sugared_expr(stmt.rhs, 1), None)
        ident = t.Var(stmt.rhs.range, tmp)
        for target in stmt.lhs_list:
            self.emit_single_assignment(t.Assign(stmt.range, [target], ident))

    def emit_single_assignment(self, stmt: t.Assign) -> None:
        if stmt.rhs is None:
            raise CompileError("For an assignment, expected an expression on the right-hand side", stmt.range)
        lhs = stmt.lhs_list[0]
        rhs = stmt.rhs
        if isinstance(lhs, t.Var):
            type_ = self.type_parser.parse_type_from_expr(stmt.type) if stmt.type is not None else None
            value = self.emit_sugared_expr(rhs, 1, type_)
            self.env.set_sugared_var(lhs.range, lhs.name, value, type_)
        elif isinstance(lhs, t.TupleLiteral):
            self.emit_tuple_assign(lhs, rhs)
        elif isinstance(lhs, t.Select):
            self.emit_select_assign(stmt)
        elif isinstance(lhs, t.Subscript):
            self.emit_subscript_assign(stmt.range, lhs, NamedValue.of(self.emit_expr(rhs), loc=rhs.range))
        else:
            raise CompileError("unexpected expression on left-hand side of assignment", lhs.range)

    def emit_select_assign(self, stmt: t.Assign) -> None:
        type_hint = self.type_parser.parse_type_from_expr(stmt.type) if stmt.type is not None else None
        lhs = stmt.lhs_list[0]
        obj = self.emit_sugared_expr(lhs.value, 1)
        rhs = self.emit_sugared_expr(stmt.rhs, 1, type_hint).as_value(stmt.rhs.range, self)
        obj.set_attr(stmt.range, self, lhs.selector, rhs)

    def emit_tuple_assign(self, tl: t.TupleLiteral, rhs: t.Expr) -> None:
        n_binders = len(tl.inputs)
        starred = self.validate_assign_lhs_expr(tl.inputs, tl.range)
        if starred:
            n_binders -= 1
        output = self.emit_sugared_expr(rhs, n_binders)
        self.emit_tuple_assign_values(tl, output, rhs.range, n_binders, starred)

    def emit_tuple_assign_values(self, tl: t.TupleLiteral, rhs_output: SugaredValue, rhs_loc, n_binders: int,
                                 starred: bool) -> None:
        outputs = rhs_output.as_tuple(rhs_loc, self, None if starred else n_binders)
        if len(outputs) < n_binders:
            raise CompileError(f"need {'at least ' if starred else ''}{n_binders} values to unpack but found only "
                               f"{len(outputs)}", tl.range)
        if len(outputs) > n_binders and not starred:
            raise CompileError(f"too many values to unpack: need {n_binders} but found {len(outputs)}", tl.range)
        self.emit_exprs_assign(tl.inputs, outputs, rhs_loc, n_binders)

    def emit_exprs_assign(self, lhs_exprs: list[t.Expr], outputs: list[SugaredValue], rhs_loc, n_binders: int) -> None:
        i = 0
        for assignee in lhs_exprs:
            if isinstance(assignee, t.Subscript):
                value = NamedValue.of(outputs[i].as_value(rhs_loc, self), loc=rhs_loc)
                self.emit_subscript_assign(rhs_loc, assignee, value)
                i += 1
            elif isinstance(assignee, t.Var):
                self.env.set_sugared_var(assignee.range, assignee.name, outputs[i], None)
                i += 1
            elif isinstance(assignee, t.Starred):
                var = assignee.expr
                if not isinstance(var, t.Var):
                    raise CompileError("Cannot pack a tuple into a non-variable", var.range)
                n_matched = len(outputs) - n_binders
                values = [o.as_value(assignee.range, self) for o in outputs[i:i + n_matched]]
                tup = self.graph.insert_node(self.graph.create_tuple(values)).output()
                self.env.set_var(var.range, var.name, tup)
                i += n_matched
            elif isinstance(assignee, t.Select):       # self.a, self.b = ...
                obj = self.emit_sugared_expr(assignee.value, 1)
                obj.set_attr(rhs_loc, self, assignee.selector, outputs[i].as_value(rhs_loc, self))
                i += 1
            elif isinstance(assignee, t.TupleLiteral):
                sub_n = len(assignee.inputs)
                sub_starred = self.validate_assign_lhs_expr(assignee.inputs, assignee.range)
                if sub_starred:
                    sub_n -= 1
                self.emit_tuple_assign_values(assignee, outputs[i], rhs_loc, sub_n, sub_starred)
                i += 1
            else:
                raise CompileError("unexpected expression on the left-hand side", assignee.range)

    def emit_subscript_assign(self, stmt_range, lhs: t.Subscript, rhs: NamedValue) -> None:
        g = self.graph
        sliceable = self.emit_expr(lhs.value)
        if T.is_subtype(sliceable.type, T.Tensor):
            sliced, tensor_indices = self.emit_int_and_slice_indexing(lhs.range, sliceable, lhs.subscript_exprs)
            sliced_arg = NamedValue.of(sliced, loc=lhs.range)
            converted = self.emit_value_to_tensor(rhs, sliced_arg)
            if not tensor_indices:
                insert_op(g, aten("copy_"), [sliced_arg, converted], [], stmt_range)
            else:
                indices = g.insert_node(create_list(g, T.OptionalType(T.Tensor), tensor_indices)).output()
                insert_op(g, aten("index_put_"), [sliced_arg, NamedValue.of(indices), converted], [], stmt_range)
            return
        subscript = lhs.subscript_exprs
        if len(subscript) != 1 or isinstance(subscript[0], t.SliceExpr):
            raise CompileError("Sliced expression not yet supported for subscripted assignment. File a bug if you "
                               "want this", list_range(subscript, lhs.range), code="PJ104")
        if T.is_subtype(sliceable.type, T.AnyTupleType()):
            raise CompileError(f"{sliceable.type.annotation_str()} does not support subscripted assignment", lhs.range)
        args = [NamedValue.of(sliceable, "self", lhs.value.range),
                NamedValue.of(self.emit_expr(subscript[0]), "idx", list_range(subscript, lhs.range)), rhs]
        magic_method("__setitem__", BuiltinFunction(aten("_set_item"))).call(stmt_range, self, args, [], 0)

    def emit_value_to_tensor(self, value: NamedValue, match_type_of: NamedValue) -> NamedValue:
        t_ = value.type()
        if isinstance(t_, (T.NumberType, T.IntType, T.BoolType, T.FloatType)):
            g = self.graph
            dtype = insert_op(g, prim("dtype"), [match_type_of])
            device = insert_op(g, prim("device"), [match_type_of])
            converted = insert_op(g, aten("tensor"), [value],
                                  [NamedValue.of(dtype, "dtype"), NamedValue.of(device, "device")])
            return NamedValue.of(converted, loc=value.loc)
        return value

    def emit_AugAssign(self, stmt: t.AugAssign) -> None:
        lhs = stmt.lhs
        if isinstance(lhs, t.Var):
            lhs_value = self.emit_expr(lhs)
            result = self.emit_aug_assignment_helper(stmt, lhs_value)
            self.env.set_var(lhs.range, lhs.name, result)
        elif isinstance(lhs, t.Select):
            obj = self.emit_sugared_expr(lhs.value, 1)
            lhs_value = obj.attr(lhs.range, self, lhs.selector).as_value(lhs.range, self)
            result = self.emit_aug_assignment_helper(stmt, lhs_value)
            obj.set_attr(stmt.range, self, lhs.selector, result)
        elif isinstance(lhs, t.Subscript):
            self.emit_aug_assignment_to_subscript(stmt)
        else:
            raise CompileError("unexpected expression on left-hand side of augmented assignment", lhs.range)

    @staticmethod
    def get_aug_op(stmt: t.AugAssign, type_: T.JitType) -> Symbol:
        inplace = T.is_subtype(type_, T.Tensor) or isinstance(type_, T.ListType)
        ops = {
            "+": ("aten::add_", "aten::add"), "-": ("aten::sub_", "aten::sub"), "/": ("aten::div_", "aten::div"),
            "*": ("aten::mul_", "aten::mul"), "%": ("aten::fmod_", "aten::fmod"),
            "|": ("aten::bitwise_or", "aten::__or__"), "&": ("aten::bitwise_and", "aten::__and__"),
            "^": ("aten::bitwise_xor", "aten::__xor__"), "<<": ("aten::__lshift__", "aten::__lshift__"),
            ">>": ("aten::__irshift__", "aten::__rshift__"), "**": ("aten::pow", "aten::pow"),
        }
        pair = ops.get(stmt.aug_op)
        if pair is None:
            raise CompileError(f"Unknown augmented assignment: {stmt.aug_op}", stmt.range)
        return Symbol(pair[0] if inplace else pair[1])

    def emit_aug_assignment_helper(self, stmt: t.AugAssign, lhs: Value) -> Value:
        if isinstance(lhs.type, T.ClassType):
            names = {"+": ("__iadd__", "__add__"), "-": ("__isub__", "__sub__"), "/": ("__itruediv__", "__truediv__"),
                     "*": ("__imul__", "__mul__"), "%": ("__imod__", "__mod__")}
            if stmt.aug_op not in names:
                raise CompileError(f"Unknown augmented assignment: {stmt.aug_op}", stmt.range)
            inplace, outplace = names[stmt.aug_op]
            rhs = self.emit_expr(stmt.rhs)
            info = self.unit.class_info(lhs.type)
            if info is not None and inplace in info.methods:
                name = inplace
            elif info is not None and outplace in info.methods:
                name = outplace
            else:
                raise CompileError(f"Cannot emit inplace op on {lhs.type.annotation_str()} since it does not define "
                                   f"an {inplace} or {outplace} method", stmt.range)
            called = MethodValue(lhs, [name]).call(stmt.range, self, [NamedValue.of(rhs)], [], 0)
            return called.as_value(stmt.range, self)
        rhs = NamedValue.of(self.emit_expr(stmt.rhs), loc=stmt.rhs.range)
        return emit_builtin_call(stmt.range, self.graph, self.get_aug_op(stmt, lhs.type), [NamedValue.of(lhs), rhs])

    def emit_aug_assignment_to_subscript(self, stmt: t.AugAssign) -> None:
        g = self.graph
        lhs = stmt.lhs
        assert isinstance(lhs, t.Subscript)
        sliceable = self.emit_expr(lhs.value)
        if T.is_subtype(sliceable.type, T.Tensor):
            sliced, tensor_indices = self.emit_int_and_slice_indexing(lhs.range, sliceable, lhs.subscript_exprs)
            sliced_arg = NamedValue.of(sliced, "self", lhs.range)
            rhs = NamedValue.of(self.emit_expr(stmt.rhs), loc=stmt.rhs.range)
            if not tensor_indices:
                emit_builtin_call(stmt.range, g, self.get_aug_op(stmt, sliceable.type), [rhs], [], sliced_arg)
            else:
                indices = g.insert_node(create_list(g, T.OptionalType(T.Tensor), tensor_indices)).output()
                indexed = insert_op(g, aten("index"), [sliced_arg, NamedValue.of(indices)], [], stmt.range)
                augmented = emit_builtin_call(stmt.range, g, self.get_aug_op(stmt, sliceable.type), [rhs], [],
                                              NamedValue.of(indexed))
                insert_op(g, aten("index_put_"), [sliced_arg, NamedValue.of(indices), NamedValue.of(augmented)], [],
                          stmt.range)
            return
        exprs = lhs.subscript_exprs
        type_ = sliceable.type
        if len(exprs) != 1:
            raise CompileError(f"Sliced expression not yet supported for {type_.annotation_str()} augmented "
                               "assignment. File a bug if you want this", list_range(exprs, lhs.range))
        elem = type_.element if isinstance(type_, T.ListType) else type_.key if isinstance(type_, T.DictType) else None
        if elem is None:
            raise CompileError(f"{type_.annotation_str()} does not support augmented assignment.", lhs.range)
        idx = self.emit_expr(exprs[0])
        container = NamedValue.of(sliceable, type_.str(), lhs.value.range)
        idx_arg = NamedValue.of(idx, "idx", list_range(exprs, lhs.range))
        value_arg = NamedValue.of(self.emit_expr(stmt.rhs), "value", stmt.rhs.range)
        got = insert_op(g, aten("__getitem__"), [container, idx_arg], [], stmt.range)
        aug = insert_op(g, self.get_aug_op(stmt, elem), [NamedValue.of(got), value_arg], [], stmt.range)
        insert_op(g, aten("_set_item"), [container, idx_arg, NamedValue.of(aug)], [], stmt.range)
