"""A hover index built from the previous analysis' index answers exactly as one
built afresh, indexing only the functions whose graphs the edit made new."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from pyjit_core.config import Config
from pyjit_core.frontend.pyworld import default_torch_root
from pyjit_core.session import Session

SOURCE = textwrap.dedent("""
    import torch
    from torch import Tensor
    from typing import List


    def helper(x: Tensor) -> Tensor:
        y = x.relu()
        return y + 1


    @torch.jit.script
    def caller(x: Tensor, n: int) -> Tensor:
        out: List[Tensor] = []
        for i in range(n):
            out.append(helper(x) * i)
        return torch.stack(out)


    @torch.jit.script
    def other(x: Tensor) -> Tensor:
        with torch.no_grad():
            z = x.sigmoid()
        return z
""")


def hovers(result) -> dict:
    """Every hoverable token and what it shows (warn ids are numbered per process)."""
    index = result.hover_index
    shown = {}
    for tokens in index.by_line.values():
        for token in tokens:
            hover = index.hover(token)
            shown[(token.range.start_line, token.range.start_col, token.range.end_col)] = \
                re.sub(r"warn_id=\d+", "", hover.markdown) if hover is not None else None
    return shown


def edits(source: str):
    yield source.replace("        y = x.relu()\n", "        # a note\n        y = x.relu()\n")
    yield source.replace("    return z\n", "    return z * 2\n")
    yield source.replace("import torch\n", "import torch\n\n\ndef new(a: int) -> int:\n    return a\n", 1)


@pytest.mark.parametrize("edited", list(edits(SOURCE)), ids=["comment", "statement", "new function"])
def test_an_index_built_from_the_previous_one_equals_a_fresh_one(edited: str) -> None:
    session = Session()
    config = Config(roots="all")
    first = session.check("/w/m.py", SOURCE, config=config)
    first.index_hovers()
    second = session.check("/w/m.py", edited, config=config, previous=first)
    index = second.index_hovers(first)
    fresh = session.check("/w/m.py", edited, config=config)
    assert index.reused >= 1
    assert hovers(second) == hovers(fresh)


def test_without_a_previous_index_everything_is_indexed() -> None:
    session = Session()
    config = Config(roots="all")
    first = session.check("/w/m.py", SOURCE, config=config)
    second = session.check("/w/m.py", next(edits(SOURCE)), config=config, previous=first)
    assert second.index_hovers(first).reused == 0      # ``first`` was never indexed


def test_every_edit_of_torch_functional_indexes_as_afresh() -> None:
    torch_root = default_torch_root()
    if torch_root is None:
        pytest.skip("torch's sources are not installed (the conformance extra)")
    path = str(Path(torch_root) / "nn" / "functional.py")
    source = Path(path).read_text()
    lines = source.split("\n")
    at = lines.index("def relu(input: Tensor, inplace: bool = False) -> Tensor:")
    session = Session()
    config = Config(roots="all")
    previous = session.check(path, source, config=config)
    previous.index_hovers()
    for text in ("\n".join([*lines[:at], "def _new(x: int) -> int:", "    return x", "", "", *lines[at:]]), source):
        edited = session.check(path, text, config=config, previous=previous)
        assert edited.index_hovers(previous).reused > 50
        assert hovers(edited) == hovers(session.check(path, text, config=config))
        previous = edited
