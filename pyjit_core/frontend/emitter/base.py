"""The state every part of the emitter shares, and the helpers they share.

torch: the fields of ``to_ir`` in ir_emitter.cpp (the environment stack,
the def stack, the loop status, the pooled constants) and the ``globals``
table of ``Environment::getSugaredVar``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from ...ir import types as T
from ...ir.constants import insert_constant
from ...ir.graph import Block, Graph, Node, Value
from ...ir.source_range import SourceRange
from ...ir.symbols import Symbol, aten, prim
from .. import tree as t
from ..compilation_unit import ClassInfo, GraphFunction
from ..environment import Environment
from ..errors import CompileError
from ..matching import try_convert_to_type
from ..sugared import (
    BuiltinFunction,
    CastValue,
    ExceptionValue,
    MagicMethod,
    PrintValue,
    SpecialFormValue,
    SugaredValue,
)

if TYPE_CHECKING:
    from ..named_value import NamedValue
    from .refinement import CondValue, RefinementSet

INT64_MAX = (1 << 63) - 1


NOT_IN_LOOP, IN_LOOP, IN_UNROLLED_LOOP = "not", "loop", "unrolled"


@dataclass
class DefContext:
    declared_return_type: T.JitType | None = None
    merged_return_type: T.JitType | None = None


def magic_method(name: str, base: SugaredValue) -> SugaredValue:
    return MagicMethod(name, base)


def _builtin(name: str) -> SugaredValue:
    return BuiltinFunction(Symbol(name))


#: torch: the ``globals`` table in Environment::getSugaredVar.
def _make_globals() -> dict[str, SugaredValue]:
    return {
        "print": PrintValue(),
        "tuple": SpecialFormValue(prim("TupleConstruct")),
        "float": magic_method("__float__", CastValue(T.Float, aten("Float"))),
        "int": magic_method("__int__", CastValue(T.Int, aten("Int"))),
        "bool": magic_method("__bool__", CastValue(T.Bool, aten("Bool"))),
        "str": magic_method("__str__", CastValue(T.Str, aten("str"))),
        "getattr": SpecialFormValue(prim("GetAttr")),
        "hasattr": SpecialFormValue(prim("HasAttr")),
        "isinstance": SpecialFormValue(prim("isinstance")),
        "_to_tensor": CastValue(T.Tensor, prim("NumToTensor")),
        "len": magic_method("__len__", _builtin("aten::len")),
        "hex": magic_method("__hex__", _builtin("aten::hex")),
        "oct": magic_method("__oct__", _builtin("aten::oct")),
        "round": magic_method("__round__", _builtin("aten::round")),
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


class EmitterBase:
    """What every part of the emitter reads and writes (torch: the fields of
    ``to_ir``), and the helpers sugared values call too. ``resolver`` answers
    ``resolve_value``/``resolve_type`` for names that are not local;
    ``type_parser`` turns annotation trees into types; ``self_class`` is set
    for methods."""

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

    if TYPE_CHECKING:
        # The methods the parts call on one another, declared for type checkers
        # only; each is defined in the part named, which FunctionEmitter composes.

        # expressions
        def get_sugared_var(self, name: str, range, required: bool = True) -> SugaredValue | None: ...
        def get_var(self, name: str, range) -> Value: ...
        def emit_expr(self, expr: t.Expr, type_hint: T.JitType | None = None) -> Value: ...
        def emit_sugared_expr(self, expr: t.Expr, n_binders: int,
                              type_hint: T.JitType | None = None) -> SugaredValue: ...
        def emit_list_comprehension(self, lc: t.ListComp, type_hint=None) -> Value: ...
        def emit_dict_comprehension(self, dc: t.DictComp, type_hint=None) -> Value: ...

        # calls
        def check_apply_num_inputs(self, apply: t.Apply, expected: int) -> None: ...
        def get_named_values(self, trees: list[t.Expr], maybe_unpack: bool) -> list[NamedValue]: ...
        def get_values(self, trees: list[t.Expr], maybe_unpack: bool) -> list[Value]: ...
        def emit_apply_expr(self, apply: t.Apply, n_binders: int, type_hint=None) -> SugaredValue: ...

        # indexing
        def emit_int_and_slice_indexing(self, loc, sliceable: Value, subscript_exprs: list[t.Expr]): ...
        def emit_subscript(self, subscript: t.Subscript, type_hint=None) -> SugaredValue: ...

        # refinement
        def insert_refinements(self, loc, refinements: RefinementSet) -> None: ...
        def emit_cond_expr(self, expr: t.Expr) -> CondValue: ...
        def emit_if_expr(self, loc, cond: CondValue, true_expr: Callable[[], Value],
                         false_expr: Callable[[], Value]) -> Value: ...
        def emit_to_bool(self, loc, v: Value) -> Value: ...
        def emit_has_attr(self, obj_expr: t.Expr, attr_expr: t.Expr) -> CondValue: ...
        def emit_is_instance(self, obj: t.Expr, classinfo: t.Expr) -> CondValue: ...

        # assignments
        def validate_assign_lhs_expr(self, lhs: list[t.Expr], r) -> bool: ...
        def emit_exprs_assign(self, lhs_exprs: list[t.Expr], outputs: list[SugaredValue], rhs_loc,
                              n_binders: int) -> None: ...

        # statements
        def emit_statements(self, stmts: Sequence[t.Stmt]) -> None: ...
        def emit_for_common(self, targets: list[t.Expr], itrs: list[t.Expr], loc, emit_body) -> None: ...
        def emit_Return(self, stmt: t.Return) -> None: ...

    # --- helpers shared with sugared values ------------------------------------------------

    def try_convert_to_type(self, loc, concrete_type, value, allow_conversions=True) -> Value:
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


# --- helpers shared by the parts --------------------------------------------------------


def anchored(node: Node, where: SourceRange | None) -> Node:
    """Record where an editor shows a node torch gives no source range (list,
    tuple and dict displays): ``Node.anchor``, never printed."""
    node.anchor = where
    return node


def deferred(message: str, loc, code: str = "PJ202"):
    def make() -> CompileError:
        return CompileError(message + "\n", loc, code=code)

    return make


def unify_type_list(types: list[T.JitType], default_to_union: bool = False) -> T.JitType | None:
    """torch: unifyTypeList."""
    if not types:
        return None
    out = types[0]
    for t_ in types[1:]:
        out = T.unify_types(out, t_, default_to_union=default_to_union)
        if out is None:
            return None
    return out


def list_range(items: list, default):
    ranges = [getattr(i, "range", None) for i in items]
    ranges = [r for r in ranges if r is not None]
    if not ranges:
        return default
    first, last = ranges[0], ranges[-1]
    return SourceRange(first.path, first.start_line, first.start_col, last.end_line, last.end_col)
