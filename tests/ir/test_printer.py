"""The printer writes what torch's ``Graph::print`` writes, for graphs built with the Graph API.

Each expected text is torch 2.13's output for the same graph (the goldens
check whole torch graphs; these pin the individual rules).
"""

from __future__ import annotations

import pytest

from pyjit_core.ir.attributes import AttributeKind, Device, TensorConstant
from pyjit_core.ir.graph import Graph
from pyjit_core.ir.naming import StaticCallable, StaticClass, StaticNamelessCallable
from pyjit_core.ir.parser import parse_graph
from pyjit_core.ir.python_op import ConcretePythonOp, create_python_op
from pyjit_core.ir.source_range import SourceRange
from pyjit_core.ir.symbols import kinds
from pyjit_core.ir.types import (
    AwaitType,
    BoolType,
    ClassType,
    DeviceObjType,
    DictType,
    FloatType,
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


def constant(graph: Graph, kind: AttributeKind, value: object, type_, where: SourceRange | None = None):
    node = graph.create(kinds.Constant)
    node.set_attr("value", kind, value)
    node.output().set_type(type_)
    node.set_source_range(where)
    graph.insert_node(node)
    return node.output()


def assert_round_trips(graph: Graph) -> None:
    for with_sources in (True, False):
        text = graph.to_string(with_sources)
        assert parse_graph(text).to_string(with_sources) == text


def test_inputs_are_one_per_line_and_unnamed_values_print_their_number() -> None:
    g = Graph()
    x = g.add_input("x.1", TensorType.get())
    n = g.add_input("n", IntType())
    one = constant(g, AttributeKind.i, 1, IntType(), SourceRange("f.py", 3, 12))
    add = g.create("aten::add", [x, n, one])
    g.append_node(add).set_source_range(SourceRange("f.py", 3, 8))
    g.register_output(add.output())
    assert g.to_string() == (
        "graph(%x.1 : Tensor,\n"
        "      %n : int):\n"
        f"  %{one.unique} : int = prim::Constant[value=1]() # f.py:3:12\n"
        f"  %{add.output().unique} : Tensor = aten::add(%x.1, %n, %{one.unique}) # f.py:3:8\n"
        f"  return (%{add.output().unique})\n"
    )
    assert_round_trips(g)


def test_without_source_locations_nested_nodes_keep_their_comments() -> None:
    # torch: Node::print passes print_source_locations only to top-level nodes.
    g = Graph()
    c = g.add_input("c", BoolType())
    if_node = g.append_node(g.create("prim::If", [c], 0))
    if_node.set_source_range(SourceRange("f.py", 2, 4))
    for value in (1, 2):
        block = if_node.add_block()
        with g.inserting_before(block):
            constant(g, AttributeKind.i, value, IntType(), SourceRange("f.py", 2 + value, 8))
    assert g.to_string(False) == (
        "graph(%c : bool):\n"
        "   = prim::If(%c)\n"
        "    block0():\n"
        "      %1 : int = prim::Constant[value=1]() # f.py:3:8\n"
        "      -> ()\n"
        "    block1():\n"
        "      %2 : int = prim::Constant[value=2]() # f.py:4:8\n"
        "      -> ()\n"
        "  return ()\n"
    )
    assert "prim::If(%c) # f.py:2:4\n" in g.to_string(True)
    assert_round_trips(g)


def test_constant_attribute_formats() -> None:
    g = Graph()
    outs = [
        constant(g, AttributeKind.f, 3.0, FloatType()),
        constant(g, AttributeKind.f, 0.1, FloatType()),
        constant(g, AttributeKind.f, -0.0, FloatType()),
        constant(g, AttributeKind.f, 1e20, FloatType()),
        constant(g, AttributeKind.f, 1e10, FloatType()),
        constant(g, AttributeKind.c, 1e15j, IntType()),
        constant(g, AttributeKind.s, "caf\u00e9\n", StringType()),
        constant(g, AttributeKind.ival, (2,), TupleType((IntType(),))),
        constant(g, AttributeKind.ival, (Device("cpu"), -0.0), TupleType((DeviceObjType(), FloatType()))),
        constant(g, AttributeKind.t, TensorConstant("{2.5}"), TensorType("Float", (), None, False, "cpu")),
    ]
    g.register_output(outs[0])
    lines = g.to_string().splitlines()[1:-1]
    values = [line.split("[value=", 1)[1].rsplit("]()", 1)[0] for line in lines]
    assert values == ["3.", "0.10000000000000001", "-0.", "1e+20", "10000000000",
                      "0.+1000000000000000.j", r'"caf\0)+\/.)\n"', "(2,)",
                      '(torch.device("cpu"), -0.)', "{2.5}"]
    assert lines[-1].startswith("  %9 : Float(requires_grad=0, device=cpu) = ")
    assert_round_trips(g)


def test_empty_typed_list_attributes_are_annotated() -> None:
    # torch: IValue::repr -> printMaybeAnnotatedList (see the frozen_module golden).
    g = Graph()
    node = g.append_node(g.create("prim::Constant"))
    node.set_attr("value", AttributeKind.is_, [])
    node.output().set_type(ListType(IntType()))
    g.register_output(node.output())
    assert "prim::Constant[value=annotate(List[int], [])]()" in g.to_string()
    node.set_attr("value", AttributeKind.is_, [1, 2, 3])
    assert "prim::Constant[value=[1, 2, 3]]()" in g.to_string()


def test_python_op_prints_name_attributes_scalars_then_inputs() -> None:
    g = Graph()
    x = g.add_input("x", TensorType.get())
    fn = StaticClass("ScaleBy", role="autograd_function", module="m")
    op = create_python_op(g, [x])
    assert isinstance(op, ConcretePythonOp)
    op.init(fn.apply, "dccc", [3, (2, 3), (2,)])
    op.i_("inplace", 0).s_("module", "m")
    g.append_node(op)
    plain = g.append_node(create_python_op(g, [x]).init(StaticCallable("helper"), "d"))
    nameless = g.append_node(create_python_op(g, [x]).init(StaticNamelessCallable("partial"), "d"))
    g.register_output(op.output())
    text = g.to_string()
    assert '%1 : Tensor = ^ScaleBy[inplace=0, module="m"](3, (2, 3), (2,))(%x)\n' in text
    assert "%2 : Tensor = ^helper[]()(%x)\n" in text
    assert "%3 : Tensor = ^<python_value>[]()(%x)\n" in text
    assert plain.output().unique == 2
    assert nameless.output().unique == 3
    assert_round_trips(g)



def test_a_copied_python_op_is_a_python_op_with_its_callable() -> None:
    g = Graph()
    x = g.add_input("x", TensorType.get())
    op = g.append_node(create_python_op(g, [x]).init(StaticCallable("helper"), "dc", [2]))
    g.register_output(op.output())
    copied = g.copy()
    [clone] = list(copied.nodes())
    assert isinstance(clone, ConcretePythonOp)
    assert clone is not op
    assert (clone.pyobj, clone.cconv, clone.scalar_args) == (op.pyobj, "dc", [2])
    assert copied.to_string() == g.to_string()


def test_a_graph_does_not_make_a_python_op_without_its_callable_fields() -> None:
    with pytest.raises(ValueError, match="create_python_op"):
        Graph().create(kinds.PythonOp)

def test_group_subgraphs_print_after_the_graph() -> None:
    inner = Graph()
    a = inner.add_input("a", TensorType.get())
    neg = inner.append_node(inner.create("aten::neg", [a]))
    inner.register_output(neg.output())
    g = Graph()
    x = g.add_input("x", TensorType.get())
    diff = g.append_node(g.create(kinds.DifferentiableGraph, [x]))
    diff.set_attr("Subgraph", AttributeKind.g, inner)
    fusion = g.append_node(g.create("prim::FusionGroup", [diff.output()]))
    fusion.set_attr("Subgraph", AttributeKind.g, inner).i_("device", 0)
    g.register_output(fusion.output())
    assert g.to_string() == (
        "graph(%x : Tensor):\n"
        "  %1 : Tensor = prim::DifferentiableGraph_0(%x)\n"
        "  %2 : Tensor = prim::FusionGroup_1[device=0](%1)\n"
        "  return (%2)\n"
        "with prim::DifferentiableGraph_0 = graph(%a : Tensor):\n"
        "  %1 : Tensor = aten::neg(%a)\n"
        "  return (%1)\n"
        "with prim::FusionGroup_1 = graph(%a : Tensor):\n"
        "  %1 : Tensor = aten::neg(%a)\n"
        "  return (%1)\n"
    )
    # A node on its own prints its attributes, Subgraph included.
    assert str(fusion) == "%2 : Tensor = prim::FusionGroup[Subgraph=<Graph>, device=0](%1)\n"
    assert_round_trips(g)


def test_scope_comes_before_the_source_comment() -> None:
    g = Graph()
    x = g.add_input("x", TensorType.get())
    relu = g.append_node(g.create("aten::relu", [x]))
    relu.scope = "__module.inner/__module.inner.fc"
    relu.set_source_range(SourceRange("m.py", 9, 0))
    g.register_output(relu.output())
    assert "  %1 : Tensor = aten::relu(%x), scope: __module.inner/__module.inner.fc # m.py:9:0\n" in g.to_string()
    assert_round_trips(g)


def test_types_print_like_operator_shift() -> None:
    point = TupleType((FloatType(), TensorType.get()), "__torch__.m.Point",
                      (NamedTupleField("x", FloatType()), NamedTupleField("t", TensorType.get())))
    complete = TensorType("Float", (2, 3), (3, 1), True, "cpu")
    cases = {
        DictType(StringType(), point): "Dict(str, __torch__.m.Point)",
        DictType(StringType(), complete): "Dict(str, Tensor)",
        UnionType((complete, IntType())): "Union(Tensor, int)",
        OptionalType(point): "NamedTuple(x : float, t : Tensor)?",
        TupleType((complete, IntType())): "(Float(2, 3, strides=[3, 1], requires_grad=1, device=cpu), int)",
        AwaitType(complete): "Await(Tensor)",
        InterfaceType("__torch__.m.Activation"): "InterfaceType<Activation>",
        ClassType("__torch__.m.M"): "__torch__.m.M",
        TensorType("Float", None, None, False): "FloatTensor(requires_grad=0)",
        TensorType(None, (), None, None, None, True): "Tensor()[Undefined]",
    }
    for type_, printed in cases.items():
        assert str(type_) == printed
