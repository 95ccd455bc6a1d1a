"""``initialize`` answered before pygls is imported (server/protocol/handshake.py) is pygls' own answer.

Each case starts the server twice -- answering early (the default) and with
``PYJIT_LSP_EARLY_INITIALIZE=0`` (pygls answers) -- sends the same raw
``initialize``, and compares the two answers as JSON. The capabilities are
those real clients send (pytest-lsp's recorded VS Code, Neovim and Emacs
ones), and variations on the two things the answer depends on.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsp_harness import SERVER_COMMAND, frame_message, read_message

RECORDED = sorted((Path(pytest_lsp.__file__).parent / "clients").glob("*.json"))


def _recorded(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["capabilities"]


VARIATIONS = {
    "nothing": {},
    "utf-8 offered last": {"general": {"positionEncodings": ["utf-16", "utf-8"]}},
    "only utf-32": {"general": {"positionEncodings": ["utf-32"]}},
    "pull with refresh": {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}},
    "pull without refresh": {"textDocument": {"diagnostic": {"dynamicRegistration": False}}},
    "willSave false": {"textDocument": {"synchronization": {"willSave": False, "willSaveWaitUntil": True}}},
    "null general": {"general": None},
}


def _read(stream) -> dict:
    message = read_message(stream)
    assert message is not None, "the server closed its output"
    return message


def exchange(params: dict, *, early: bool, then: list[dict] = (), awaited: int = 0) -> tuple[list[dict], str]:
    """Send ``initialize`` (and ``then``, back to back), wait for ``awaited`` more
    answers, shut down; (the answers, the log: stderr and window/logMessage)."""
    env = {**os.environ, "PYJIT_LSP_EARLY_INITIALIZE": "1" if early else "0"}
    process = subprocess.Popen([*SERVER_COMMAND, "--log-level", "warning"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def send(*messages: dict) -> None:
        process.stdin.write(b"".join(frame_message(m) for m in messages))
        process.stdin.flush()

    logged: list[str] = []

    def answer() -> dict:
        while "id" not in (message := _read(process.stdout)) or "method" in message:
            if message.get("method") == "window/logMessage":
                logged.append(message["params"]["message"])
        return message

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}, *then)
    if awaited:   # the first answer may be initialize's error: then nothing else comes
        answers = [answer()]
        answers += [answer() for _ in range(awaited)]
    else:
        answers = []
    send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"})
    while not answers or answers[-1]["id"] != 99:
        answers.append(answer())
    process.stdin.close()
    process.wait(60)
    return answers, process.stderr.read().decode() + "".join(line + "\n" for line in logged)


def initialize(capabilities: dict) -> dict:
    return {"processId": None, "rootUri": None, "capabilities": capabilities}


@pytest.mark.parametrize("capabilities", [_recorded(p) for p in RECORDED] + list(VARIATIONS.values()),
                         ids=[p.stem for p in RECORDED] + list(VARIATIONS))
def test_the_early_answer_is_the_answer_pygls_gives(capabilities: dict) -> None:
    (early, _), early_log = exchange(initialize(capabilities), early=True)
    (late, _), _ = exchange(initialize(capabilities), early=False)
    assert early == late
    assert "answered early" not in early_log   # the server's own check agrees


@pytest.mark.parametrize("params", [{"processId": None, "capabilities": 5}, {"capabilities": {}}, None],
                         ids=["capabilities not an object", "no processId", "no params"])
def test_params_not_answered_early_get_pyglss_answer(params) -> None:
    early, _ = exchange(params, early=True)
    late, _ = exchange(params, early=False)
    assert early == late


def test_messages_sent_before_pygls_is_up_are_all_answered(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    text = "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n"
    uri = path.as_uri()
    then = [{"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "method": "textDocument/didOpen",
             "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}},
            {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
             "params": {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 13}}}]
    answers, log = exchange(initialize({}), early=True, then=then, awaited=1)
    assert [a["id"] for a in answers] == [1, 2, 99]
    assert "aten::add.int" in answers[1]["result"]["contents"]["value"]
    assert "Traceback" not in log


@pytest.mark.parametrize("first", [b"Content-Length: 9\r\n\r\nnot json!",
                                   frame_message({"jsonrpc": "2.0", "method": "initialized"})],
                         ids=["not JSON", "not initialize"])
def test_a_first_message_that_is_not_initialize_is_left_to_pygls(first: bytes) -> None:
    answers = {}
    for early in (True, False):
        env = {**os.environ, "PYJIT_LSP_EARLY_INITIALIZE": "1" if early else "0"}
        process = subprocess.Popen([*SERVER_COMMAND, "--log-level", "error"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        process.stdin.write(first + frame_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                            "params": initialize({})}))
        process.stdin.write(frame_message({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
                            + frame_message({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        got = []
        while not got or got[-1].get("id") != 99:
            message = _read(process.stdout)
            if "method" not in message:
                got.append(message)
        process.wait(60)
        answers[early] = got
    assert answers[True] == answers[False]
    assert answers[True][-2]["id"] == 1
    assert "capabilities" in answers[True][-2]["result"]
