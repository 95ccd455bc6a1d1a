"""After an edit, a builder's instance tree is reused when nothing its interpretation read
changed (frontend/build_reuse.py); the analysis that reuses it shows what a fresh one shows."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend.build_reuse import read_text_digest
from pyjit_core.frontend.source import SourceFile
from pyjit_core.session import Session
from pyjit_core.settings import SettingsResolver

# Block's instances come from `small()`, through Net; `gelu_ish`, a function attribute of Block
# defined below the classes, is compiled from the instance tree's function (and fails there).
BLOCKS = """\
import torch
from torch import nn

from .sizes import double

WIDTH = 8


class Block(nn.Module):
    def __init__(self, width: int, scale: float):
        super().__init__()
        self.lin = nn.Linear(width, width)
        self.scale = scale
        self.act = gelu_ish

    def forward(self, x):
        y = self.lin(x) * self.scale
        return self.act(y)


class Net(nn.Module):
    def __init__(self, depth: int):
        super().__init__()
        self.blocks = nn.Sequential(*[Block(WIDTH, 0.5) for _ in range(depth)])

    def forward(self, x):
        return self.blocks(x).no_such_method()


def gelu_ish(x):
    print(x, end="")
    return x * 0.5


def small(depth: int = 1):
    return Net(double(depth))
"""

SIZES = """\
def double(n):
    return 2 * n


def unrelated():
    return 0
"""

#: (name, old text, new text, whether the builder's tree is reused)
EDITS = [
    ("inside a forward", "y = self.lin(x) * self.scale", "y = self.lin(x) * self.scale * 2.0", True),
    ("inside a forward, lines added", "        y = self.lin(x) * self.scale\n",
     "        y = self.lin(x) * self.scale\n        y = y + 1.0\n\n", True),
    # (the function is a value of the tree, never run by the builder: the new body is compiled)
    ("a function attribute's body", "return x * 0.5", "return x * 0.25", True),
    ("inside an __init__", "self.scale = scale\n", "self.scale = scale\n        self.extra = 3\n", False),
    ("inside the builder", "return Net(double(depth))", "return Net(double(depth) + 1)", False),
    ("a constant the builder reads", "WIDTH = 8", "WIDTH = 16", False),
    ("a comment between statements", "\n\nclass Net(", "\n\n# the net\nclass Net(", True),
    ("a class attribute", "class Block(nn.Module):\n", "class Block(nn.Module):\n    __constants__ = ['scale']\n\n",
     False),
    ("the builder's default", "def small(depth: int = 1):", "def small(depth: int = 2):", False),
    ("a new top-level function", "\n\ndef small(", "\n\ndef unused(x):\n    return x\n\n\ndef small(", False),
]


def workspace(tmp_path: Path) -> Path:
    for name, text in {"pkg/__init__.py": "", "pkg/blocks.py": BLOCKS, "pkg/sizes.py": SIZES}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def session_in(root: Path) -> Session:
    return Session(SettingsResolver([str(root)], overrides={"roots": "modules"}))


def shown(session: Session, result) -> dict:
    """What an analysis shows: diagnostics, roots and how each was built, graphs with their
    locations, module types, and the hover of every ``self.<name>`` and class name."""
    analysis = result.analysis
    lines = result.source.split("\n")
    hovers = []
    for i, line in enumerate(lines):
        for m in re.finditer(r"\bself\.\w+|\bclass \w+", line):
            hover = session.hover(result, i, m.end() - 1)
            hovers.append((i, m.end(), None if hover is None else (hover.markdown, hover.variable)))
    return {
        "diagnostics": [(d.code, d.message, d.range) for d in result.found],
        "roots": [(r.name, r.first_line, r.constructed_by, r.representative) for r in analysis.roots],
        "graphs": {name: str(f.graph) for name, f in analysis.functions.items()},
        "module types": {name: repr(t) for name, t in analysis.module_types.items()},
        "hovers": hovers,
    }


def reused_builds(result) -> int:
    return result.analysis.builds.reused


@pytest.mark.parametrize(("name", "old", "new", "reused"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_shows_what_a_fresh_analysis_shows(tmp_path: Path, name: str, old: str, new: str,
                                                    reused: bool) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    editing = session_in(root)
    first = editing.check(path, BLOCKS)
    assert first.analysis.roots[0].constructed_by == "`small()` in blocks.py, through `Net`"
    text = BLOCKS.replace(old, new, 1)
    assert text != BLOCKS
    after = editing.check(path, text, previous=first)
    fresh_session = session_in(root)
    fresh = fresh_session.check(path, text)
    assert reused_builds(after) == (1 if reused else 0)
    assert reused_builds(fresh) == 0
    assert shown(editing, after) == shown(fresh_session, fresh)


def test_the_reused_tree_compiles_the_new_text_at_its_new_lines(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    session = session_in(root)
    first = session.check(path, BLOCKS)
    text = BLOCKS.replace("        return self.act(y)\n", "        z = undefined_name\n\n        return self.act(y)\n")
    after = session.check(path, text, previous=first)
    assert reused_builds(after) == 1
    before = {d.code: d.range.start_line for d in first.found}
    now = {d.code: d.range.start_line for d in after.found if "undefined_name" not in d.message}
    assert before
    assert now == {code: line + 2 for code, line in before.items()}
    (new,) = [d for d in after.found if "undefined_name" in d.message]
    assert new.range.start_line == text.split("\n").index("        z = undefined_name")


def test_a_chain_of_edits_keeps_reusing(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    session = session_in(root)
    result = session.check(path, BLOCKS)
    text = BLOCKS
    for scale in ("2.0", "3.0", "4.0"):
        text = text.replace("        return self.act(y)\n", f"        y = y * {scale}\n        return self.act(y)\n", 1)
        result = session.check(path, text, previous=result)
        assert reused_builds(result) == 1
    fresh_session = session_in(root)
    assert shown(session, result) == shown(fresh_session, fresh_session.check(path, text))


def test_an_edit_of_another_file_the_builder_reaches_builds_again(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    session = session_in(root)
    first = session.check(path, BLOCKS)
    session.set_document(str(root / "pkg/sizes.py"), SIZES.replace("2 * n", "3 * n"))
    after = session.check(path, BLOCKS.replace("* self.scale", "* self.scale * 2.0"), previous=first)
    assert reused_builds(after) == 0
    fresh_session = session_in(root)
    fresh_session.set_document(str(root / "pkg/sizes.py"), SIZES.replace("2 * n", "3 * n"))
    fresh = fresh_session.check(path, BLOCKS.replace("* self.scale", "* self.scale * 2.0"))
    assert shown(session, after) == shown(fresh_session, fresh)
    assert len(after.analysis.module_types) == len(first.analysis.module_types)


def test_an_edit_of_another_file_the_builder_does_not_run_keeps_the_tree(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    session = session_in(root)
    first = session.check(path, BLOCKS)
    session.set_document(str(root / "pkg/sizes.py"), SIZES.replace("return 0", "return 1"))
    after = session.check(path, BLOCKS, previous=first)
    assert reused_builds(after) == 1


# --- the read text ------------------------------------------------------------------------------

MODULE = """\
import torch

LIMIT = 3


class A:
    def ran(self, x):
        return x + 1  # counted

    def did_not_run(self, x):
        '''Not read.'''
        return x - 1


def f(y: int = 2):
    return y
"""


def digest(text: str, ran: set[str]) -> str:
    source = SourceFile("m.py", textwrap.dedent(text))
    tree = source.parse()
    return read_text_digest(source, tree, lambda node, _path: getattr(node, "name", None) in ran)[0]


@pytest.mark.parametrize(("old", "new", "same"), [
    ("'''Not read.'''", "'''Not read, edited.'''", True),
    ("return x - 1", "y = 0\n        return x - y", True),
    ("return x + 1  # counted", "return x + 1  # changed", False),
    ("def did_not_run(self, x):", "def did_not_run(self, x, z=0):", False),
    ("LIMIT = 3", "LIMIT = 4", False),
    ("\n\nclass A:", "\n\n# a comment between statements\n\n\nclass A:", True),
    ("    return y", "    return y + 1", True),
    ("def f(y: int = 2):", "def f(y: int = 3):", False),
])
def test_the_read_text_leaves_out_the_bodies_that_did_not_run(old: str, new: str, same: bool) -> None:
    assert MODULE.count(old) == 1
    edited = MODULE.replace(old, new)
    assert (digest(MODULE, {"ran"}) == digest(edited, {"ran"})) is same


def test_after_a_syntax_error_the_next_analysis_builds_afresh(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    path = str(root / "pkg/blocks.py")
    session = session_in(root)
    first = session.check(path, BLOCKS)
    broken = session.check(path, BLOCKS.replace("return self.act(y)", "return self.act(y"), previous=first)
    assert [d.code for d in broken.found] == ["PJ001"]
    text = BLOCKS.replace("* self.scale", "* self.scale * 2.0")
    after = session.check(path, text, previous=broken)
    assert reused_builds(after) == 0
    fresh_session = session_in(root)
    assert shown(session, after) == shown(fresh_session, fresh_session.check(path, text))


# The builder passes a condition pyjit cannot evaluate (`hash()`), so the instance may not be
# torch's: its failure is PJ903 naming the condition, in a reusing analysis as in a fresh one.
GUESSED = """\
from typing import Optional

import torch
from torch import Tensor, nn


class Attention(nn.Module):
    def __init__(self, window=None):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(3)) if window else None

    def forward(self, x: Tensor, shared: Optional[Tensor] = None) -> Tensor:
        bias = None
        if self.table is not None:
            bias = self.table
        elif shared is not None:
            bias = shared
        return x


def attention():
    window = None if hash("x") % 2 > 5 else (7, 7)
    return Attention(window)
"""


def test_a_reused_tree_keeps_the_conditions_its_build_guessed(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_text("", encoding="utf-8")
    path = str(tmp_path / "pkg/guessed.py")
    Path(path).write_text(GUESSED, encoding="utf-8")
    session = session_in(tmp_path)
    first = session.check(path, GUESSED)
    line = GUESSED.split("\n").index("            bias = shared")
    assert [(d.code, d.range.start_line) for d in first.found if d.is_error or d.code == "PJ903"] == [("PJ903", line)]
    text = GUESSED.replace("        bias = None\n", "        bias = None\n        x = x * 2.0\n")
    after = session.check(path, text, previous=first)
    assert reused_builds(after) == 1
    fresh_session = session_in(tmp_path)
    assert shown(session, after) == shown(fresh_session, fresh_session.check(path, text))
    (shown_903,) = [d for d in after.found if d.code == "PJ903"]
    condition = text.split("\n").index('    window = None if hash("x") % 2 > 5 else (7, 7)') + 1
    assert f"`hash('x') % 2 > 5` at guessed.py:{condition}" in shown_903.message
    assert shown_903.range.start_line == line + 1
