"""The analysis worker: what it keeps, what it hands back without analysing, and its process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from pyjit_server.worker import client as client_module
from pyjit_server.worker.analyses import AHEAD_KEPT, Analyses
from pyjit_server.worker.client import WorkerClient
from pyjit_server.worker.messages import EditorSettings, Job
from pyjit_server.worker.wire import read_frame, write_frame

from pyjit_core.diagnostics import TextRange

BROKEN = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n"
FIXED = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"
USES_HELPER = "import torch\nfrom helper import h\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return h(x)\n"
HELPER = "def h(x: int) -> int:\n    return x + 1\n"


def job(handle: int, text: str, path: str = "/project/model.py", previous: int | None = None,
        version: int = 1) -> Job:
    return Job(handle, Path(path).as_uri(), path, version, text, previous)


# --- results ------------------------------------------------------------------------------------

def test_a_result_is_kept_under_the_servers_handle_and_answers_hovers_and_graphs() -> None:
    worker = Analyses()
    result = worker.analyse(job(7, FIXED))
    assert result.handle == 7
    assert result.diagnostics == ()
    assert result.has_roots
    where, markdown = worker.hover(7, 5, 13)           # the `+` of `x + 1`
    assert "aten::add.int(int a, int b) -> int" in markdown
    assert (where.start_line, where.start_col) == (5, 13)
    assert worker.graph(7, line=5).text.startswith("graph(%x.1 : int):")
    assert worker.graph(7, name="f") == worker.graph(7, line=5)
    worker.release([7])
    assert worker.hover(7, 5, 13) is None
    assert worker.graph(7, line=5) is None
    assert worker.handles == set()


def test_a_failed_analysis_reports_the_frontends_error_and_its_fix() -> None:
    worker = Analyses()
    result = worker.analyse(job(1, BROKEN))
    assert [d.code for d in result.diagnostics] == ["PJ210"]
    fixes = worker.code_actions(1, result.diagnostics[0].range, ["PJ210"])
    assert [f.title for f in fixes] == ["Ignore PJ210 on this line"]
    assert worker.code_actions(1, TextRange(0, 0, 0, 1), None) == []     # nothing there
    assert worker.code_actions(1, result.diagnostics[0].range, ["PJ101"]) == []


def test_an_edit_reuses_the_previous_result() -> None:
    worker = Analyses()
    worker.analyse(job(1, FIXED))
    edited = FIXED + "\n\n@torch.jit.script\ndef g(y: int) -> int:\n    return y * 2\n"
    result = worker.analyse(job(2, edited, previous=1, version=2))
    assert result.handle == 2
    assert result.diagnostics == ()
    assert result.seconds > 0
    assert "aten::mul.int" in worker.hover(2, 10, 13)[1]


def test_nothing_changed_means_the_previous_result_answers() -> None:
    worker = Analyses()
    first = worker.analyse(job(1, BROKEN))
    again = worker.analyse(job(2, BROKEN, previous=1, version=2))
    assert again.handle == 1
    assert again.version == 2
    assert again.seconds == 0
    assert again.key == first.key
    assert worker.handles == {1}


def test_a_buffer_the_analysis_read_changes_its_key_one_it_did_not_read_does_not(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text(HELPER)
    model = str(tmp_path / "model.py")
    worker = Analyses()
    worker.configure(EditorSettings({"rootUri": tmp_path.as_uri()}))
    first = worker.analyse(job(1, USES_HELPER, model))
    assert first.diagnostics == ()
    assert str(tmp_path / "helper.py") in first.deps
    worker.document(str(tmp_path / "unrelated.py"), "x = 1\n")
    assert worker.analyse(job(2, USES_HELPER, model, previous=1)).handle == 1
    worker.document(str(tmp_path / "helper.py"), HELPER.replace("x + 1", "x.foo"))
    changed = worker.analyse(job(3, USES_HELPER, model, previous=1))
    assert changed.handle == 3
    assert changed.key != first.key
    assert changed.diagnostics != ()


def test_settings_that_change_nothing_keep_the_result_and_those_that_do_not_analyse_again(tmp_path: Path) -> None:
    plain = "import torch\n\n\ndef plain(x: torch.Tensor) -> torch.Tensor:\n    return x.nope()\n"
    model = str(tmp_path / "model.py")
    worker = Analyses()
    said = EditorSettings({"rootUri": tmp_path.as_uri(), "initializationOptions": {"logLevel": "info"}})
    worker.configure(said)
    assert worker.analyse(job(1, plain, model)).diagnostics == ()
    worker.configure(said)                                              # said again: the same settings
    assert worker.analyse(job(2, plain, model, previous=1)).handle == 1
    worker.configure(EditorSettings(said.initialize, unscoped={"roots": "all"}))
    found = worker.analyse(job(3, plain, model, previous=1))
    assert found.handle == 3
    assert [d.code for d in found.diagnostics] == ["PJ210"]


def test_settings_problems_are_reported_to_the_server() -> None:
    notices: list[str] = []
    worker = Analyses(notify=notices.append)
    worker.configure(EditorSettings({"initializationOptions": {"roots": "sometimes"}}))
    assert len(notices) == 1
    assert "roots" in notices[0]
    assert "initializationOptions" in notices[0]


def test_an_analysis_made_ahead_is_handed_over_when_the_server_asks_for_the_same() -> None:
    worker = Analyses()
    ahead = worker.analyse(job(-1, BROKEN))
    taken = worker.analyse(job(4, BROKEN))
    assert taken.handle == 4
    assert taken.seconds == ahead.seconds          # not analysed again
    assert [d.code for d in taken.diagnostics] == ["PJ210"]
    assert worker.hover(-1, 5, 11) is None
    assert worker.graph(4, name="f").text is None


def test_an_analysis_made_ahead_for_other_text_is_dropped_and_the_file_analysed_anew() -> None:
    worker = Analyses()
    worker.analyse(job(-1, BROKEN))
    fresh = worker.analyse(job(5, FIXED))
    assert fresh.handle == 5
    assert fresh.diagnostics == ()
    assert worker.handles == {5}


def test_analyses_made_ahead_are_bounded() -> None:
    worker = Analyses()
    for i in range(AHEAD_KEPT + 5):
        worker.analyse(job(-1 - i, FIXED, f"/project/m{i}.py"))
    worker.analyse(job(-100, BROKEN, "/project/m0.py"))                   # a newer one for the same file
    assert len(worker.handles) == AHEAD_KEPT


# --- the process ------------------------------------------------------------------------------------

def test_the_worker_process_never_imports_the_protocol_libraries(tmp_path: Path) -> None:
    """pygls and lsprotocol cost ~250 ms to import: the worker starts without them."""
    command = [sys.executable, "-X", "importtime", "-m", "pyjit_server.worker", "--log-level", "error"]
    process = subprocess.Popen(command,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    write_frame(process.stdin, (1, "analyse", (job(1, FIXED, str(tmp_path / "m.py")),)))
    write_frame(process.stdin, (2, "hover", (1, 5, 13)))
    answers = {read_frame(process.stdout)[0]: None for _ in range(2)}
    process.stdin.close()
    process.stdin = None          # closed: communicate() must not flush it
    _, stderr = process.communicate(timeout=60)
    imported = {line.split("|")[-1].strip() for line in stderr.decode().splitlines() if line.startswith("import time:")}
    assert set(answers) == {1, 2}
    assert process.returncode == 0
    assert "pyjit_core.frontend.emitter" in imported
    assert not {m for m in imported if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs")}


def test_the_worker_reports_settings_problems_as_notices(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "pyjit_server.worker", "--log-level", "error"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=tmp_path)
    write_frame(process.stdin, (None, "configure", (EditorSettings({"initializationOptions": {"roots": 3}}),)))
    write_frame(process.stdin, (1, "collect", ()))     # after configure, in the same lane
    frames = [read_frame(process.stdout) for _ in range(2)]
    process.stdin.close()
    process.stdin = None
    process.communicate(timeout=60)
    assert frames[0][:2] == (None, "notice")
    assert "roots" in frames[0][2]
    assert frames[1] == (1, True, None)


# --- the server's end -------------------------------------------------------------------------------

def test_the_client_names_only_results_that_exist(tmp_path: Path) -> None:
    """A job answered by an earlier result leaves no name behind: however often a
    document is saved unchanged, the client holds one name for it."""
    client = WorkerClient(log_level="ERROR")
    path = str(tmp_path / "m.py")
    try:
        assert client.analyse(job(1, FIXED, path), {}).handle == 1
        for handle in range(2, 12):
            assert client.analyse(job(handle, FIXED, path, previous=1, version=handle), {}).handle == 1
        assert client.holds(1)
        assert not any(client.holds(h) for h in range(2, 12))
        client.release([1])
        assert not client.holds(1)
    finally:
        client.stop()


def test_a_question_to_a_stopped_worker_is_given_up_on(tmp_path: Path) -> None:
    client = WorkerClient(log_level="ERROR", query_timeout=1, unresponsive_after=3600)
    try:
        client.analyse(job(1, FIXED, str(tmp_path / "m.py")), {})
        os.kill(client.pid, signal.SIGSTOP)
        assert asyncio.run(client.hover(1, 5, 13)) is None      # not an answer: no answer, in time
    finally:
        os.kill(client.pid, signal.SIGKILL)
        client.stop()


def test_a_restarted_worker_runs_isolated_outside_the_working_directory(tmp_path: Path) -> None:
    client = WorkerClient(log_level="ERROR")
    try:
        client.analyse(job(1, FIXED, str(tmp_path / "m.py")), {})
        command = Path(f"/proc/{client.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:3] == [b"-I", b"-c"]
        assert os.readlink(f"/proc/{client.pid}/cwd") == os.path.dirname(client_module.__file__)
    finally:
        client.stop()
