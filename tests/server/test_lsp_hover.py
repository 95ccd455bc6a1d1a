"""Hover: the IR of the token under the cursor, from the latest analysis; nothing outside compiled code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from lsp_harness import capabilities, edit, open_doc, published, start, write
from lsprotocol import types
from pytest_lsp import LanguageClient

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor, n: int) -> torch.Tensor:
        y = x + n
        for i in range(n):
            s = "é😋"; y = torch.relu(y)
        return y


    def plain(x):
        return x + 1
""")


async def hover(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character)))


async def opened(client: LanguageClient, tmp_path: Path, **kwargs) -> str:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path, **kwargs)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)
    return uri


async def test_hover_on_an_operator_shows_its_node(client: LanguageClient, tmp_path: Path) -> None:
    uri = await opened(client, tmp_path)
    h = await hover(client, uri, 5, 10)          # the `+` of `y = x + n`
    assert h.contents.kind == types.MarkupKind.Markdown
    assert "aten::add" in h.contents.value
    assert "%y.1 : Tensor = aten::add(%x.1, %n.1" in h.contents.value
    assert h.range == types.Range(start=types.Position(line=5, character=10), end=types.Position(line=5, character=11))


@pytest.mark.parametrize(("client_name", "character", "end"), [
    ("visual-studio-code", 29, 33),   # `relu` after "é😋": code points 28..32; 😋 is 2 UTF-16 units
    ("neovim", 32, 36),               # UTF-8 bytes: é is 2, 😋 is 4
])
async def test_hover_positions_are_in_the_negotiated_encoding(client: LanguageClient, tmp_path: Path,
                                                              client_name: str, character: int, end: int) -> None:
    uri = await opened(client, tmp_path, caps=capabilities(client_name))
    h = await hover(client, uri, 7, character + 1)
    assert "aten::relu" in h.contents.value
    assert (h.range.start.character, h.range.end.character) == (character, end)


@pytest.mark.parametrize(("line", "character"), [
    (12, 13),   # `+` in a plain function
    (0, 3),     # the import
    (10, 0),    # a blank line
    (3, 2),     # the decorator
])
async def test_nothing_outside_compiled_code(client: LanguageClient, tmp_path: Path, line: int, character: int) -> None:
    uri = await opened(client, tmp_path)
    assert await hover(client, uri, line, character) is None


async def test_plaintext_clients_get_plaintext(client: LanguageClient, tmp_path: Path) -> None:
    caps = capabilities()
    caps.text_document.hover.content_format = [types.MarkupKind.PlainText]
    uri = await opened(client, tmp_path, caps=caps)
    h = await hover(client, uri, 5, 10)
    assert h.contents.kind == types.MarkupKind.PlainText
    lines = h.contents.value.split("\n")
    assert lines[0] == "aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor"
    assert "- result: Tensor" in lines   # inline code without its backticks
    assert not any(mark in h.contents.value for mark in ("```", "`", "---"))


async def test_hover_follows_edits_before_they_are_analysed(client: LanguageClient, tmp_path: Path) -> None:
    """Lines inserted above move the answer with them, whether or not the new analysis is done."""
    uri = await opened(client, tmp_path)
    at = types.Position(line=1, character=0)
    edit(client, uri, 2, types.Range(start=at, end=at), "# one\n# two\n")
    h = await hover(client, uri, 7, 10)
    assert "aten::add" in h.contents.value
    assert h.range.start.line == 7
    await published(client, uri, version=2)
    h = await hover(client, uri, 7, 10)
    assert "aten::add" in h.contents.value
    assert h.range.start.line == 7


async def test_a_hover_inside_the_edited_region_waits_for_nothing_and_says_nothing(client: LanguageClient,
                                                                                   tmp_path: Path) -> None:
    uri = await opened(client, tmp_path)
    edit(client, uri, 2,
         types.Range(start=types.Position(line=5, character=8), end=types.Position(line=5, character=13)), "x * n")
    h = await hover(client, uri, 5, 10)
    # Either the new analysis already answers (aten::mul), or the edited line is refused: never the stale aten::add.
    assert h is None or "aten::mul" in h.contents.value
