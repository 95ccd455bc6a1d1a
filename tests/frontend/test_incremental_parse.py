"""An edited file parsed from its previous tree is the tree a fresh parse gives, node for node."""

from __future__ import annotations

import ast
import random
import textwrap
from pathlib import Path

import pytest

from pyjit_core.frontend import incremental_parse
from pyjit_core.frontend.incremental_parse import parse_from
from pyjit_core.frontend.pyworld import default_torch_root

CORPUS = Path(__file__).resolve().parents[1] / "conformance" / "corpus"


@pytest.fixture(autouse=True)
def every_file_counts(monkeypatch):
    monkeypatch.setattr(incremental_parse, "SMALL_FILE_LINES", 0)   # the corpus' files are short


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def fresh_outcome(text: str):
    try:
        return dump(ast.parse(text, type_comments=False))
    except SyntaxError as e:
        return ("SyntaxError", e.msg, e.lineno, e.offset)


def edited_outcome(old: str, new: str):
    old_tree = ast.parse(old)
    before = dump(old_tree)
    try:
        outcome = dump(parse_from(old, old_tree, new, "<edited>"))
    except SyntaxError as e:
        outcome = ("SyntaxError", e.msg, e.lineno, e.offset)
    assert dump(old_tree) == before, "the previous tree was changed"
    return outcome


BASE = textwrap.dedent('''\
    """A module."""
    import torch

    X = 1


    def first(x: int) -> int:
        y = x + 1
        return y


    @torch.jit.script
    def second(x: torch.Tensor) -> torch.Tensor:
        # a comment
        return x.relu()


    class C:
        def method(self) -> int:
            return 1


    def last(a, b):
        return a + b
''')


def _replace(line: str, new: list[str]):
    lines = BASE.split("\n")
    at = lines.index(line)
    return "\n".join(lines[:at] + new + lines[at + 1:])


EDITS = {
    "a statement added to a body": _replace("    y = x + 1", ["    y = x + 1", "    z = y"]),
    "a line removed": _replace("    y = x + 1", []),
    "an indented line after a function joins it": _replace("class C:", ["    extra = 1", "class C:"]),
    "a dedented body line ends the function": _replace("    return y", ["return y"]),
    "a statement joined by a semicolon": _replace("X = 1", ["X = 1; W = 2"]),
    "a line continued by a backslash": _replace("X = 1", ["X = 1 + \\"]),
    "an unterminated triple quote": _replace("    # a comment", ['    s = """']),
    "an open bracket swallowing what follows": _replace("X = 1", ["X = (1,"]),
    "a __future__ import in the middle": _replace("X = 1", ["from __future__ import annotations"]),
    "a decorator added": _replace("def last(a, b):", ["@torch.jit.script", "def last(a, b):"]),
    "the first line changed": _replace('"""A module."""', ['"""The module."""']),
    "the last statement changed": _replace("    return a + b", ["    return a - b", "", "", "tail = 3"]),
    "a comment line between statements": _replace("X = 1", ["X = 1", "# between"]),
    "a blank line removed between functions": BASE.replace("\n\n\n@torch", "\n\n@torch"),
    "a new function": _replace("class C:", ["def new(x: int) -> int:", "    return x", "", "", "class C:"]),
    "a method's body line": _replace("        return 1", ["        return 2"]),
    "everything removed": "",
    "an indentation error": _replace("    y = x + 1", ["      y = x + 1"]),
    "a tab-indented body": _replace("    y = x + 1", ["\ty = x + 1"]),
    "a form feed before a statement": _replace("X = 1", ["\fX = 1"]),
    "a CRLF line": _replace("X = 1", ["X = 1\r"]),
}


@pytest.mark.parametrize("name", EDITS)
def test_an_edit_parses_as_a_fresh_parse(name):
    assert edited_outcome(BASE, EDITS[name]) == fresh_outcome(EDITS[name])


@pytest.mark.parametrize("name", EDITS)
def test_undoing_an_edit_parses_as_a_fresh_parse(name):
    try:
        ast.parse(EDITS[name])
    except SyntaxError:
        pytest.skip("the edited text does not parse: there is no tree to start from")
    assert edited_outcome(EDITS[name], BASE) == fresh_outcome(BASE)


def test_statements_the_edit_left_alone_are_the_previous_nodes():
    old_tree = ast.parse(BASE)
    new = parse_from(BASE, old_tree, EDITS["the last statement changed"], "<edited>")
    assert new.body[0] is old_tree.body[0]          # before the edit: shared
    assert new.body[-2] is not old_tree.body[-1]    # the edited statement: parsed again


SNIPPETS = ["", "    pass", "x = 1", "def f():", "    return (", ")", '"""', "# c", "\\", "@deco", "class K:",
            "        deep = 2", "if x:", "else:", "from __future__ import annotations", "\t", "a = 1; b = 2"]


def _random_edits(source: str, count: int, seed: int):
    rng = random.Random(seed)
    lines = source.split("\n")
    for _ in range(count):
        edited = list(lines)
        at = rng.randrange(len(edited) + 1)
        kind = rng.randrange(4)
        if kind == 0:
            edited.insert(at, rng.choice(SNIPPETS))
        elif kind == 1 and edited:
            del edited[min(at, len(edited) - 1)]
        elif kind == 2 and at < len(edited):
            edited[at] = edited[at] + rng.choice([" ", "  # c", ")", ":", " \\"])
        else:
            edited[at:at] = [rng.choice(lines) for _ in range(rng.randrange(1, 4))]
        yield "\n".join(edited)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.py")), ids=lambda p: p.name)
def test_random_edits_of_the_corpus_parse_as_a_fresh_parse(path):
    source = path.read_text()
    for text in _random_edits(source, 30, seed=len(source)):
        assert edited_outcome(source, text) == fresh_outcome(text)


def test_random_edits_of_torch_functional_parse_as_a_fresh_parse():
    torch_root = default_torch_root()
    if torch_root is None:
        pytest.skip("torch's sources are not installed (the conformance extra)")
    source = (Path(torch_root) / "nn" / "functional.py").read_text()
    for text in _random_edits(source, 20, seed=13):
        assert edited_outcome(source, text) == fresh_outcome(text)
