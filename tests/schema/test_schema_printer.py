"""str(schema) prints what torch's str(schema) prints, byte for byte.

Every expected string here is torch 2.13's output for the same schema
(re-checked against live torch in tests/conformance/test_schemas_against_torch.py).
"""

from __future__ import annotations

import pytest

from pyjit_core.ir import types as T
from pyjit_core.ir.attributes import format_complex, quote_string, stream_double
from pyjit_core.schema import AliasInfo, Argument, DeviceLiteral, FunctionSchema, parse_schema
from pyjit_core.schema.printer import format_value


@pytest.mark.parametrize(
    "text",
    [
        "aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
        "aten::abs.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)",
        "aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
        "aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=[1, 1], "
        "SymInt[2] padding=[0, 0], SymInt[2] dilation=[1, 1], SymInt groups=1) -> Tensor",
        "aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, "
        "int[2] dilation=1, bool ceil_mode=False) -> Tensor",
        "aten::layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, "
        "float eps=1.0000000000000001e-05, bool cudnn_enable=True) -> Tensor",
        "aten::zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
        "bool? pin_memory=None) -> Tensor",
        "aten::_foreach_abs.out(Tensor[] self, *, Tensor(a!)[] out) -> ()",
        "aten::sorted.any(t[](a) self) -> t[]",
        "aten::keys.str(Dict(str, t) self) -> str[](*)",
        "aten::setdefault.str(Dict(str, t)(a!) self, str(b -> *) key, t(c -> *) default_value) -> t(*)",
        "aten::items.str(Dict(str, t) self) -> ((str, t)[])",
        "aten::dict.str((str, tVal)[] inputs) -> Dict(str, tVal)",
        "prim::TupleUnpack(Any tup) -> ...",
        "aten::format(str self, ...) -> str",
        "prim::rpc_async(...) -> ...",
        "prim::Print(...) -> ()",
        "aten::split(str self, str? separator=None, int max=-1) -> str[]",
        'aten::strip(str self, str chars=" \\n\\t\\f\\v") -> str',
        "aten::cpu(Tensor(a) self) -> Tensor(b|a)",
        "aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor",
        "aten::f(Tensor b) -> ((Tensor, int))",
        "aten::f(*, Tensor b) -> ((int, int), ...)",
        "aten::f(Tensor a, ...) -> (Tensor, ...)",
    ],
)
def test_torch_printed_schemas_reprint_identically(text):
    assert str(parse_schema(text)) == text


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        # Collapsed int lists, torch's native_functions.yaml convention.
        ("int[2] a=[0,0]", "int[2] a=0"),
        ("int[] b=[3,3]", "int[] b=3"),
        ("int[1] c=4", "int[1] c=[4]"),
        ("int[] d=[1, 2]", "int[] d=[1, 2]"),
        ("SymInt[2] d=0", "SymInt[2] d=[0, 0]"),  # only plain int lists collapse
        ("float[2] e=1", "float[2] e=[1., 1.]"),
        ("bool[3] f=True", "bool[3] f=[True, True, True]"),
        ("int[2]? g=1", "int[2]? g=1"),
        # Enum-like names print as the numbers torch stores.
        ("Layout l=strided", "Layout l=0"),
        ("ScalarType s=long", "ScalarType s=4"),
        ("MemoryFormat? m=contiguous_format", "MemoryFormat? m=0"),
        ("int r=Mean", "int r=1"),
        # Doubles: integral values with a trailing dot, others with 17 digits.
        ("float f=-0.0", "float f=0."),
        ("float f=1e15", "float f=1000000000000000."),
        ("float f=1e19", "float f=1e+19"),
        ("float f=0.1", "float f=0.10000000000000001"),
        ("float f=1e-5", "float f=1.0000000000000001e-05"),
        ("Scalar z=1e10", "Scalar z=10000000000."),
        ("complex h=2j", "complex h=0.+2.j"),
        ("Scalar w=-2j", "Scalar w=0.-2.j"),
        ("complex[] a=[1j, 2.5j]", "complex[] a=[0.+1.j, 0.+2.5j]"),
        # Strings: quoted for str arguments, bare otherwise; devices bare.
        ("str s='a\\n\\'\"'", 'str s="a\\n\\\'\\""'),
        ('int b="s"', "int b=s"),
        ('Device d="cuda:1"', "Device d=cuda:1"),
        ('Device? d="cpu"', "Device? d=cpu"),
        # Spellings: the written type, the alias before the `?`.
        ("Tensor(a!)? a", "Tensor(a!)? a"),
        ("Tensor(a!)[]? c=None", "Tensor(a!)[]? c=None"),
        ("Tensor(a)[](b!) c", "Tensor(a)[](b!) c"),
        ("Tensor! e", "Tensor($0! -> ) e"),
        ("None n", "NoneType n"),
        ("DeviceIndex i", "int i"),
        ("int?? a", "int? a"),
        ("Union(str, int) u", "Union(int, str) u"),
        ("Union(float, int, Scalar) u", "Union(Scalar) u"),
        # torch stores Scalar as int/float/complex and prints it last, with a
        # comma before every member that is not its first -- even a leading one.
        ("Union(Scalar, str) u", "Union(, str, Scalar) u"),
        ("Union(Tensor, Scalar) u", "Union(TensorScalar) u"),
        ("Union(Scalar, str, None) u", "Union(, NoneType, str, Scalar) u"),
        ("Dict(str, Union(Scalar, str)) u", "Dict(str, Union(, str, Scalar)) u"),
        ("Scalar?? u", "Union(Scalar)? u"),
    ],
)
def test_argument_printing_follows_torch(written, printed):
    (argument,) = parse_schema(f"aten::f({written}) -> ()").arguments
    assert str(argument) == printed


def test_a_single_return_starting_with_a_parenthesis_keeps_its_parentheses():
    assert str(parse_schema("aten::f(Tensor b) -> (Tensor)")) == "aten::f(Tensor b) -> Tensor"
    assert str(parse_schema("aten::f() -> (...)")) == "aten::f() -> ..."


def test_keyword_only_marker_is_printed_once():
    assert str(parse_schema("aten::f(Tensor a, *, Tensor b, *, Tensor c) -> (...)")) == (
        "aten::f(Tensor a, *, Tensor b, Tensor c) -> ...")


def test_programmatic_schemas_print_without_parsing():
    schema = FunctionSchema(
        "aten::f", "out",
        (Argument("self", T.Tensor),
         Argument("size", T.ListType(T.Int), T.ListType(T.SymIntType()), N=2, default_value=(1, 1)),
         Argument("out", T.Tensor, kwarg_only=True, alias_info=AliasInfo(("a",), ("a",), True))),
        (Argument("", T.Tensor, alias_info=AliasInfo(("a",), ("a",), True)),),
    )
    assert str(schema) == "aten::f.out(Tensor self, SymInt[2] size=[1, 1], *, Tensor(a!) out) -> Tensor(a!)"


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1.0, "1."), (-0.0, "0."), (0.5, "0.5"), (1e16, "10000000000000000."),
        (123456789012345678.0, "123456789012345680."), (2.0**63, "9.2233720368547758e+18"),
        (-(2.0**63), "-9223372036854775808."), (1e300, "1.0000000000000001e+300"),
        (float("inf"), "inf"), (float("-inf"), "-inf"), (float("nan"), "nan"),
    ],
)
def test_doubles_print_as_torch_prints_them(value, printed):
    assert stream_double(value) == printed


def test_complex_numbers_print_the_sign_between_parts():
    assert format_complex(complex(1.5, -0.5)) == "1.5-0.5j"
    assert format_complex(complex(0.0, -0.0)) == "0.+0.j"


def test_values_print_as_ivalues():
    assert format_value(None) == "None"
    assert format_value((True, False)) == "[True, False]"
    assert format_value(()) == "[]"
    assert format_value(DeviceLiteral("cpu")) == "cpu"


def test_quoted_strings_escape_like_c10():
    assert quote_string("a\\b'c\"d") == '"a\\\\b\\\'c\\"d"'
    assert quote_string("\a\b\f\n\r\t\v") == '"\\a\\b\\f\\n\\r\\t\\v"'
    assert quote_string("\x01\x7f") == '"\\001\\177"'
    # Non-ASCII bytes go through a signed char in torch, giving these odd escapes.
    assert quote_string("é") == '"\\0)+\\/.)"'
