"""The construction index's text search (pyjit_core/frontend/construction_sites.py): which
files use a class name as a value -- a call, an argument, an item -- and not only in prose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyjit_core.frontend.construction_sites import ConstructionIndex, used_as_value


def spelled_by_the_regex(text: str, word: str) -> bool:
    """The definition: a word boundary, the word, any spaces, then one of ( , ) ]."""
    return re.search(rf"\b{re.escape(word)}\s*[(,)\]]", text) is not None


@pytest.mark.parametrize("text", [
    "BasicBlock(", "x = BasicBlock (1)", "layers = [BasicBlock]", "f(a, BasicBlock)", "f(BasicBlock,\n b)",
    "BasicBlock\n\t(", "MyBasicBlock(", "_BasicBlock(", "BasicBlocks(", "BasicBlock.x(", "# a BasicBlock here",
    "éBasicBlock(", "BasicBlock", "", "BasicBlock BasicBlock(", "BasicBlockBasicBlock(", "(BasicBlock)",
    "BasicBlock\u00a0(", "1BasicBlock(", "BasicBlock\u2028)",
])
def test_used_as_value_agrees_with_its_definition(text: str) -> None:
    assert used_as_value(text, "BasicBlock") == spelled_by_the_regex(text, "BasicBlock")


def test_used_as_value_agrees_with_its_definition_on_pyjits_own_sources() -> None:
    sources = [p.read_text(encoding="utf-8") for p in Path(__file__).parents[2].joinpath("pyjit_core").rglob("*.py")]
    for word in ("Session", "ModuleScope", "TextRange", "Diagnostic", "cls", "x"):
        assert [used_as_value(t, word) for t in sources] == [spelled_by_the_regex(t, word) for t in sources]


def test_an_answer_kept_for_a_file_is_asked_again_when_it_changes_on_disk_or_is_open(tmp_path: Path) -> None:
    model = tmp_path / "model.py"
    model.write_text("net = Net(1)\n")
    buffers: dict[str, str] = {}
    index = ConstructionIndex([str(tmp_path)], buffers.get)

    def mentioning() -> list[str]:   # asked by a new analysis
        index.begin_analysis()
        return list(index.files_mentioning([str(tmp_path)], "Net"))

    assert mentioning() == [str(model)]
    model.write_text("net = None  # no Net here, nor anywhere else\n")
    assert mentioning() == []
    buffers[str(model)] = "net = Net(2)\n"
    assert mentioning() == [str(model)]
    buffers[str(model)] = "net = 2\n"
    assert mentioning() == []


def test_within_one_analysis_a_file_is_taken_as_it_was_when_the_analysis_began(tmp_path: Path) -> None:
    model = tmp_path / "model.py"
    model.write_text("net = Net(1)\n")
    index = ConstructionIndex([str(tmp_path)], lambda path: None)
    index.begin_analysis()
    assert list(index.files_mentioning([str(tmp_path)], "Net")) == [str(model)]
    model.write_text("net = None  # no Net here, nor anywhere else\n")
    assert list(index.files_mentioning([str(tmp_path)], "Net")) == [str(model)]
