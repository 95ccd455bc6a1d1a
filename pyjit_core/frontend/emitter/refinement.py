"""Conditions and the refinements they carry (Optional, isinstance, hasattr).

torch: ``Refinement``, ``RefinementSet``, ``CondValue`` and to_ir's
``emitCondExpr``, ``emitShortCircuitLogical``, ``emitIfExpr``,
``emitIsInstance``, ``emitHasAttr``, ``insertRefinements`` (ir_emitter.cpp).
``x is None`` and ``isinstance(x, T)`` refine ``x`` in each branch; a
condition the types decide (``static_if``) emits only the branch taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...ir import types as T
from ...ir.attributes import AttributeKind
from ...ir.constants import constant_value, insert_constant
from ...ir.graph import Block, Node, Value
from ...ir.symbols import Symbol, aten, kinds, prim
from .. import tree as t
from ..errors import CompileError
from ..named_value import NamedValue
from ..sugared import SpecialFormValue, emit_builtin_call
from .base import EmitterBase, unify_type_list
from .expressions import BINARY_KINDS


@dataclass(frozen=True)
class Refinement:
    identifier: str
    type: T.JitType


@dataclass(frozen=True)
class RefinementSet:
    true_refinements: tuple[Refinement, ...] = ()
    false_refinements: tuple[Refinement, ...] = ()

    def and_(self, rhs: RefinementSet) -> RefinementSet:
        return RefinementSet(_union(self.true_refinements, rhs.true_refinements),
                             _intersect(self.false_refinements, rhs.false_refinements))

    def or_(self, rhs: RefinementSet) -> RefinementSet:
        return RefinementSet(_intersect(self.true_refinements, rhs.true_refinements),
                             _union(self.false_refinements, rhs.false_refinements))

    def not_(self) -> RefinementSet:
        return RefinementSet(self.false_refinements, self.true_refinements)

    def active(self) -> tuple[Refinement, ...]:
        return self.true_refinements


def _union(a, b):
    result = list(a)
    for r in b:
        existing = next((i for i, e in enumerate(result) if e.identifier == r.identifier), None)
        if existing is None:
            result.append(r)
        elif result[existing].type != r.type:
            del result[existing]
    return tuple(result)


def _intersect(a, b):
    return tuple(r for r in a if any(e.identifier == r.identifier and e.type == r.type for e in b))


@dataclass
class CondValue:
    value: Value
    refinements: RefinementSet = field(default_factory=RefinementSet)
    static_if: bool | None = None


class RefinementEmitter(EmitterBase):
    """Conditions: their values, what they prove about variables, and the
    branches they pick statically. torch: to_ir::emitCondExpr and friends."""

    def insert_refinements(self, loc, refinements: RefinementSet) -> None:
        for r in refinements.active():
            v = self.get_var(r.identifier, loc)
            new_v = self.insert_unchecked_cast(v, r.type)
            self.env.set_var(loc, r.identifier, new_v)

    def emit_cond_expr(self, expr: t.Expr) -> CondValue:
        if isinstance(expr, t.BinOp) and expr.kind in ("and", "or"):
            return self.emit_short_circuit_logical(expr.range, expr.lhs, expr.rhs, expr.kind == "or")
        if isinstance(expr, t.UnaryOp) and expr.kind == "not":
            v = self.emit_cond_expr(expr.operand)
            result = emit_builtin_call(expr.range, self.graph, aten("__not__"), [NamedValue.of(v.value)])
            static = None if v.static_if is None else not v.static_if
            return CondValue(result, v.refinements.not_(), static)
        if isinstance(expr, t.BinOp) and expr.kind in ("is", "is not"):
            lhs_val = self.emit_expr(expr.lhs)
            rhs_val = self.emit_expr(expr.rhs)
            lhs_none = _can_be_none(lhs_val)
            rhs_none = _can_be_none(rhs_val)
            its_is = expr.kind == "is"
            if lhs_none == "always" and rhs_none == "always":
                return CondValue(insert_constant(self.graph, its_is, expr.range), RefinementSet(), its_is)
            if (lhs_none, rhs_none) in (("always", "never"), ("never", "always")):
                return CondValue(insert_constant(self.graph, not its_is, expr.range), RefinementSet(), not its_is)
            value = emit_builtin_call(expr.range, self.graph, Symbol(BINARY_KINDS[expr.kind]),
                                      [NamedValue.of(lhs_val), NamedValue.of(rhs_val)])
            refinements = self.find_is_none_refinements(expr.lhs, lhs_val, expr.rhs, rhs_val, expr.kind)
            return CondValue(value, refinements, None)
        if isinstance(expr, t.Apply):
            callee = expr.callee
            if isinstance(callee, t.Var):
                if callee.name == "isinstance":
                    self.check_apply_num_inputs(expr, 2)
                    return self.emit_is_instance(expr.inputs[0], expr.inputs[1])
                if callee.name == "hasattr":
                    self.check_apply_num_inputs(expr, 2)
                    return self.emit_has_attr(expr.inputs[0], expr.inputs[1])
            sv = self.emit_sugared_expr(callee, 1)
            if isinstance(sv, SpecialFormValue) and sv.form is prim("isinstance"):
                self.check_apply_num_inputs(expr, 2)
                return self.emit_is_instance(expr.inputs[0], expr.inputs[1])
        out = self.emit_to_bool(expr.range, self.emit_expr(expr))
        static = None
        kind = out.node.kind
        if kind is aten("is_scripting"):
            static = True
        elif kind is aten("has_torch_function"):
            static = False
        const = constant_value(out, None) if out.node.kind is kinds.Constant else None
        if const is not None:
            static = bool(const)
        return CondValue(out, RefinementSet(), static)

    def find_is_none_refinements(self, lhs: t.Expr, lhs_value: Value, rhs: t.Expr, rhs_value: Value,
                                 kind: str) -> RefinementSet:
        if not isinstance(rhs, t.NoneLiteral) and isinstance(lhs, t.NoneLiteral):
            return self.find_is_none_refinements(rhs, rhs_value, lhs, lhs_value, kind)
        if not isinstance(rhs, t.NoneLiteral) or not isinstance(lhs, t.Var):
            return RefinementSet()
        if isinstance(lhs_value.type, T.OptionalType):
            present = Refinement(lhs.name, lhs_value.type.element)
            return RefinementSet((), (present,)) if kind == "is" else RefinementSet((present,), ())
        return RefinementSet()

    def emit_short_circuit_logical(self, loc, first: t.Expr, second: t.Expr, is_or: bool) -> CondValue:
        lhs = self.emit_cond_expr(first)
        rhs_holder: list[CondValue] = []

        def const_expr() -> Value:
            return insert_constant(self.graph, is_or, loc)

        def continue_expr() -> Value:
            rhs_holder.append(self.emit_cond_expr(second))
            return rhs_holder[0].value

        if is_or:
            result = self.emit_if_expr(loc, lhs, const_expr, continue_expr)
            rhs = rhs_holder[0]
            refinements = lhs.refinements.or_(rhs.refinements)
            if lhs.static_if is True or rhs.static_if is True:
                static = True
            elif lhs.static_if is not None and rhs.static_if is not None:
                static = lhs.static_if or rhs.static_if
            else:
                static = None
        else:
            result = self.emit_if_expr(loc, lhs, continue_expr, const_expr)
            rhs = rhs_holder[0]
            refinements = lhs.refinements.and_(rhs.refinements)
            if lhs.static_if is False or rhs.static_if is False:
                static = False
            elif lhs.static_if is not None and rhs.static_if is not None:
                static = lhs.static_if and rhs.static_if
            else:
                static = None
        return CondValue(result, refinements, static)

    def emit_if_expr(self, loc, cond: CondValue, true_expr: Callable[[], Value],
                     false_expr: Callable[[], Value]) -> Value:
        g = self.graph
        n = g.insert_node(g.create(kinds.If, [cond.value], 0).set_source_range(loc))
        true_block, false_block = n.add_block(), n.add_block()

        def emit_branch(block: Block, refinements: RefinementSet, make: Callable[[], Value]) -> None:
            self.push_frame(block)
            with g.inserting_before(block):
                self.insert_refinements(loc, refinements)
                out = make()
                block.register_output(out)
            self.pop_frame()

        emit_branch(true_block, cond.refinements, true_expr)
        emit_branch(false_block, cond.refinements.not_(), false_expr)
        tt, ft = true_block.outputs[0].type, false_block.outputs[0].type
        unified = T.unify_types(tt, ft)
        if unified is None:
            raise CompileError(f"if-expression's true branch has type {tt.annotation_str()} but false branch has "
                               f"type {ft.annotation_str()}", loc, code="PJ222")
        return n.add_output(unified)

    def emit_to_bool(self, loc, v: Value) -> Value:
        try:
            out = self.get_sugared_var("bool", loc).call(loc, self, [NamedValue.of(v)], [], 0).as_value(loc, self)
        except CompileError:
            raise CompileError(f"Could not cast value of type {v.type.annotation_str()} to bool", loc,
                               code="PJ230") from None
        if not T.is_subtype(out.type, T.Bool):
            raise CompileError(f"expected a bool expression for condition but found {out.type.annotation_str()}", loc,
                               code="PJ230")
        return out

    def emit_has_attr(self, obj_expr: t.Expr, attr_expr: t.Expr) -> CondValue:
        obj = self.emit_sugared_expr(obj_expr, 1)
        if not isinstance(attr_expr, t.StringLiteral):
            raise CompileError("hasattr's second argument must be a string literal", attr_expr.range)
        has = obj.has_attr(obj_expr.range, self, attr_expr.text)
        return CondValue(insert_constant(self.graph, has, obj_expr.range), RefinementSet(), has)

    def emit_is_instance(self, obj: t.Expr, classinfo: t.Expr) -> CondValue:
        """torch: to_ir::emitIsInstance (the Union-aware version): refine the
        variable to the matching types in the true branch and to the rest in
        the false branch; decide statically when the types allow."""
        lhs_val = self.emit_expr(obj)
        rhs_types: list[T.JitType] = []

        def gather(e: t.Expr) -> None:
            if isinstance(e, t.TupleLiteral):
                for x in e.inputs:
                    gather(x)
                return
            rhs_types.append(self.type_parser.parse_type_from_expr(e))

        gather(classinfo)
        lhs_types = _standardize_for_union([lhs_val.type])
        rhs_std = _standardize_for_union(rhs_types)
        isinstance_types: list[T.JitType] = []
        not_isinstance_types: list[T.JitType] = []
        all_lhs_subtype_some_rhs = True
        for lhs_type in lhs_types:
            if isinstance(lhs_type, T.AnyType):
                isinstance_types.extend(rhs_std)
                not_isinstance_types.append(T.Any_)
                if len(isinstance_types) != 1 or not isinstance(isinstance_types[0], T.AnyType):
                    all_lhs_subtype_some_rhs = False
                break
            found = None
            for rhs_type in rhs_std:
                if T.is_subtype(lhs_type, rhs_type):
                    smaller = lhs_type
                elif T.is_subtype(rhs_type, lhs_type):
                    smaller = rhs_type
                else:
                    continue
                if smaller == lhs_type:
                    found = lhs_type
                elif smaller == rhs_type:
                    found = rhs_type if found is None else T.unify_types(found, rhs_type)
            if found is not None:
                isinstance_types.append(found)
            else:
                not_isinstance_types.append(lhs_type)
                all_lhs_subtype_some_rhs = False
        true_refinements: tuple[Refinement, ...] = ()
        false_refinements: tuple[Refinement, ...] = ()
        if isinstance_types and isinstance(obj, t.Var):
            true_refinements = (Refinement(obj.name, unify_type_list(isinstance_types, default_to_union=True)),)
        if not_isinstance_types and isinstance(obj, t.Var):
            false_refinements = (Refinement(obj.name, unify_type_list(not_isinstance_types, default_to_union=True)),)
        refinement = RefinementSet(true_refinements, false_refinements)
        if all_lhs_subtype_some_rhs:
            return CondValue(insert_constant(self.graph, True, obj.range), refinement, True)
        if not isinstance_types:
            return CondValue(insert_constant(self.graph, False, obj.range), refinement, False)
        g = self.graph
        n = g.insert_node(g.create(prim("isinstance"), [lhs_val]))
        n.set_attr("types", _tys_kind(), tuple(rhs_types))
        n.output().set_type(T.Bool)
        return CondValue(n.output(), refinement, None)


def _can_be_none(v: Value) -> str:
    n = v.node
    if _must_be_none(n):
        return "always"
    if isinstance(v.type, T.OptionalType):
        return "maybe"
    return "never"


def _must_be_none(n: Node) -> bool:
    """torch: Node::mustBeNone."""
    outs = n.outputs
    return (n.kind is prim("AutogradZero")
            or (len(outs) == 1 and outs[0].type == T.NoneT)
            or (n.kind is kinds.Constant and not n.attributes and len(outs) == 1
                and isinstance(outs[0].type, T.OptionalType)))


def _standardize_for_union(types: list[T.JitType]) -> list[T.JitType]:
    """torch: standardizeVectorForUnion -- flatten unions and optionals, drop duplicates."""
    flat: list[T.JitType] = []
    for t_ in types:
        if isinstance(t_, T.UnionType):
            members = list(t_.members)
        elif isinstance(t_, T.OptionalType):
            members = [*_standardize_for_union([t_.element]), T.NoneT]
        else:
            members = [t_]
        for m in members:
            if m not in flat:
                flat.append(m)
    return flat


def _tys_kind():
    return AttributeKind.tys
