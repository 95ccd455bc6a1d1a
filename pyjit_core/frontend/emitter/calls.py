"""Calls to IR: arguments, the special forms, closures and ``fork``.

torch: to_ir::emitApplyExpr, getNamedValues, emitAttributes,
emitApplySpecialForm (``annotate``, ``getattr``, ``isinstance``, ``range``,
``enumerate``, ``zip``, ``list()``, ``dict()``, ``fork``...),
emitApplySpecialFormForList/Dict, emitClosure, emitForkExpr
(ir_emitter.cpp). What a callee does with its arguments is its sugared
value's ``call`` (:mod:`..sugared`); builtin overloads are matched in
:mod:`..matching`.
"""

from __future__ import annotations

from collections.abc import Callable

from ...ir import types as T
from ...ir.constants import insert_constant
from ...ir.graph import Block, Value
from ...ir.symbols import Symbol, aten, kinds, prim
from .. import tree as t
from ..errors import CompileError
from ..named_value import NamedValue
from ..sugared import (
    ClassValue,
    IterableTree,
    RangeValue,
    SimpleValue,
    SpecialFormValue,
    SugaredValue,
    create_dict,
    create_list,
    emit_builtin_call,
)
from .base import INT64_MAX, NOT_IN_LOOP, EmitterBase, list_range


class CallEmitter(EmitterBase):
    """Calls: arguments, special forms, closures and ``fork``."""

    def check_apply_num_inputs(self, apply: t.Apply, expected: int) -> None:
        name = apply.callee.name if isinstance(apply.callee, t.Var) else getattr(apply.callee, "selector", "")
        if len(apply.inputs) != expected:
            raise CompileError(f"{name} expected exactly {expected} arguments but found {len(apply.inputs)}",
                               apply.range)
        if apply.attributes:
            raise CompileError(f"{name} takes no keyword arguments", apply.range)

    def get_named_values(self, trees: list[t.Expr], maybe_unpack: bool) -> list[NamedValue]:
        values: list[NamedValue] = []
        for tree in trees:
            if maybe_unpack and isinstance(tree, t.Starred):
                entries = self.emit_sugared_expr(tree.expr, 1).as_tuple(tree.range, self)
                for entry in entries:
                    values.append(NamedValue.of(entry.as_value(tree.range, self), loc=tree.range))
            else:
                values.append(NamedValue.of(self.emit_expr(tree), loc=tree.range))
        return values

    def get_values(self, trees: list[t.Expr], maybe_unpack: bool) -> list[Value]:
        return [nv.value(self.graph) for nv in self.get_named_values(trees, maybe_unpack)]

    def emit_attributes(self, attributes: list[t.Attribute]) -> list[NamedValue]:
        return [NamedValue.of(self.emit_expr(a.value), a.name, a.name_range) for a in attributes]

    def emit_apply_expr(self, apply: t.Apply, n_binders: int, type_hint=None) -> SugaredValue:
        sv = self.emit_sugared_expr(apply.callee, 1)
        loc = apply.callee.range
        if isinstance(sv, SpecialFormValue):
            return self.emit_apply_special_form(sv.form, apply, type_hint)
        args = self.get_named_values(apply.inputs, True)
        kwargs = self.emit_attributes(apply.attributes)
        return sv.call(loc, self, args, kwargs, n_binders)

    def emit_apply_special_form(self, form: Symbol, apply: t.Apply, type_hint=None) -> SugaredValue:
        g = self.graph
        name = form.qual_string()
        if name == "prim::annotate":
            self.check_apply_num_inputs(apply, 2)
            type_ = self.type_parser.parse_type_from_expr(apply.inputs[0])
            expr = self.try_convert_to_type(apply.range, type_, self.emit_expr(apply.inputs[1], type_), True)
            if not T.is_subtype(expr.type, type_):
                raise CompileError(f"expected an expression of type {type_.annotation_str()} but found "
                                   f"{expr.type.annotation_str()}\n", list_range(apply.inputs, apply.range))
            if isinstance(type_, T.OptionalType) and T.is_subtype(expr.type, T.NoneT):
                none = g.insert_node(g.create(kinds.Constant))
                none.output().set_type(type_)
                expr = none.output()
            return SimpleValue(expr)
        if name == "prim::unchecked_cast":
            self.check_apply_num_inputs(apply, 2)
            type_ = self.type_parser.parse_type_from_expr(apply.inputs[0])
            v = self.emit_expr(apply.inputs[1])
            if v.node.kind is not prim("unchecked_cast") or v.type != type_:
                v = self.insert_unchecked_cast(v, type_)
            return SimpleValue(v)
        if name == "prim::GetAttr":
            if not 2 <= len(apply.inputs) <= 3:
                raise CompileError("getattr expected to have number of arguments between 2 and 3 but found "
                                   f"{len(apply.inputs)}", apply.range)
            self.check_apply_num_inputs(apply, len(apply.inputs))
            obj = self.emit_sugared_expr(apply.inputs[0], 1)
            selector = apply.inputs[1]
            if not isinstance(selector, t.StringLiteral):
                raise CompileError("getattr's second argument must be a string literal", apply.range)
            if len(apply.inputs) == 3 and not obj.has_attr(apply.range, self, selector.text):
                return self.emit_sugared_expr(apply.inputs[2], 1)   # torch 2.x: getattr(obj, name, default)
            return obj.attr(apply.range, self, selector.text)
        if name == "prim::Uninitialized":
            self.check_apply_num_inputs(apply, 1)
            type_ = self.type_parser.parse_type_from_expr(apply.inputs[0])
            out = g.insert_node(g.create(kinds.Uninitialized)).set_source_range(apply.range)
            out.output().set_type(type_)
            return SimpleValue(out.output())
        if name == "prim::TupleConstruct":
            self.check_apply_num_inputs(apply, 1)
            arg = self.emit_sugared_expr(apply.inputs[0], 1)
            values = [sv.as_value(apply.range, self) for sv in arg.as_tuple(apply.range, self)]
            return SimpleValue(g.insert_node(g.create_tuple(values)).output())
        if name == "prim::isinstance":
            self.check_apply_num_inputs(apply, 2)
            return SimpleValue(self.emit_is_instance(apply.inputs[0], apply.inputs[1]).value)
        if name == "prim::tolist":
            assert isinstance(apply.callee, t.Select)
            operand = self.emit_sugared_expr(apply.callee.value, 1)
            if type_hint is None:
                raise CompileError("Expected type hint for result of tolist()", apply.range)
            return SimpleValue(self.insert_to_list(operand.as_value(apply.callee.value.range, self), type_hint))
        if name == "prim::HasAttr":
            self.check_apply_num_inputs(apply, 2)
            return SimpleValue(self.emit_has_attr(apply.inputs[0], apply.inputs[1]).value)
        if name == "prim::CreateObject":
            if len(apply.inputs) != 1:
                raise CompileError("Only one argument to __new__ allowed", apply.range)
            arg = self.emit_sugared_expr(apply.inputs[0], 1)
            if not isinstance(arg, ClassValue):
                raise CompileError(f"Expected class value as argument to __new__, got {arg.kind()} instead",
                                   apply.range)
            n = g.insert_node(g.create(prim("CreateObject")))
            n.output().set_type(arg.type)
            return SimpleValue(n.output())
        if name == "prim::range":
            return RangeValue(apply.range, self, self.get_values(apply.inputs, True))
        if name == "prim::enumerate":
            loc = apply.range
            if not apply.inputs:
                raise CompileError("enumerate expected at least 1 arguments, got 0", loc)
            arg_count = len(apply.inputs) + len(apply.attributes)
            if arg_count > 2:
                raise CompileError(f"enumerate expected at most 2 arguments, got {arg_count}", loc)
            start = self.emit_sugared_expr(apply.inputs[1], 1).as_value(loc, self) if len(apply.inputs) == 2 else None
            if apply.attributes:                     # enumerate(xs, start=1)
                keyword = apply.attributes[0]
                if keyword.name != "start":
                    raise CompileError(f"enumerate expected kwarg name 'start', got '{keyword.name}'", loc)
                start = self.emit_sugared_expr(keyword.value, 1).as_value(loc, self)
            range_inputs = ([start] if start is not None else [])
            range_inputs.append(self.materialize_constant(INT64_MAX, loc, self.integral_constants))
            iterable = self.emit_sugared_expr(apply.inputs[0], 1).iter(loc, self)
            tree = IterableTree()
            tree.add_child(loc, self, RangeValue(loc, self, range_inputs, iterable.static_len()))
            tree.add_child(loc, self, iterable)
            return tree
        if name == "prim::zip":
            if not apply.inputs:
                raise CompileError("zip expected at least 1 arguments, got 0", apply.range)
            tree = IterableTree()
            for e in apply.inputs:
                tree.add_child(apply.range, self, self.emit_sugared_expr(e, 1).iter(apply.range, self))
            return tree
        if name == "prim::list":
            return self.emit_apply_special_form_for_list(apply, type_hint)
        if name == "prim::dict":
            return self.emit_apply_special_form_for_dict(apply, type_hint)
        if name == "prim::fork":
            if not apply.inputs:
                raise CompileError("Expected at least one argument to fork()", apply.range)
            forked = self.emit_sugared_expr(apply.inputs[0], 1)
            args = self.get_named_values(apply.inputs[1:], True)
            kwargs = self.emit_attributes(apply.attributes)
            return self.emit_fork_expr(apply.range, forked, args, kwargs)
        raise CompileError(f"unknown special form: {name}", apply.range, code="PJ900")

    def emit_apply_special_form_for_list(self, apply: t.Apply, type_hint=None) -> SugaredValue:
        g = self.graph
        if not apply.inputs:
            type_ = type_hint if type_hint is not None else T.ListType(T.Tensor)
            if not isinstance(type_, T.ListType):
                raise CompileError(f"Expected list type annotation for list(), found {type_hint.annotation_str()}",
                                   apply.range)
            return SimpleValue(g.insert_node(create_list(g, type_.element, [])).output())
        self.check_apply_num_inputs(apply, 1)
        iter_input = self.emit_sugared_expr(apply.inputs[0], 1)
        if isinstance(iter_input, SimpleValue) and isinstance(iter_input.value.type, (T.ListType, T.StringType)):
            return SimpleValue(emit_builtin_call(apply.range, g, aten("list"), [NamedValue.of(iter_input.value)]))
        iter_name = self.create_temp_name("$_iter")
        self.env.set_sugared_var(apply.range, iter_name, iter_input, None)
        elem_name = self.create_temp_name("$_elem")
        ident = t.Var(apply.range, elem_name)
        lc = t.ListComp(apply.range, ident, ident, t.Var(apply.range, iter_name))
        return SimpleValue(self.emit_list_comprehension(lc, type_hint))

    def emit_apply_special_form_for_dict(self, apply: t.Apply, type_hint=None) -> SugaredValue:
        g = self.graph

        def add_kwargs(dc_value: Value) -> None:
            self_nv = NamedValue.of(dc_value, "self", apply.range)
            for kw in apply.attributes:
                k = self.emit_expr(t.StringLiteral(kw.name_range, kw.name))
                v = self.emit_expr(kw.value)
                emit_builtin_call(kw.name_range, g, aten("_set_item"), [self_nv, NamedValue.of(k), NamedValue.of(v)])

        if apply.inputs:
            first = self.emit_sugared_expr(apply.inputs[0], 1)
            if isinstance(first, SimpleValue) and isinstance(first.value.type, T.DictType):
                dc = emit_builtin_call(apply.range, g, aten("dict"), [NamedValue.of(first.value)])
                add_kwargs(dc)
                return SimpleValue(dc)
        inputs = list(apply.inputs)
        attributes = list(apply.attributes)
        empty = (not inputs and attributes) \
            or (inputs and isinstance(inputs[0], t.DictLiteral) and not inputs[0].key_inputs) \
            or (inputs and isinstance(inputs[0], t.ListLiteral) and not inputs[0].inputs)
        if empty:
            inputs = []
        if not inputs and not attributes:
            type_ = type_hint if type_hint is not None else T.DictType(T.Str, T.Tensor)
            if not isinstance(type_, T.DictType):
                raise CompileError(f"Expected a type annotation of Dict for dict constructor dict(), got "
                                   f"{type_hint.str()}", apply.range)
            return SimpleValue(g.insert_node(create_dict(g, type_.key, type_.value, [], [])).output())
        if inputs and isinstance(inputs[0], t.DictComp):
            dc = self.emit_dict_comprehension(inputs[0], type_hint)
            add_kwargs(dc)
            return SimpleValue(dc)
        if inputs and isinstance(inputs[0], t.DictLiteral):
            lit = inputs[0]
            pairs = zip(lit.key_inputs, lit.value_inputs, strict=False)
            zipped = [t.TupleLiteral(apply.range, [k, v]) for k, v in pairs]
            inputs = [t.ListLiteral(apply.range, zipped)]
        if attributes and (not inputs or isinstance(inputs[0], t.ListLiteral)):
            exprs = list(inputs[0].inputs) if inputs else []
            for a in attributes:
                exprs.append(t.TupleLiteral(apply.range, [t.StringLiteral(apply.range, a.name), a.value]))
            inputs = [t.ListLiteral(apply.range, exprs)]
            attributes = []
        rebuilt = t.Apply(apply.range, apply.callee, inputs, attributes)
        self.check_apply_num_inputs(rebuilt, 1)
        iter_input = self.emit_sugared_expr(inputs[0], 1)
        iter_name = self.create_temp_name("$_iter")
        key_name = self.create_temp_name("$_key")
        value_name = self.create_temp_name("$_value")
        key, value = t.Var(apply.range, key_name), t.Var(apply.range, value_name)
        target = t.TupleLiteral(apply.range, [key, value])
        self.env.set_sugared_var(apply.range, iter_name, iter_input, None)
        dc = t.DictComp(apply.range, key, value, target, t.Var(apply.range, iter_name))
        out = self.emit_dict_comprehension(dc, type_hint)
        add_kwargs(out)
        return SimpleValue(out)

    def insert_to_list(self, v: Value, type_hint: T.JitType) -> Value:
        g = self.graph
        elem = type_hint
        dim = 0
        while isinstance(elem, T.ListType):
            elem = elem.element
            dim += 1
        elem_kind = (0 if isinstance(elem, T.IntType) else 1 if isinstance(elem, T.FloatType)
                     else 2 if isinstance(elem, T.BoolType) else 3)
        dim_v = insert_constant(g, dim)
        kind_v = insert_constant(g, elem_kind)
        n = g.insert_node(g.create(prim("tolist"), [v, dim_v, kind_v]))
        n.output().set_type(type_hint)
        return n.output()

    def emit_closure(self, emit_body: Callable[[Block], None]) -> Value:
        """A ``prim::Closure`` whose block the body fills. torch: to_ir::emitClosure."""
        g = self.graph
        closure = g.insert_node(g.create(prim("Closure"), [], 1))
        closure.output().set_type(T.NoneT)
        block = closure.add_block()
        old_status, self.loop_status = self.loop_status, NOT_IN_LOOP
        try:
            with g.inserting_before(block):
                self.push_frame(block, starts_def=True)
                emit_body(block)
                self.pop_frame(ends_def=True)
        finally:
            self.loop_status = old_status
        return closure.output()

    def emit_fork_expr(self, loc, forked: SugaredValue, args, kwargs) -> SugaredValue:
        """``torch.jit.fork(fn, *args)``: a forkClosure over a closure calling fn.
        torch: to_ir::emitForkExpr."""
        g = self.graph
        fork = g.insert_node(g.create(prim("forkClosure"), [], 1).set_source_range(loc))
        out_type: list[T.JitType] = [T.Tensor]
        with g.inserting_before(fork):
            def body(block: Block) -> None:
                out = forked.call(loc, self, args, kwargs, 1).as_value(loc, self)
                block.register_output(out)
                out_type[0] = out.type

            fork.add_input(self.emit_closure(body))
        fork.output().set_type(T.FutureType(out_type[0]))
        return SimpleValue(fork.output())
