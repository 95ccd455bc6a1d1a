"""A worker that crashes, runs out of time, stops answering or grows too big is replaced,
and nothing the editor shows is lost.

The analyses that misbehave do so on purpose, through the worker's test hooks
(server/worker/test_hooks.py): none of these tests depends on how fast the
machine is, only on generous deadlines for what must happen.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from lsp_harness import (
    BROKEN_AND_FINE,
    PLUS_IN_FINE,
    capabilities,
    hover_at,
    hover_comes_back,
    message,
    open_doc,
    poll_until,
    published,
    replace_all,
    running_server,
    start,
    versions_published,
    worker_pids,
    write,
)
from lsprotocol import types

SOURCE, PLUS = BROKEN_AND_FINE, PLUS_IN_FINE
FIXED = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"


def codes(diagnostics) -> list[str]:
    return [str(d.code) for d in diagnostics]


def publishes(client, uri: str) -> list[list[str]]:
    return [codes(p.diagnostics) for p in client.published if p.uri == uri]


async def test_a_crash_keeps_every_documents_diagnostics_and_the_others_answer_again(tmp_path: Path) -> None:
    async with running_server() as client:
        await start(client, tmp_path, options={"roots": "all"})
        write(tmp_path, {"a.py": SOURCE, "b.py": FIXED + "# pyjit-test: crash\n"})
        a = open_doc(client, tmp_path / "a.py")
        assert codes(await published(client, a, 1)) == ["PJ210"]
        (first,) = worker_pids(client)
        b = open_doc(client, tmp_path / "b.py")
        said = await message(client, "exited unexpectedly")
        assert "code 70" in said
        assert "b.py" in said
        assert "aten::add.int" in (await hover_comes_back(client, a, *PLUS)).contents.value
        assert worker_pids(client) != [first]
        assert publishes(client, a) == [["PJ210"]]           # never cleared, never published again
        # The new worker has the editor's settings: a plain function's error still shows.
        plain = "\n\ndef plain(x: torch.Tensor) -> torch.Tensor:\n    return x.nope()\n"
        replace_all(client, a, 2, SOURCE + plain)
        assert codes(await published(client, a, 2)) == ["PJ210", "PJ210"]
        replace_all(client, b, 2, FIXED)                      # b.py is analysed again once it changes
        assert await published(client, b, 2) == []
        assert len([m for m in client.messages if "exited unexpectedly" in m.message]) == 1


async def test_an_analysis_past_the_time_limit_is_stopped_and_nothing_shown_is_lost(tmp_path: Path) -> None:
    """The limit is generous for a real analysis: the one that passes it never ends."""
    async with running_server({"PYJIT_LSP_ANALYSIS_TIMEOUT_S": "10"}) as client:
        await start(client, tmp_path)
        write(tmp_path, {"a.py": SOURCE, "b.py": SOURCE})
        a, b = open_doc(client, tmp_path / "a.py"), open_doc(client, tmp_path / "b.py")
        assert codes(await published(client, a, 1)) == codes(await published(client, b, 1)) == ["PJ210"]
        replace_all(client, a, 2, SOURCE + "# pyjit-test: block\n")
        said = await message(client, "pyjit stopped analysing a.py")
        assert "PYJIT_LSP_ANALYSIS_TIMEOUT_S" in said
        assert "next change" in said
        assert "aten::add.int" in (await hover_comes_back(client, b, *PLUS)).contents.value
        assert publishes(client, a) == [["PJ210"]]
        assert versions_published(client, a) == [1]
        replace_all(client, a, 3, FIXED)
        assert await published(client, a, 3) == []


async def test_a_stopped_worker_is_found_out_and_replaced(tmp_path: Path) -> None:
    async with running_server({"PYJIT_LSP_WORKER_UNRESPONSIVE_S": "3"}) as client:
        await start(client, tmp_path)
        a = open_doc(client, write(tmp_path, {"a.py": SOURCE}) / "a.py")
        assert codes(await published(client, a, 1)) == ["PJ210"]
        await hover_comes_back(client, a, *PLUS)
        (stopped,) = worker_pids(client)
        os.kill(stopped, signal.SIGSTOP)
        try:
            await hover_at(client, a, *PLUS)                  # answered (null, or from a new worker): never hangs
            replace_all(client, a, 2, SOURCE.replace("x.foo", "x.bar"))
            assert codes(await published(client, a, 2)) == ["PJ210"]
            assert "PYJIT_LSP_WORKER_UNRESPONSIVE_S" in await message(client, "stopped responding")
            assert stopped not in worker_pids(client)
        finally:
            if Path(f"/proc/{stopped}").exists():
                os.kill(stopped, signal.SIGKILL)


async def test_past_its_memory_ceiling_the_worker_is_replaced_between_analyses(tmp_path: Path) -> None:
    async with running_server({"PYJIT_LSP_WORKER_MEMORY_MB": "1"}) as client:
        await start(client, tmp_path)
        a = open_doc(client, write(tmp_path, {"a.py": SOURCE}) / "a.py")
        assert codes(await published(client, a, 1)) == ["PJ210"]
        (first,) = worker_pids(client)
        replace_all(client, a, 2, SOURCE + "\n")
        assert codes(await published(client, a, 2)) == ["PJ210"]
        await poll_until(lambda: worker_pids(client) != [first] or None)
        assert "aten::add.int" in (await hover_comes_back(client, a, *PLUS)).contents.value
        assert versions_published(client, a) == [1, 2]       # the new worker's analysis changed nothing shown
        assert not [m for m in client.messages if "worker" in m.message]   # nothing to tell the user


async def test_the_server_carries_on_when_its_worker_is_killed(tmp_path: Path) -> None:
    async with running_server() as client:
        await start(client, tmp_path)
        uri = open_doc(client, write(tmp_path, {"model.py": FIXED}) / "model.py")
        assert await published(client, uri, 1) == []
        # Idle first: a worker killed while indexing model.py makes it the suspect, analysed
        # again only once it changes (as for a crash it may have caused).
        assert "aten::add.int" in (await hover_comes_back(client, uri, 5, 13)).contents.value
        (worker,) = worker_pids(client)
        os.kill(worker, signal.SIGKILL)
        # Without an edit, a new worker analyses the open document again: hovers come back.
        assert "aten::add.int" in (await hover_comes_back(client, uri, 5, 13)).contents.value
        (restarted,) = worker_pids(client)
        assert restarted != worker
        replace_all(client, uri, 2, SOURCE)
        assert codes(await published(client, uri, 2)) == ["PJ210"]
        replace_all(client, uri, 3, FIXED)
        assert await published(client, uri, 3) == []


async def test_shutting_down_stops_the_worker(tmp_path: Path) -> None:
    async with running_server() as client:
        await start(client, tmp_path)
        uri = open_doc(client, write(tmp_path, {"model.py": FIXED}) / "model.py")
        await published(client, uri, 1)
        (worker,) = worker_pids(client)
        await client.shutdown_session()
        assert await asyncio.wait_for(client._server.wait(), 60) == 0   # type: ignore[union-attr]
        # The worker saw its channel close and left (or is left as a zombie).
        def gone() -> bool:
            proc = Path(f"/proc/{worker}")
            return not proc.exists() or (proc / "stat").read_text().split()[2] == "Z"
        await poll_until(lambda: gone() or None)


async def test_hovers_are_answered_while_an_analysis_runs(tmp_path: Path) -> None:
    """The worker answers hovers beside the analysis it runs: a long one holds no hover up.
    (A result without its hover index yet gets none rather than wait for the analysis.)"""
    release = tmp_path / "release"
    caps = capabilities()
    caps.window = types.WindowClientCapabilities(work_done_progress=True)
    async with running_server() as client:
        await start(client, tmp_path, caps=caps)
        write(tmp_path, {"a.py": SOURCE, "b.py": SOURCE, "c.py": SOURCE})
        a, b, c = (open_doc(client, tmp_path / name) for name in ("a.py", "b.py", "c.py"))
        for uri in (a, b, c):
            assert codes(await published(client, uri, 1)) == ["PJ210"]
        for uri in (a, b):
            await hover_comes_back(client, uri, *PLUS)     # their hover indexes are built
        replace_all(client, a, 2, SOURCE + f"# pyjit-test: wait-for {release}\n")   # runs until released
        # A progress report begins once an analysis has run a second: it is running.
        await poll_until(lambda: next((r for r in client.progress_reports.values() if r), None))
        assert "aten::add.int" in (await hover_at(client, b, *PLUS)).contents.value
        assert "aten::add.int" in (await hover_at(client, a, *PLUS)).contents.value   # version 1's
        await hover_at(client, c, *PLUS)                  # answered, with or without an index
        assert versions_published(client, a) == [1]        # the analysis of version 2 is still running
        release.touch()
        assert codes(await published(client, a, 2)) == ["PJ210"]
