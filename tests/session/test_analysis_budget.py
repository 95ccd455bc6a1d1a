"""The analysis budget: past it, a file's analysis stops between roots and says so (PJ905).

What the roots analysed found is kept whole; the roots left out report
nothing at all. Time comes from an injected clock: :class:`Ticks` moves one
second each time it is read, and the budget is read once before each root
after the first, so a budget of k seconds lets k roots through.
"""

from __future__ import annotations

import textwrap

import pytest

from pyjit_core.config import Config, config_from_mapping
from pyjit_core.diagnostics import TextRange
from pyjit_core.editor.presentation import Presentation
from pyjit_core.frontend.driver import analyze_source
from pyjit_core.frontend.pyworld import PyWorld
from pyjit_core.session import Session

PATH = "/virtual/m.py"

# Four roots, each with one error of its own (one PJ240 on its `+`).
SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: int) -> int:
        return x + "f"


    @torch.jit.script
    def g(x: int) -> int:
        return x + "g"


    @torch.jit.script
    def h(x: int) -> int:
        return x + "h"


    @torch.jit.script
    class K:
        def __init__(self) -> None:
            self.x = 1 + "k"
""")
LINE = {name: SOURCE.splitlines().index(text) for name, text in
        [("f", "def f(x: int) -> int:"), ("g", "def g(x: int) -> int:"), ("h", "def h(x: int) -> int:"),
         ("K", "class K:")]}


class Ticks:
    """A clock one second later at each reading."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def analyse(source: str = SOURCE, budget: float | None = None, previous=None):
    return analyze_source(source, PATH, module_name="m", world=PyWorld([], None), previous=previous,
                          budget=budget, clock=Ticks())


def errors_by_root(analysis) -> dict[str, list[tuple[str, int]]]:
    return {r.name: [(d.code, d.range.start_line) for d in r.diagnostics] for r in analysis.roots}


def test_past_the_budget_the_roots_left_report_nothing_and_pj905_names_them() -> None:
    partial = analyse(budget=2)
    assert [r.name for r in partial.roots] == ["f", "g"]
    assert [r.name for r in partial.unanalysed] == ["h", "K"]
    assert [(d.code, d.range.start_line) for d in partial.diagnostics] == [
        ("PJ240", LINE["f"] + 1), ("PJ240", LINE["g"] + 1), ("PJ905", LINE["h"])]
    info = partial.diagnostics[-1]
    assert info.message == ("analysis stopped after 2 of 4 roots (analysis-budget 2 s); not analysed, so nothing "
                            "is reported for them: `h`, `K`")
    assert info.range == TextRange(LINE["h"], 0, LINE["h"], len("def h"))
    assert info.rule.severity.name == "INFORMATION"


def test_the_roots_analysed_keep_everything_a_full_analysis_gives_them() -> None:
    full, partial = analyse(), analyse(budget=2)
    assert errors_by_root(partial) == {name: found for name, found in errors_by_root(full).items()
                                       if name in ("f", "g")}
    assert set(partial.functions) == {"__torch__.m.f", "__torch__.m.g"}
    for name in partial.functions:
        assert str(partial.functions[name].graph) == str(full.functions[name].graph)


@pytest.mark.parametrize("budget", [None, 0, 1000])
def test_without_a_budget_or_within_it_nothing_changes(budget: float | None) -> None:
    unlimited = analyze_source(SOURCE, PATH, module_name="m", world=PyWorld([], None))
    found = analyse(budget=budget)
    assert found.diagnostics == unlimited.diagnostics
    assert errors_by_root(found) == errors_by_root(unlimited)
    assert found.unanalysed == []
    assert len(found.roots) == 4


def test_the_first_root_is_analysed_however_small_the_budget() -> None:
    assert [r.name for r in analyse(budget=1e-9).roots] == ["f"]


def test_an_unchanged_root_whose_graph_was_kept_is_analysed_past_the_budget() -> None:
    full = analyse()
    edited = SOURCE.replace('x + "f"', 'x + "F"').replace('x + "g"', 'x + "G"')
    partial = analyse(edited, budget=1, previous=full)
    assert [r.name for r in partial.roots] == ["f", "h"]       # h: its graph (its error) reused
    assert [r.name for r in partial.unanalysed] == ["g", "K"]   # changed, and a class (never kept)
    assert ("PJ240", LINE["h"] + 1) in [(d.code, d.range.start_line) for d in partial.diagnostics]


def test_each_later_analysis_goes_further() -> None:
    first = analyse(budget=1)
    second = analyse(budget=1, previous=first)
    third = analyse(budget=1, previous=second)
    assert [len(a.roots) for a in (first, second, third)] == [1, 2, 3]


def test_graphs_of_functions_never_reached_are_kept_for_the_next_analysis() -> None:
    source = SOURCE.replace('return x + "g"', "return helper(x)") + "\n\ndef helper(x: int) -> int:\n    return x\n"
    full = analyse(source)
    assert "__torch__.m.helper" in full.cache.entries
    edited = source.replace('x + "f"', 'x + "F"').replace("return helper(x)", "return helper(x) + 0")
    partial = analyse(edited, budget=1, previous=full)
    assert [r.name for r in partial.unanalysed] == ["g", "K"]
    assert "__torch__.m.helper" in partial.cache.entries


# --- through the session -------------------------------------------------------------------------

def session(budget: float = 2, **settings) -> Session:
    config, problems = config_from_mapping(settings, style="kebab")
    assert problems == []
    s = Session(presentation=Presentation.IN_FILE, analysis_budget=budget, clock=Ticks())
    s.settings.editor = config
    return s


def test_the_session_shows_hovers_and_graphs_of_the_roots_analysed_only() -> None:
    s = session()
    text = SOURCE.replace('x + "f"', "x + 1").replace('x + "h"', "x + 1")   # f and h compile
    result = s.check(PATH, text)
    assert [d.code for d in result.diagnostics] == ["PJ240", "PJ905"]
    f_plus = text.splitlines()[LINE["f"] + 1].index("+")
    h_plus = text.splitlines()[LINE["h"] + 1].index("+")
    assert s.hover(result, LINE["f"] + 1, f_plus) is not None
    assert s.hover(result, LINE["h"] + 1, h_plus) is None
    assert s.graph(result, line=LINE["f"]).qualified_name == "__torch__.m.f"
    assert s.graph(result, line=LINE["h"] + 1).problem == ("'h' was not analysed: the analysis budget ran out "
                                                           "(see the `analysis-budget` setting)")


def test_a_suppression_in_a_root_left_out_is_not_called_unused() -> None:
    text = SOURCE.replace('x + "h"', 'x + "h"  # pyjit: ignore[PJ240]').replace(
        'x + "f"', 'x + "f"  # pyjit: ignore[PJ201]')
    result = session().check(PATH, text)
    unused = [(d.code, d.range.start_line) for d in result.diagnostics if d.code == "PJ902"]
    assert unused == [("PJ902", LINE["f"] + 1)]   # in f, analysed: PJ201 is not reported there
    assert [d.code for d in session(budget=0).check(PATH, text).diagnostics if d.code == "PJ902"] == ["PJ902"]


def test_the_setting_wins_over_the_session_default() -> None:
    assert [d.code for d in session(budget=2, **{"analysis-budget": 0}).check(PATH, SOURCE).diagnostics] == [
        "PJ240"] * 4
    assert [d.code for d in session(budget=0, **{"analysis-budget": 1}).check(PATH, SOURCE).diagnostics] == [
        "PJ240", "PJ905"]


@pytest.mark.parametrize("value", [-1, True, "5", float("nan"), float("inf")])
def test_a_budget_is_a_number_of_seconds(value: object) -> None:
    config, problems = config_from_mapping({"analysis-budget": value}, style="kebab")
    assert config == Config()
    assert problems == [f"analysis-budget: expected a number of seconds (0 or more; 0: no limit), got {value!r}"]


def test_the_cli_has_no_budget_unless_told() -> None:
    from pyjit_core.cli import _overrides, build_parser

    assert Session().analysis_budget == 0
    args = build_parser().parse_args(["check", "--analysis-budget", "2.5", "x.py"])
    assert _overrides(args) == {"analysis_budget": 2.5}


def test_the_root_being_edited_is_analysed_first() -> None:
    classes_first = textwrap.dedent("""\
        import torch


        @torch.jit.script
        class A:
            def __init__(self) -> None:
                self.x = 1


        @torch.jit.script
        class B:
            def __init__(self) -> None:
                self.x = 2
    """) + SOURCE.split("import torch\n", 1)[1]
    full = analyse(classes_first)
    edited = classes_first.replace('x + "h"', 'x + "H"')
    partial = analyse(edited, budget=1, previous=full)
    assert [r.name for r in partial.roots] == ["f", "g", "h"]        # h edited, f and g reused
    assert [r.name for r in partial.unanalysed] == ["A", "B", "K"]   # classes: never reused
    assert [r.name for r in analyse(edited, budget=1).roots] == ["A"]   # no edit known: in source order


def test_a_class_root_left_out_still_counts_as_scripted_for_the_boundary_check() -> None:
    text = textwrap.dedent("""\
        import torch

        @torch.jit.interface
        class Getter:
            def get(self) -> int:
                pass

        class Plain:
            def __init__(self, a: int):
                self.a = a

            def get(self) -> int:
                return self.a

        @torch.jit.script
        def use_iface(g: Getter) -> int:
            return g.get()

        torch.jit.script(Plain)
        use_iface(Plain(1))
    """)
    s = session(budget=1)
    first = s.check(PATH, text)
    edited = s.check(PATH, text.replace("return g.get()", "return g.get() + 0"), previous=first)
    assert [r.name for r in edited.analysis.roots] == ["use_iface"]   # edited: first, and alone
    assert [r.name for r in edited.analysis.unanalysed] == ["Getter", "Plain"]
    assert [d.code for d in edited.diagnostics] == ["PJ905"]            # no PJ502 for `Plain(1)`
    assert session(budget=0).check(PATH, text).diagnostics == []
