"""Code lens and hover: each root's export verdict on its line, when the PJ6 family is selected."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lsp_harness import open_doc, published, start, write
from lsprotocol import types
from pytest_lsp import LanguageClient

SOURCE = textwrap.dedent("""\
    import torch
    from torch import nn


    class Model(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if x.sum() > 0:
                return x + 1
            return x


    class Fine(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x.relu()
""")


async def lenses(client: LanguageClient, uri: str) -> list[types.CodeLens] | None:
    return await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri)))


async def opened(client: LanguageClient, tmp_path: Path, select: str) -> str:
    write(tmp_path, {"model.py": SOURCE, "pyproject.toml": f'[tool.pyjit]\nroots = "modules"\nselect = {select}\n'})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)
    return uri


async def test_a_lens_per_root_says_whether_it_scripts_and_exports(client: LanguageClient, tmp_path: Path) -> None:
    uri = await opened(client, tmp_path, '["PJ", "PJ6"]')
    found = await lenses(client, uri)
    assert [(lens.range.start.line, lens.command.title) for lens in found] == [
        (4, "TorchScript ✓ · export ✗ (1)"), (11, "TorchScript ✓ · export ✓")]
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=4, character=8)))
    assert h.contents.value.startswith("**Model**: blocked by 1: PJ601")


async def test_no_lens_unless_the_family_is_selected(client: LanguageClient, tmp_path: Path) -> None:
    uri = await opened(client, tmp_path, '["PJ"]')
    assert not await lenses(client, uri)
