"""The real-code measure counts what it says (a tiny file, no torch needed)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from pyjit_core.editor.presentation import Presentation
from pyjit_core.environment import Environment
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

from .as_opened import FileExpectation, FileLayout, group_misses, positions, score_file

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def twice(x):
        return x + x


    @torch.jit.script
    def broken(x):
        return x + undefined_name


    def never_compiled(x):
        return x * 2
""")


def check(tmp_path: Path):
    path = tmp_path / "m.py"
    path.write_text(SOURCE, encoding="utf-8")
    session = Session(SettingsResolver([str(tmp_path)], environment=Environment.without_torch()),
                      presentation=Presentation.IN_FILE)
    return path, session.check(str(path))


def test_a_node_is_its_kind_and_place_counted_once_constants_left_out():
    one = [["aten::add", 6, 11], ["aten::add", 6, 11], ["prim::Constant", 6, 4]]    # an unrolled loop
    other = [["aten::add", 6, 11], ["aten::mul", 7, 4]]
    assert positions([one, other]) == {("aten::add", 6, 11), ("aten::mul", 7, 4)}


def test_matched_nodes_misses_and_the_function_each_miss_is_in(tmp_path):
    path, result = check(tmp_path)
    expected = FileExpectation("m.py", path, frozenset({
        ("aten::add", 6, 11),             # pyjit emits it
        ("aten::sub", 6, 11),             # a kind pyjit does not emit there
        ("aten::mul", 15, 11),            # in a function pyjit never compiles
    }), compiled=("twice", "broken", "never_compiled"))
    figures = score_file(expected, result, SOURCE)
    assert (figures.matched, figures.torch_nodes) == (1, 3)
    assert [(m.kind, m.function, m.compiled_by_pyjit, m.instead) for m in figures.misses] == [
        ("aten::sub", "twice", True, ("aten::add",)), ("aten::mul", "never_compiled", False, ())]
    grouped = group_misses_of(figures)
    assert [e["function"] for e in grouped["not_compiled"]] == ["never_compiled"]
    assert grouped["by_kind"] == {"aten::sub": 1, "aten::mul": 1}


def test_an_error_counts_against_compiled_code_only_inside_it(tmp_path):
    path, result = check(tmp_path)
    inside = score_file(FileExpectation("m.py", path, frozenset(), compiled=("broken",)), result, SOURCE)
    outside = score_file(FileExpectation("m.py", path, frozenset(), compiled=("twice",)), result, SOURCE)
    assert [(e.line, e.where) for e in inside.errors] == [(11, "compiled")]
    assert [(e.line, e.where) for e in outside.errors] == [(11, "elsewhere")]
    assert (inside.errors_on_compiled_code, outside.errors_on_compiled_code) == (1, 0)


def test_a_node_makes_its_top_level_definition_compiled_code():
    layout = FileLayout("class A:\n    def f(self):\n        return 1\n\n\ndef g():\n    pass\n")
    expected = FileExpectation("m.py", Path("m.py"), frozenset({("aten::add", 3, 15)}))
    assert layout.compiled_spans(expected) == [(1, 3)]
    assert layout.function_at(3).qualname == "A.f"
    assert layout.function_at(7).qualname == "g"


def group_misses_of(figures):
    from .as_opened import Setting, SettingFigures

    return group_misses(SettingFigures(Setting("t", "w", "modules", False), "", "", False, [figures]))


def test_an_error_on_a_root_torch_rejects_too_is_no_false_error(tmp_path):
    path, result = check(tmp_path)
    figures = score_file(FileExpectation("m.py", path, frozenset(), compiled=("twice",), rejected=("broken",)),
                         result, SOURCE)
    assert [(e.line, e.where) for e in figures.errors] == [(11, "rejected")]
    assert (figures.errors_on_compiled_code, figures.errors_elsewhere) == (0, 0)
