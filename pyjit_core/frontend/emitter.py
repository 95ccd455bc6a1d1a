"""Statements and expressions -> IR, as torch's ``to_ir`` (ir_emitter.cpp) emits them.

One ``FunctionEmitter`` lowers one function definition into its
``GraphFunction``'s graph: formal arguments, the body, an implicit ``None``
return, then the passes (:func:`pyjit_core.passes.pipeline.run_frontend_passes`).
The structure follows the C++ closely -- method for method -- because node
order, value names and error wording all fall out of it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Optional, Sequence

from ..ir import types as T
from ..ir.constants import constant_value, insert_constant
from ..ir.graph import Block, Graph, Node, Value
from ..ir.source_range import SourceRange
from ..ir.symbols import Symbol, aten, kinds, prim
from . import tree as t
from .environment import Environment
from .errors import CompileError, Poisoned
from .named_value import NamedValue
from .sugared import (
    PoisonValue, BuiltinFunction, CastValue, ClassValue, ExceptionMessageValue, ExceptionValue, IterableTree, MagicMethod, MethodValue, NamedTupleConstructor, PrintValue, RangeValue, SimpleValue,
    SliceValue, SpecialFormValue, SugaredValue, create_dict, create_list, create_tuple,
    emit_builtin_call, insert_op,
)
from .compilation_unit import ClassInfo, GraphFunction

INT64_MAX = (1 << 63) - 1


def _magic(name: str, base: SugaredValue) -> SugaredValue:
    return MagicMethod(name, base)


def _builtin(name: str) -> SugaredValue:
    return BuiltinFunction(Symbol(name))


#: torch: the ``globals`` table in Environment::getSugaredVar.
def _make_globals() -> dict[str, SugaredValue]:
    return {
        "print": PrintValue(),
        "tuple": SpecialFormValue(prim("TupleConstruct")),
        "float": _magic("__float__", CastValue(T.Float, aten("Float"))),
        "int": _magic("__int__", CastValue(T.Int, aten("Int"))),
        "bool": _magic("__bool__", CastValue(T.Bool, aten("Bool"))),
        "str": _magic("__str__", CastValue(T.Str, aten("str"))),
        "getattr": SpecialFormValue(prim("GetAttr")),
        "hasattr": SpecialFormValue(prim("HasAttr")),
        "isinstance": SpecialFormValue(prim("isinstance")),
        "_to_tensor": CastValue(T.Tensor, prim("NumToTensor")),
        "len": _magic("__len__", _builtin("aten::len")),
        "hex": _magic("__hex__", _builtin("aten::hex")),
        "oct": _magic("__oct__", _builtin("aten::oct")),
        "round": _magic("__round__", _builtin("aten::round")),
        "hash": _builtin("aten::hash"),
        "id": _builtin("prim::id"),
        "min": _builtin("prim::min"),
        "max": _builtin("prim::max"),
        "abs": _builtin("prim::abs"),
        "all": _builtin("aten::all"),
        "any": _builtin("aten::any"),
        "divmod": _builtin("aten::divmod"),
        "sum": _builtin("aten::sum"),
        "list": SpecialFormValue(prim("list")),
        "dict": SpecialFormValue(prim("dict")),
        "ord": _builtin("aten::ord"),
        "chr": _builtin("aten::chr"),
        "bin": _builtin("aten::bin"),
        "pow": _builtin("aten::pow"),
        "complex": _builtin("aten::complex"),
        "range": SpecialFormValue(prim("range")),
        "zip": SpecialFormValue(prim("zip")),
        "enumerate": SpecialFormValue(prim("enumerate")),
        "rangelist": _builtin("prim::rangelist"),
        "sorted": _builtin("aten::sorted"),
        "AssertionError": ExceptionValue("AssertionError"),
    }


@functools.cache
def _shared_globals() -> Mapping[str, SugaredValue]:
    """One read-only globals table for every function emitted: its values hold
    no state, and building it per function cost ~35 objects each time."""
    return MappingProxyType(_make_globals())


# --- refinements (torch: Refinement, RefinementSet, CondValue) ----------------------------


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
    static_if: Optional[bool] = None


@dataclass
class DefContext:
    declared_return_type: Optional[T.JitType] = None
    merged_return_type: Optional[T.JitType] = None


NOT_IN_LOOP, IN_LOOP, IN_UNROLLED_LOOP = "not", "loop", "unrolled"

_BINARY_KINDS = {
    "+": "aten::add", "-": "aten::sub", "*": "aten::mul", "**": "aten::pow", "@": "aten::matmul",
    "/": "aten::div", "%": "aten::remainder", "!=": "aten::ne", "==": "aten::eq", "<": "aten::lt",
    ">": "aten::gt", "<=": "aten::le", ">=": "aten::ge", "and": "aten::__and__", "or": "aten::__or__",
    "is": "aten::__is__", "is not": "aten::__isnot__", "not": "aten::__not__", "//": "aten::floordiv",
    "<<": "aten::__lshift__", ">>": "aten::__rshift__", "&": "aten::__and__", "|": "aten::__or__",
    "^": "aten::__xor__", "in": "aten::__contains__",
}
_BINARY_MAGIC = {
    "+": "__add__", "-": "__sub__", "*": "__mul__", "**": "__pow__", "/": "__truediv__",
    "%": "__mod__", "!=": "__ne__", "==": "__eq__", "<": "__lt__", ">": "__gt__", "<=": "__le__",
    ">=": "__ge__", "&": "__and__", "|": "__or__", "^": "__xor__", "in": "__contains__",
    "<<": "__lshift__", ">>": "__rshift__",
}



def _anchored(node: Node, where: SourceRange | None) -> Node:
    """Record where an editor shows a node torch gives no source range (list,
    tuple and dict displays): ``Node.anchor``, never printed."""
    node.anchor = where
    return node

class FunctionEmitter:
    """torch: to_ir. ``resolver`` answers ``resolve_value``/``resolve_type``
    for names that are not local; ``type_parser`` turns annotation trees into
    types; ``self_type`` is set for methods."""

    def __init__(self, fn: GraphFunction, definition: t.Def, resolver, type_parser, *,
                 self_class: ClassInfo | None = None, self_sugared: Callable[[Value], SugaredValue] | None = None,
                 unit=None) -> None:
        self.fn = fn
        self.graph: Graph = fn.graph
        self.definition = definition
        self.resolver = resolver
        self.type_parser = type_parser
        self.self_class = self_class
        self.self_sugared = self_sugared
        self.unit = unit
        self.integral_constants: dict[int, Value] = {}
        self.fp_constants: dict[float, Value] = {}
        self.exit_blocks: set[int] = set()
        self.loop_status = NOT_IN_LOOP
        self.environment_stack: Environment | None = None
        self.def_stack: list[DefContext] = []
        self.temp_name_count = 0
        self.globals = _shared_globals()
        # Report independent errors after the first (torch stops at one).
        self.recover = True
        self.recovered: list[CompileError] = []

    # --- entry point ----------------------------------------------------------------

    def run(self) -> None:
        """Emit the whole function and run torch's passes on its graph."""
        self.push_frame(self.graph.block, starts_def=True)
        d = self.definition
        self.recovered.extend(d.build_errors)
        if self.self_class is not None and not d.params:
            raise CompileError("methods must have a self argument", d.range)
        try:
            self.fn.schema = self.emit_def(d, self.graph.block)
        except CompileError as e:
            if self.recovered:
                self.recovered.append(e)
            else:
                raise
        except Poisoned:
            pass
        if self.recovered:
            first, *rest = self.recovered
            first.also.extend(rest)
            raise first
        from ..passes.pipeline import run_frontend_passes

        run_frontend_passes(self.graph)
        # torch applies the Python defaults only once the body has compiled.
        self.fn.schema = self.type_parser.with_defaults(d, self.fn.schema, self.self_class is not None)

    def create_temp_name(self, prefix: str) -> str:
        name = f"{prefix}{self.temp_name_count}"
        self.temp_name_count += 1
        return name

    def push_frame(self, block: Block, starts_def: bool = False) -> None:
        if starts_def:
            self.def_stack.append(DefContext())
        self.environment_stack = Environment(self, block, self.environment_stack)

    def pop_frame(self, ends_def: bool = False) -> Environment:
        old = self.environment_stack
        assert old is not None
        self.environment_stack = old.next
        if ends_def:
            self.def_stack.pop()
        return old

    @property
    def env(self) -> Environment:
        assert self.environment_stack is not None
        return self.environment_stack

    # --- helpers shared with sugared values ------------------------------------------------

    def try_convert_to_type(self, loc, concrete_type, value, allow_conversions=True) -> Value:
        from .matching import try_convert_to_type

        return try_convert_to_type(loc, self.graph, concrete_type, value, allow_conversions)

    def insert_unchecked_cast(self, v: Value, type: T.JitType) -> Value:
        g = self.graph
        n = g.insert_node(g.create(prim("unchecked_cast"), [v]))
        n.output().set_type(type)
        return n.output()

    def materialize_constant(self, value, loc, table: dict) -> Value:
        existing = table.get(value)
        if existing is not None and not (isinstance(value, float) and value != value):
            return existing
        with self.graph.inserting_before(self.graph.block.first_node()):
            v = insert_constant(self.graph, value, loc)
        table[value] = v
        return v

    # --- definitions ------------------------------------------------------------------

    def handle_maybe_no_return(self, d: t.Def, block: Block) -> None:
        decl_ret = self.def_stack[-1].declared_return_type
        if self.recovered:
            # Statements were skipped: whether all paths return is unknown.
            if self.def_stack[-1].merged_return_type is None:
                self.def_stack[-1].merged_return_type = decl_ret if decl_ret is not None else T.NoneT
            return
        if id(block) not in self.exit_blocks:
            if decl_ret is not None and decl_ret != T.NoneT:
                raise CompileError("Function was not annotated as having type None, but does not return along "
                                   "all paths", d.range, code="PJ221")
            with self.graph.inserting_before(block.return_node):
                self.emit_Return(t.Return(d.range, t.NoneLiteral(d.range)))
        elif self.def_stack[-1].merged_return_type is None:
            self.def_stack[-1].merged_return_type = decl_ret if decl_ret is not None else T.NoneT

    def emit_def(self, d: t.Def, block: Block):
        schema = self.type_parser.parse_schema_from_def(d, self.self_class is not None, self.fn)
        if len(schema.returns) == 1:
            self.def_stack[-1].declared_return_type = schema.returns[0].type
        arguments = self.emit_formal_arguments(d, schema, block)
        self.emit_statements(d.body)
        self.handle_maybe_no_return(d, block)
        returns = [self.emit_output(d.range, block)]
        from ..schema.model import Argument, FunctionSchema

        return FunctionSchema(d.name, "", tuple(arguments), tuple(Argument("", r.type) for r in returns))

    def emit_formal_arguments(self, d: t.Def, schema, block: Block):
        from ..schema.model import Argument

        params = list(d.params)
        arguments = []
        if self.self_class is not None:
            p = params.pop(0)
            v = block.add_input().set_debug_name(p.name)
            v.set_type(self.self_class.type)
            sugared = self.self_sugared(v) if self.self_sugared is not None else SimpleValue(v)
            self.env.set_sugared_var(p.range, p.name, sugared, None)
            arguments.append(Argument(p.name, v.type))
        for p, arg in zip(params, schema.arguments):
            v = block.add_input()
            from .environment import meaningful_name

            if meaningful_name(p.name):
                v.set_debug_name(p.name)
            arguments.append(arg)
            v.set_type(arg.type)
            self.env.set_var(p.range, p.name, v)
        return arguments

    def emit_output(self, range, block: Block):
        ret_type = self.def_stack[-1].merged_return_type
        assert ret_type is not None
        g = self.graph
        placeholder = g.insert_node(g.create(kinds.Uninitialized))
        placeholder.output().set_type(ret_type)
        block.register_output(placeholder.output())
        return placeholder.output()

    # --- statements ---------------------------------------------------------------------

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
                    self.env.set_variable_type_error(v, _deferred(f"{v} is not defined in the false branch", loc))
        for v in save_false.defined_variables():
            with g.inserting_before(true_block):
                if save_true.find_in_any_frame(v) is not None or true_exits:
                    mutated.add(v)
                else:
                    self.env.set_variable_type_error(v, _deferred(f"{v} is not defined in the true branch", loc))

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
            unified = T.unify_types(tv.type, fv.type)
            if unified is None:
                message = (f"Type mismatch: {x} is set to type {tv.type.annotation_str()} in the true branch and type "
                           f"{fv.type.annotation_str()} in the false branch")
                if save_true.find_in_parent_frame(x) is not None or save_false.find_in_parent_frame(x) is not None:
                    raise CompileError(message, loc, code="PJ222")
                self.env.set_variable_type_error(x, _deferred(message, loc, code="PJ222"))
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

    def insert_refinements(self, loc, refinements: RefinementSet) -> None:
        for r in refinements.active():
            v = self.get_var(r.identifier, loc)
            new_v = self.insert_unchecked_cast(v, r.type)
            self.env.set_var(loc, r.identifier, new_v)

    # --- conditions ---------------------------------------------------------------------

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
            value = emit_builtin_call(expr.range, self.graph, Symbol(_BINARY_KINDS[expr.kind]),
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
            true_refinements = (Refinement(obj.name, _unify_type_list(isinstance_types, default_to_union=True)),)
        if not_isinstance_types and isinstance(obj, t.Var):
            false_refinements = (Refinement(obj.name, _unify_type_list(not_isinstance_types, default_to_union=True)),)
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
                self.emit_exprs_assign(targets, [sv], _list_range(targets, loc), 1)
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

    # --- assignment ------------------------------------------------------------------------

    def validate_assign_lhs_expr(self, lhs: list[t.Expr], r) -> bool:
        normal = starred = 0
        for a in lhs:
            if isinstance(a, (t.Var, t.Subscript, t.TupleLiteral)):
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
                self.emit_subscript_assign(rhs_loc, assignee, NamedValue.of(outputs[i].as_value(rhs_loc, self), loc=rhs_loc))
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
                tup = self.graph.insert_node(create_tuple(self.graph, values)).output()
                self.env.set_var(var.range, var.name, tup)
                i += n_matched
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
                               "want this", _list_range(subscript, lhs.range), code="PJ104")
        if T.is_subtype(sliceable.type, T.AnyTupleType()):
            raise CompileError(f"{sliceable.type.annotation_str()} does not support subscripted assignment", lhs.range)
        args = [NamedValue.of(sliceable, "self", lhs.value.range),
                NamedValue.of(self.emit_expr(subscript[0]), "idx", _list_range(subscript, lhs.range)), rhs]
        _magic("__setitem__", BuiltinFunction(aten("_set_item"))).call(stmt_range, self, args, [], 0)

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
            return MethodValue(lhs, [name]).call(stmt.range, self, [NamedValue.of(rhs)], [], 0).as_value(stmt.range, self)
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
                               "assignment. File a bug if you want this", _list_range(exprs, lhs.range))
        elem = type_.element if isinstance(type_, T.ListType) else type_.key if isinstance(type_, T.DictType) else None
        if elem is None:
            raise CompileError(f"{type_.annotation_str()} does not support augmented assignment.", lhs.range)
        idx = self.emit_expr(exprs[0])
        container = NamedValue.of(sliceable, type_.str(), lhs.value.range)
        idx_arg = NamedValue.of(idx, "idx", _list_range(exprs, lhs.range))
        value_arg = NamedValue.of(self.emit_expr(stmt.rhs), "value", stmt.rhs.range)
        got = insert_op(g, aten("__getitem__"), [container, idx_arg], [], stmt.range)
        aug = insert_op(g, self.get_aug_op(stmt, elem), [NamedValue.of(got), value_arg], [], stmt.range)
        insert_op(g, aten("_set_item"), [container, idx_arg, NamedValue.of(aug)], [], stmt.range)

    # --- expressions -----------------------------------------------------------------------

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

    def check_apply_num_inputs(self, apply: t.Apply, expected: int) -> None:
        name = apply.callee.name if isinstance(apply.callee, t.Var) else getattr(apply.callee, "selector", "")
        if len(apply.inputs) != expected:
            raise CompileError(f"{name} expected exactly {expected} arguments but found {len(apply.inputs)}", apply.range)
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
                                   f"{expr.type.annotation_str()}\n", _list_range(apply.inputs, apply.range))
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
            return SimpleValue(g.insert_node(create_tuple(g, values)).output())
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
                raise CompileError(f"Expected class value as argument to __new__, got {arg.kind()} instead", apply.range)
            n = g.insert_node(g.create(prim("CreateObject")))
            n.output().set_type(arg.type)
            return SimpleValue(n.output())
        if name == "prim::range":
            return RangeValue(apply.range, self, self.get_values(apply.inputs, True))
        if name == "prim::enumerate":
            loc = apply.range
            if not apply.inputs:
                raise CompileError("enumerate expected at least 1 arguments, got 0", loc)
            if len(apply.inputs) > 2:
                raise CompileError(f"enumerate expected at most 2 arguments, got {len(apply.inputs)}", loc)
            start = self.emit_sugared_expr(apply.inputs[1], 1).as_value(loc, self) if len(apply.inputs) == 2 else None
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

    def insert_to_list(self, v: Value, type_hint: T.JitType) -> Value:
        g = self.graph
        elem = type_hint
        dim = 0
        while isinstance(elem, T.ListType):
            elem = elem.element
            dim += 1
        elem_kind = 0 if isinstance(elem, T.IntType) else 1 if isinstance(elem, T.FloatType) else 2 if isinstance(elem, T.BoolType) else 3
        dim_v = insert_constant(g, dim)
        kind_v = insert_constant(g, elem_kind)
        n = g.insert_node(g.create(prim("tolist"), [v, dim_v, kind_v]))
        n.output().set_type(type_hint)
        return n.output()

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
        empty = (not inputs and attributes) or (inputs and isinstance(inputs[0], t.DictLiteral) and not inputs[0].key_inputs) \
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
            zipped = [t.TupleLiteral(apply.range, [k, v]) for k, v in zip(lit.key_inputs, lit.value_inputs)]
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

    def emit_list_comprehension(self, lc: t.ListComp, type_hint=None) -> Value:
        g = self.graph
        loc = lc.range
        list_node = _anchored(g.insert_node(g.create(kinds.ListConstruct)), loc)
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
        dict_value = _anchored(g.insert_node(g.create(kinds.DictConstruct)), loc).output()
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
            emit_builtin_call(loc, g, aten("_set_item"),
                              [NamedValue.of(dict_value, "self", loc), NamedValue.of(k, loc=loc), NamedValue.of(v, loc=loc)])

        with g.inserting_before(block):
            self.emit_for_common([dc.target], [dc.iter], loc, emit_body)
        self.pop_frame()
        return dict_value

    def emit_unary_op(self, expr: t.UnaryOp, magic: str, op: Symbol) -> Value:
        named = self.get_named_values([expr.operand], False)
        val = _magic(magic, BuiltinFunction(op)).call(expr.range, self, named, [], 0).as_value(expr.range, self)
        if val.node.kind is not op:
            return val
        from ..passes.constant_propagation import run_node_if_inputs_are_constant

        folded = run_node_if_inputs_are_constant(val.node)
        if folded is None:
            return val
        return insert_constant(self.graph, folded[0], expr.range)

    def emit_binary_op(self, expr: t.BinOp) -> Value:
        kind = Symbol(_BINARY_KINDS[expr.kind])
        overload = _BINARY_MAGIC[expr.kind]
        named = self.get_named_values([expr.lhs, expr.rhs], False)
        if expr.kind == "in":
            named.reverse()
        return _magic(overload, BuiltinFunction(kind)).call(expr.range, self, named, [], 0).as_value(expr.range, self)

    def emit_simple_expr(self, expr: t.Expr, type_hint=None) -> Value:
        g = self.graph
        if isinstance(expr, t.BinOp):
            if expr.kind in ("//", "@"):
                named = self.get_named_values([expr.lhs, expr.rhs], False)
                return emit_builtin_call(expr.range, g, Symbol(_BINARY_KINDS[expr.kind]), named)
            if expr.kind == "%":
                lhs = self.emit_sugared_expr(expr.lhs, 0).as_value(expr.lhs.range, self)
                if isinstance(lhs.type, T.StringType):
                    values = [lhs, self.emit_expr(expr.rhs)]
                    n = g.insert_node(g.create(aten("percentFormat"), values).set_source_range(expr.range))
                    n.output().set_type(T.Str)
                    return n.output()
                named = [NamedValue.of(lhs, loc=expr.lhs.range), NamedValue.of(self.emit_expr(expr.rhs), loc=expr.rhs.range)]
                return _magic("__mod__", BuiltinFunction(aten("remainder"))).call(expr.range, self, named, [], 0).as_value(expr.range, self)
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
            return _anchored(g.insert_node(create_tuple(g, values)), expr.range).output()
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
            unified = _unify_type_list([v.type for v in values], default_to_union=True)
            if unified is None:
                raise CompileError("Lists must contain only a single type\n", ll.range, code="PJ222")
            elem = unified
        for v in values:
            if not T.is_subtype(v.type, elem):
                raise CompileError(f"Lists must contain only a single type, expected: {elem.annotation_str()} but "
                                   f"found {v.type.annotation_str()} instead.\n", ll.range, code="PJ222")
        return _anchored(g.insert_node(create_list(g, elem, values)), ll.range).output()

    def emit_dict_literal(self, dl: t.DictLiteral, type_hint=None) -> Value:
        g = self.graph
        keys, values = [], []
        for k, v in zip(dl.key_inputs, dl.value_inputs):
            keys.append(self.emit_expr(k))
            values.append(self.emit_expr(v))
        if isinstance(type_hint, T.DictType):
            key_type, value_type = type_hint.key, type_hint.value
        elif not keys:
            key_type, value_type = T.Str, T.Tensor
        else:
            # Several key or value types unify to a Union (torch 2.x).
            key_type = _unify_type_list([k.type for k in keys], default_to_union=True)
            value_type = _unify_type_list([v.type for v in values], default_to_union=True)
        for what, typ, vals, trees in (("keys", key_type, keys, dl.key_inputs), ("values", value_type, values, dl.value_inputs)):
            for v, tree in zip(vals, trees):
                if not T.is_subtype(v.type, typ):
                    raise CompileError(f"Dict {what} must contain only a single type, expected: {typ.annotation_str()} "
                                       f"but found {v.type.annotation_str()} instead.\n", tree.range, code="PJ222")
        return _anchored(g.insert_node(create_dict(g, key_type, value_type, keys, values)), dl.range).output()

    # --- indexing -------------------------------------------------------------------------

    def emit_slice_op(self, loc, sliceable: Value, dim: Value | None, start, end, step) -> Value:
        g = self.graph
        args = [NamedValue.of(sliceable, "self", loc)]
        if dim is not None:
            args.append(NamedValue.of(dim))
        if isinstance(sliceable.type, T.TupleType):
            return self.emit_tuple_slice(loc, args[0], [start, end, step])
        # torch 2.x: a missing bound is None (the schemas take int?), a missing step is 1.
        if step is None:
            step = insert_constant(g, 1, loc)
        if start is None:
            start = insert_constant(g, None)
        if end is None:
            end = insert_constant(g, None)
        args += [NamedValue.of(start, "start", loc), NamedValue.of(end, "end", loc), NamedValue.of(step, "step", loc)]
        return emit_builtin_call(loc, g, aten("slice"), args, [])

    def emit_slice(self, loc, input: Value, dim: Value | None, s: t.SliceExpr) -> Value:
        start = self.emit_expr(s.start) if s.start is not None else None
        end = self.emit_expr(s.end) if s.end is not None else None
        step = self.emit_expr(s.step) if s.step is not None else None
        return self.emit_slice_op(loc, input, dim, start, end, step)

    def emit_int_and_slice_indexing(self, loc, sliceable: Value, subscript_exprs: list[t.Expr]):
        g = self.graph
        tensor_indices: list[Value | None] = []
        dims = [0] * len(subscript_exprs)
        exprs: list[Value | None] = [None] * len(subscript_exprs)

        def handle(expr: t.Expr, idx: int, dim: int, reverse: bool = False) -> int:
            dims[idx] = dim
            if isinstance(expr, t.SliceExpr):
                return dim - 1 if reverse else dim + 1
            sv = self.emit_sugared_expr(expr, 1)
            if isinstance(sv, SliceValue):
                return dim - 1 if reverse else dim + 1
            hint = T.NoneT if isinstance(expr, t.NoneLiteral) else None
            index = sv.as_value(expr.range, self) if hint is None else self.emit_expr(expr, hint)
            if isinstance(index.type, T.ListType):
                index = insert_op(g, aten("tensor"), [NamedValue.of(index)], [NamedValue.of_constant(4, "dtype")])
            exprs[idx] = index
            if T.is_subtype(index.type, T.NoneT):
                return dim if reverse else dim + 1
            if isinstance(index.type, T.IntType):
                return dim - 1 if reverse else dim
            if T.is_subtype(index.type, T.OptionalType(T.Tensor)):
                if reverse:
                    raise CompileError("Ellipses followed by tensor indexing is currently not supported", loc)
                return dim + 1
            raise CompileError(f"Unsupported operation: indexing tensor with unsupported index type "
                               f"'{index.type.annotation_str()}'. Only ints, slices, lists and tensors are supported",
                               loc, code="PJ223")

        idx = 0
        dim = 0
        while idx < len(subscript_exprs):
            if isinstance(subscript_exprs[idx], t.Dots):
                break
            dim = handle(subscript_exprs[idx], idx, dim)
            idx += 1
        rdim = -1
        rev = len(subscript_exprs) - 1
        while rev > idx:
            if isinstance(subscript_exprs[rev], t.Dots):
                raise CompileError("An index can only have a single ellipsis ('...')", loc)
            rdim = handle(subscript_exprs[rev], rev, rdim, True)
            rev -= 1
        for i, e in enumerate(exprs):
            if e is None:
                sub = subscript_exprs[i]
                if isinstance(sub, t.SliceExpr):
                    sliceable = self.emit_slice(loc, sliceable, insert_constant(g, dims[i], loc), sub)
                    continue
                if isinstance(sub, t.Dots):
                    continue
                sv = self.emit_sugared_expr(sub, 1)
                if isinstance(sv, SliceValue):
                    sliceable = self.emit_slice_op(loc, sliceable, insert_constant(g, dims[i], loc),
                                                   sv.start, sv.stop, sv.step)
                continue
            if T.is_subtype(e.type, T.NoneT):
                sliceable = emit_builtin_call(loc, g, aten("unsqueeze"),
                                              [NamedValue.of(sliceable), NamedValue.of(insert_constant(g, dims[i], loc))])
            elif isinstance(e.type, T.IntType):
                sliceable = emit_builtin_call(loc, g, aten("select"),
                                              [NamedValue.of(sliceable), NamedValue.of(insert_constant(g, dims[i], loc)),
                                               NamedValue.of(e)])
            elif T.is_subtype(e.type, T.OptionalType(T.Tensor)):
                if len(tensor_indices) < dims[i] + 1:
                    tensor_indices.extend([None] * (dims[i] + 1 - len(tensor_indices)))
                tensor_indices[dims[i]] = e
        for k, index in enumerate(tensor_indices):
            if index is None:
                none = g.insert_node(g.create(kinds.Constant))
                none.output().set_type(T.NoneT)
                tensor_indices[k] = none.output()
        return sliceable, tensor_indices

    def emit_multidim_slicing(self, loc, sliceable: Value, subscript_exprs) -> Value:
        if not T.is_subtype(sliceable.type, T.Tensor):
            raise CompileError("Unsupported operation: attempted to use multidimensional indexing on a non-tensor type",
                               loc, code="PJ223")
        sliceable, tensor_indices = self.emit_int_and_slice_indexing(loc, sliceable, subscript_exprs)
        if not tensor_indices:
            return sliceable
        g = self.graph
        index = g.insert_node(create_list(g, T.OptionalType(T.Tensor), tensor_indices)).output()
        return emit_builtin_call(loc, g, aten("index"), [NamedValue.of(sliceable), NamedValue.of(index)])

    def emit_basic_slice(self, loc, sliceable: Value, subscript_exprs) -> Value:
        s = subscript_exprs[0]
        dim = insert_constant(self.graph, 0, loc) if T.is_subtype(sliceable.type, T.Tensor) else None
        return self.emit_slice(loc, sliceable, dim, s)

    @staticmethod
    def get_adj_tuple_index(loc, tuple_type: T.TupleType, index: int, allow_out_of_bounds: bool) -> int:
        n = len(tuple_type.elements)
        adj = n + index if index < 0 else index
        if not allow_out_of_bounds and not 0 <= adj < n:
            raise CompileError(f"Tuple index out of range. Tuple is length {n} and index is {index}", loc, code="PJ223")
        return adj

    def emit_tuple_index(self, loc, tuple_val: Value, idx_val: Value) -> Value:
        g = self.graph
        tt = tuple_val.type
        if not isinstance(idx_val.type, T.IntType):
            raise CompileError("tuple index must be an integer", loc, code="PJ223")
        idx = constant_value(idx_val, None) if idx_val.node.kind is kinds.Constant else None
        if idx is None:
            from .matching import convertible_to_list

            if not tt.elements or not convertible_to_list(tt, T.ListType(tt.elements[0])):
                raise CompileError(f"Cannot index into a {tt.annotation_str()} with a non-integer literal because we "
                                   "cannot resolve the output type", loc, code="PJ223")
            out_type = tt.elements[0]
        else:
            out_type = tt.elements[self.get_adj_tuple_index(loc, tt, idx, False)]
        n = g.insert_node(g.create(kinds.TupleIndex, [tuple_val, idx_val]))
        n.output().set_type(out_type)
        return n.output()

    def emit_tuple_slice(self, loc, tuple_val: NamedValue, args: list) -> Value:
        g = self.graph
        tv = tuple_val.value(g)
        tt = tv.type
        n = len(tt.elements)
        beg_v, end_v, step_v = args
        step = 1
        if step_v is not None:
            step = constant_value(step_v, None)
            if not isinstance(step, int):
                raise CompileError("Step size should always be an integer", loc)
        beg = end = INT64_MAX
        if beg_v is not None:
            beg = self.get_adj_tuple_index(loc, tt, self._slice_ind(beg_v, loc), True)
        if end_v is not None:
            end = self.get_adj_tuple_index(loc, tt, self._slice_ind(end_v, loc), True)
        start, stop, num = _slice_indices_adjust(n, beg, end, step)
        # torch 2.x emits the slice as one TupleIndex per element, then a tuple.
        values = []
        for i in range(num):
            index = start + i * step
            idx = insert_constant(g, index)
            node = g.insert_node(g.create(kinds.TupleIndex, [tv, idx]))
            node.output().set_type(tt.elements[index])
            values.append(node.output())
        return g.insert_node(create_tuple(g, values)).output()

    @staticmethod
    def _slice_ind(v: Value, loc) -> int:
        value = constant_value(v, None) if v.node.kind is kinds.Constant else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise CompileError("tuple slice indices must be integer constants", loc)

    def emit_subscript(self, subscript: t.Subscript, type_hint=None) -> SugaredValue:
        sv = self.emit_sugared_expr(subscript.value, 1)
        exprs = subscript.subscript_exprs
        range = subscript.range
        val_range = subscript.value.range
        if len(exprs) != 1:
            return SimpleValue(self.emit_multidim_slicing(range, sv.as_value(val_range, self), exprs))
        if isinstance(exprs[0], t.SliceExpr):
            if sv.kind() == "module":
                tup = sv.as_tuple_value(val_range, self).as_value(val_range, self)
                s = exprs[0]
                begin = self.emit_expr(s.start) if s.start is not None else insert_constant(self.graph, 0, val_range)
                end = self.emit_expr(s.end) if s.end is not None else None
                return SimpleValue(self.emit_tuple_slice(val_range, NamedValue.of(tup), [begin, end, None]))
            return SimpleValue(self.emit_basic_slice(range, sv.as_value(val_range, self), exprs))
        sliceable = sv.as_value(val_range, self)
        subscript_sv = self.emit_sugared_expr(exprs[0], 1)
        if isinstance(subscript_sv, SliceValue):
            dim = insert_constant(self.graph, 0, val_range) if T.is_subtype(sliceable.type, T.Tensor) else None
            return SimpleValue(self.emit_slice_op(val_range, sliceable, dim, subscript_sv.start, subscript_sv.stop,
                                                  subscript_sv.step))
        idx = subscript_sv.as_value(val_range, self)
        if isinstance(sliceable.type, T.TupleType):
            return SimpleValue(self.emit_tuple_index(range, sv.as_value(val_range, self), idx))
        if T.is_subtype(sliceable.type, T.Tensor):
            return SimpleValue(self.emit_multidim_slicing(range, sliceable, exprs))
        return sv.getitem(range, self, idx, type_hint)


# --- helpers ------------------------------------------------------------------------------


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



def _deferred(message: str, loc, code: str = "PJ202"):
    def make() -> CompileError:
        return CompileError(message + "\n", loc, code=code)

    return make


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
            or (n.kind is kinds.Constant and not n.attributes and len(outs) == 1 and isinstance(outs[0].type, T.OptionalType)))


def _standardize_for_union(types: list[T.JitType]) -> list[T.JitType]:
    """torch: standardizeVectorForUnion -- flatten unions and optionals, drop duplicates."""
    flat: list[T.JitType] = []
    for t_ in types:
        if isinstance(t_, T.UnionType):
            members = list(t_.members)
        elif isinstance(t_, T.OptionalType):
            members = _standardize_for_union([t_.element]) + [T.NoneT]
        else:
            members = [t_]
        for m in members:
            if m not in flat:
                flat.append(m)
    return flat


def _unify_type_list(types: list[T.JitType], default_to_union: bool = False) -> T.JitType | None:
    """torch: unifyTypeList."""
    if not types:
        return None
    out = types[0]
    for t_ in types[1:]:
        out = T.unify_types(out, t_, default_to_union=default_to_union)
        if out is None:
            return None
    return out


def _list_range(items: list, default):
    ranges = [getattr(i, "range", None) for i in items]
    ranges = [r for r in ranges if r is not None]
    if not ranges:
        return default
    first, last = ranges[0], ranges[-1]
    return SourceRange(first.path, first.start_line, first.start_col, last.end_line, last.end_col)


def _tys_kind():
    from ..ir.attributes import AttributeKind

    return AttributeKind.tys


def _slice_indices_adjust(length: int, start: int, stop: int, step: int) -> tuple[int, int, int]:
    """torch: slice_indices_adjust (CPython's PySlice_AdjustIndices)."""
    if step == 0:
        raise ValueError("slice step cannot be zero")
    big = INT64_MAX
    if start == big:
        start = 0 if step > 0 else big
    if stop == big and step < 0:
        stop = -big - 1
    if start < 0:
        start += length
        if start < 0:
            start = -1 if step < 0 else 0
    elif start >= length:
        start = length - 1 if step < 0 else length
    if stop < 0:
        stop += length
        if stop < 0:
            stop = -1 if step < 0 else 0
    elif stop >= length:
        stop = length - 1 if step < 0 else length
    if step < 0:
        num = (start - stop - 1) // (-step) + 1 if stop < start else 0
    else:
        num = (stop - start - 1) // step + 1 if start < stop else 0
    return start, stop, num
