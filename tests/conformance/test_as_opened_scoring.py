"""The real-code measure counts what it says (a tiny file, no torch needed)."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from pyjit_core.editor.presentation import Presentation
from pyjit_core.environment import Environment
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

from .as_opened import FileExpectation, FileLayout, group_misses, most_per_position, score_file

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


def test_a_position_counts_the_most_any_one_graph_has_there():
    one = [("aten::add", 6, 11), ("aten::add", 6, 11), ("prim::Constant", 6, 4)]
    other = [("aten::add", 6, 11), ("aten::mul", 7, 4)]
    assert most_per_position([one, other]) == Counter({("aten::add", 6, 11): 2, ("aten::mul", 7, 4): 1})


def test_matched_nodes_misses_and_the_function_each_miss_is_in(tmp_path):
    path, result = check(tmp_path)
    expected = FileExpectation("m.py", path, Counter({
        ("aten::add", 6, 11): 1,          # pyjit emits it
        ("aten::sub", 6, 11): 1,          # a kind pyjit does not emit there
        ("aten::mul", 15, 11): 1,         # in a function pyjit never compiles
    }), compiled=("twice", "broken", "never_compiled"))
    figures = score_file(expected, result, SOURCE)
    assert (figures.matched, figures.torch_nodes) == (1, 3)
    assert [(m.kind, m.function, m.compiled_by_pyjit) for m in figures.misses] == [
        ("aten::sub", "twice", True), ("aten::mul", "never_compiled", False)]
    grouped = group_misses_of(figures)
    assert [e["function"] for e in grouped["not_compiled"]] == ["never_compiled"]
    assert grouped["by_kind"] == {"aten::sub": 1, "aten::mul": 1}


def test_an_error_counts_against_compiled_code_only_inside_it(tmp_path):
    path, result = check(tmp_path)
    inside = score_file(FileExpectation("m.py", path, Counter(), compiled=("broken",)), result, SOURCE)
    outside = score_file(FileExpectation("m.py", path, Counter(), compiled=("twice",)), result, SOURCE)
    assert [(e.line, e.on_compiled_code) for e in inside.errors] == [(11, True)]
    assert [(e.line, e.on_compiled_code) for e in outside.errors] == [(11, False)]
    assert (inside.errors_on_compiled_code, outside.errors_on_compiled_code) == (1, 0)


def test_a_node_makes_its_top_level_definition_compiled_code():
    layout = FileLayout("class A:\n    def f(self):\n        return 1\n\n\ndef g():\n    pass\n")
    expected = FileExpectation("m.py", Path("m.py"), Counter({("aten::add", 3, 15): 1}))
    assert layout.compiled_spans(expected) == [(1, 3)]
    assert layout.function_at(3).qualname == "A.f"
    assert layout.function_at(7).qualname == "g"


def group_misses_of(figures):
    from .as_opened import Setting, SettingFigures

    return group_misses(SettingFigures(Setting("t", "w", "modules", False), "", "", False, [figures]))
