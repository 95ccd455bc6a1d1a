"""The IR parser reads what torch prints: structure, names, types, attributes, errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyjit_core.ir.attributes import (
    AttributeKind,
    Device,
    EnumValue,
    OpaqueGraph,
    RawIValue,
    TensorConstant,
    format_complex,
    format_double,
    quote_string,
)
from pyjit_core.ir.graph import Graph
from pyjit_core.ir.naming import PYTHON_VALUE
from pyjit_core.ir.parser import IRParseError, parse_graph, parse_type, reconstruct_cconv
from pyjit_core.ir.python_op import ConcretePythonOp, ParsedScalar
from pyjit_core.ir.source_range import SourceRange
from pyjit_core.ir.symbols import Symbol, kinds
from pyjit_core.ir.types import (
    AwaitType,
    ClassType,
    DictType,
    EnumType,
    FloatType,
    FutureType,
    InterfaceType,
    IntType,
    ListType,
    NamedTupleField,
    OptionalType,
    StringType,
    TensorType,
    TupleType,
    UnionType,
)

LOOP = """\
graph(%x.1 : Tensor,
      %n.1 : int):
  %6 : bool = prim::Constant[value=1]() # f.py:5:4
  %13 : float = prim::Constant[value=0.10000000000000001]() # f.py:7:20
  %y : Tensor = prim::Loop(%n.1, %6, %x.1) # f.py:5:4
    block0(%i.1 : int, %y.27 : Tensor):
      %y.3 : Tensor = aten::add(%y.27, %13, %i.1) # f.py:7:16
      -> (%6, %y.3)
  %28 : (Tensor, int) = prim::TupleConstruct(%y, %n.1)
  return (%28)
"""


def nodes_of(graph: Graph) -> list:
    return list(graph.nodes())


def only_node(text_of_node: str, inputs: str = "") -> object:
    graph = parse_graph(f"graph({inputs}):\n  {text_of_node}\n  return ()\n")
    (node,) = nodes_of(graph)
    return node


def constant_attribute(value_text: str, type_text: str = "int"):
    node = only_node(f"%0 : {type_text} = prim::Constant[value={value_text}]()")
    return node.attributes["value"]


# --- structure ------------------------------------------------------------------------


def test_parses_inputs_nodes_blocks_and_outputs() -> None:
    graph = parse_graph(LOOP)
    assert [v.debug_name() for v in graph.inputs] == ["x.1", "n.1"]
    assert [str(v.type) for v in graph.inputs] == ["Tensor", "int"]
    const, step, loop, tup = nodes_of(graph)
    assert loop.kind is Symbol("prim::Loop")
    assert loop.inputs == (graph.inputs[1], const.output(), graph.inputs[0])
    (body,) = loop.blocks
    assert [v.debug_name() for v in body.inputs] == ["i.1", "y.27"]
    (add,) = list(body.nodes())
    assert add.inputs == (body.inputs[1], step.output(), body.inputs[0])
    assert body.outputs == (const.output(), add.output())
    assert graph.outputs == (tup.output(),)
    assert str(tup.output().type) == "(Tensor, int)"


def test_uses_are_recorded_for_every_input() -> None:
    graph = parse_graph(LOOP)
    const = nodes_of(graph)[0]
    users = sorted((u.user.kind.qual_string(), u.offset) for u in const.output().uses)
    assert users == [("prim::Loop", 1), ("prim::Return", 0)]


def test_round_trips_the_loop() -> None:
    assert parse_graph(LOOP).to_string() == LOOP


def test_numeric_names_become_unique_numbers_and_new_values_do_not_collide() -> None:
    graph = parse_graph(LOOP)
    tup = nodes_of(graph)[-1]
    assert tup.output().unique == 28
    assert not tup.output().has_debug_name()
    assert graph.next_unique > 28
    fresh = graph.create("prim::Constant")
    assert fresh.output().debug_name() not in {"6", "13", "28"}


def test_named_values_keep_their_exact_names() -> None:
    graph = parse_graph(LOOP)
    assert graph.unique_names.keys() >= {"x.1", "n.1", "y", "i.1", "y.27", "y.3"}


def test_non_ascii_value_names() -> None:
    text = "graph(%größe.1 : int):\n  return (%größe.1)\n"
    assert parse_graph(text).to_string() == text


def test_source_comments_become_source_ranges() -> None:
    graph = parse_graph(LOOP)
    assert nodes_of(graph)[0].source_range == SourceRange("f.py", 5, 4)
    node = only_node(r"%0 : int = prim::Constant[value=1]() # C:\dir\my file.py:12:3")
    assert node.source_range == SourceRange(r"C:\dir\my file.py", 12, 3)


def test_scope_suffix_with_and_without_comment() -> None:
    node = only_node("%1 : Tensor = aten::relu(%x), scope: __module.a/__module.a.fc # m.py:3:0",
                     "%x : Tensor")
    assert node.scope == "__module.a/__module.a.fc"
    assert node.source_range == SourceRange("m.py", 3, 0)
    node = only_node("%1 : Tensor = aten::relu(%x), scope: __module.a", "%x : Tensor")
    assert node.scope == "__module.a"
    assert node.source_range is None


def test_node_without_outputs() -> None:
    text = """\
graph(%self : __torch__.M,
      %v.1 : int):
   = prim::SetAttr[name="v"](%self, %v.1)
  %2 : NoneType = prim::Constant()
  return (%2)
"""
    graph = parse_graph(text)
    set_attr = nodes_of(graph)[0]
    assert set_attr.outputs == ()
    assert set_attr.attr("name") == "v"
    assert graph.to_string() == text


def test_if_with_two_blocks_without_inputs() -> None:
    text = """\
graph(%c : bool):
  %r : int = prim::If(%c) # f.py:2:4
    block0():
      %1 : int = prim::Constant[value=1]() # f.py:3:8
      -> (%1)
    block1():
      %2 : int = prim::Constant[value=2]() # f.py:5:8
      -> (%2)
  return (%r)
"""
    graph = parse_graph(text)
    (if_node,) = nodes_of(graph)
    assert len(if_node.blocks) == 2
    assert [b.outputs[0].debug_name() for b in if_node.blocks] == ["1", "2"]
    assert graph.to_string() == text


# --- groups ----------------------------------------------------------------------------

GROUPED = """\
graph(%x : Tensor):
  %1 : Tensor = prim::DifferentiableGraph_0(%x)
  %2 : Future[Tensor] = prim::fork_1[foo=3](%1)
  return (%2)
with prim::DifferentiableGraph_0 = graph(%x : Tensor):
  %y : Tensor = prim::FusionGroup_0(%x)
  return (%y)
with prim::FusionGroup_0 = graph(%a : Tensor):
  %b : Tensor = aten::neg(%a) # g.py:1:0
  return (%b)
with prim::fork_1 = graph(%a : Tensor):
  return (%a)
"""


def test_group_subgraphs_attach_to_their_nodes_in_order() -> None:
    graph = parse_graph(GROUPED)
    diff, fork = nodes_of(graph)
    assert diff.kind is kinds.DifferentiableGraph
    assert fork.kind is Symbol("prim::fork")
    assert list(fork.attributes) == ["Subgraph", "foo"]
    inner = diff.attr("Subgraph")
    assert isinstance(inner, Graph)
    (fusion,) = nodes_of(inner)
    assert fusion.kind is Symbol("prim::FusionGroup")
    assert [n.kind.qual_string() for n in fusion.attr("Subgraph").nodes()] == ["aten::neg"]
    assert graph.to_string() == GROUPED


def test_an_operator_named_like_a_group_without_a_subgraph_stays_an_operator() -> None:
    node = only_node("%1 : Tensor = aten::foo_0(%x)", "%x : Tensor")
    assert node.kind is Symbol("aten::foo_0")
    assert not node.has_attribute("Subgraph")
    text = """\
graph(%x : Tensor):
  %1 : Tensor = aten::foo_0(%x)
  %2 : Tensor = prim::DifferentiableGraph_0(%1)
  return (%2)
with prim::DifferentiableGraph_0 = graph(%a : Tensor):
  return (%a)
"""
    op, group = nodes_of(parse_graph(text))
    assert op.kind is Symbol("aten::foo_0")
    assert group.kind is kinds.DifferentiableGraph
    assert group.has_attribute("Subgraph")


def test_a_nested_graph_takes_its_own_sections_first() -> None:
    # Both the graph and its group's subgraph have a prim::FusionGroup_0.
    text = """\
graph(%x : Tensor):
  %1 : Tensor = prim::FusionGroup_0(%x)
  %2 : Tensor = prim::DifferentiableGraph_1(%1)
  return (%2)
with prim::FusionGroup_0 = graph(%a : Tensor):
  %b : Tensor = aten::neg(%a)
  return (%b)
with prim::DifferentiableGraph_1 = graph(%a : Tensor):
  %b : Tensor = prim::FusionGroup_0(%a)
  return (%b)
with prim::FusionGroup_0 = graph(%c : Tensor):
  %d : Tensor = aten::relu(%c)
  return (%d)
"""
    graph = parse_graph(text)
    fusion, diff = nodes_of(graph)
    assert [n.kind.qual_string() for n in fusion.attr("Subgraph").nodes()] == ["aten::neg"]
    (inner_fusion,) = nodes_of(diff.attr("Subgraph"))
    assert [n.kind.qual_string() for n in inner_fusion.attr("Subgraph").nodes()] == ["aten::relu"]
    assert graph.to_string() == text


def test_a_section_for_no_node_is_an_error() -> None:
    text = "graph(%x : Tensor):\n  return (%x)\nwith prim::FusionGroup_0 = graph(%a : Tensor):\n  return (%a)\n"
    with pytest.raises(IRParseError) as info:
        parse_graph(text)
    assert (info.value.line, info.value.column) == (3, 5)
    assert "no node of the graph prints as prim::FusionGroup_0" in info.value.message


# --- attributes ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("1", AttributeKind.i, 1),
    ("-7", AttributeKind.i, -7),
    ("3.", AttributeKind.f, 3.0),
    ("-0.", AttributeKind.f, -0.0),
    ("0.10000000000000001", AttributeKind.f, 0.1),
    ("1e+20", AttributeKind.f, 1e20),
    ("1.0000000000000001e-05", AttributeKind.f, 1e-5),
    ("inf", AttributeKind.f, math.inf),
    ("-inf", AttributeKind.f, -math.inf),
    ("0.+2.j", AttributeKind.c, 2j),
    ("1.5-0.5j", AttributeKind.c, 1.5 - 0.5j),
    ('"a\\tb"', AttributeKind.s, "a\tb"),
    ("[1, 2]", AttributeKind.is_, [1, 2]),
    ("[1., 2.5]", AttributeKind.fs, [1.0, 2.5]),
    ('["a", "b"]', AttributeKind.ss, ["a", "b"]),
    ("(2, 3)", AttributeKind.ival, (2, 3)),
    ("(2,)", AttributeKind.ival, (2,)),
    ('((1, 2.5), "x")', AttributeKind.ival, ((1, 2.5), "x")),
    ("[True, False]", AttributeKind.ival, [True, False]),
    ('{"a": 1, "b": 2}', AttributeKind.ival, {"a": 1, "b": 2}),
    ("None", AttributeKind.ival, None),
    ('(1, torch.device("cpu"))', AttributeKind.ival, (1, Device("cpu"))),
    ("True", AttributeKind.ival, True),
])
def test_attribute_kinds_follow_the_printed_syntax(text: str, kind: AttributeKind, value: object) -> None:
    attribute = constant_attribute(text)
    assert attribute.kind is kind
    assert attribute.value == value
    if isinstance(value, float):
        assert math.copysign(1.0, attribute.value) == math.copysign(1.0, value)


def test_nan_constant() -> None:
    attribute = constant_attribute("nan", "float")
    assert attribute.kind is AttributeKind.f
    assert math.isnan(attribute.value)


def test_an_integral_looking_float_constant_is_a_float() -> None:
    # torch prints 1e10 (a double) as 10000000000: %.17g, no dot.
    attribute = constant_attribute("10000000000", "float")
    assert attribute.kind is AttributeKind.f
    assert attribute.value == 1e10
    assert constant_attribute("10000000000", "int").kind is AttributeKind.i


@pytest.mark.parametrize("text", [
    "{2.5}", "{7}", "{(1,2)}", "<Tensor>",
    " 1  2  3 [ CPULongType{3} ]",
    "1e-05 *  1.0000  2.0000 [ CPUFloatType{2} ]",
    " 0.1000  0.2000  1.5000  2.0000 [ CPUFloatType{2,2} ]",
])
def test_tensor_constants_keep_torch_rendering(text: str) -> None:
    attribute = constant_attribute(text, "Tensor")
    assert attribute.kind is AttributeKind.t
    assert attribute.value == TensorConstant(text)


def test_signed_char_octal_escapes_decode_to_utf8() -> None:
    attribute = constant_attribute(r'"caf\0)+\/.)"', "str")
    assert attribute.value == "café"
    assert quote_string("café") == r'"caf\0)+\/.)"'


def test_enum_constant() -> None:
    attribute = constant_attribute("__torch__.m.Color.RED", "Enum<__torch__.m.Color>")
    assert attribute.value == EnumValue("__torch__.m.Color", "RED", None)


def test_empty_typed_lists() -> None:
    attribute = constant_attribute("annotate(List[int], [])", "int[]")
    assert (attribute.kind, attribute.value) == (AttributeKind.is_, [])
    attribute = constant_attribute("annotate(List[str], [])", "str[]")
    assert (attribute.kind, attribute.value) == (AttributeKind.ss, [])


def test_unknown_ivalue_forms_are_kept_verbatim() -> None:
    attribute = constant_attribute("annotate(Dict[str, int],{})", "Dict(str, int)")
    assert attribute.value == RawIValue("annotate(Dict[str, int],{})")
    attribute = constant_attribute("(1, annotate(List[Tensor], []))", "(int, Tensor[])")
    assert attribute.value == (1, RawIValue("annotate(List[Tensor], [])"))


def test_type_valued_attributes() -> None:
    node = only_node("%1 : Tensor, %2 : bool = prim::TypeCheck[types=[Float(2, strides=[1], "
                     "requires_grad=0, device=cpu), Tensor]](%x)", "%x : Tensor")
    attribute = node.attributes["types"]
    assert attribute.kind is AttributeKind.tys
    assert attribute.value == [TensorType("Float", (2,), (1,), False, "cpu"), TensorType.get()]
    node = only_node("%1 : Tensor = prim::profile[profiled_type=Long(requires_grad=0, device=cpu), "
                     "seen_none=0](%x)", "%x : Tensor")
    assert node.attributes["profiled_type"].kind is AttributeKind.ty
    assert node.attributes["seen_none"].kind is AttributeKind.i


def test_a_type_where_a_value_is_expected_is_a_type_attribute() -> None:
    node = only_node("%1 : Tensor = aten::foo[t=int[], n=None](%x)", "%x : Tensor")
    assert node.attributes["t"].kind is AttributeKind.ty
    assert node.attr("t") == ListType(IntType())
    assert node.attributes["n"].kind is AttributeKind.ival
    assert node.attr("n") is None


def test_windows_line_endings() -> None:
    graph = parse_graph(LOOP.replace("\n", "\r\n"))
    assert graph.to_string() == LOOP


def test_graph_attributes_and_lists() -> None:
    node = only_node("%1 : Tensor = aten::foo[g=<Graph>, gs=[<Graphs>], ts=[<Tensors>]](%x)", "%x : Tensor")
    assert node.attributes["g"].kind is AttributeKind.g
    assert node.attr("g") == OpaqueGraph()
    assert node.attributes["gs"].kind is AttributeKind.gs
    assert node.attributes["ts"].kind is AttributeKind.ts


# --- PythonOps -------------------------------------------------------------------------


def test_python_op_from_a_function() -> None:
    node = only_node("%1 : Tensor = ^helper[]()(%x, %k)", "%x : Tensor, %k : int")
    assert isinstance(node, ConcretePythonOp)
    assert node.name() == "helper"
    assert node.cconv == "dd"
    assert node.scalar_args == []
    assert node.autograd_function() is None


def test_python_op_without_a_name() -> None:
    node = only_node("%1 : Tensor = ^<python_value>[]()(%x)", "%x : Tensor")
    assert node.name() == PYTHON_VALUE
    assert not hasattr(node.pyobj, "__name__")


def test_traced_autograd_function_keeps_scalars_and_rebuilds_cconv() -> None:
    node = only_node('%1 : Tensor = ^ScaleBy[inplace=0, module="mod", Subgraph=<Graph>]'
                     "(3, (2, 3), (2,), mix)(%x)", "%x : Tensor")
    assert node.name() == "ScaleBy"
    assert node.autograd_function().__name__ == "ScaleBy"
    assert node.autograd_function().__module__ == "mod"
    assert node.scalar_args == [ParsedScalar("3"), ParsedScalar("(2, 3)"), ParsedScalar("(2,)"),
                                ParsedScalar("mix")]
    assert node.cconv == "dcccc" == reconstruct_cconv(1, 4)
    assert node.write_scalars() == "(3, (2, 3), (2,), mix)"
    assert node.python_problems() == []


def test_python_scalars_are_str_of_objects_so_quotes_do_not_group() -> None:
    node = only_node('%1 : Tensor = ^f[](he said "hi, there, a,b, [1, 2], 3)(%x)', "%x : Tensor")
    assert [s.text for s in node.scalar_args] == ['he said "hi', "there", "a,b", "[1, 2]", "3"]
    assert str(node).startswith('%1 : Tensor = ^f[](he said "hi, there, a,b, [1, 2], 3)(%x)')


def test_ops_of_one_autograd_function_share_its_class() -> None:
    text = """\
graph(%x : Tensor):
  %1 : Tensor = ^Fn[inplace=0, module="m", Subgraph=<Graph>](2)(%x)
  %2 : Tensor = ^Fn[inplace=0, module="m", Subgraph=<Graph>](3)(%1)
  %3 : Tensor = ^Fn[inplace=0, module="other", Subgraph=<Graph>](3)(%2)
  return (%3)
"""
    first, second, third = nodes_of(parse_graph(text))
    assert first.autograd_function() is second.autograd_function()
    assert third.autograd_function() is not first.autograd_function()


# --- types -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "int", "float", "bool", "str", "complex", "NoneType", "Device", "Scalar", "Any", "Function",
    "Tensor", "int[]", "int?", "int[]?", "Tensor?[]", "int[][]", "(Tensor, int)", "()", "(int[]?, int[]?)",
    "Dict(str, Tensor)", "Dict(str, (int, Tensor))", "Union(Tensor, int[], str)", "Future[Tensor][]",
    "RRef[int]", "Await(Tensor)", "Enum<__torch__.m.Color>", "InterfaceType<Activation>",
    "__torch__.m.M", "__torch__.torch.nn.modules.linear.___torch_mangle_0.Linear",
    "NamedTuple(x : float, y : float, tag : str)", "NamedTuple(a : int, b : str = x, c : int? = None)[]",
    "Float(2, 3, strides=[3, 1], requires_grad=1, device=cpu)", "Long(requires_grad=0, device=cpu)",
    "Float(2, *)", "Float()", "Tensor(2, 3)", "FloatTensor", "FloatTensor(requires_grad=0)",
    "Tensor(requires_grad=0)", "Tensor(device=cuda:1)", "Float(3, strides=[1], requires_grad=0, device=cpu)[]",
    "ComplexFloat(requires_grad=0, device=cpu)", "Bool(3, strides=[1], requires_grad=0, device=cpu)",
    "Tensor[Undefined]",
])
def test_types_print_back_as_parsed(text: str) -> None:
    assert str(parse_type(text)) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("int[]?", OptionalType(ListType(IntType()))),
    ("Tensor?[]", ListType(OptionalType(TensorType.get()))),
    ("Dict(str, float)", DictType(StringType(), FloatType())),
    ("Union(Tensor, int)", UnionType((TensorType.get(), IntType()))),
    ("Future[int]", FutureType(IntType())),
    ("Await(int)", AwaitType(IntType())),
    ("Enum<__torch__.C>", EnumType("__torch__.C")),
    ("InterfaceType<I>", InterfaceType("I")),
    ("__torch__.M", ClassType("__torch__.M")),
    ("Float(2, *, requires_grad=0)", TensorType("Float", (2, None), None, False)),
    ("FloatTensor", TensorType("Float")),
    ("Float()", TensorType("Float", ())),
])
def test_types_parse_to_their_structure(text: str, expected: object) -> None:
    assert parse_type(text) == expected


def test_named_tuple_defaults_are_raw_and_may_span_lines() -> None:
    text = "NamedTuple(size : int, name : str = multi\nline, (odd), scale : float = 0.5)"
    t = parse_type(text)
    assert isinstance(t, TupleType)
    assert t.fields == (
        NamedTupleField("size", IntType()),
        NamedTupleField("name", StringType(), "multi\nline, (odd)"),
        NamedTupleField("scale", FloatType(), "0.5"),
    )
    assert str(t) == text


def test_named_tuple_inside_named_tuple() -> None:
    text = "NamedTuple(a : NamedTuple(b : int = 1), c : int)"
    t = parse_type(text)
    assert t.fields[0].type.fields == (NamedTupleField("b", IntType(), "1"),)
    assert str(t) == text


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "column", "message"), [
    ("graph(%x : Tensor):\n  %1 : Tensor = aten::neg(%y)\n  return (%1)\n", 2, 26, "use of undefined value %y"),
    ("graph(%x : Tensor):\n  %x : Tensor = aten::neg(%x)\n  return (%x)\n", 2, 2, "value %x is defined twice"),
    ("graph(%x : Tensr):\n  return (%x)\n", 1, 11, "unknown type 'Tensr'"),
    ("graph(%x : int):\n  %1 : int = aten::neg(%x)\n", 3, 0, "expected 'return' or a node"),
    ("graph(%x : int):\n  return (%x)\nextra\n", 3, 0, "expected the end of the input"),
    ('graph():\n  %1 : str = prim::Constant[value="abc]()\n  return (%1)\n', 2, 34, "unterminated string"),
    ("graph(%x : int):\n  %1 : int = neg(%x)\n  return (%1)\n", 2, 13, "expected an operator name"),
    ("graph(%x : int):\n  %1 : int = aten::neg(%x) # nowhere\n  return (%1)\n", 2, 27, "expected a source comment"),
    ("graph(%x : int):\n  %1 : int = aten::neg[value=](%x)\n  return (%1)\n", 2, 29, "expected a value"),
])
def test_errors_name_the_line_and_column(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(IRParseError) as info:
        parse_graph(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert message in info.value.message
    assert str(info.value).startswith(f"line {line}, column {column}: ")


def test_error_shows_the_offending_line_with_a_caret() -> None:
    with pytest.raises(IRParseError) as info:
        parse_graph("graph(%x : int):\n  %1 : int = aten::neg(%y)\n  return (%1)\n")
    assert str(info.value).splitlines()[1:] == ["    %1 : int = aten::neg(%y)", " " * 25 + "^"]


# --- property tests --------------------------------------------------------------------


@given(st.text())
def test_any_string_constant_round_trips(s: str) -> None:
    text = f"graph():\n  %1 : str = prim::Constant[value={quote_string(s)}]()\n  return (%1)\n"
    graph = parse_graph(text)
    assert graph.to_string() == text
    assert nodes_of(graph)[0].attr("value") == s


@given(st.floats(allow_nan=False))
def test_any_float_constant_round_trips(x: float) -> None:
    text = f"graph():\n  %1 : float = prim::Constant[value={format_double(x)}]()\n  return (%1)\n"
    graph = parse_graph(text)
    assert graph.to_string() == text
    parsed = nodes_of(graph)[0].attr("value")
    assert parsed == x
    assert math.copysign(1.0, parsed) == math.copysign(1.0, x)


@given(st.complex_numbers(allow_nan=False, allow_infinity=False))
def test_any_complex_constant_round_trips(z: complex) -> None:
    text = f"graph():\n  %1 : complex = prim::Constant[value={format_complex(z)}]()\n  return (%1)\n"
    assert parse_graph(text).to_string() == text
