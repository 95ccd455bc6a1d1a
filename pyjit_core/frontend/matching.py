"""Schema matching and overload resolution: which operator a call means.

torch: torch/csrc/jit/frontend/schema_matching.cpp (tryMatchArgument,
tryMatchSchema, matchSchema, matchSchemas, emitBuiltinNode, packOutputs,
emitBuiltinCall) and ``Graph::insert`` (torch/csrc/jit/ir/ir.cpp).

A call ``f(args..., kw=...)`` on a builtin name is resolved against every
overload torch registers for it (in torch's order; see
:func:`pyjit_core.schema.schemas_for`) followed by the TorchScript-written
builtin functions of :mod:`.builtin_functions`:

1. Binding. Each schema argument takes, in order: the call's ``self`` (for a
   method call, when the argument is named ``self``); the next positional
   argument unless it is keyword-only -- or, for the last positional list
   argument, all the remaining positional arguments packed into a list
   (``torch.zeros(2, 3)``, conversions pass only); a keyword argument of its
   name (an ``aten`` schema's ``self`` also answers to ``input``); its default;
   else the schema fails.
2. Checking. Each bound value may be repeated into a list (a single ``int``
   for ``int[2]``), binds type variables, is converted
   (:func:`try_convert_to_type`) and must then be a subtype of
   the argument's type.
3. Resolution. With several candidates, a first pass tries each without
   implicit conversions, a second with them; the first match wins. A single
   candidate is matched once, with conversions.

Nodes created while trying a schema that then fails stay in the graph (as in
torch, where dead-code elimination removes them later).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..ir import types as T
from ..ir.attributes import Device
from ..ir.constants import insert_constant
from ..ir.graph import Graph, Node, Value
from ..ir.source_range import SourceRange
from ..ir.symbols import Symbol, aten
from ..ir.type_variables import TypeEnv, has_free_variables, match_type_variables, repr_str, try_eval_type_variables
from ..schema import schemas_for
from ..schema.model import Argument, DeviceLiteral, FunctionSchema
from .builtin_functions import builtin_functions_for
from .conversions import (
    EMPTY_LIST_LITERAL,
    convertible_to_list,
    create_list,
    create_tuple_unpack,
    unwrap_optional,
)
from .errors import CompileError
from .named_value import NamedValue
from .unknown_operators import unknown_builtin_message

__all__ = [
    "MatchedSchema",
    "convertible_to_list",
    "emit_builtin_call",
    "find_schema",
    "insert_op",
    "match_schema",
    "match_schemas",
    "try_convert_to_type",
]


@dataclass
class MatchedSchema:
    """The result of matching a call to one schema. torch: MatchedSchema."""

    inputs: list[Value]
    """The node's inputs: every schema argument, in order, defaults included."""
    return_types: list[T.JitType]
    """The schema's return types with type variables substituted."""
    return_field_names: list[str] | None
    """The returns' names when all of them have one (the result is a named tuple)."""
    schema_name: str
    """``aten::add.Tensor``; ``aten::add`` for an overload without a name."""
    schema: FunctionSchema | None = field(default=None, compare=False)
    """The schema matched."""


def full_schema_name(schema: FunctionSchema) -> str:
    """``aten::add.Tensor``. torch: getFullSchemaName."""
    return schema.operator_name


# --- one argument ---------------------------------------------------------------


class _Failures:
    """Where the reasons a schema does not match are written, or nowhere.

    torch passes an optional ``std::ostream*`` plus an ``err()`` lambda that
    first writes the schema's header; this keeps the same shape.
    """

    def __init__(self, render: bool) -> None:
        self.render = render
        self.parts: list[str] = []

    def err(self, schema: FunctionSchema, text: str) -> None:
        if self.render:
            self.parts.append(f"\n{schema}:\n{text}")

    def clear(self) -> None:
        self.parts.clear()

    def text(self) -> str:
        return "".join(self.parts)


def _is_int_or_float_used_as_list(value: Value, arg: Argument) -> bool:
    """A single ``int``/``float`` passed for ``int[N]``/``float[N]``. torch: isIntOrFloatUsedAsList."""
    if value.type != T.Float and value.type != T.Int:
        return False
    list_type = unwrap_optional(arg.type)
    return isinstance(list_type, T.ListType) and list_type.element == value.type and bool(arg.N)


def is_inferred_argument(arg: Argument) -> bool:
    """Whether ``arg`` is an unannotated parameter of a user function, typed
    Tensor by inference. torch: Argument::is_inferred_type."""
    return bool(getattr(arg, "is_inferred_type", False)) or (
        isinstance(arg.type, T.TensorType) and arg.type.inferred)


def _type_mismatch_message(arg: Argument, actual: str) -> str:
    """torch: Argument::formatTypeMismatchMsg."""
    message = (
        f"Expected a value of type '{repr_str(arg.type)}' for argument '{arg.name}' "
        f"but instead found type '{actual}'.\n"
    )
    if is_inferred_argument(arg):
        message += f"Inferred '{arg.name}' to be of type 'Tensor' because it was not annotated with an explicit type.\n"
    return message


def _try_match_argument(arg: Argument, graph: Graph, loc: SourceRange | None, named_value: NamedValue,
                        schema: FunctionSchema, failures: _Failures, allow_conversions: bool,
                        type_env: TypeEnv, plan: _ArgumentPlan | None = None) -> Value | None:
    """The value to pass for ``arg``, converted, or ``None``. torch: tryMatchArgument.

    ``plan`` (for a schema's own arguments) saves working out what does not
    depend on the call."""
    value = named_value.value(graph)

    # int[N] / float[N] also accept one int / float, repeated N times.
    if (_is_int_or_float_used_as_list(value, arg) if plan is None else
            plan.broadcast_element is not None and _is_int_or_float_used_as_list(value, arg)):
        assert arg.N is not None
        value = graph.insert_node(create_list(graph, value.type, [value] * arg.N)).output()

    if plan is not None and not plan.has_type_variables:
        concrete_type = arg.type   # (what binding and evaluating type variables give)
    else:
        reason = match_type_variables(arg.type, value.type, type_env)
        if reason is not None:
            failures.err(schema, f"Could not match type {repr_str(value.type)} to {repr_str(arg.type)} "
                                 f"in argument '{arg.name}': {reason}.\n")
            return None
        concrete_type = try_eval_type_variables(arg.type, type_env)
        if concrete_type is None:
            failures.err(schema, f"Type variables in type {repr_str(arg.type)} could not be inferred "
                                 f"from actual type {repr_str(value.type)}")
            return None

    # Without implicit conversions, only tuples and the empty list literal
    # convert: anything else would come back unchanged.
    if allow_conversions or isinstance(value.type, T.TupleType) or value.node.kind is EMPTY_LIST_LITERAL:
        value = try_convert_to_type(loc, graph, concrete_type, value, allow_conversions)
    if not T.is_subtype(value.type, concrete_type):
        if failures.render:
            message = _type_mismatch_message(arg, repr_str(value.type))
            if isinstance(value.type, T.TensorType) and value.type.inferred:
                message += (f"Inferred the value for argument '{arg.name}' to be of type 'Tensor' "
                            "because it was not annotated with an explicit type.\n")
            if isinstance(value.type, T.ListType) and T.is_subtype(value.type.element, T.Tensor):
                message += ("Empty lists default to List[Tensor]. Add a variable annotation to the assignment "
                            "to create an empty list of another type (torch.jit.annotate(List[T, []]) where T "
                            "is the type of elements in the list for Python 2)\n")
            failures.err(schema, message)
        return None
    return value


def _find_input_with_name(name: str, kwargs: Sequence[NamedValue], is_aten: bool) -> int | None:
    """torch: findInputWithName. An aten schema's ``self`` is also reachable as ``input``."""
    for i, kwarg in enumerate(kwargs):
        if is_aten and name == "self" and kwarg.name == "input":
            return i
        if kwarg.name == name:
            return i
    return None


def _try_create_list(element_type: T.JitType, graph: Graph, loc: SourceRange | None,
                     varargs: Sequence[NamedValue], schema: FunctionSchema, failures: _Failures,
                     convert_tensor_to_num: bool, type_env: TypeEnv) -> Value | None:
    """Pack positional arguments into one list argument (``zeros(1, 2)``). torch: tryCreateList."""
    element_arg = Argument("<varargs>", element_type)
    elements = []
    for named_value in varargs:
        matched = _try_match_argument(element_arg, graph, loc, named_value, schema, failures,
                                      convert_tensor_to_num, type_env)
        if matched is None:
            return None
        elements.append(matched)
    return graph.insert_node(create_list(graph, element_type, elements)).output()


def _varargs_can_be_used_as_list(schema: FunctionSchema, arg_index: int, arg: Argument) -> bool:
    """torch: varargsCanBeUsedAsList."""
    args = schema.arguments
    is_last_argument = arg_index + 1 == len(args) or args[arg_index + 1].kwarg_only
    argument_is_list = isinstance(arg.type, T.ListType)
    typevar_list = argument_is_list and isinstance(arg.type.element, T.VarType)
    # A broadcasting list (int[2]) takes a single int as itself, not as varargs.
    is_broadcasting_list = bool(arg.N)
    return is_last_argument and argument_is_list and not is_broadcasting_list and not typevar_list


_BLOCK_LISTED = frozenset({
    # x.view(1) would match it: TorchScript cannot tell a ScalarType from an int.
    ("aten::view", "dtype"),
    # Collide with aten::max.other / aten::min.other (two Tensor inputs).
    ("aten::max", "unary_out"),
    ("aten::min", "unary_out"),
})


def _is_block_listed(schema: FunctionSchema) -> bool:
    """Overloads overload resolution never considers. torch: isBlockListedSchema."""
    return (schema.name, schema.overload_name) in _BLOCK_LISTED


def _default_value(graph: Graph, arg: Argument) -> NamedValue:
    """The schema default of ``arg`` as a constant at the insert point (no source range, as in torch)."""
    default = arg.default_value
    if isinstance(default, DeviceLiteral):
        default = Device(default.text)
    list_type = unwrap_optional(arg.type)
    if isinstance(default, (tuple, list)) and isinstance(list_type, T.ListType):
        return NamedValue.of(insert_constant(graph, list(default), None, list_type))
    return NamedValue.of_constant(default)


# --- one schema ----------------------------------------------------------------


class _ArgumentPlan:
    """What matching needs to know about one schema argument that does not
    depend on the call."""

    __slots__ = ("argument", "broadcast_element", "has_type_variables", "varargs_list")

    def __init__(self, schema: FunctionSchema, index: int, arg: Argument) -> None:
        self.argument = arg
        self.has_type_variables = has_free_variables(arg.type)
        self.varargs_list = _varargs_can_be_used_as_list(schema, index, arg)
        # int[N] / float[N]: the element type a lone number may stand for.
        list_type = unwrap_optional(arg.type)
        self.broadcast_element = list_type.element if isinstance(list_type, T.ListType) and arg.N else None


class _SchemaPlan:
    """A schema's call-independent facts, worked out once instead of on every
    call tried against it."""

    __slots__ = ("arguments", "block_listed", "field_names", "full_name", "is_aten", "return_types", "schema")

    def __init__(self, schema: FunctionSchema) -> None:
        self.schema = schema
        self.block_listed = _is_block_listed(schema)
        self.is_aten = schema.namespace == "aten"
        self.arguments = tuple(_ArgumentPlan(schema, i, arg) for i, arg in enumerate(schema.arguments))
        # Return types without type variables are the same for every call.
        self.return_types: tuple[T.JitType, ...] | None = (
            None if any(has_free_variables(r.type) for r in schema.returns) else tuple(r.type for r in schema.returns))
        self.field_names = tuple(r.name for r in schema.returns) if all(r.name for r in schema.returns) else None
        self.full_name = full_schema_name(schema)


#: Plans by id(schema); each entry holds its schema, so the id stays its own.
_PLANS: dict[int, _SchemaPlan] = {}
_PLANS_LIMIT = 8192


def _plan(schema: FunctionSchema) -> _SchemaPlan:
    plan = _PLANS.get(id(schema))
    if plan is None or plan.schema is not schema:
        if len(_PLANS) >= _PLANS_LIMIT:
            _PLANS.clear()   # (user functions' schemas come and go with their analyses)
        plan = _PLANS[id(schema)] = _SchemaPlan(schema)
    return plan


def _try_match_schema(schema: FunctionSchema, loc: SourceRange | None, graph: Graph,
                      args: Sequence[NamedValue], kwargs: Sequence[NamedValue], self: NamedValue | None,
                      failures: _Failures, allow_conversions: bool) -> MatchedSchema | None:
    """torch: tryMatchSchema."""
    plan = _plan(schema)
    if plan.block_listed:
        return None

    type_env: TypeEnv = {}
    positional_inputs: list[Value] = []
    used_kwarg = [False] * len(kwargs)
    is_aten = plan.is_aten

    used_args = 0
    for arg_plan in plan.arguments:
        arg = arg_plan.argument
        actual: NamedValue | None = None
        if self is not None and arg.name == "self":
            actual = self
            self = None
        elif not arg.kwarg_only and used_args < len(args):
            # The last positional list argument may take all remaining
            # positional arguments: zeros(int[] size) accepts zeros(1, 2).
            if allow_conversions and arg_plan.varargs_list:
                value = args[used_args].value(graph)
                formal = unwrap_optional(arg.type)
                if not isinstance(value.type, T.ListType) and not convertible_to_list(value.type, formal):
                    assert isinstance(formal, T.ListType)
                    packed = _try_create_list(formal.element, graph, loc, args[used_args:], schema, failures,
                                              allow_conversions, type_env)
                    if packed is None:
                        return None
                    used_args = len(args)
                    positional_inputs.append(packed)
                    continue
            actual = args[used_args]
            used_args += 1
        elif kwargs and (kwarg_index := _find_input_with_name(arg.name, kwargs, is_aten)) is not None:
            kwarg = kwargs[kwarg_index]
            if used_kwarg[kwarg_index]:
                failures.err(schema, f"Argument {kwarg.name} specified twice in schema, submit a bug report!\n")
                return None
            used_kwarg[kwarg_index] = True
            actual = kwarg
        elif arg.has_default_value:
            actual = _default_value(graph, arg)
        else:
            failures.err(schema, f"Argument {arg.name} not provided.\n")
            return None

        positional = _try_match_argument(arg, graph, loc, actual, schema, failures, allow_conversions, type_env,
                                         arg_plan)
        if positional is None:
            return None
        positional_inputs.append(positional)

    if self is not None:
        failures.err(schema, "Provided self argument not used in schema.\n")
        return None

    if schema.is_vararg:
        while used_args < len(args):
            positional_inputs.append(args[used_args].value(graph))
            used_args += 1

    if used_args < len(args):
        failures.err(schema, f"Expected at most {used_args} arguments but found {len(args)} positional arguments.\n")
        return None

    for i, kwarg in enumerate(kwargs):
        if not used_kwarg[i]:
            if schema.argument_index_with_name(kwarg.name or "") is None:
                failures.err(schema, f"Keyword argument {kwarg.name} unknown.\n")
            else:
                failures.err(schema, f"Keyword argument {kwarg.name} specified twice.\n")
            return None

    if plan.return_types is not None:
        return_types = list(plan.return_types)
    else:
        return_types = []
        for r in schema.returns:
            evaluated = try_eval_type_variables(r.type, type_env)
            if evaluated is None:
                raise RuntimeError(f"{repr_str(r.type)} has unbound type variables.")
            return_types.append(evaluated)
    # Either every return has a name (the result is a named tuple) or none.
    field_names = list(plan.field_names) if plan.field_names is not None else None

    return MatchedSchema(positional_inputs, return_types, field_names, plan.full_name, schema)


def _as_named(values: Sequence[Any]) -> list[NamedValue]:
    return [v if isinstance(v, NamedValue) else NamedValue.of(v) for v in values]


def match_schema(schema: FunctionSchema, loc: SourceRange | None, graph: Graph, args: Sequence[NamedValue | Value],
                 kwargs: Sequence[NamedValue] = (), self: NamedValue | None = None) -> MatchedSchema:
    """Match a call to one schema, with conversions, or raise torch's error. torch: matchSchema."""
    failures = _Failures(render=True)
    matched = _try_match_schema(schema, loc, graph, _as_named(args), list(kwargs), self, failures,
                                allow_conversions=True)
    if matched is not None:
        return matched
    raise CompileError(failures.text(), loc, code="PJ240")


def _prefix_lines(text: str, prefix: str) -> str:
    """Put ``prefix`` at the start of every line. torch: prefixLine."""
    out = []
    was_newline = True
    for c in text:
        if was_newline:
            out.append(prefix)
        out.append(c)
        was_newline = c == "\n"
    return "".join(out)


def match_schemas(schemas: Sequence[FunctionSchema], loc: SourceRange | None, graph: Graph,
                  args: Sequence[NamedValue | Value], kwargs: Sequence[NamedValue] = (),
                  self: NamedValue | None = None, render_errors: bool = False) -> tuple[int, MatchedSchema]:
    """The first overload the call matches, and its index. torch: matchSchemas.

    Every schema is tried without implicit conversions first, then with
    them. Raises torch's ``Arguments for call are not valid.`` error.
    """
    if not schemas:
        raise ValueError("match_schemas needs at least one schema")
    args = _as_named(args)
    kwargs = list(kwargs)
    # One candidate: no pass without conversions (less dead code in the graph).
    if len(schemas) == 1:
        return 0, match_schema(schemas[0], loc, graph, args, kwargs, self)
    failures = _Failures(render=render_errors)
    for allow_conversions in (False, True):
        failures.clear()
        for i, schema in enumerate(schemas):
            matched = _try_match_schema(schema, loc, graph, args, kwargs, self, failures, allow_conversions)
            if matched is not None:
                return i, matched
    # Errors are rendered only once a call is known to fail: replay.
    if not render_errors:
        return match_schemas(schemas, loc, graph, args, kwargs, self, render_errors=True)
    raise CompileError(
        "Arguments for call are not valid.\n"
        "The following variants are available:\n"
        + _prefix_lines(failures.text(), "  ")
        + "\nThe original call is",
        loc,
        code="PJ240",
    )


# --- implicit conversions ---------------------------------------------------------


_FROM_TENSOR = {
    T.FloatType: "FloatImplicit",
    T.ComplexType: "ComplexImplicit",
    T.IntType: "IntImplicit",
    T.NumberType: "ScalarImplicit",
}
_FROM_NUMBER = {
    T.FloatType: "Float",
    T.ComplexType: "Complex",
    T.IntType: "Int",
}
_FROM_BOOL = {
    T.FloatType: "Float",
    T.IntType: "Int",
    T.NumberType: "Int",
}


def try_convert_to_type(loc: SourceRange | None, graph: Graph, concrete_type: T.JitType, value: Value,
                        allow_conversions: bool) -> Value:
    """``value``, converted towards ``concrete_type`` where TorchScript allows it.

    The result is not guaranteed to fit ``concrete_type``: the caller checks.
    torch: tryConvertToType.

    Always applied, whatever the pass:

    * a tuple whose elements all fit a list's element type becomes that list
      (``x.view((2, 3))``);
    * a tuple is converted element-wise to a tuple type it does not already fit;
    * the empty list literal ``prim::EmptyListLiteral`` becomes a typed empty list.

    Only with ``allow_conversions`` (overload resolution's second pass, and
    every single-overload match):

    * a Tensor becomes ``float`` / ``complex`` / ``int`` / ``Scalar`` through
      ``aten::FloatImplicit`` / ``ComplexImplicit`` / ``IntImplicit`` /
      ``ScalarImplicit``;
    * a ``Scalar`` (``number``) becomes ``float`` / ``complex`` / ``int`` through
      ``aten::Float`` / ``aten::Complex`` / ``aten::Int``;
    * a ``bool`` becomes ``float`` through ``aten::Float``, ``int`` or ``Scalar``
      through ``aten::Int``;
    * a ``str`` becomes a ``Device`` through ``aten::device``.

    Only the inserted conversion operators get the call's range, as in torch.
    """
    # A conversion to Optional[T] is a conversion to T.
    if (isinstance(concrete_type, T.OptionalType) and not isinstance(value.type, T.OptionalType)
            and not T.is_subtype(value.type, T.NoneT)):
        return try_convert_to_type(loc, graph, concrete_type.element, value, allow_conversions)

    # The unannotated empty list literal `[]` fits any list type.
    if value.node.kind is EMPTY_LIST_LITERAL and isinstance(concrete_type, T.ListType):
        value = graph.insert_node(create_list(graph, concrete_type.element, ())).output()

    value_tuple = value.type
    if isinstance(value_tuple, T.TupleType):
        # Homogeneous tuples turn into lists of the expected element type.
        list_type = unwrap_optional(concrete_type)
        if convertible_to_list(value.type, list_type):
            assert isinstance(list_type, T.ListType)
            unpacked = create_tuple_unpack(value)
            value = graph.insert_node(create_list(graph, list_type.element, unpacked)).output()

        # Tuples convert element by element.
        if isinstance(concrete_type, T.TupleType) and (not T.is_subtype(value_tuple, concrete_type)
                and len(concrete_type.elements) == len(value_tuple.elements)):
            unpacked = create_tuple_unpack(value)
            converted = [
                try_convert_to_type(loc, graph, element_type, element, allow_conversions)
                for element_type, element in zip(concrete_type.elements, unpacked, strict=False)
            ]
            value = graph.insert_node(graph.create_tuple(converted)).output()

    if allow_conversions:
        target = type(concrete_type)
        if T.is_subtype(value.type, T.Tensor):
            op = _FROM_TENSOR.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)
        elif value.type == T.Number:
            op = _FROM_NUMBER.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)
        elif value.type == T.Bool:
            op = _FROM_BOOL.get(target)
            if op is not None:
                value = insert_op(graph, aten(op), [value], loc=loc)

        if T.is_subtype(value.type, T.Str) and T.is_subtype(concrete_type, T.Device):
            return insert_op(graph, aten("device"), [value], loc=loc)

    return value


# --- emitting --------------------------------------------------------------------


def pack_outputs(graph: Graph, values: Sequence[Value], field_names: list[str] | None) -> Value:
    """One value stays itself; several become a tuple, named when the returns are.

    torch: packOutputs (schema_matching.cpp).
    """
    if len(values) == 1:
        return values[0]
    tuple_type = None
    if field_names is not None:
        tuple_type = T.TupleType(
            tuple(v.type for v in values), None,
            tuple(T.NamedTupleField(name, v.type) for name, v in zip(field_names, values, strict=False)),
        )
    return graph.insert_node(graph.create_tuple(values, tuple_type)).output()


def emit_builtin_node(matched: MatchedSchema, loc: SourceRange | None, graph: Graph, name: Symbol) -> Value:
    """Insert the operator node for a matched schema. torch: emitBuiltinNode."""
    n = graph.insert_node(graph.create(name, matched.inputs, 0)).set_source_range(loc)
    for return_type in matched.return_types:
        n.add_output(return_type)
    return pack_outputs(graph, n.outputs, matched.return_field_names)


def emit_builtin_call(loc: SourceRange | None, graph: Graph, name: Symbol | str, args: Sequence[NamedValue | Value],
                      kwargs: Sequence[NamedValue] = (), self: NamedValue | None = None) -> Value:
    """Resolve a call to the builtin ``name`` and emit it at the insert point.

    An operator overload becomes one node (``loc`` is its source range); a
    TorchScript-written builtin function (``aten::_pair``, ``aten::add`` for
    ``(int, Tensor)``, ``prim::shape``...) is inlined. torch: emitBuiltinCall.
    """
    if isinstance(name, str):
        name = Symbol(name)
    schemas, operator_count, functions = _candidates(name)
    if not schemas:
        raise CompileError(unknown_builtin_message(name), loc, code="PJ241")

    index, matched = match_schemas(schemas, loc, graph, _as_named(args), list(kwargs), self)
    if index < operator_count:
        return emit_builtin_node(matched, loc, graph, name)
    # Builtin functions are small wrappers: torch inlines them.
    return functions[index - operator_count].inline(graph, matched.inputs)[0]


#: The overloads of each builtin name, operators first, then builtin
#: functions (both tables are fixed for the process), with the operator count.
_CANDIDATES: dict[Symbol, tuple[tuple[FunctionSchema, ...], int, tuple[Any, ...]]] = {}


def _candidates(name: Symbol) -> tuple[tuple[FunctionSchema, ...], int, tuple[Any, ...]]:
    found = _CANDIDATES.get(name)
    if found is None:
        variants = schemas_for(name.qual_string())
        functions = builtin_functions_for(name)
        found = _CANDIDATES[name] = (tuple(variants) + tuple(f.schema for f in functions), len(variants), functions)
    return found


def insert_op(graph: Graph, name: Symbol | str, args: Sequence[NamedValue | Value],
              kwargs: Sequence[NamedValue] = (), loc: SourceRange | None = None) -> Value:
    """Emit a builtin call from compiler code. torch: Graph::insert.

    Without ``loc`` the node has no source range (torch's fake range, which
    prints no ``# file:line:col`` comment).
    """
    return emit_builtin_call(loc, graph, name, args, kwargs)


# --- which schema a node has ---------------------------------------------------------------


def node_matches(node: Node, schema: FunctionSchema) -> bool:
    """Whether ``node``'s kind and input types fit ``schema``. torch: Node::matches."""
    if _is_block_listed(schema) or node.kind.qual_string() != schema.name:
        return False
    actuals = node.inputs
    formals = schema.arguments
    if len(actuals) < len(formals):
        return False
    type_env: TypeEnv = {}
    for actual, arg in zip(actuals, formals, strict=False):
        formal = arg.type
        if match_type_variables(formal, actual.type, type_env) is not None:
            return False
        # None may leave a variable of Optional[t] unbound; None still fits it.
        formal = try_eval_type_variables(formal, type_env) or formal
        if not T.is_subtype(actual.type, formal):
            return False
    return schema.is_vararg or len(actuals) == len(formals)


def find_schema(node: Node) -> FunctionSchema | None:
    """The first registered overload of ``node.kind`` its inputs fit, as torch's
    ``node.schema()`` finds it. torch: Node::maybeSchema (via maybeOperator)."""
    for schema in schemas_for(node.kind.qual_string()):
        if node_matches(node, schema):
            return schema
    return None
