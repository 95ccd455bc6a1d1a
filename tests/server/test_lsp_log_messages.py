"""The server's log reaches the client as ``window/logMessage`` at its level;
on stdio, stderr (which Neovim records as errors) keeps only warnings and errors."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

from lsp_harness import SERVER_COMMAND, open_doc, published, start, uri_of, wait_until, write
from lsprotocol import types
from pytest_lsp import LanguageClient

SOURCE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def f(x: torch.Tensor) -> torch.Tensor:
        return x.no_such_method()
""")


async def test_the_log_arrives_as_log_messages_of_its_level(client: LanguageClient, tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    await start(client, tmp_path)
    uri = open_doc(client, tmp_path / "model.py")
    await published(client, uri, version=1)

    def checked() -> types.LogMessageParams | None:
        return next((m for m in client.log_messages if "checked model.py" in m.message), None)

    message = await wait_until(client, types.WINDOW_LOG_MESSAGE, checked)
    assert message.type == types.MessageType.Info


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_stdio_stderr_stays_quiet_at_the_default_level(tmp_path: Path) -> None:
    write(tmp_path, {"model.py": SOURCE})
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": uri_of(tmp_path), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri_of(tmp_path / "model.py"), "languageId": "python", "version": 1, "text": SOURCE}}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri_of(tmp_path / "model.py")}, "position": {"line": 5, "character": 13}}},
    ]
    process = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        process.stdin.write(b"".join(_frame(m) for m in messages))
        process.stdin.flush()
        answered = _read_until_answer(process.stdout, 2)
        process.stdin.write(_frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
                            + _frame({"jsonrpc": "2.0", "method": "exit"}))
        process.stdin.close()
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    assert any("checked model.py" in m for m in answered)   # the log went to the client...
    assert process.stderr.read().decode() == ""               # ...and nothing to stderr


def _read_until_answer(stream, request_id: int) -> list[str]:
    """Read until the answer to ``request_id``; the logMessage texts seen meanwhile."""
    logged = []
    while True:
        length = 0
        while (line := stream.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert length, "the server closed its output"
        message = json.loads(stream.read(length))
        if message.get("method") == "window/logMessage":
            logged.append(message["params"]["message"])
        if message.get("id") == request_id and "method" not in message:
            return logged
