"""The analysis worker process: what it keeps, what it hands over, and what happens when it dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import SERVER_COMMAND, make_client, open_doc, published, replace_all, start, write
from pyjit_core.config import Config
from pyjit_server.wire import read_frame, write_frame
from pyjit_server.worker import Worker, WorkerJob

BROKEN = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n"
FIXED = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"


def job(handle: int, text: str, path: str = "/project/model.py", previous: int | None = None) -> WorkerJob:
    return WorkerJob(handle, path, text, Config(), previous=previous)


# --- the worker's results -------------------------------------------------------------------------

def test_a_result_is_kept_under_the_servers_handle_and_answers_hovers_and_graphs() -> None:
    worker = Worker()
    result = worker.analyse(job(7, FIXED))
    assert result.handle == 7 and result.diagnostics == [] and result.has_roots
    where, markdown = worker.describe(7, 5, 13)           # the `+` of `x + 1`
    assert "aten::add.int(int a, int b) -> int" in markdown and (where.start_line, where.start_col) == (5, 13)
    assert worker.graph(7, line=5).startswith("graph(%x.1 : int):")
    assert worker.graph(7, name="f") == worker.graph(7, line=5)
    worker.release(7, [])
    assert worker.describe(7, 5, 13) is None and worker.graph(7, line=5) is None


def test_a_failed_analysis_reports_the_frontends_error() -> None:
    result = Worker().analyse(job(1, BROKEN))
    assert [d.code for d in result.diagnostics] == ["PJ210"]


def test_an_edit_reuses_the_previous_result() -> None:
    worker = Worker()
    worker.analyse(job(1, FIXED))
    edited = FIXED + "\n\n@torch.jit.script\ndef g(y: int) -> int:\n    return y * 2\n"
    result = worker.analyse(job(2, edited, previous=1))
    assert result.handle == 2 and result.diagnostics == []
    assert "aten::mul.int" in worker.describe(2, 10, 13)[1]


def test_an_analysis_made_ahead_is_handed_over_when_the_server_asks_for_the_same() -> None:
    worker = Worker()
    ahead = worker.analyse(job(-1, BROKEN))
    taken = worker.analyse(job(4, BROKEN))
    assert taken.handle == 4 and taken.seconds == ahead.seconds          # not analysed again
    assert [d.code for d in taken.diagnostics] == ["PJ210"]
    assert worker.describe(-1, 5, 11) is None and worker.graph(4, name="f") is None


def test_an_analysis_made_ahead_for_other_text_is_dropped_and_the_file_analysed_anew() -> None:
    worker = Worker()
    worker.analyse(job(-1, BROKEN))
    fresh = worker.analyse(job(5, FIXED))
    assert fresh.handle == 5 and fresh.diagnostics == []
    assert worker._ahead == {} and set(worker._entries) == {5}


def test_the_worker_process_never_imports_the_protocol_libraries(tmp_path: Path) -> None:
    """pygls and lsprotocol cost ~250 ms to import: the worker starts without them."""
    process = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "pyjit_server.worker", "--log-level", "error"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    write_frame(process.stdin, (1, "analyse", (job(1, FIXED, str(tmp_path / "m.py")),)))
    write_frame(process.stdin, (2, "describe", (1, 5, 13)))
    answers = {read_frame(process.stdout)[0]: None for _ in range(2)}
    process.stdin.close()
    process.stdin = None          # closed: communicate() must not flush it
    _, stderr = process.communicate(timeout=60)
    imported = {line.split("|")[-1].strip() for line in stderr.decode().splitlines() if line.startswith("import time:")}
    assert set(answers) == {1, 2} and process.returncode == 0
    assert "pyjit_core.frontend.emitter" in imported
    assert not {m for m in imported if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs")}


# --- through the server ----------------------------------------------------------------------------

def _worker_pids(server_pid: int) -> list[int]:
    """The server's child processes (whichever of its threads started them)."""
    return [int(pid) for task in Path(f"/proc/{server_pid}/task").iterdir()
            for pid in (task / "children").read_text().split()]


async def test_the_server_carries_on_when_its_worker_dies(tmp_path: Path) -> None:
    client = make_client()
    await client.start_io(*SERVER_COMMAND)

    async def hover_on_plus() -> types.Hover | None:
        return await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=5, character=13)))

    try:
        await start(client, tmp_path)
        uri = open_doc(client, write(tmp_path, {"model.py": FIXED}) / "model.py")
        assert await published(client, uri, 1) == []
        (worker,) = _worker_pids(client._server.pid)   # type: ignore[union-attr]
        os.kill(worker, signal.SIGKILL)
        # Without an edit, a new worker analyses the open document again: hovers come back.
        for _ in range(600):
            if (hover := await hover_on_plus()) is not None:
                break
            await asyncio.sleep(0.05)
        assert hover is not None and "aten::add.int" in hover.contents.value
        (restarted,) = _worker_pids(client._server.pid)  # type: ignore[union-attr]
        assert restarted != worker
        replace_all(client, uri, 2, BROKEN)
        assert [d.code for d in await published(client, uri, 2)] == ["PJ210"]
        replace_all(client, uri, 3, FIXED)
        assert await published(client, uri, 3) == []
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:   # a failed test
            client._server.kill()
        await client.stop()


async def test_shutting_down_stops_the_worker(tmp_path: Path) -> None:
    client = make_client()
    await client.start_io(*SERVER_COMMAND)
    try:
        await start(client, tmp_path)
        uri = open_doc(client, write(tmp_path, {"model.py": FIXED}) / "model.py")
        await published(client, uri, 1)
        (worker,) = _worker_pids(client._server.pid)   # type: ignore[union-attr]
        await client.shutdown_session()
        assert await asyncio.wait_for(client._server.wait(), 60) == 0   # type: ignore[union-attr]
        for _ in range(600):   # the worker saw its channel close and left (or is left as a zombie)
            if not Path(f"/proc/{worker}").exists() or Path(f"/proc/{worker}/stat").read_text().split()[2] == "Z":
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the worker outlived the server")
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()


async def test_an_analysis_past_the_time_limit_is_stopped_and_the_server_goes_on(tmp_path: Path) -> None:
    """A file that takes longer than PYJIT_LSP_ANALYSIS_TIMEOUT_S: the worker is
    stopped, the user told; the next (quick) version is analysed by a new worker."""
    slow = "import torch\n" + "".join(
        f"\n\n@torch.jit.script\ndef f{i}(x: torch.Tensor, n: int) -> torch.Tensor:\n"
        f"    for _ in range(n):\n        x = torch.relu(x) * 2 + x.sum() - {i}\n"
        f"    return x if n > {i} else -x\n" for i in range(1500))
    client = make_client()
    await client.start_io(*SERVER_COMMAND, env={**os.environ, "PYJIT_LSP_ANALYSIS_TIMEOUT_S": "0.5"})
    try:
        await start(client, tmp_path)
        uri = open_doc(client, write(tmp_path, {"model.py": slow}) / "model.py")
        assert await published(client, uri, 1) == []
        stopped = [m.message for m in client.messages if "pyjit stopped analysing model.py" in m.message]
        assert stopped and "PYJIT_LSP_ANALYSIS_TIMEOUT_S" in stopped[0]
        replace_all(client, uri, 2, BROKEN)
        assert [d.code for d in await published(client, uri, 2)] == ["PJ210"]
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()
