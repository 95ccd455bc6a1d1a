"""An edited file's unchanged functions keep their graphs -- and only when
nothing they depend on changed."""

from __future__ import annotations

import textwrap

from pyjit_core.analysis import analyze_source
from pyjit_core.frontend.pyworld import PyWorld

BASE = textwrap.dedent("""
    import torch
    from torch import Tensor

    def helper(x: Tensor):
        return x + 1

    @torch.jit.script
    def caller(x: Tensor) -> Tensor:
        return helper(x) * 2

    @torch.jit.script
    def other(x: Tensor) -> Tensor:
        return x.relu()
""")


def analyse(source, previous=None, world=None):
    world = world or PyWorld([], None)
    return analyze_source(source, "m.py", module_name="m", world=world, previous=previous), world


def graph(analysis, name):
    return analysis.functions[f"__torch__.m.{name}"].graph


def test_an_unchanged_function_keeps_its_graph_object():
    first, world = analyse(BASE)
    edited = BASE.replace("return x.relu()", "return x.sigmoid()")
    second, _ = analyse(edited, first, world)
    assert graph(second, "caller") is graph(first, "caller")
    assert graph(second, "helper") is graph(first, "helper")
    assert graph(second, "other") is not graph(first, "other")
    assert "aten::sigmoid" in str(graph(second, "other"))


def test_reused_graphs_print_exactly_as_a_fresh_analysis():
    first, world = analyse(BASE)
    edited = BASE.replace("return x.relu()", "return x.sigmoid()")
    second, _ = analyse(edited, first, world)
    fresh, _ = analyse(edited)
    for name in ("helper", "caller", "other"):
        assert str(graph(second, name)) == str(graph(fresh, name))


def test_a_callee_whose_body_changes_but_not_its_type_keeps_its_callers():
    first, world = analyse(BASE)
    edited = BASE.replace("    return x + 1", "    return x + 2")
    second, _ = analyse(edited, first, world)
    assert graph(second, "helper") is not graph(first, "helper")
    assert graph(second, "caller") is graph(first, "caller")


def test_a_callee_whose_return_type_changes_recompiles_its_callers():
    first, world = analyse(BASE)
    edited = BASE.replace("    return x + 1", "    return 1  ")   # helper now returns int
    second, _ = analyse(edited, first, world)
    assert graph(second, "helper") is not graph(first, "helper")
    # caller is compiled again: `int * 2` is no longer the Tensor it promises
    assert graph(second, "caller") is None
    assert any(d.code == "PJ221" for d in second.diagnostics)


def test_moving_a_function_recompiles_it_with_its_new_ranges():
    first, world = analyse(BASE)
    edited = BASE.replace("import torch\n", "import torch\n\n\n", 1)
    second, _ = analyse(edited, first, world)
    assert graph(second, "other") is not graph(first, "other")
    line_before = str(graph(first, "other")).split("m.py:")[1].split(":")[0]
    line_after = str(graph(second, "other")).split("m.py:")[1].split(":")[0]
    assert int(line_after) == int(line_before) + 2


def test_a_changed_import_recompiles_everything():
    first, world = analyse(BASE)
    edited = BASE.replace("from torch import Tensor", "from torch import Tensor as Tensor")
    second, _ = analyse(edited, first, world)
    assert all(graph(second, n) is not graph(first, n) for n in ("helper", "caller", "other"))


def test_a_function_that_failed_is_compiled_again():
    broken = BASE.replace("return x.relu()", "return x.no_such_method()")
    first, world = analyse(broken)
    assert any(d.code == "PJ210" for d in first.diagnostics)
    second, _ = analyse(broken, first, world)
    assert any(d.code == "PJ210" for d in second.diagnostics)


def test_functions_with_class_types_are_never_reused():
    source = BASE + textwrap.dedent("""
        @torch.jit.script
        class Box:
            def __init__(self, v: int):
                self.v = v

        @torch.jit.script
        def uses_box(b: Box) -> int:
            return b.v
    """)
    first, world = analyse(source)
    second, _ = analyse(source, first, world)
    assert graph(second, "uses_box") is not graph(first, "uses_box")
    assert graph(second, "other") is graph(first, "other")
