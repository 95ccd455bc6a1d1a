"""Schema matching and overload resolution, as specified by torch's schema_matching.cpp.

These tests need no torch: the schemas come from pyjit's bundled registry or
are parsed from text. ``test_matching_against_torch.py`` checks the same
machinery call by call against real torch.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from pyjit_core.frontend.builtin_functions import all_builtin_functions, builtin_functions_for
from pyjit_core.frontend.conversions import convertible_to_list
from pyjit_core.frontend.errors import CompileError
from pyjit_core.frontend.matching import (
    MatchedSchema,
    emit_builtin_call,
    find_schema,
    insert_op,
    match_schema,
    match_schemas,
    try_convert_to_type,
)
from pyjit_core.frontend.named_value import NamedValue
from pyjit_core.frontend.unknown_operators import edit_distance
from pyjit_core.ir import types as T
from pyjit_core.ir.constants import constant_value, insert_constant
from pyjit_core.ir.graph import Graph, Value
from pyjit_core.ir.source_range import SourceRange
from pyjit_core.ir.symbols import Symbol, kinds
from pyjit_core.ir.type_variables import match_type_variables, repr_str, try_eval_type_variables
from pyjit_core.schema import parse_schema, schemas_for

LOC = SourceRange("m.py", 3, 11, 3, 20)


def graph_with(**inputs: T.JitType) -> tuple[Graph, dict[str, Value]]:
    g = Graph()
    return g, {name: g.add_input(name, t) for name, t in inputs.items()}


def const(g: Graph, value: object) -> NamedValue:
    return NamedValue.of(insert_constant(g, value))


def emitted(g: Graph) -> list[str]:
    """Kinds of the nodes in the graph, in order."""
    return [n.kind.qual_string() for n in g.nodes()]


# --- binding arguments to one schema ------------------------------------------------------


class TestBinding:
    def test_positional_arguments_fill_parameters_in_order(self) -> None:
        g, v = graph_with(a=T.Int, b=T.Int)
        m = match_schema(parse_schema("aten::sub.int(int a, int b) -> int"), LOC, g,
                         [NamedValue.of(v["a"]), NamedValue.of(v["b"])])
        assert m.inputs == [v["a"], v["b"]]
        assert m.return_types == [T.Int]
        assert m.schema_name == "aten::sub.int"

    def test_keyword_arguments_fill_parameters_by_name(self) -> None:
        g, v = graph_with(a=T.Int, b=T.Int)
        m = match_schema(parse_schema("aten::sub.int(int a, int b) -> int"), LOC, g, [],
                         [NamedValue.of(v["b"], "b"), NamedValue.of(v["a"], "a")])
        assert m.inputs == [v["a"], v["b"]]

    def test_missing_parameters_take_their_defaults_as_constants_without_a_range(self) -> None:
        g, v = graph_with(x=T.Tensor, y=T.Tensor)
        m = match_schema(schemas_for("aten::add")[0], LOC, g, [NamedValue.of(v["x"]), NamedValue.of(v["y"])])
        alpha = m.inputs[2]
        assert alpha.node.kind is kinds.Constant
        assert constant_value(alpha) == 1
        assert alpha.node.source_range is None

    def test_list_defaults_become_typed_list_constants(self) -> None:
        g, v = graph_with(x=T.Tensor)
        (schema,) = [s for s in schemas_for("aten::max_pool2d") if s.overload_name == ""]
        m = match_schema(schema, LOC, g, [NamedValue.of(v["x"]), const(g, [2, 2])])
        stride, padding, dilation = m.inputs[2:5]
        assert (stride.type, constant_value(stride)) == (T.ListType(T.Int), [])
        assert constant_value(padding) == [0, 0]
        assert constant_value(dilation) == [1, 1]

    def test_keyword_only_parameters_cannot_be_given_positionally(self) -> None:
        g, v = graph_with(x=T.Tensor, y=T.Tensor)
        with pytest.raises(CompileError) as info:
            match_schema(schemas_for("aten::add")[0], LOC, g, [NamedValue.of(v[n]) for n in "xyx"])
        assert info.value.message.endswith("Expected at most 2 arguments but found 3 positional arguments.\n")

    def test_an_aten_self_parameter_also_answers_to_input(self) -> None:
        g, v = graph_with(x=T.Tensor)
        m = match_schema(parse_schema("aten::relu(Tensor self) -> Tensor"), LOC, g, [],
                         [NamedValue.of(v["x"], "input")])
        assert m.inputs == [v["x"]]

    def test_input_is_not_self_outside_aten(self) -> None:
        g, v = graph_with(x=T.Tensor)
        with pytest.raises(CompileError, match="Argument self not provided"):
            match_schema(parse_schema("quantized::relu(Tensor self) -> Tensor"), LOC, g, [],
                         [NamedValue.of(v["x"], "input")])

    def test_the_receiver_of_a_method_call_binds_to_self(self) -> None:
        g, v = graph_with(x=T.Tensor, y=T.Tensor)
        m = match_schema(schemas_for("aten::add")[0], LOC, g, [NamedValue.of(v["y"])], [],
                         self=NamedValue.of(v["x"], "self"))
        assert m.inputs[:2] == [v["x"], v["y"]]

    def test_a_receiver_no_parameter_takes_fails_the_schema(self) -> None:
        g, v = graph_with(s=T.Str)
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("aten::add.str(str a, str b) -> str"), LOC, g,
                         [NamedValue.of(v["s"]), NamedValue.of(v["s"])], [], self=NamedValue.of(v["s"], "self"))
        assert info.value.message.endswith("Provided self argument not used in schema.\n")

    def test_vararg_schemas_take_every_remaining_positional_argument(self) -> None:
        g, v = graph_with(a=T.Int, s=T.Str)
        m = match_schema(parse_schema("aten::format(str self, ...) -> str"), LOC, g,
                         [NamedValue.of(v["s"]), NamedValue.of(v["a"]), NamedValue.of(v["s"])])
        assert m.inputs == [v["s"], v["a"], v["s"]]

    def test_returns_with_names_give_field_names(self) -> None:
        g, v = graph_with(x=T.Tensor)
        (schema,) = [s for s in schemas_for("aten::max") if s.overload_name == "dim"]
        m = match_schema(schema, LOC, g, [NamedValue.of(v["x"]), const(g, 1)])
        assert m.return_field_names == ["values", "indices"]
        assert m.return_types == [T.Tensor, T.Tensor]

    def test_matched_schema_names_the_overload(self) -> None:
        g, v = graph_with(x=T.Tensor)
        m = match_schema(parse_schema("aten::relu(Tensor self) -> Tensor"), LOC, g, [NamedValue.of(v["x"])])
        assert m == MatchedSchema([v["x"]], [T.Tensor], None, "aten::relu")


# --- lists ---------------------------------------------------------------------------------


class TestLists:
    def test_one_int_fills_a_fixed_size_int_list(self) -> None:
        g, v = graph_with(x=T.Tensor, k=T.Int)
        (schema,) = [s for s in schemas_for("aten::max_pool2d") if s.overload_name == ""]
        m = match_schema(schema, LOC, g, [NamedValue.of(v["x"]), NamedValue.of(v["k"])])
        kernel = m.inputs[1]
        assert kernel.node.kind is kinds.ListConstruct
        assert kernel.node.inputs == (v["k"], v["k"])
        assert kernel.type == T.ListType(T.Int)
        assert kernel.node.source_range is None

    def test_remaining_positional_arguments_pack_into_the_last_list_parameter(self) -> None:
        g, v = graph_with(a=T.Int, b=T.Int)
        out = emit_builtin_call(LOC, g, Symbol("aten::zeros"), [NamedValue.of(v["a"]), NamedValue.of(v["b"])])
        size = out.node.inputs[0]
        assert size.node.kind is kinds.ListConstruct
        assert size.node.inputs == (v["a"], v["b"])

    def test_packing_needs_the_conversion_pass(self) -> None:
        g, v = graph_with(a=T.Int, b=T.Int)
        args = [NamedValue.of(v["a"]), NamedValue.of(v["b"])]
        # No overload takes (int, int, out=) as it is; in the second pass
        # aten::zeros packs the ints but has no `out`, aten::zeros.out matches.
        index, m = match_schemas(schemas_for("aten::zeros"), LOC, g, args, [NamedValue.of(g.add_input("o"), "out")])
        assert (index, m.schema_name) == (1, "aten::zeros.out")
        assert m.inputs[0].node.inputs == (v["a"], v["b"])

    def test_fixed_size_lists_do_not_pack(self) -> None:
        schema = parse_schema("aten::f(int[2] kernel) -> int")
        g, v = graph_with(a=T.Int, b=T.Int)
        with pytest.raises(CompileError, match="Expected at most 1 arguments but found 2"):
            match_schema(schema, LOC, g, [NamedValue.of(v["a"]), NamedValue.of(v["b"])])

    def test_a_literal_tuple_becomes_a_list_of_its_elements(self) -> None:
        g, v = graph_with(x=T.Tensor, a=T.Int)
        t = g.insert_node(g.create(kinds.TupleConstruct, [v["a"], v["a"]]))
        t.output().set_type(T.TupleType((T.Int, T.Int)))
        out = emit_builtin_call(LOC, g, "aten::view", [NamedValue.of(t.output())], [], NamedValue.of(v["x"], "self"))
        size = out.node.inputs[1]
        assert size.node.kind is kinds.ListConstruct
        assert size.node.inputs == (v["a"], v["a"])

    def test_a_tuple_value_is_unpacked_into_a_list(self) -> None:
        g, v = graph_with(x=T.Tensor, t=T.TupleType((T.Int, T.Int)))
        out = emit_builtin_call(LOC, g, "aten::view", [NamedValue.of(v["t"])], [], NamedValue.of(v["x"], "self"))
        size = out.node.inputs[1]
        unpack = size.node.inputs[0].node
        assert unpack.kind is kinds.TupleUnpack
        assert unpack.inputs == (v["t"],)

    def test_convertible_to_list(self) -> None:
        ints = T.ListType(T.Int)
        assert convertible_to_list(ints, ints)
        assert convertible_to_list(T.TupleType((T.Int, T.Int)), ints)
        assert not convertible_to_list(T.TupleType((T.Int, T.Float)), ints)
        assert not convertible_to_list(T.Int, ints)
        assert not convertible_to_list(T.TupleType((T.Int,)), T.Int)

    def test_the_empty_list_literal_takes_the_expected_element_type(self) -> None:
        g, _ = graph_with()
        empty = g.insert_node(g.create(Symbol("prim::EmptyListLiteral"))).output()
        converted = try_convert_to_type(LOC, g, T.ListType(T.Float), empty, allow_conversions=False)
        assert converted.type == T.ListType(T.Float)
        assert converted.node.kind is kinds.ListConstruct


# --- implicit conversions ---------------------------------------------------------------------


class TestConversions:
    @pytest.mark.parametrize(("target", "op"), [(T.Float, "aten::FloatImplicit"), (T.Int, "aten::IntImplicit"),
                                            (T.Complex, "aten::ComplexImplicit"),
                                            (T.Number, "aten::ScalarImplicit")])
    def test_a_tensor_converts_to_a_number_with_the_calls_range(self, target: T.JitType, op: str) -> None:
        g, v = graph_with(x=T.Tensor)
        out = try_convert_to_type(LOC, g, target, v["x"], allow_conversions=True)
        assert out.node.kind.qual_string() == op
        assert out.node.source_range == LOC

    @pytest.mark.parametrize(("source", "target", "op"), [
        (T.Number, T.Float, "aten::Float"), (T.Number, T.Int, "aten::Int"), (T.Number, T.Complex, "aten::Complex"),
        (T.Bool, T.Float, "aten::Float"), (T.Bool, T.Int, "aten::Int"), (T.Bool, T.Number, "aten::Int"),
        (T.Str, T.Device, "aten::device"), (T.Str, T.OptionalType(T.Device), "aten::device"),
    ])
    def test_scalar_conversions(self, source: T.JitType, target: T.JitType, op: str) -> None:
        g, v = graph_with(a=source)
        out = try_convert_to_type(LOC, g, target, v["a"], allow_conversions=True)
        assert out.node.kind.qual_string() == op

    def test_nothing_converts_without_allow_conversions(self) -> None:
        g, v = graph_with(x=T.Tensor, s=T.Str)
        assert try_convert_to_type(LOC, g, T.Int, v["x"], allow_conversions=False) is v["x"]
        assert try_convert_to_type(LOC, g, T.Device, v["s"], allow_conversions=False) is v["s"]
        assert emitted(g) == []

    def test_an_int_never_becomes_a_float(self) -> None:
        g, v = graph_with(a=T.Int)
        assert try_convert_to_type(LOC, g, T.Float, v["a"], allow_conversions=True) is v["a"]

    def test_tuples_convert_element_by_element(self) -> None:
        g, v = graph_with(t=T.TupleType((T.Tensor, T.Int)))
        out = try_convert_to_type(LOC, g, T.TupleType((T.Float, T.Int)), v["t"], allow_conversions=True)
        assert out.type == T.TupleType((T.Float, T.Int))
        assert emitted(g) == ["prim::TupleUnpack", "aten::FloatImplicit", "prim::TupleConstruct"]

    def test_a_single_overload_is_matched_with_conversions(self) -> None:
        g, v = graph_with(x=T.Tensor)
        m = match_schema(parse_schema("aten::f(int a) -> int"), LOC, g, [NamedValue.of(v["x"])])
        assert m.inputs[0].node.kind.qual_string() == "aten::IntImplicit"


# --- type variables ---------------------------------------------------------------------------


class TestTypeVariables:
    def test_a_variable_binds_to_the_first_type_it_meets(self) -> None:
        env: dict[str, T.JitType] = {}
        assert match_type_variables(T.ListType(T.VarType("t")), T.ListType(T.Int), env) is None
        assert env == {"t": T.Int}
        assert try_eval_type_variables(T.ListType(T.ListType(T.VarType("t"))), env) == T.ListType(T.ListType(T.Int))

    def test_a_conflicting_binding_is_refused_with_torchs_reason(self) -> None:
        env = {"t": T.Int}
        assert match_type_variables(T.VarType("t"), T.Str, env) == \
            "Type variable 't' previously matched to type int is matched to type str"

    def test_container_mismatches(self) -> None:
        assert match_type_variables(T.ListType(T.VarType("t")), T.Tensor, {}) == "Cannot match List[t] to Tensor"
        assert match_type_variables(T.DictType(T.Str, T.VarType("t")), T.Int, {}) == "Cannot match a dict to int"
        assert match_type_variables(T.TupleType((T.VarType("t"),)), T.Int, {}) == "Cannot match a tuple to int"

    def test_a_tuple_matches_a_list_of_its_unified_elements(self) -> None:
        env: dict[str, T.JitType] = {}
        assert match_type_variables(T.ListType(T.VarType("t")), T.TupleType((T.Int, T.Int)), env) is None
        assert env == {"t": T.Int}

    def test_none_leaves_an_optional_variable_unbound(self) -> None:
        env: dict[str, T.JitType] = {}
        assert match_type_variables(T.OptionalType(T.VarType("t")), T.NoneT, env) is None
        assert try_eval_type_variables(T.OptionalType(T.VarType("t")), env) is None

    def test_return_types_are_evaluated(self) -> None:
        g, v = graph_with(a=T.ListType(T.Str), b=T.ListType(T.Str))
        out = emit_builtin_call(LOC, g, "aten::add", [NamedValue.of(v["a"]), NamedValue.of(v["b"])])
        assert out.type == T.ListType(T.Str)

    def test_an_unbound_variable_fails_the_argument(self) -> None:
        g, _ = graph_with()
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("aten::f(t? a) -> int"), LOC, g, [const(g, None)])
        assert info.value.message == (
            "\naten::f(t? a) -> int:\n"
            "Type variables in type Optional[t] could not be inferred from actual type NoneType")

    def test_messages_spell_an_unannotated_parameter_as_inferred(self) -> None:
        assert repr_str(T.TensorType.get_inferred()) == "Tensor (inferred)"
        assert repr_str(T.ListType(T.TensorType.get_inferred())) == "List[Tensor]"


# --- overload resolution -----------------------------------------------------------------------


class TestResolution:
    def test_the_first_overload_that_matches_wins(self) -> None:
        g, v = graph_with(x=T.Tensor, y=T.Tensor)
        index, m = match_schemas(schemas_for("aten::add"), LOC, g, [NamedValue.of(v["x"]), NamedValue.of(v["y"])])
        assert (index, m.schema_name) == (0, "aten::add.Tensor")

    def test_an_exact_match_beats_an_earlier_one_needing_conversions(self) -> None:
        # aten::add.Scalar(Tensor, Scalar) would take a bool through aten::Int;
        # nothing takes (int, Tensor) without conversions but the builtin function.
        g, v = graph_with(x=T.Tensor, a=T.Int)
        out = emit_builtin_call(LOC, g, "aten::add", [NamedValue.of(v["a"]), NamedValue.of(v["x"])])
        assert out.node.kind.qual_string() == "aten::add"
        assert out.node.inputs[:2] == (v["x"], v["a"])
        assert out.node.source_range == SourceRange("<string>", 5, 9)

    def test_conversions_are_a_second_pass(self) -> None:
        g, v = graph_with(x=T.Tensor, b=T.Bool)
        out = emit_builtin_call(LOC, g, "aten::add", [NamedValue.of(v["x"]), NamedValue.of(v["b"])])
        assert find_schema(out.node).overload_name == "Scalar"
        assert out.node.inputs[1].node.kind.qual_string() == "aten::Int"

    def test_view_dtype_is_never_chosen(self) -> None:
        g, v = graph_with(x=T.Tensor, a=T.Int)
        out = emit_builtin_call(LOC, g, "aten::view", [NamedValue.of(v["a"])], [], NamedValue.of(v["x"], "self"))
        assert out.node.inputs[1].type == T.ListType(T.Int)

    def test_the_emitted_node_carries_the_calls_range(self) -> None:
        g, v = graph_with(x=T.Tensor)
        out = emit_builtin_call(LOC, g, "aten::relu", [NamedValue.of(v["x"])])
        assert out.node.source_range == LOC
        assert str(g).splitlines()[1] == "  %1 : Tensor = aten::relu(%x) # m.py:3:11"

    def test_several_returns_are_packed_in_a_named_tuple(self) -> None:
        g, v = graph_with(x=T.Tensor)
        out = emit_builtin_call(LOC, g, "aten::max", [NamedValue.of(v["x"]), const(g, 1)])
        assert out.node.kind is kinds.TupleConstruct
        assert str(out.type) == "NamedTuple(values : Tensor, indices : Tensor)"

    def test_no_returns_give_an_empty_named_tuple(self) -> None:
        g, v = graph_with(x=T.Tensor)
        out = emit_builtin_call(LOC, g, "aten::_assert_async", [NamedValue.of(v["x"])])
        assert out.node.kind is kinds.TupleConstruct
        assert str(out.type) == "NamedTuple()"

    def test_insert_op_without_a_range_prints_no_location(self) -> None:
        g, v = graph_with(x=T.Tensor)
        out = insert_op(g, "aten::relu", [v["x"]])
        assert out.node.source_range is None

    def test_find_schema_picks_the_first_overload_the_inputs_fit(self) -> None:
        g, v = graph_with(a=T.Int, f=T.Float)
        n = g.insert_node(g.create(Symbol("aten::add"), [v["a"], v["f"]]))
        n.output().set_type(T.Float)
        assert str(find_schema(n)) == "aten::add.int_float(int a, float b) -> float"


# --- builtin functions -------------------------------------------------------------------------


class TestBuiltinFunctions:
    def test_the_captured_functions_load(self) -> None:
        assert len(all_builtin_functions()) == 48
        assert [str(f.schema) for f in builtin_functions_for(Symbol("aten::add"))] == [
            "add(float a, Tensor b) -> Tensor", "add(int a, Tensor b) -> Tensor", "add(complex a, Tensor b) -> Tensor"]

    def test_pair_repeats_an_int_then_returns_it(self) -> None:
        g, v = graph_with(k=T.Int)
        out = emit_builtin_call(LOC, g, "aten::_pair", [NamedValue.of(v["k"])])
        assert out.node.kind is kinds.ListConstruct
        assert out.node.inputs == (v["k"], v["k"])
        assert emitted(g) == ["prim::ListConstruct"]

    def test_a_property_function_is_inlined(self) -> None:
        g, v = graph_with(x=T.Tensor)
        out = emit_builtin_call(LOC, g, "prim::shape", [NamedValue.of(v["x"])])
        assert out.node.kind.qual_string() == "aten::size"
        assert out.type == T.ListType(T.Int)

    def test_control_flow_is_inlined_with_its_blocks(self) -> None:
        g, v = graph_with(b=T.Bool, s=T.Str)
        emit_builtin_call(LOC, g, "aten::_assert", [NamedValue.of(v["b"]), NamedValue.of(v["s"])])
        (if_node,) = [n for n in g.nodes() if n.kind is kinds.If]
        assert if_node.inputs == (v["b"],)
        assert [n.kind.qual_string() for n in if_node.blocks[1].nodes()] == ["aten::add", "prim::RaiseException"]


# --- errors ----------------------------------------------------------------------------------------


class TestErrors:
    def test_no_overload_matches(self) -> None:
        g, v = graph_with(x=T.Tensor)
        with pytest.raises(CompileError) as info:
            emit_builtin_call(LOC, g, "aten::relu", [NamedValue.of(v["x"]), const(g, 1)])
        assert info.value.message == (
            "Arguments for call are not valid.\n"
            "The following variants are available:\n"
            "  \n"
            "  aten::relu(Tensor self) -> Tensor:\n"
            "  Expected at most 1 arguments but found 2 positional arguments.\n"
            "  \n"
            "  aten::relu.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!):\n"
            "  Argument out not provided.\n"
            "\n"
            "The original call is"
        )
        assert info.value.range == LOC

    def test_a_single_schema_reports_its_one_reason(self) -> None:
        g, v = graph_with(s=T.Str)
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("g(int a, float b=1.) -> float"), LOC, g, [NamedValue.of(v["s"])])
        assert info.value.message == (
            "\ng(int a, float b=1.) -> float:\n"
            "Expected a value of type 'int' for argument 'a' but instead found type 'str'.\n")

    @pytest.mark.parametrize(("kwargs", "reason"), [
        ({"c": 1}, "Keyword argument c unknown.\n"),
        ({"a": 1}, "Keyword argument a specified twice.\n"),
    ])
    def test_unused_keyword_arguments(self, kwargs: dict, reason: str) -> None:
        g, _ = graph_with()
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("g(int a, int b=1) -> int"), LOC, g, [const(g, 1)],
                         [NamedValue.of(insert_constant(g, v), k) for k, v in kwargs.items()])
        assert info.value.message.endswith(reason)

    def test_an_inferred_tensor_says_so(self) -> None:
        g, v = graph_with(u=T.TensorType.get_inferred())
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("aten::f(int[] a, int b=0) -> int"), LOC, g,
                         [NamedValue.of(v["u"]), const(g, 1)])
        assert info.value.message.endswith(
            "Expected a value of type 'List[int]' for argument 'a' but instead found type 'Tensor (inferred)'.\n"
            "Inferred the value for argument 'a' to be of type 'Tensor' because it was not annotated "
            "with an explicit type.\n")

    def test_a_list_of_tensors_hints_at_empty_lists(self) -> None:
        g, v = graph_with(l=T.ListType(T.Tensor))
        with pytest.raises(CompileError) as info:
            match_schema(parse_schema("aten::f(int[] a) -> int"), LOC, g, [NamedValue.of(v["l"])])
        assert "Empty lists default to List[Tensor]." in info.value.message

    def test_unknown_ops_suggest_close_names(self) -> None:
        g, v = graph_with(x=T.Tensor)
        with pytest.raises(CompileError) as info:
            emit_builtin_call(LOC, g, "aten::addd", [NamedValue.of(v["x"])])
        lines = info.value.message.splitlines()
        assert lines[:3] == ["Unknown builtin op: aten::addd.", "Here are some suggestions: ", "\taten::add"]
        assert lines[-1] == "The original call is"

    def test_unknown_ops_without_close_names(self) -> None:
        g, _ = graph_with()
        with pytest.raises(CompileError) as info:
            emit_builtin_call(LOC, g, "aten::no_such_operator_anywhere", [])
        assert info.value.message == (
            "Unknown builtin op: aten::no_such_operator_anywhere.\n"
            "Could not find any similar ops to aten::no_such_operator_anywhere. "
            "This op may not exist or may not be currently supported in TorchScript.\n")

    def test_edit_distance_stops_past_its_limit(self) -> None:
        assert edit_distance("aten::add", "aten::addd", 2) == 1
        assert edit_distance("kitten", "sitting", 5) == 3
        assert edit_distance("aten::add", "prim::max", 2) == 3


def test_importing_the_matcher_does_not_import_torch() -> None:
    code = "import sys, pyjit_core.frontend.matching, pyjit_core.frontend.builtin_functions; " \
           "pyjit_core.frontend.builtin_functions.all_builtin_functions(); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_mismatch_with_one_schema_reports_no_empty_first_line() -> None:
    # torch's message starts with a newline here; an editor would show an empty headline.
    from pyjit_core.session import Session

    source = (
        "import torch\n\n"
        "def h(x: torch.Tensor) -> torch.Tensor:\n    return x\n\n"
        "@torch.jit.script\n"
        "def f(x: torch.Tensor) -> torch.Tensor:\n    return h(x, 3)\n"
    )
    (d,) = Session().check("/virtual/m.py", source).diagnostics
    assert d.code == "PJ240"
    assert d.message.startswith("h(Tensor x) -> Tensor:\nExpected at most 1 arguments but found 2 positional")
