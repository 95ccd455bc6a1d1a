"""The analysis budget through the server: what the roots analysed found is shown, with PJ905.

The budget is set through the settings to a nanosecond, which any real
compilation outlasts: each analysis compiles exactly one root afresh (the
first is always compiled) besides those whose graphs the previous analysis
kept. No time is measured.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from lsp_harness import open_doc, published, replace_all, running_server, start, write
from lsprotocol import types
from pytest_lsp import LanguageClient

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: int) -> int:
        return x + 1


    @torch.jit.script
    def g(x: int) -> int:
        return x + "g"


    @torch.jit.script
    def h(x: int) -> int:
        return x * 2
""")
LINES = SOURCE.splitlines()
F_PLUS = types.Position(line=LINES.index("def f(x: int) -> int:") + 1, character=13)
G_PLUS = types.Position(line=LINES.index("def g(x: int) -> int:") + 1, character=13)
G_DEF, H_DEF = LINES.index("def g(x: int) -> int:"), LINES.index("def h(x: int) -> int:")


async def hover(client: LanguageClient, uri: str, position: types.Position) -> types.Hover | None:
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position))


async def test_a_tiny_budget_shows_the_roots_analysed_and_says_which_were_not(client: LanguageClient,
                                                                              tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path, options={"analysisBudget": 1e-9})
    uri = open_doc(client, tmp_path / "model.py")
    (info,) = await published(client, uri, version=1)   # g's error is not shown: g was not analysed
    assert (info.code, info.severity, info.range.start.line) == ("PJ905", types.DiagnosticSeverity.Information,
                                                                 G_DEF)
    assert info.message == ("analysis stopped after 1 of 3 roots (analysis-budget 1e-09 s); not analysed, so "
                            "nothing is reported for them: `g`, `h`")
    found = await hover(client, uri, F_PLUS)
    assert found is not None
    assert "aten::add" in found.contents.value
    assert await hover(client, uri, G_PLUS) is None

    # The next analysis reuses f's graph and goes on to g.
    replace_all(client, uri, 2, SOURCE + "\n")
    diagnostics = await published(client, uri, version=2)
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("PJ240", G_PLUS.line), ("PJ905", H_DEF)]
    found = await hover(client, uri, F_PLUS)
    assert found is not None
    assert "aten::add" in found.contents.value


async def test_by_default_a_small_file_is_analysed_whole(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    assert [d.code for d in await published(client, uri, version=1)] == ["PJ240"]


async def test_the_default_budget_comes_from_the_environment_where_no_setting_gives_one(tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    async with running_server({"PYJIT_LSP_ANALYSIS_BUDGET_S": "1e-9"}) as client:
        await start(client, tmp_path)
        uri = open_doc(client, tmp_path / "model.py")
        assert [(d.code, d.range.start.line) for d in await published(client, uri, version=1)] == [("PJ905", G_DEF)]
