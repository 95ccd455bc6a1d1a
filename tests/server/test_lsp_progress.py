"""``window/workDoneProgress`` while an analysis runs past a second, for clients that show it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsp_harness import capabilities, open_doc, poll_until, published, running_server, start, write
from lsprotocol import types
from pyjit_server.protocol.progress import AFTER_SECONDS

FIXED = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"


def with_progress(supported: bool) -> types.ClientCapabilities:
    caps = capabilities("visual-studio-code")
    caps.window = types.WindowClientCapabilities(work_done_progress=supported)
    return caps


def open_waiting(client, tmp_path: Path) -> tuple[str, Path]:
    """A document whose analysis waits (a test hook) until the file returned exists."""
    release = tmp_path / "release"
    folder = write(tmp_path, {"model.py": FIXED + f"# pyjit-test: wait-for {release}\n"})
    return open_doc(client, folder / "model.py"), release


async def test_a_long_analysis_shows_progress_until_it_ends(tmp_path: Path) -> None:
    async with running_server() as client:
        await start(client, tmp_path, caps=with_progress(True))
        uri, release = open_waiting(client, tmp_path)
        reports = await poll_until(lambda: next((r for r in client.progress_reports.values() if r), None))
        assert isinstance(reports[0], types.WorkDoneProgressBegin)
        assert "model.py" in reports[0].message
        release.touch()
        assert await published(client, uri, 1) == []
        await poll_until(lambda: isinstance(reports[-1], types.WorkDoneProgressEnd) or None)
        assert len(client.progress_reports) == 1


async def test_a_client_without_progress_is_shown_none(tmp_path: Path) -> None:
    async with running_server() as client:
        await start(client, tmp_path, caps=with_progress(False))
        uri, release = open_waiting(client, tmp_path)
        await asyncio.sleep(2 * AFTER_SECONDS)   # (not a deadline: only so that the analysis is long)
        release.touch()
        assert await published(client, uri, 1) == []
        assert client.progress_reports == {}
