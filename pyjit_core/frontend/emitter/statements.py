"""Statements to IR: blocks, ``if``, loops, ``with``, ``return``, ``raise``, ``assert``, ``del``.

torch: to_ir::emitStatements, emitIf/emitIfElseBlocks, emitLoopCommon,
emitUnrolledLoop, emitFor, emitWhile, emitWith, emitReturn, emitRaise,
emitAssert, emitDelete (ir_emitter.cpp). Assignments are in
:mod:`.assignments`. Unlike torch, an error in one statement does not end
the function: the names it would have bound are poisoned and emission goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ...ir import types as T
from ...ir.constants import insert_constant
from ...ir.graph import Block, Node, Value
from ...ir.symbols import aten, kinds, prim
from .. import tree as t
from ..environment import Environment
from ..errors import CompileError, Poisoned
from ..named_value import NamedValue
from ..sugared import (
    ExceptionMessageValue,
    ExceptionValue,
    MethodValue,
    PoisonValue,
    SimpleValue,
    SugaredValue,
    insert_op,
)
from .base import IN_LOOP, IN_UNROLLED_LOOP, INT64_MAX, NOT_IN_LOOP, EmitterBase, deferred, list_range
from .refinement import CondValue, RefinementSet


class StatementEmitter(EmitterBase):
    """Statements: blocks with error recovery, control flow, loops, ``with``,
    ``return``/``raise``/``assert``/``del``. torch: to_ir::emitStatements and the
    ``emit<Stmt>`` methods it dispatches to."""

    def emit_statements(self, stmts: Sequence[t.Stmt]) -> None:
        for stmt in stmts:
            method = getattr(self, "emit_" + type(stmt).__name__)
            if not self.recover:
                method(stmt)
            else:
                # Keep going after an error, as far as is sound: the names the
                # failed statement would have bound become poisoned, and any
                # later statement that uses them is skipped without a word.
                graph_insert_point = self.graph.insert_point
                env = self.env
                try:
                    method(stmt)
                except CompileError as e:
                    self.recovered.append(e)
                    self._recover(stmt, env, graph_insert_point)
                except Poisoned:
                    self._recover(stmt, env, graph_insert_point)
            if id(self.env.block) in self.exit_blocks:
                return

    def _recover(self, stmt: t.Stmt, env: Environment, insert_point: Node) -> None:
        # An exception may unwind out of nested frames and insert points.
        while self.environment_stack is not env and self.environment_stack is not None:
            self.pop_frame()
        self.graph.set_insert_point(insert_point)
        for name in _assigned_names(stmt):
            self.poison(name)

    def poison(self, name: str) -> None:
        env = self.env
        while env.next is not None:
            env = env.next
        env.value_table[name] = PoisonValue()
        for frame in _frames(self.env):
            frame.type_table.pop(name, None)

    def emit_ExprStmt(self, stmt: t.ExprStmt) -> None:
        self.emit_sugared_expr(stmt.expr, 0)

    def emit_Pass(self, stmt: t.Pass) -> None:
        pass

    def emit_PoisonStmt(self, stmt: t.PoisonStmt) -> None:
        """A statement the tree builder rejected (already reported)."""
        for name in stmt.names:
            self.poison(name)

    def emit_FunctionDefStmt(self, stmt) -> None:
        raise CompileError("function definitions aren't supported", stmt.range, code="PJ101")

    def check_break_continue(self, loc, name: str) -> None:
        if self.loop_status == NOT_IN_LOOP:
            raise CompileError(f"SyntaxError: '{name}' outside loop", loc)
        if self.loop_status == IN_UNROLLED_LOOP:
            raise CompileError("Because we emit iteration over modulelists or tuples as unrolled loops, we do not "
                               "support break or continue inside the body of these loops", loc, code="PJ104")

    def emit_Break(self, stmt: t.Break) -> None:
        self.check_break_continue(stmt.range, "break")
        self.graph.insert_node(self.graph.create(prim("BreakStmt"), [], 0).set_source_range(stmt.range))

    def emit_Continue(self, stmt: t.Continue) -> None:
        self.check_break_continue(stmt.range, "continue")
        self.graph.insert_node(self.graph.create(prim("ContinueStmt"), [], 0).set_source_range(stmt.range))

    def emit_Delete(self, stmt: t.Delete) -> None:
        for target in stmt.targets:
            if isinstance(target, t.Subscript):
                if isinstance(target.subscript_exprs[0], t.SliceExpr):
                    raise CompileError("del statements only support deletion at a single index, slicing is not "
                                       "supported (see https://github.com/pytorch/pytorch/issues/31430)",
                                       target.range, code="PJ104")
                sv = self.emit_sugared_expr(target.value, 1)
                idx = self.emit_expr(target.subscript_exprs[0])
                val = sv.as_value(target.value.range, self)
                if isinstance(val.type, T.ClassType):
                    info = self.unit.class_info(val.type)
                    if info is None or "__delitem__" not in info.methods:
                        raise CompileError("Class does not define __delitem__", target.range)
                    MethodValue(val, ["__delitem__"]).call(stmt.range, self, [NamedValue.of(idx)], [], 0)
                else:
                    n = self.graph.create(aten("Delete"), [val, idx], 0).set_source_range(target.range)
                    self.graph.insert_node(n)
            elif isinstance(target, t.Var):
                self.env.remove_var(target.name, target.range, check_if_removed=True)
            else:
                raise CompileError("del statements are only supported for deleting list and dict items and "
                                   "variables", target.range, code="PJ104")

    def emit_Return(self, stmt: t.Return) -> None:
        result_type = self.def_stack[-1].declared_return_type
        expr = stmt.expr if stmt.expr is not None else t.NoneLiteral(stmt.range)
        result = self.emit_expr(expr, result_type)
        if result_type is not None:
            if not (T.is_subtype(result_type, T.Tensor) and T.is_subtype(result.type, T.NoneT)):
                result = self.try_convert_to_type(stmt.range, result_type, result, True)
            if not T.is_subtype(result.type, result_type):
                raise CompileError(f"Return value was annotated as having type {result_type.annotation_str()} but "
                                   f"is actually of type {result.type.annotation_str()}", stmt.range, code="PJ221")
        else:
            result_type = self.def_stack[-1].merged_return_type or result.type
            merged = T.unify_types(result_type, result.type)
            if merged is None:
                raise CompileError(f"Previous return statement returned a value of type {result_type.annotation_str()} "
                                   f"but this return statement returns a value of type {result.type.annotation_str()}",
                                   stmt.range, code="PJ221")
            result_type = merged
        self.def_stack[-1].merged_return_type = result_type
        if isinstance(result_type, T.AnyType) and not isinstance(result.type, T.AnyType):
            result = self.insert_unchecked_cast(result, result_type)
        self.graph.insert_node(self.graph.create(prim("ReturnStmt"), [result], 0))
        self.exit_blocks.add(id(self.env.block))

    def emit_Raise(self, stmt: t.Raise) -> None:
        sv = self.emit_sugared_expr(stmt.expr, 1)
        qualified_class_name = None
        if isinstance(sv, ExceptionMessageValue):
            message = sv.value
            qualified_class_name = sv.qualified_class_name
        elif isinstance(sv, ExceptionValue):
            message = insert_constant(self.graph, "", stmt.range)
        else:
            raise CompileError("exceptions must derive from BaseException", stmt.range)
        if not T.is_subtype(message.type, T.Str):
            message = insert_op(self.graph, aten("str"), [NamedValue.of(message)])
        args = [NamedValue.of(message)]
        if qualified_class_name is not None:
            args.append(NamedValue.of(qualified_class_name))
        insert_op(self.graph, prim("RaiseException"), args, [], stmt.range)
        self.exit_blocks.add(id(self.env.block))

    def emit_Assert(self, stmt: t.Assert) -> None:
        cond = self.emit_cond_expr(stmt.test)
        message = stmt.msg if stmt.msg is not None else t.StringLiteral(stmt.range, "")
        callee = t.Var(stmt.range, "AssertionError")
        apply = t.Apply(stmt.range, callee, [message], [])
        false_branch = [t.Raise(stmt.range, apply)]
        self.emit_if_else_blocks(stmt.range, cond, [], false_branch)

    # --- if -----------------------------------------------------------------------------

    def emit_If(self, stmt: t.If) -> None:
        cond = self.emit_cond_expr(stmt.cond)
        self.emit_if_else_blocks(stmt.range, cond, stmt.true_branch, stmt.false_branch)

    def emit_single_if_branch(self, block: Block, branch, refinements: RefinementSet, loc) -> Environment:
        self.push_frame(block)
        with self.graph.inserting_before(block):
            self.insert_refinements(loc, refinements)
            self.emit_statements(branch)
        return self.pop_frame()

    def emit_if_else_blocks(self, loc, cond: CondValue, true_branch, false_branch) -> None:
        g = self.graph
        if cond.static_if is not None:
            if cond.static_if:
                self.insert_refinements(loc, cond.refinements)
                self.emit_statements(true_branch)
            else:
                self.insert_refinements(loc, cond.refinements.not_())
                self.emit_statements(false_branch)
            return
        n = g.insert_node(g.create(kinds.If, [cond.value], 0).set_source_range(loc))
        true_block, false_block = n.add_block(), n.add_block()
        save_true = self.emit_single_if_branch(true_block, true_branch, cond.refinements, loc)
        save_false = self.emit_single_if_branch(false_block, false_branch, cond.refinements.not_(), loc)
        true_exits = id(true_block) in self.exit_blocks
        false_exits = id(false_block) in self.exit_blocks
        if true_exits and false_exits:
            self.exit_blocks.add(id(n.owning_block))

        mutated: set[str] = set()
        for v in save_true.defined_variables():
            with g.inserting_before(false_block):
                if save_false.find_in_any_frame(v) is not None or false_exits:
                    mutated.add(v)
                else:
                    self.env.set_variable_type_error(v, deferred(f"{v} is not defined in the false branch", loc))
        for v in save_false.defined_variables():
            with g.inserting_before(true_block):
                if save_true.find_in_any_frame(v) is not None or true_exits:
                    mutated.add(v)
                else:
                    self.env.set_variable_type_error(v, deferred(f"{v} is not defined in the true branch", loc))

        for x in sorted(mutated):
            tv = fv = None
            with g.inserting_before(true_block):
                if not true_exits:
                    tv = save_true.find_in_any_frame(x).as_value(loc, self)
            with g.inserting_before(false_block):
                if not false_exits:
                    fv = save_false.find_in_any_frame(x).as_value(loc, self)
            if true_exits and false_exits:
                continue
            if true_exits:
                tv = self._uninitialized_store(true_block, x, fv.type)
            elif false_exits:
                fv = self._uninitialized_store(false_block, x, tv.type)
            # A variable declared a Union (Optional, number) outside may hold either branch's type
            # (refined in each, as `isinstance` does). torch: emitIfElseBlocks' default_to_union.
            full_type = self.env.find_type_in_any_frame(x)
            default_to_union = isinstance(full_type, (T.UnionType, T.OptionalType, T.NumberType))
            unified = T.unify_types(tv.type, fv.type, default_to_union=default_to_union)
            if unified is None:
                message = (f"Type mismatch: {x} is set to type {tv.type.annotation_str()} in the true branch and type "
                           f"{fv.type.annotation_str()} in the false branch")
                if save_true.find_in_parent_frame(x) is not None or save_false.find_in_parent_frame(x) is not None:
                    raise CompileError(message, loc, code="PJ222")
                self.env.set_variable_type_error(x, deferred(message, loc, code="PJ222"))
                continue
            self.env.set_type(x, unified)

    def _uninitialized_store(self, block: Block, name: str, type: T.JitType) -> Value:
        g = self.graph
        u = g.create(kinds.Uninitialized)
        u.output().set_type(type)
        u.insert_before(block.return_node)
        store = g.create(kinds.Store, [u.output()], 0)
        store.s_("name", name)
        store.insert_before(block.return_node)
        return u.output()

    # --- loops -----------------------------------------------------------------------------

    def emit_loop_common(self, range, emit_body: Callable[[], None], iter_val: SugaredValue | None,
                         targets: list[t.Expr] | None, cond: t.Expr | None) -> None:
        g = self.graph
        if iter_val is not None:
            max_trip_count = iter_val.len(range, self)
        else:
            max_trip_count = self.materialize_constant(INT64_MAX, range, self.integral_constants)
        n = g.insert_node(g.create(kinds.Loop, [], 0).set_source_range(range))
        body_block = n.add_block()
        condition_block = n.add_block()
        self.push_frame(condition_block)
        if cond is not None:
            with g.inserting_before(condition_block):
                out = self.emit_to_bool(cond.range, self.emit_expr(cond))
        else:
            with g.inserting_before(n):
                out = insert_constant(g, True, range)
        condition_block.register_output(out)
        self.pop_frame()
        n.add_input(max_trip_count)
        old_status, self.loop_status = self.loop_status, IN_LOOP
        try:
            trip_count = body_block.add_input(type=T.Int)
            self.push_frame(body_block)
            with g.inserting_before(body_block):
                if iter_val is not None and targets:
                    cur = iter_val.getitem(range, self, trip_count).as_value(range, self)
                    sv = SimpleValue(cur)
                    target_exprs = list(targets)
                    self.validate_assign_lhs_expr(target_exprs, range)
                    if len(target_exprs) > 1:
                        target_exprs = [t.TupleLiteral(range, target_exprs)]
                    self.emit_exprs_assign(target_exprs, [sv], range, 1)
                emit_body()
            self.pop_frame()
        finally:
            self.loop_status = old_status

    def emit_unrolled_loop(self, loc, emit_body, iterable: SugaredValue, targets: list[t.Expr]) -> None:
        length = iterable.static_len()
        assert length is not None
        old_status, self.loop_status = self.loop_status, IN_UNROLLED_LOOP
        try:
            for i in range(length):
                index = self.materialize_constant(i, loc, self.integral_constants)
                sv = iterable.getitem(loc, self, index)
                self.emit_exprs_assign(targets, [sv], list_range(targets, loc), 1)
                emit_body()
        finally:
            self.loop_status = old_status

    def emit_for_common(self, targets: list[t.Expr], itrs: list[t.Expr], loc, emit_body) -> None:
        if len(itrs) != 1:
            raise CompileError("List of iterables is not supported currently", loc)
        sv = self.emit_sugared_expr(itrs[0], 1)
        iterable = sv.iter(loc, self)
        if not iterable.should_emit_unrolled():
            self.emit_loop_common(loc, emit_body, iterable, targets, None)
        else:
            self.emit_unrolled_loop(loc, emit_body, iterable, targets)

    def emit_For(self, stmt: t.For) -> None:
        self.emit_for_common(stmt.targets, stmt.itrs, stmt.range, lambda: self.emit_statements(stmt.body))

    def emit_While(self, stmt: t.While) -> None:
        self.emit_loop_common(stmt.range, lambda: self.emit_statements(stmt.body), None, None, stmt.cond)

    def emit_With(self, stmt: t.With) -> None:
        g = self.graph
        entered: list[Value] = []
        for item in stmt.items:
            rhs = self.emit_expr(item.target)
            n = g.insert_node(g.create(prim("Enter"), [rhs]))
            entered.append(rhs)
            if not isinstance(rhs.type, T.ClassType):
                raise CompileError("With item expression must return an object", item.target.range)
            info = self.unit.class_info(rhs.type)
            enter = info.methods.get("__enter__") if info else None
            exit_ = info.methods.get("__exit__") if info else None
            if enter is None or exit_ is None:
                raise CompileError("Object returned by with item expression does not define __enter__ and __exit__ "
                                   "methods", item.target.range)
            enter.ensure_defined()
            exit_.ensure_defined()
            if len(enter.schema.arguments) != 1:
                raise CompileError("__enter__ must have only one argument and one return value", item.target.range)
            if len(exit_.schema.arguments) != 4:
                raise CompileError("__exit__ must have four arguments", item.target.range)
            for i in range(1, 4):
                if exit_.schema.arguments[i].type != T.Any_:
                    raise CompileError(f"argument {i} of __exit__ must have Any type; TorchScript does not currently "
                                       "support passing exception type, value, or traceback to the __exit__ function.",
                                       item.target.range)
            n.output().set_type(enter.schema.returns[0].type)
            if item.var is not None:
                assert isinstance(item.var, t.Var)
                self.env.set_var(item.var.range, item.var.name, n.output())
        self.emit_statements(stmt.body)
        while entered:
            g.insert_node(g.create(prim("Exit"), [entered.pop()], 1))


def _frames(env):
    while env is not None:
        yield env
        env = env.next


def _assigned_names(stmt) -> set[str]:
    """Every name a statement (and the statements inside it) may bind."""
    names: set[str] = set()

    def targets(e) -> None:
        if isinstance(e, t.Var):
            names.add(e.name)
        elif isinstance(e, (t.TupleLiteral, t.ListLiteral)):
            for x in e.inputs:
                targets(x)
        elif isinstance(e, t.Starred):
            targets(e.expr)

    def visit(s) -> None:
        if isinstance(s, t.Assign):
            for lhs in s.lhs_list:
                targets(lhs)
        elif isinstance(s, t.AugAssign):
            targets(s.lhs)
        elif isinstance(s, t.For):
            for e in s.targets:
                targets(e)
            for b in s.body:
                visit(b)
        elif isinstance(s, t.While):
            for b in s.body:
                visit(b)
        elif isinstance(s, t.If):
            for b in s.true_branch + s.false_branch:
                visit(b)
        elif isinstance(s, t.With):
            for item in s.items:
                if item.var is not None:
                    targets(item.var)
            for b in s.body:
                visit(b)
        elif isinstance(s, t.PoisonStmt):
            names.update(s.names)

    visit(stmt)
    return names
