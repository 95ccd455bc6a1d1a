"""An edited file's unchanged functions keep their graphs -- and only when
nothing they depend on changed."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend.driver import analyze_source
from pyjit_core.frontend.pyworld import PyWorld, default_torch_root
from pyjit_core.ir.walk import walk_nodes

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


def test_a_moved_function_keeps_its_graph_with_its_ranges_moved():
    first, world = analyse(BASE)
    line_before = int(str(graph(first, "other")).split("m.py:")[1].split(":")[0])
    edited = BASE.replace("import torch\n", "import torch\n\n\n", 1)
    second, _ = analyse(edited, first, world)
    fresh, _ = analyse(edited)
    assert graph(second, "other") is graph(first, "other")
    line_after = int(str(graph(second, "other")).split("m.py:")[1].split(":")[0])
    assert line_after == line_before + 2
    for name in ("helper", "caller", "other"):
        assert str(graph(second, name)) == str(graph(fresh, name))


def test_a_moved_python_call_points_at_the_callee_of_the_new_text():
    source = BASE + textwrap.dedent("""
        @torch.jit.ignore
        def in_python(x: Tensor) -> Tensor:
            return x

        @torch.jit.script
        def calls_python(x: Tensor) -> Tensor:
            return in_python(x)
    """)
    first, world = analyse(source)
    edited = source.replace("import torch\n", "import torch\n\n\n\n", 1)
    second, _ = analyse(edited, first, world)
    [op] = [n for n in walk_nodes(graph(second, "calls_python")) if n.kind.qual_string() == "prim::PythonOp"]
    fresh, _ = analyse(edited)
    [fresh_op] = [n for n in walk_nodes(graph(fresh, "calls_python"))
                  if n.kind.qual_string() == "prim::PythonOp"]
    assert op.source_range == fresh_op.source_range
    assert op.callee_ref.node.lineno == fresh_op.callee_ref.node.lineno == edited.split("\n").index(
        "def in_python(x: Tensor) -> Tensor:") + 1


def test_a_changed_import_recompiles_everything():
    first, world = analyse(BASE)
    edited = BASE.replace("from torch import Tensor", "from torch import Tensor as Tensor")
    second, _ = analyse(edited, first, world)
    assert all(graph(second, n) is not graph(first, n) for n in ("helper", "caller", "other"))


def test_a_comment_or_blank_line_recompiles_only_the_function_it_is_in():
    first, world = analyse(BASE)
    edited = BASE.replace("    return helper(x) * 2", "    # why: doubled\n\n    return helper(x) * 2")
    second, _ = analyse(edited, first, world)
    fresh, _ = analyse(edited)
    assert graph(second, "caller") is not graph(first, "caller")
    assert graph(second, "helper") is graph(first, "helper")
    assert graph(second, "other") is graph(first, "other")
    for name in ("helper", "caller", "other"):
        assert str(graph(second, name)) == str(graph(fresh, name))


def test_a_new_function_no_one_calls_recompiles_nothing_else():
    first, world = analyse(BASE)
    edited = BASE.replace("@torch.jit.script\ndef other", "def unused(y: int) -> int:\n    return y\n\n\n"
                          "@torch.jit.script\ndef other")
    second, _ = analyse(edited, first, world)
    assert all(graph(second, n) is graph(first, n) for n in ("helper", "caller", "other"))


def test_a_function_that_failed_on_a_missing_name_compiles_once_it_is_defined():
    broken = BASE.replace("return x.relu()", "return later(x)")
    first, world = analyse(broken)
    assert graph(first, "other") is None
    fixed = broken + "\n\ndef later(x: Tensor) -> Tensor:\n    return x\n"
    second, _ = analyse(fixed, first, world)
    assert graph(second, "other") is not None
    assert graph(second, "caller") is graph(first, "caller")


def test_a_decorator_added_to_a_callee_recompiles_its_callers():
    first, world = analyse(BASE)
    edited = BASE.replace("def helper", "@torch.jit.ignore\ndef helper")
    second, _ = analyse(edited, first, world)
    fresh, _ = analyse(edited)
    assert graph(second, "caller") is not graph(first, "caller")
    assert str(graph(second, "caller")) == str(graph(fresh, "caller"))
    assert graph(second, "other") is graph(first, "other")


def test_a_function_that_failed_fails_again_without_being_compiled():
    broken = BASE.replace("return x.relu()", "return x.no_such_method()")
    first, world = analyse(broken)
    [error] = [d for d in first.diagnostics if d.code == "PJ210"]
    moved = broken.replace("import torch\n", "import torch\n\n", 1)
    second, _ = analyse(moved, first, world)
    [again] = [d for d in second.diagnostics if d.code == "PJ210"]
    assert again.message == error.message
    assert again.range.start_line == error.range.start_line + 1
    assert graph(second, "other") is None


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


CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"


def _edits(source: str):
    """Edits an editor makes: lines inserted above everything, a statement
    added inside a function in the middle, that statement turned into a
    comment, a new function above that one, and all of it undone."""
    lines = source.split("\n")
    yield "\n".join([*lines[:1], "", "", "", *lines[1:]])
    tree = ast.parse(source)
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.body]
    if defs:
        fn = defs[len(defs) // 2]
        at = fn.body[0].lineno - 1
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        yield "\n".join([*lines[:at], indent + "_edit = 1", *lines[at:]])
        yield "\n".join([*lines[:at], indent + "# _edit = 1", *lines[at:]])
        start = (fn.decorator_list[0] if fn.decorator_list else fn).lineno - 1
        yield "\n".join([*lines[:start], "def _new(x: int) -> int:", "    return x", "", "", *lines[start:]])
    yield source


def _outcome(analysis):
    # warn_id counts warnings compiled in the process (as torch's does), so
    # a reused graph keeps the number it got when it was compiled.
    graphs = {q: re.sub(r"warn_id=\d+", "warn_id=N", str(fn.graph))
              for q, fn in analysis.functions.items() if fn.graph is not None}
    diagnostics = sorted((d.code, d.range, d.message, d.related) for d in analysis.diagnostics)
    return graphs, diagnostics


@pytest.mark.parametrize("incremental", [False, True], ids=["parsed-whole", "parsed-incrementally"])
@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.py")), ids=lambda p: p.name)
def test_every_edit_of_the_corpus_gives_what_a_fresh_analysis_gives(path, incremental, monkeypatch):
    if incremental:   # the corpus' files are under the size from which an edit is parsed incrementally
        from pyjit_core.frontend import incremental_parse

        monkeypatch.setattr(incremental_parse, "SMALL_FILE_LINES", 0)
    module = f"corpus.{path.stem}"
    search = [str(CORPUS.parent)]
    source = path.read_text()
    world = PyWorld(search, None)
    previous = analyze_source(source, str(path), module_name=module, world=world, search_paths=search)
    for text in _edits(source):
        world = PyWorld(search, None)
        edited = analyze_source(text, str(path), module_name=module, world=world, search_paths=search,
                                previous=previous)
        fresh = analyze_source(text, str(path), module_name=module, world=PyWorld(search, None),
                               search_paths=search)
        assert _outcome(edited) == _outcome(fresh)
        previous = edited


def test_every_edit_of_torch_functional_gives_what_a_fresh_analysis_gives():
    torch_root = default_torch_root()
    if torch_root is None:
        pytest.skip("torch's sources are not installed (the conformance extra)")
    path = str(Path(torch_root) / "nn" / "functional.py")
    source = Path(path).read_text()

    def run(text, previous=None):
        return analyze_source(text, path, module_name="torch.nn.functional", roots="all",
                              world=PyWorld([], torch_root), previous=previous)

    previous = run(source)
    for text in _edits(source):
        edited = run(text, previous)
        assert _outcome(edited) == _outcome(run(text))
        previous = edited
