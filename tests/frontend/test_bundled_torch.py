"""Without torch, an analysis gives exactly what it gives with the installed torch's source.

pyjit reads torch's Python library from the installed torch when there is
one, else from the copy bundled with it (``torch_root=None``: the same
``PyWorld`` code, over a virtual torch root). On the whole conformance
corpus, on ``torch/nn/functional.py`` (``roots = "all"``) and on five files of
``torch/nn/modules`` (``roots = "modules"``), both give:

* the same diagnostics;
* the same hover kinds on every token;
* the same printed graph for every root (what compiling the root compiled).

Two things are told apart beforehand, as they have nothing to do with where
torch's source came from: the folder torch's files are in (the installed
torch's ``site-packages``, or ``<bundled torch 2.13.0>``), and ``warn_id``,
which counts the warnings compiled in the process so far.

Needs the installed torch's sources (never imports torch); skipped without them.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyjit_core.config import Config
from pyjit_core.editor.hover import hover_at
from pyjit_core.environment import Environment
from pyjit_core.frontend import pyworld, torch_library
from pyjit_core.frontend.pyworld import default_torch_root
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tests.conformance.corpus_roots import CORPUS_SEARCH_ROOT, corpus_files, module_name_for  # noqa: E402

INSTALLED = default_torch_root()
BUNDLED = torch_library.bundled_torch_root()
pytestmark = pytest.mark.skipif(INSTALLED is None, reason="compares with the installed torch's sources")

NN_MODULES = ("conv", "pooling", "activation", "normalization", "linear")


@dataclass(frozen=True)
class Case:
    path: Path
    module_name: str
    roots: str
    search_paths: tuple[str, ...] = ()


def cases() -> dict[str, Case]:
    found = {p.name: Case(p, module_name_for(p), "decorated", (str(CORPUS_SEARCH_ROOT),)) for p in corpus_files()}
    if INSTALLED is not None:
        nn = Path(INSTALLED) / "nn"
        found["functional.py"] = Case(nn / "functional.py", "torch.nn.functional", "all")
        for name in NN_MODULES:
            found[f"modules/{name}.py"] = Case(nn / "modules" / f"{name}.py", f"torch.nn.modules.{name}", "modules")
    return found


CASES = cases()


@dataclass(frozen=True)
class Outcome:
    diagnostics: list[str]
    hovers: dict[tuple[int, int, int, int], tuple]
    graphs: dict[str, str]
    torch_files: set[str]        # the files of torch's that functions were compiled from


def comparable(text: str) -> str:
    """``text`` with torch's folder and the process's warning count left out."""
    text = text.replace(os.path.dirname(INSTALLED), "<torch's folder>")
    text = text.replace(os.path.dirname(BUNDLED), "<torch's folder>")
    return re.sub(r"warn_id=\d+", "warn_id=N", text)


def analyse(case: Case, torch_root: str | None) -> Outcome:
    environment = Environment(torch_root, (), "the test") if torch_root else Environment.without_torch()
    session = Session(SettingsResolver(environment=environment))
    result = session.check(str(case.path), config=Config(roots=case.roots, search_paths=case.search_paths),
                           module_name=case.module_name)
    # sorted: diagnostics in other files come in the order of their paths, which name torch's folder
    diagnostics = sorted(comparable(repr((d.code, d.severity, d.message, d.path, d.range, d.related, d.fixes)))
                         for d in result.diagnostics)
    hovers = {}
    for where in result.hover_index._tokens:
        hover = hover_at(result, where[0], where[1])
        hovers[where] = (tuple(n.kind for n in hover.nodes), hover.variable) if hover is not None else None
    graphs = {}
    for root in result.analysis.roots:
        compiled = [result.analysis.functions.get(q) for q in root.functions]
        graphs[root.name] = comparable("\n".join(f"{fn.qualified_name}\n{fn.graph}" for fn in compiled
                                                 if fn is not None))
    torch_files = {fn.path for fn in result.analysis.functions.values()
                   if fn.qualified_name.startswith("__torch__.torch.") and fn.path not in (str(case.path), "<string>")}
    return Outcome(diagnostics, hovers, graphs, torch_files)


class Runs:
    """Each case analysed both ways, once, in library worlds of this module's own
    (so that what the installed side read can be told)."""

    def __init__(self) -> None:
        self.done: dict[str, tuple[Outcome, Outcome]] = {}

    def __call__(self, name: str) -> tuple[Outcome, Outcome]:
        if name not in self.done:
            self.done[name] = (analyse(CASES[name], INSTALLED), analyse(CASES[name], None))
        return self.done[name]


@pytest.fixture(scope="module")
def runs():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pyworld, "_LIBRARY_WORLDS", {})
        yield Runs()


@pytest.mark.parametrize("name", list(CASES))
def test_the_bundle_gives_what_the_installed_source_gives(runs, name: str) -> None:
    installed, bundled = runs(name)
    assert installed.graphs, "nothing was compiled"
    assert all(p.startswith(os.path.dirname(INSTALLED)) for p in installed.torch_files)
    assert all(p.startswith(os.path.dirname(BUNDLED)) for p in bundled.torch_files)
    assert len(bundled.torch_files) == len(installed.torch_files)
    assert bundled.diagnostics == installed.diagnostics
    assert bundled.hovers == installed.hovers
    assert bundled.graphs == installed.graphs


def test_the_bundle_holds_every_module_these_analyses_read(runs) -> None:
    for name in CASES:
        runs(name)
    read = {name for name, scope in pyworld._LIBRARY_WORLDS[INSTALLED]._modules.items() if scope is not None}
    folder = os.path.dirname(BUNDLED) + "/"
    bundled = {path[len(folder):-3].replace("/", ".").removesuffix(".__init__")
               for path in torch_library.bundled_paths()}
    assert len(read) > 30
    assert sorted(read - bundled) == []
