"""lint(graph): torch's Graph::lint invariants, every violation reported at once."""

from __future__ import annotations

from pyjit_core.ir import types as T
from pyjit_core.ir.graph import Graph
from pyjit_core.ir.lint import lint
from pyjit_core.ir.naming import StaticCallable, StaticClass
from pyjit_core.ir.python_op import create_python_op


def codes(graph: Graph) -> list[str]:
    return [f.code for f in lint(graph)]


def straight_line() -> tuple[Graph, list]:
    """graph(%x): %1 = aten::neg(%x); %2 = aten::relu(%1); return (%2)"""
    g = Graph()
    x = g.add_input("x", T.Tensor)
    neg = g.insert_node(g.create("aten::neg", [x]))
    relu = g.insert_node(g.create("aten::relu", [neg.output()]))
    g.register_output(relu.output())
    return g, [x, neg, relu]


def test_a_well_formed_graph_is_clean():
    g, _ = straight_line()
    assert lint(g) == []


def test_an_if_with_block_outputs_is_clean():
    g = Graph()
    c = g.add_input("c", T.Bool)
    x = g.add_input("x", T.Tensor)
    if_ = g.insert_node(g.create("prim::If", [c]))
    then, orelse = if_.add_block(), if_.add_block()
    with g.inserting_before(then):
        neg = g.insert_node(g.create("aten::neg", [x]))
    then.register_output(neg.output())
    orelse.register_output(x)
    g.register_output(if_.output())
    assert lint(g) == []


def test_use_before_definition():
    g, (_x, neg, relu) = straight_line()
    relu.move_before(neg)
    findings = lint(g)
    assert [f.code for f in findings] == ["PJ301"]
    assert "%1 is used by aten::relu (%2) before its definition by aten::neg (%1)" in findings[0].message


def test_value_used_outside_its_block():
    g = Graph()
    c = g.add_input("c", T.Bool)
    x = g.add_input("x", T.Tensor)
    if_ = g.insert_node(g.create("prim::If", [c], 0))
    then, _ = if_.add_block(), if_.add_block()
    with g.inserting_before(then):
        inner = g.insert_node(g.create("aten::neg", [x]))
    inner.output().set_debug_name("inner")
    g.register_output(inner.output())
    findings = lint(g)
    assert [f.code for f in findings] == ["PJ302"]
    assert "%inner is defined inside block0 of prim::If but used outside it" in findings[0].message


def python_op(g: Graph, pyobj, cconv: str, scalars, inputs):
    op = g.insert_node(create_python_op(g, inputs))
    op.init(pyobj, cconv, scalars)
    return op


def test_python_op_invariants_each_give_one_precise_finding():
    g = Graph()
    x = g.add_input("x", T.Tensor)
    python_op(g, StaticCallable("ok"), "dc", [3], [x])           # clean
    python_op(g, StaticCallable("bad_cconv"), "dx", [], [x])      # 'x'
    python_op(g, None, "d", [], [x])                              # missing pyobj
    python_op(g, StaticCallable("scalars"), "dc", [], [x])        # 1 'c', 0 scalars
    python_op(g, StaticClass("Fn", role="autograd_function").apply, "dd", [], [x])  # 2 'd', 1 input
    findings = lint(g)
    assert [f.code for f in findings] == ["PJ310", "PJ311", "PJ312", "PJ313"]
    messages = [f.message for f in findings]
    assert "^bad_cconv" in messages[0]
    assert "'x'" in messages[0]
    assert "no Python callable" in messages[1]
    assert "takes 1 scalar argument(s) but the node holds 0" in messages[2]
    assert messages[3].startswith("^Fn (%")
    assert "takes 2 input(s) but the node has 1" in messages[3]


def test_all_broken_invariants_are_reported_together():
    g = Graph()
    c = g.add_input("c", T.Bool)
    x = g.add_input("x", T.Tensor)
    late = g.create("aten::neg", [x])
    early = g.insert_node(g.create("aten::relu", [late.output()]))   # uses %late before it exists
    g.insert_node(late)
    if_ = g.insert_node(g.create("prim::If", [c], 0))
    then, _ = if_.add_block(), if_.add_block()
    with g.inserting_before(then):
        hidden = g.insert_node(g.create("aten::sin", [x]))
    g.insert_node(g.create("aten::cos", [hidden.output()]))           # outside its block
    python_op(g, StaticCallable("f"), "x", [], [])                    # bad cconv
    python_op(g, None, "", [], [])                                    # missing pyobj
    python_op(g, StaticCallable("g"), "c", [], [])                    # scalar count
    python_op(g, StaticCallable("h"), "", [], [x])                    # input count
    g.register_output(early.output())
    assert sorted(codes(g)) == ["PJ301", "PJ302", "PJ310", "PJ311", "PJ312", "PJ313"]


def test_inconsistent_use_list_and_unlisted_nodes():
    g, (x, _neg, relu) = straight_line()
    x.uses.clear()                                   # neg's input no longer recorded
    g.create("aten::sin", [relu.output()])           # created, never inserted
    assert sorted(codes(g)) == ["PJ303", "PJ306"]


def test_misplaced_return_and_constant_with_inputs():
    g, (x, _neg, _relu) = straight_line()
    bad_const = g.insert_node(g.create("prim::Constant", [x]))
    bad_const.output().set_type(T.Int)
    assert codes(g) == ["PJ308"]


def test_duplicate_names_are_reported():
    g, (_x, neg, relu) = straight_line()
    neg.output().set_debug_name("y")
    relu.output()._debug_name = "y"                  # bypasses set_debug_name's renaming
    assert codes(g) == ["PJ304"]
