"""The schema parser reads torch's schema language into FunctionSchema values.

Expected values were checked against torch 2.13's ``torch._C.parse_schema``
(tests/conformance/test_schemas_against_torch.py re-checks the printed forms
against live torch).
"""

from __future__ import annotations

import pytest

from pyjit_core.ir import types as T
from pyjit_core.schema import (
    NO_DEFAULT,
    AliasInfo,
    DeviceLiteral,
    SchemaParseError,
    parse_operator_name,
    parse_schema,
    parse_schema_or_name,
    parse_schema_type,
)


def only_argument(text: str):
    (argument,) = parse_schema(f"aten::f({text}) -> ()").arguments
    return argument


# --- names and overloads --------------------------------------------------------


def test_name_and_overload_are_split_at_the_dot():
    schema = parse_schema("aten::add.Tensor(Tensor self, Tensor other) -> Tensor")
    assert schema.name == "aten::add"
    assert schema.overload_name == "Tensor"
    assert schema.operator_name == "aten::add.Tensor"
    assert schema.namespace == "aten"


def test_default_overload_has_an_empty_overload_name():
    schema = parse_schema("aten::relu(Tensor self) -> Tensor")
    assert schema.overload_name == ""
    assert schema.operator_name == "aten::relu"


def test_unqualified_names_are_accepted():
    schema = parse_schema("foo.bar(int x) -> int")
    assert (schema.name, schema.overload_name, schema.namespace) == ("foo", "bar", "")


def test_a_name_without_arguments_is_an_operator_name():
    assert parse_operator_name("aten::add.Tensor") == ("aten::add", "Tensor")
    assert parse_schema_or_name("aten::relu") == ("aten::relu", "")


@pytest.mark.parametrize("overload", ["default", "__call__"])
def test_reserved_overload_names_are_rejected(overload):
    with pytest.raises(SchemaParseError, match=f"{overload} is not a legal overload name"):
        parse_schema(f"aten::f.{overload}(Tensor x) -> Tensor")


# --- argument lists -----------------------------------------------------------------


def test_arguments_after_star_are_keyword_only():
    schema = parse_schema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor")
    assert [(a.name, a.kwarg_only) for a in schema.arguments] == [
        ("self", False), ("other", False), ("alpha", True)]


def test_star_alone_makes_no_argument():
    assert parse_schema("aten::f(*) -> ()").arguments == ()


def test_trailing_dots_make_a_vararg_schema():
    schema = parse_schema("aten::format(str self, ...) -> str")
    assert schema.is_vararg
    assert not schema.is_varret
    assert [a.name for a in schema.arguments] == ["self"]


def test_dots_as_returns_make_a_varret_schema():
    schema = parse_schema("prim::TupleUnpack(Any tup) -> ...")
    assert schema.is_varret
    assert schema.returns == ()
    schema = parse_schema("aten::f(*, Tensor b) -> ((int, int), ...)")
    assert schema.is_varret
    assert len(schema.returns) == 1


def test_empty_returns():
    schema = parse_schema("prim::Print(...) -> ()")
    assert schema.returns == ()
    assert not schema.is_varret


def test_returns_may_be_named_and_arguments_must_be():
    schema = parse_schema("aten::max.dim(Tensor self, int dim) -> (Tensor values, Tensor indices)")
    assert [r.name for r in schema.returns] == ["values", "indices"]
    assert parse_schema("aten::f(Tensor a) -> Tensor").returns[0].name == ""


def test_a_parenthesised_single_return_is_a_plain_return():
    assert parse_schema("aten::f(Tensor b) -> (Tensor)").returns[0].type == T.Tensor


def test_a_tuple_return_needs_its_own_parentheses():
    (ret,) = parse_schema("aten::f(Tensor b) -> ((Tensor, int))").returns
    assert ret.type == T.TupleType((T.Tensor, T.Int))
    (ret,) = parse_schema("aten::items.str(Dict(str, t) self) -> ((str, t)[])").returns
    assert ret.type == T.ListType(T.TupleType((T.Str, T.VarType("t"))))


def test_whitespace_and_a_trailing_newline_are_insignificant():
    schema = parse_schema("  aten::f(  Tensor   a  ,\n  int b  = 3 )   ->   (  Tensor  ,  int  )\n")
    assert str(schema) == "aten::f(Tensor a, int b=3) -> (Tensor, int)"


# --- types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "checked", "real"),
    [
        ("Tensor", T.Tensor, T.Tensor),
        ("int", T.Int, T.Int),
        ("SymInt", T.Int, T.SymIntType()),
        ("ScalarType", T.Int, T.ScalarTypeType()),
        ("Layout", T.Int, T.LayoutType()),
        ("MemoryFormat", T.Int, T.MemoryFormatType()),
        ("SymBool", T.SymBoolType(), T.SymBoolType()),
        ("DeviceIndex", T.Int, T.Int),
        ("ConstQuantizerPtr", T.Int, T.Int),
        ("Scalar", T.Number, T.Number),
        ("None", T.NoneT, T.NoneT),
        ("NoneType", T.NoneT, T.NoneT),
        ("Storage", T.StorageType(), T.StorageType()),
        ("Stream", T.StreamObjType(), T.StreamObjType()),
        ("Generator", T.GeneratorType(), T.GeneratorType()),
        ("QScheme", T.QSchemeType(), T.QSchemeType()),
        ("Any", T.Any_, T.Any_),
        ("t", T.VarType("t"), T.VarType("t")),
        ("SymInt[]", T.ListType(T.Int), T.ListType(T.SymIntType())),
        ("ScalarType?", T.OptionalType(T.Int), T.OptionalType(T.ScalarTypeType())),
        ("Tensor?[]", T.ListType(T.OptionalType(T.Tensor)), T.ListType(T.OptionalType(T.Tensor))),
        ("int[]?[]", T.ListType(T.OptionalType(T.ListType(T.Int))),
         T.ListType(T.OptionalType(T.ListType(T.Int)))),
        ("Dict(str, t)", T.DictType(T.Str, T.VarType("t")), T.DictType(T.Str, T.VarType("t"))),
        ("Future(t)", T.FutureType(T.VarType("t")), T.FutureType(T.VarType("t"))),
        ("Await(t)", T.AwaitType(T.VarType("t")), T.AwaitType(T.VarType("t"))),
        ("RRef(t)", T.RRefType(T.VarType("t")), T.RRefType(T.VarType("t"))),
        ("(int, t)[]", T.ListType(T.TupleType((T.Int, T.VarType("t")))),
         T.ListType(T.TupleType((T.Int, T.VarType("t"))))),
    ],
)
def test_types_keep_their_written_spelling_apart_from_the_checked_type(written, checked, real):
    argument = only_argument(f"{written} x")
    assert argument.type == checked
    assert argument.real_type == real


def test_containers_check_and_spell_their_elements_by_the_checked_type():
    # torch drops SymInt/ScalarType spellings inside tuples, dicts and futures.
    assert only_argument("(ScalarType, SymInt) x").real_type == T.TupleType((T.Int, T.Int))
    assert only_argument("Dict(str, SymInt) x").real_type == T.DictType(T.Str, T.Int)


def test_an_optional_optional_is_one_optional():
    assert only_argument("int?? x").type == T.OptionalType(T.Int)


def test_custom_classes_are_class_types():
    argument = only_argument("__torch__.torch.classes.quantized.Conv2dPackedParamsBase? packed")
    assert argument.type == T.OptionalType(T.ClassType("__torch__.torch.classes.quantized.Conv2dPackedParamsBase"))


def test_custom_classes_live_under_torch_classes():
    with pytest.raises(SchemaParseError, match="Expected classes namespace but got foo"):
        parse_schema("aten::f(__torch__.foo.classes.ns.C x) -> ()")


def test_unions_are_normalised_like_torch():
    assert only_argument("Union(str, int) x").type == T.UnionType((T.Int, T.Str))
    assert only_argument("Union(int, None) x").type == T.OptionalType(T.Int)
    # A subsumed member collapses but the result stays a Union, as in torch.
    assert only_argument("Union(float, int, Scalar) x").type == T.UnionType((T.Number,))


def test_optionals_are_built_the_way_torch_builds_them():
    assert only_argument("Union(Tensor, int, None)? x").type == T.OptionalType(T.UnionType((T.Tensor, T.Int)))
    assert only_argument("Union(int, float, complex, None) x").type == T.OptionalType(T.Number)
    # Optional[Optional[Scalar]] is Optional[Union[int, float, complex]] in torch.
    assert only_argument("Scalar?? x").type == T.OptionalType(T.UnionType((T.Number,)))
    assert only_argument("Any? x").type == T.OptionalType(T.Any_)


def test_none_cannot_be_made_optional():
    with pytest.raises(SchemaParseError, match="NoneType\\? is not a type") as caught:
        parse_schema("aten::f(None? x) -> ()")
    assert caught.value.column == len("aten::f(None")


def test_a_union_of_one_type_is_an_error():
    with pytest.raises(SchemaParseError, match="Union of the single type int") as caught:
        parse_schema("aten::f(Union(int, int) x) -> ()")
    assert caught.value.column == len("aten::f(")


def test_lower_case_unknown_names_are_type_variables_unless_disallowed():
    assert only_argument("tVal x").type == T.VarType("tVal")
    with pytest.raises(SchemaParseError, match="unknown type specifier"):
        parse_schema("aten::f(tVal x) -> ()", allow_typevars=False)


@pytest.mark.parametrize(
    ("written", "advice"),
    [("double", "Use `float` instead of `double`"), ("int64_t", "Use `SymInt` or `int` instead of `int64_t`")],
)
def test_c_type_names_get_advice_when_type_variables_are_off(written, advice):
    with pytest.raises(SchemaParseError, match=advice):
        parse_schema(f"aten::f({written} x) -> ()", allow_typevars=False)


def test_parse_schema_type_reads_one_type_as_written():
    assert parse_schema_type("SymInt[]?") == T.OptionalType(T.ListType(T.SymIntType()))


# --- fixed-size lists ------------------------------------------------------------------------


def test_a_fixed_size_list_records_its_size():
    argument = only_argument("int[2] stride")
    assert argument.type == T.ListType(T.Int)
    assert argument.N == 2


def test_a_fixed_size_list_may_be_optional():
    argument = only_argument("SymInt[1]? dim=None")
    assert argument.type == T.OptionalType(T.ListType(T.Int))
    assert argument.real_type == T.OptionalType(T.ListType(T.SymIntType()))
    assert argument.N == 1


def test_a_fixed_size_list_cannot_be_nested():
    with pytest.raises(SchemaParseError, match="expected ident but found '\\[' here"):
        parse_schema("aten::f(int[2][] a) -> ()")


# --- alias annotations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Tensor(a) x", AliasInfo(("a",), ("a",), False)),
        ("Tensor(a!) x", AliasInfo(("a",), ("a",), True)),
        ("Tensor(a -> *) x", AliasInfo(("a",), ("*",), False)),
        ("Tensor(a! -> a|b) x", AliasInfo(("a",), ("a", "b"), True)),
        ("Tensor(*) x", AliasInfo(("*",), ("*",), False)),
        ("Tensor(b!)? x", AliasInfo(("b",), ("b",), True)),
        ("Tensor! x", AliasInfo(("$0",), (), True)),
        ("Dict(str, t)(a!) x", AliasInfo(("a",), ("a",), True)),
    ],
)
def test_alias_annotations(written, expected):
    assert only_argument(written).alias_info == expected


def test_an_element_annotation_belongs_to_the_list_elements():
    argument = only_argument("Tensor(a!)[] out")
    assert argument.alias_info == AliasInfo((), (), True, (AliasInfo(("a",), ("a",), True),))
    assert argument.is_write()


def test_a_list_may_carry_its_own_annotation_besides_its_elements():
    argument = only_argument("Tensor(a)[](b!) x")
    assert argument.alias_info == AliasInfo(("b",), ("b",), True, (AliasInfo(("a",), ("a",), False),))


def test_anonymous_written_sets_are_numbered_per_schema():
    schema = parse_schema("aten::f(Tensor! a, Tensor! b) -> ()")
    assert [a.alias_info.before_sets for a in schema.arguments] == [("$0",), ("$1",)]


def test_alias_sets_compare_as_sets_but_keep_their_written_order():
    info = only_argument("Tensor(b|a) x").alias_info
    assert info.before_sets == ("b", "a")
    assert info == AliasInfo(("a", "b"), ("a", "b"))


def test_names_after_a_wildcard_are_an_error():
    with pytest.raises(SchemaParseError, match="expected \\) but found 'ident' here") as caught:
        parse_schema("aten::f(Tensor(*|a) x) -> ()")
    assert caught.value.column == len("aten::f(Tensor(*|")


def test_alias_annotations_inside_containers_are_dropped_like_torch():
    (ret,) = parse_schema("aten::f(Tensor(a) b) -> Future(Tensor(a))").returns
    assert ret.alias_info is None


def test_out_arguments_are_keyword_only_and_written():
    schema = parse_schema("aten::abs.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)")
    assert [a.is_out() for a in schema.arguments] == [False, True]
    assert schema.is_mutable()


# --- default values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("int x=-1", -1),
        ("float x=1e-05", 1e-05),
        ("float x=1", 1.0),
        ("float? x=1", 1),  # the literal decides: torch keeps an int here
        ("Scalar x=1", 1),
        ("Scalar x=0.5", 0.5),
        ("bool x=False", False),
        ("bool? x=None", None),
        ("Tensor? x=None", None),
        ("Tensor x=None", None),
        ("Generator? x=None", None),
        ('str x="mean"', "mean"),
        ("str x='L'", "L"),
        ('str x=" \\n\\t\\f\\v"', " \n\t\f\v"),
        ('str x="\\101"', "A"),
        ("complex x=2j", 2j),
        ("complex x=-1.5j", -1.5j),
        ('Device x="cuda:1"', DeviceLiteral("cuda:1")),
        ('Device? x="cpu"', "cpu"),
        ("int[2] x=1", (1, 1)),
        ("int[2] x=[0, 1]", (0, 1)),
        ("int[] x=[]", ()),
        ("SymInt[3] x=0", (0, 0, 0)),
        ("float[] x=[1, 2.5]", (1.0, 2.5)),
        ("bool[3] x=True", (True, True, True)),
        ("complex[] x=[1j]", (1j,)),
        ("int[2]? x=None", None),
        ("int[2]? x=1", 1),  # torch reads an optional list's default as one constant
        ("Layout? x=strided", 0),
        ("MemoryFormat x=contiguous_format", 0),
        ("ScalarType x=long", 4),
        ("ScalarType x=float", 6),
        ("ScalarType x=complex", 9),
        ("int reduction=Mean", 1),
        ("int x=9223372036854775807", 2**63 - 1),
        ("float x=0x1.8p3", 12.0),
    ],
)
def test_default_values_are_python_values(written, value):
    argument = only_argument(written)
    assert argument.has_default_value
    assert argument.default_value == value
    assert type(argument.default_value) is type(value)


def test_no_default_is_distinct_from_a_none_default():
    schema = parse_schema("aten::f(Tensor a, Tensor? b=None) -> ()")
    assert schema.arguments[0].default_value is NO_DEFAULT
    assert not schema.arguments[0].has_default_value
    assert schema.arguments[1].default_value is None


@pytest.mark.parametrize(
    ("written", "message", "column"),
    [
        ("Tensor x=[]", "expected None but found '[' here", 9),
        ("Tensor[] x=None", "expected [ but found 'None' here", 11),
        ("int[] x=strided", "expected None but found 'ident' here", 8),
        ("str[] x=[]", "lists are only supported for float, int and complex types", 8),
        ("int[] x=[1.5]", "Expected Int in the list default but got Double", 8),
        ("int x=foo", "invalid numeric default value", 6),
        ("Any x=None", "unexpected type, file a bug report", 6),
        ('Device x="gpu"', "Expected one of cpu, cuda, ", 9),
        ('Device x="cuda:01"', "Invalid device string: 'cuda:01'", 9),
        ("float x=1e400", "out of range for a float", 8),
        ("int x=9223372036854775808", "does not fit in 64 bits", 6),
        ("complex x=2", "invalid number", 10),
        ('str x="\\x41"', "unsupported hex specifier", 6),
        ('str x="\\u0041"', "unsupported unicode specifier", 6),
        ('str x="\\9"', "ill formed octal specifier", 6),
    ],
)
def test_bad_defaults_are_reported_at_their_column(written, message, column):
    with pytest.raises(SchemaParseError) as caught:
        parse_schema(f"aten::f({written}) -> ()")
    assert message in caught.value.message
    assert caught.value.column == len("aten::f(") + column


def test_a_positional_argument_without_default_cannot_follow_one_with_a_default():
    with pytest.raises(SchemaParseError, match=r"Non-default positional argument follows default argument\. "
                                               r"Parameter b in aten::f") as caught:
        parse_schema("aten::f(int a=1, int b) -> ()")
    assert caught.value.column == len("aten::f(int a=1, ")
    # Keyword-only arguments and lists are exempt, as in torch.
    parse_schema("aten::f(int a=1, *, int b) -> ()")
    parse_schema("aten::f(int a=1, int[] b) -> ()")


def test_symbool_is_its_own_checked_type_and_takes_no_default():
    with pytest.raises(SchemaParseError, match="unexpected type, file a bug report"):
        parse_schema("aten::f(SymBool a=True) -> ()")


def test_vararg_schemas_cannot_have_defaults():
    with pytest.raises(SchemaParseError, match=r"schemas with vararg \(\.\.\.\) can't have default value args"):
        parse_schema("aten::f(Tensor b, int c=1, ...) -> ()")


# --- syntax errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("aten::f(Tensor b, ) -> ()", "expected ident but found ')' here", 18),
        ("aten::f(Tensor b, ..., int c) -> ()", "... must be the last element of the argument list", 23),
        ("aten::f(Tensor b) -> (Tensor, ..., int)", "... must be the last element of the return list", 35),
        ("aten::f(Tensor b) -> (int, int)[]", "expected eof but found '[' here", 31),
        ("aten::f(Tensor b)", "expected arrow but found 'eof' here", 17),
        ("aten::f(Foo b) -> ()", "unknown type specifier. Common valid schema types include Tensor", 8),
        ("aten::f(Dimname b) -> ()", "unknown type specifier", 8),
        ("aten::f(Tensor in) -> ()", "expected ident but found 'in' here", 15),
        ("aten::f(Tensor a) -> () junk", "expected eof but found 'ident' here", 24),
        ("aten::f(Tensor a)\n-> ()", "expected arrow but found 'newline' here", 17),
        ("aten::f(Tensor a) -> Tensor @", "unexpected character '@'", 28),
    ],
)
def test_syntax_errors_name_the_column(text, message, column):
    with pytest.raises(SchemaParseError) as caught:
        parse_schema(text)
    assert caught.value.message == message or caught.value.message.startswith(message)
    assert caught.value.column == column


def test_errors_render_like_torch_with_a_marker_under_the_token():
    with pytest.raises(SchemaParseError) as caught:
        parse_schema("aten::f(Tensor b, ) -> ()")
    assert str(caught.value) == (
        "expected ident but found ')' here:\n"
        "aten::f(Tensor b, ) -> ()\n"
        "                  ~ <--- HERE"
    )


def test_error_columns_are_per_line():
    with pytest.raises(SchemaParseError) as caught:
        parse_schema("aten::f(Tensor a,\n        Foo b) -> ()")
    assert (caught.value.line, caught.value.column, caught.value.line_text) == (1, 8, "        Foo b) -> ()")
