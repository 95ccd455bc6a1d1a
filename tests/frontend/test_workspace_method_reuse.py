"""An edited file's module methods keep their graphs from its previous analysis --
and only when nothing they were compiled from changed.

After every edit below, the analysis made with the previous one gives exactly
what a fresh analysis of the same text gives: the same diagnostics, the same
hovers, and every graph printed alike. And the methods the edit did not touch
are not compiled again.
"""

from __future__ import annotations

import ast
import os
import re
import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend import script_modules
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

MODEL = textwrap.dedent("""
    import torch
    from torch import nn, Tensor
    from .consts import SCALE, shifted
    from .base import Base

    FACTOR = 3


    def helper(x: Tensor) -> Tensor:
        return x + 1


    class Mixin(nn.Module):
        def extra(self, x: Tensor) -> Tensor:
            return x.relu()

        def plain(self, x):
            # type: (Tensor) -> Tensor
            return x + 1


    class Block(Mixin):
        def __init__(self, width: int = 4) -> None:
            super().__init__()
            self.linear = nn.Linear(width, width)
            self.scale = 2

        def forward(self, x: Tensor) -> Tensor:
            y = self.linear(self.twice(x)) + helper(x)
            z = self.plain(x)
            return self.extra(y) * self.scale + z

        def twice(self, x: Tensor, k: int = FACTOR) -> Tensor:
            return x * k


    class Model(Base):
        def __init__(self) -> None:
            super().__init__()
            self.block = Block(4)
            self.layers = nn.ModuleList([Block(4), Block(4)])

        def forward(self, x: Tensor) -> Tensor:
            x = self.block(x)
            for layer in self.layers:
                x = layer(x)
            return self.scaled(self.apply_to(x)) + shifted(x)

        def scaled(self, x: Tensor, k: int = SCALE) -> Tensor:
            return k * x


    def build() -> Model:
        return Model()
""")

BASE = textwrap.dedent("""
    from torch import nn, Tensor


    class Base(nn.Module):
        def apply_to(self, x: Tensor) -> Tensor:
            return x + 1
""")

CONSTS = textwrap.dedent("""
    from torch import Tensor

    SCALE = 2


    def shifted(x: Tensor) -> Tensor:
        return x - 1
""")

#: Edits of the analysed file: (what, old, new).
EDITS = [
    ("inside the method", "return x * k", "return x * k + 1"),
    ("a line added inside a method", "        y = self.linear", "        x = x + 0\n        y = self.linear"),
    ("inside another method of the class", "return self.extra(y) * self.scale + z",
     "return self.extra(y) - self.scale + z"),
    ("a type comment", "# type: (Tensor) -> Tensor", "# type: (int) -> int"),
    ("a free function it calls", "    return x + 1\n\n\nclass Mixin", "    return x + 2\n\n\nclass Mixin"),
    ("a free function's return type", "def helper(x: Tensor) -> Tensor:\n    return x + 1",
     "def helper(x: Tensor) -> int:\n    return 1"),
    ("a global constant it reads", "FACTOR = 3", "FACTOR = 4"),
    ("__init__: an attribute's type", "self.scale = 2", "self.scale = 2.5"),
    ("a base class's method", "return x.relu()", "return x.sigmoid()"),
    ("a base class's method's type", "def extra(self, x: Tensor) -> Tensor:\n        return x.relu()",
     "def extra(self, x: Tensor) -> int:\n        return 1"),
    ("an error in a callee", "return x * k", "return x * NOT_DEFINED"),
    ("lines above everything", "import torch\n", "import torch\n\n\ndef new(a: int) -> int:\n    return a\n"),
    ("a method's signature", "def twice(self, x: Tensor, k: int = FACTOR)", "def twice(self, x: Tensor, k: int = 2)"),
    ("a new method", "    def twice(self", "    def unused(self) -> int:\n        return 1\n\n    def twice(self"),
]

WARN_ID = re.compile(r"warn_id=\d+")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text(MODEL)
    (package / "base.py").write_text(BASE)
    (package / "consts.py").write_text(CONSTS)
    return tmp_path


@pytest.fixture
def session(workspace: Path) -> Session:
    return Session(SettingsResolver([str(workspace)], overrides={"roots": "modules"}))


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The qualified names of the module methods each analysis compiles (lowers afresh)."""
    names: list[str] = []
    emitter = script_modules.FunctionEmitter

    def counting(fn, *args, **kwargs):
        names.append(fn.qualified_name)
        return emitter(fn, *args, **kwargs)

    monkeypatch.setattr(script_modules, "FunctionEmitter", counting)
    return names


def what_it_shows(result) -> tuple:
    """Every diagnostic, every function's printed graph, every hover."""
    diagnostics = tuple((d.path, d.range, d.code, d.message, d.related) for d in result.found)
    graphs = tuple(sorted((q, WARN_ID.sub("", str(f.graph)) if f.graph is not None else None)
                          for q, f in result.analysis.functions.items()))
    index = result.index_hovers()
    hovers = {}
    for tokens in index.by_line.values():
        for token in tokens:
            hover = index.hover(token)
            hovers[(token.range.start_line, token.range.start_col, token.range.end_col)] = \
                WARN_ID.sub("", hover.markdown) if hover is not None else None
    return diagnostics, graphs, tuple(sorted(hovers.items()))


def model_methods(names: list[str]) -> list[str]:
    return sorted(n.replace("__torch__.pkg.model.", "") for n in names if n.startswith("__torch__.pkg.model."))


def graph(result, suffix: str):
    found = [f.graph for q, f in result.analysis.functions.items() if q.endswith(suffix)]
    assert found, suffix
    return found[0]


def test_the_first_analysis_compiles_what_a_second_one_reuses(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    assert "Block.forward" in model_methods(compiled)
    assert first.analysis.method_cache is not None
    compiled.clear()
    second = session.check(path, MODEL.replace("FACTOR = 3\n", "FACTOR = 3\n# a comment\n"), previous=first)
    assert model_methods(compiled) == []
    assert graph(second, "Model.forward") is graph(first, "Model.forward")
    assert graph(second, "Block.forward") is graph(first, "Block.forward")


def test_an_edit_inside_a_method_compiles_that_method_alone(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    compiled.clear()
    edited = MODEL.replace("return x * k", "return x * k + 1")
    second = session.check(path, edited, previous=first)
    assert model_methods(compiled) == ["Block.twice"]      # once: the three Blocks share one type
    assert graph(second, "Block.forward") is graph(first, "Block.forward")
    assert graph(second, "Block.twice") is not graph(first, "Block.twice")


def test_a_new_function_no_one_names_compiles_nothing_again(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    compiled.clear()
    edited = MODEL.replace("FACTOR = 3\n", "FACTOR = 3\n\n\ndef new(a: int) -> int:\n    return a\n")
    second = session.check(path, edited, previous=first)
    assert model_methods(compiled) == []
    assert what_it_shows(second) == what_it_shows(session.check(path, edited))


def test_a_new_function_a_method_names_is_seen(session, workspace):
    """``shifted`` was imported from consts.py: a ``def`` below the import rebinds it."""
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    edited = MODEL.replace("FACTOR = 3\n", "FACTOR = 3\n\n\ndef shifted(a: Tensor) -> Tensor:\n    return a * 10\n")
    second = session.check(path, edited, previous=first)
    assert "__torch__.pkg.model.shifted" in second.analysis.functions
    assert what_it_shows(second) == what_it_shows(session.check(path, edited))


def test_a_line_added_in_one_method_moves_the_others_without_compiling_them(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    compiled.clear()
    edited = MODEL.replace("        y = self.linear", "        x = x + 0\n        y = self.linear")
    second = session.check(path, edited, previous=first)
    assert model_methods(compiled) == ["Block.forward"]
    assert what_it_shows(second) == what_it_shows(session.check(path, edited))


@pytest.mark.parametrize(("old", "new"), [(old, new) for _, old, new in EDITS], ids=[what for what, _, _ in EDITS])
def test_after_an_edit_the_analysis_shows_what_a_fresh_one_shows(session, workspace, old, new):
    path = str(workspace / "pkg" / "model.py")
    assert old in MODEL
    edited = MODEL.replace(old, new, 1)
    first = session.check(path, MODEL)
    second = session.check(path, edited, previous=first)
    fresh = session.check(path, edited)
    assert what_it_shows(second) == what_it_shows(fresh)


def test_callees_failing_report_what_a_fresh_analysis_reports(session, workspace):
    """A callee compiled ahead of its caller, to see whether the caller's graph can be
    reused, and failing, fails the caller as it would have: the caller's fresh compile
    goes on past it and meets the next failing callee."""
    path = str(workspace / "pkg" / "model.py")
    edited = MODEL.replace("return x * k", "return x * NOT_DEFINED").replace("return x + 1\n\n\nclass Block",
                                                                          "return x + ALSO_NOT\n\n\nclass Block")
    first = session.check(path, MODEL)
    second = session.check(path, edited, previous=first)
    fresh = session.check(path, edited)
    assert {d.message for d in fresh.found} >= {"undefined value NOT_DEFINED", "undefined value ALSO_NOT"}
    assert what_it_shows(second) == what_it_shows(fresh)


def test_a_run_of_edits_and_their_undoing_shows_what_fresh_analyses_show(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    previous = session.check(path, MODEL)
    texts = []
    text = MODEL
    for _, old, new in EDITS:
        text = text.replace(old, new, 1) if old in text else text
        texts.append(text)
    for text in [*texts, *reversed(texts[:-1]), MODEL]:
        compiled.clear()
        result = session.check(path, text, previous=previous)
        reused_some = len(model_methods(compiled)) < 5
        assert what_it_shows(result) == what_it_shows(session.check(path, text)), text
        previous = result
    assert reused_some     # the last one, back to the start: little changed since the one before


@pytest.mark.parametrize(("file", "old", "new"), [
    ("base.py", "return x + 1", "return x + 2"),                    # a base class in another file
    ("consts.py", "SCALE = 2", "SCALE = 2.5"),                      # a constant imported from another file
    ("consts.py", "return x - 1", "return x.sum()"),                # a function imported from another file
])
def test_an_edit_of_another_workspace_file_is_seen(session, workspace, compiled, file, old, new):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    edit(workspace / "pkg" / file, old, new)
    compiled.clear()
    second = session.check(path, MODEL, previous=first)
    assert "Model.forward" in model_methods(compiled)
    assert what_it_shows(second) == what_it_shows(session.check(path, MODEL))


def test_a_buffer_of_another_file_is_seen(session, workspace, compiled):
    path = str(workspace / "pkg" / "model.py")
    first = session.check(path, MODEL)
    session.documents[str(workspace / "pkg" / "consts.py")] = CONSTS.replace("SCALE = 2", "SCALE = 5")
    second = session.check(path, MODEL, previous=first)
    assert str(graph(second, "Model.forward")) != str(graph(first, "Model.forward"))
    assert what_it_shows(second) == what_it_shows(session.check(path, MODEL))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    stat = path.stat()
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))   # a new mtime, whatever the clock's grain


# --- torchvision, as the editor-like benchmark edits it ------------------------------------------------


@pytest.fixture
def in_torchvision():
    from tests.conformance.torchvision_sources import SourcesUnavailable, ensure_sources

    try:
        return ensure_sources()
    except SourcesUnavailable as e:
        pytest.skip(str(e))


def statement_edits(text: str, count: int = 3) -> list[str]:
    """A statement added at the top of ``count`` methods spread over the file, a function added
    after the imports; each as the whole new text."""
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    methods = [f for c in tree.body if isinstance(c, ast.ClassDef) for f in c.body
               if isinstance(f, ast.FunctionDef) and len(f.body) > 1]
    out = []
    for fn in methods[::max(1, len(methods) // count)][:count]:
        first = fn.body[1] if isinstance(fn.body[0], ast.Expr) else fn.body[0]
        at = first.lineno - 1
        out.append("".join([*lines[:at], " " * first.col_offset + "_pyjit_test = 0\n", *lines[at:]]))
    imports = max(s.end_lineno or s.lineno for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom)))
    out.append("".join([*lines[:imports], "\n\ndef _pyjit_new(a: int) -> int:\n    return a\n", *lines[imports:]]))
    return out


@pytest.mark.parametrize("file", ["torchvision/models/resnet.py", "torchvision/models/detection/roi_heads.py"])
def test_torchvision_edits_show_what_fresh_analyses_show(in_torchvision, compiled, file):
    session = Session(SettingsResolver([str(in_torchvision)], overrides={"roots": "modules"}))
    path = str(Path(in_torchvision) / file)
    original = Path(path).read_text()
    compiled.clear()
    previous = session.check(path, original)
    first = torchvisions(compiled)
    for text in [t for edited in statement_edits(original, 2) for t in (edited, original)]:
        compiled.clear()
        result = session.check(path, text, previous=previous)
        assert len(torchvisions(compiled)) < len(first)       # not the methods the edit did not touch
        assert what_it_shows(result) == what_it_shows(session.check(path, text))
        previous = result


def torchvisions(names: list[str]) -> list[str]:
    return [n for n in names if n.startswith("__torch__.torchvision.")]
