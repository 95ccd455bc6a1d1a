"""Pulled diagnostics (textDocument/diagnostic) for clients that pull and accept refreshes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lsp_harness import capabilities, open_doc, refreshed, replace_all, start, write
from lsprotocol import types
from pytest_lsp import LanguageClient

HELPERS = textwrap.dedent("""\
    import torch


    def count(x: torch.Tensor) -> int:
        return 3
""")

CALLER = textwrap.dedent("""\
    import torch
    from helpers import count


    @torch.jit.script
    def main(x: torch.Tensor) -> str:
        return count(x)
""")


async def pull(client: LanguageClient, uri: str, previous: str | None = None) -> types.DocumentDiagnosticReport:
    return await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri), identifier="pyjit", previous_result_id=previous))


async def test_pull_full_then_unchanged(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER})
    await start(client, tmp_path, caps=capabilities(pull=True))
    uri = open_doc(client, tmp_path / "caller.py")
    report = await pull(client, uri)
    assert report.kind == "full"
    (d,) = report.items
    assert (d.code, d.source) == ("PJ221", "pyjit")
    assert d.message == "Return value was annotated as having type str but is actually of type int"
    again = await pull(client, uri, previous=report.result_id)
    assert again.kind == "unchanged"
    assert again.result_id == report.result_id
    assert client.published == []   # a pulling client is never pushed to


async def test_a_pull_after_an_edit_answers_for_the_edited_text(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER})
    await start(client, tmp_path, caps=capabilities(pull=True))
    uri = open_doc(client, tmp_path / "caller.py")
    first = await pull(client, uri)
    replace_all(client, uri, 2, CALLER.replace("-> str:", "-> int:"))
    report = await pull(client, uri, previous=first.result_id)   # sent before the analysis ran
    assert report.kind == "full"
    assert list(report.items) == []


async def test_an_edit_in_a_callee_asks_the_client_to_pull_again(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER})
    await start(client, tmp_path, caps=capabilities(pull=True))
    caller = open_doc(client, tmp_path / "caller.py")
    assert len((await pull(client, caller)).items) == 1
    helpers = open_doc(client, tmp_path / "helpers.py")
    assert list((await pull(client, helpers)).items) == []
    before = client.refreshes
    # An unsaved edit of the callee changes the caller's verdict.
    replace_all(client, helpers, 2, HELPERS.replace("-> int:\n    return 3", "-> str:\n    return 'a'"))
    await refreshed(client, before)
    assert list((await pull(client, caller)).items) == []


async def test_pulling_a_document_that_is_not_open_gives_nothing(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"helpers.py": HELPERS, "caller.py": CALLER})
    await start(client, tmp_path, caps=capabilities(pull=True))
    report = await pull(client, (tmp_path / "caller.py").as_uri())
    assert report.kind == "full"
    assert list(report.items) == []
