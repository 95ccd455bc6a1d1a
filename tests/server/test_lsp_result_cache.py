"""The language server with the result cache (pyjit_core.result_cache): a file whose result
is cached is published as its first analysis begins, with the diagnostics a fresh analysis
gives, and once only.

The proof is by events, not time: the document's analysis waits for a file to exist
(server/worker/test_hooks.py), and its diagnostics arrive before that file is made.
"""

from __future__ import annotations

from pathlib import Path

from lsp_harness import (
    BROKEN_AND_FINE,
    PLUS_IN_FINE,
    capabilities,
    hover_comes_back,
    open_doc,
    published,
    running_server,
    start,
    versions_published,
)
from lsprotocol import types

SOURCE, PLUS = BROKEN_AND_FINE, PLUS_IN_FINE


def cache_env(tmp_path: Path) -> dict[str, str]:
    return {"PYJIT_CACHE_DIR": str(tmp_path / "cache"), "PYJIT_NO_CACHE": "0"}


async def test_a_cached_file_is_published_before_its_analysis_ends_and_equals_the_fresh_result(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    path = tmp_path / "model.py"
    path.write_text(SOURCE + f"# pyjit-test: wait-for {gate}\n")
    gate.touch()
    async with running_server(cache_env(tmp_path)) as client:        # a first start: analysed, stored
        await start(client, tmp_path)
        fresh = await published(client, open_doc(client, path), 1)
    assert [str(d.code) for d in fresh] == ["PJ210"]
    gate.unlink()
    async with running_server(cache_env(tmp_path)) as client:        # a second: the analysis waits for the gate
        await start(client, tmp_path)
        uri = open_doc(client, path)
        early = await published(client, uri, 1)
        assert not gate.exists()                                     # so the analysis has not ended
        assert early == fresh
        gate.touch()
        await hover_comes_back(client, uri, *PLUS)                   # the analysis ended (its hovers)
        assert versions_published(client, uri) == [1]               # and, the same, was not published again


async def test_with_pyjit_no_cache_the_server_writes_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_text(SOURCE)
    async with running_server({**cache_env(tmp_path), "PYJIT_NO_CACHE": "1"}) as client:
        await start(client, tmp_path)
        assert [str(d.code) for d in await published(client, open_doc(client, path), 1)] == ["PJ210"]
    assert not (tmp_path / "cache").exists()


async def test_pulling_a_cached_file_is_answered_before_its_analysis_ends(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    path = tmp_path / "model.py"
    path.write_text(SOURCE + f"# pyjit-test: wait-for {gate}\n")
    gate.touch()

    async def pull(client, uri):
        return await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    async with running_server(cache_env(tmp_path)) as client:
        await start(client, tmp_path, caps=capabilities(pull=True))
        fresh = await pull(client, open_doc(client, path))
    assert [str(d.code) for d in fresh.items] == ["PJ210"]
    gate.unlink()
    async with running_server(cache_env(tmp_path)) as client:
        await start(client, tmp_path, caps=capabilities(pull=True))
        uri = open_doc(client, path)
        early = await pull(client, uri)
        assert not gate.exists()                                     # the analysis has not ended
        assert early.items == fresh.items
        assert early.result_id == fresh.result_id
        gate.touch()
        await hover_comes_back(client, uri, *PLUS)
        again = await pull(client, uri)
        assert isinstance(again, types.RelatedFullDocumentDiagnosticReport)
        assert (again.items, again.result_id) == (fresh.items, fresh.result_id)
