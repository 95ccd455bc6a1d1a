"""Starting the server: transports, capabilities, position encodings, a workspace's own modules."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_harness import (
    SERVER_COMMAND,
    capabilities,
    initialize_request,
    make_client,
    notification,
    open_doc,
    published,
    raw_server,
    replace_all,
    request,
    running_server,
    start,
    worker_pids,
    write,
)
from lsprotocol import types
from pytest_lsp import LanguageClient


async def test_capabilities(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path)
    caps = result.capabilities
    assert result.server_info.name == "pyjit"
    sync = caps.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert sync.open_close
    assert caps.hover_provider
    assert list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert list(caps.execute_command_provider.commands) == ["pyjit.showGraph"]
    assert caps.diagnostic_provider is None          # this client does not pull: diagnostics are pushed
    assert caps.position_encoding in (None, types.PositionEncodingKind.Utf16)


async def test_pull_capable_client_is_offered_pull_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path, caps=capabilities(pull=True))
    provider = result.capabilities.diagnostic_provider
    assert provider.identifier == "pyjit"
    assert provider.inter_file_dependencies


@pytest.mark.parametrize(("offered", "chosen"), [
    (["utf-8", "utf-16", "utf-32"], "utf-8"),      # Neovim
    (["utf-32", "utf-8", "utf-16"], "utf-8"),      # Emacs lists utf-32 first: still utf-8
    (["utf-32", "utf-16"], "utf-16"),
    (["utf-32"], "utf-16"),                        # the LSP default when nothing we prefer is offered
])
async def test_utf8_when_offered_else_utf16(client: LanguageClient, tmp_path: Path, offered, chosen) -> None:
    result = await start(client, tmp_path, caps=capabilities("neovim", encodings=offered))
    assert result.capabilities.position_encoding == chosen


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


async def _read_message(reader: asyncio.StreamReader) -> dict:
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(await reader.readexactly(length))


async def _initialize_over(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, root: Path) -> dict:
    writer.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}}))
    await writer.drain()
    while "id" not in (message := await _read_message(reader)):
        pass
    writer.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
    writer.write(_frame({"jsonrpc": "2.0", "method": "exit", "params": None}))
    await writer.drain()
    return message


async def test_stdio_accepts_the_flag_vscode_appends(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(*SERVER_COMMAND, "--stdio", stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        message = await asyncio.wait_for(_initialize_over(proc.stdout, proc.stdin, tmp_path), 60)
        assert message["result"]["serverInfo"]["name"] == "pyjit"
        assert await asyncio.wait_for(proc.wait(), 60) == 0
    finally:
        if proc.returncode is None:
            proc.kill()


async def test_tcp_transport(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(*SERVER_COMMAND, "--tcp", "--host", "127.0.0.1", "--port", "0",
                                                "--log-level", "info", stderr=subprocess.PIPE)
    try:
        port = None
        while port is None:   # the server logs where it listens
            line = (await asyncio.wait_for(proc.stderr.readline(), 60)).decode()
            assert line, "the server exited before listening"
            if "Serving on" in line:
                port = int(line.rsplit(",", 1)[1].strip(" )\n"))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        message = await asyncio.wait_for(_initialize_over(reader, writer, tmp_path), 60)
        assert message["result"]["capabilities"]["hoverProvider"]
        writer.close()
    finally:
        proc.kill()
        await proc.wait()


def test_version_flag() -> None:
    run = subprocess.run([*SERVER_COMMAND, "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout.startswith("pyjit-lsp ")


def test_unknown_flag_is_a_usage_error() -> None:
    run = subprocess.run([*SERVER_COMMAND, "--bogus"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2


async def test_a_workspace_server_py_does_not_shadow_the_server(tmp_path: Path) -> None:
    """``python -m pyjit_server`` run inside a project whose own modules are named
    like ours or our dependencies' (and would leave a mark if imported)."""
    marker = tmp_path / "IMPORTED"
    shadow = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\nraise SystemExit('shadowed')\n"
    names = ["server", "app", "features", "convert", "settings", "types", "lsprotocol", "pygls", "cattrs",
             "attrs", "pyjit_core", "logging_config", "argparse", "typing_extensions",
             "worker", "wire", "handshake", "pickle", "subprocess"]
    write(tmp_path, {f"{name}.py": shadow for name in names})
    write(tmp_path, {"model.py": "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n"})
    client = make_client()
    await client.start_io(*SERVER_COMMAND, cwd=str(tmp_path))
    try:
        await start(client, tmp_path)
        uri = open_doc(client, tmp_path / "model.py")
        assert [d.code for d in await published(client, uri, 1)] == ["PJ210"]
        await client.shutdown_session()
    finally:
        await client.stop()
    assert not marker.exists(), marker.read_text()


# --- the lifecycle, as the specification words it -------------------------------------------------------

SERVER_NOT_INITIALIZED, INVALID_REQUEST = -32002, -32600
HOVER_NOWHERE = {"textDocument": {"uri": "file:///nowhere/x.py"}, "position": {"line": 0, "character": 0}}


async def test_a_request_before_initialize_is_refused_and_initialize_still_works(tmp_path: Path) -> None:
    async with raw_server() as client:
        await client.send(request(1, "textDocument/hover", HOVER_NOWHERE), request(2, "shutdown"),
                          notification("textDocument/didOpen", {"textDocument": {
                              "uri": "file:///x.py", "languageId": "python", "version": 1, "text": ""}}),
                          initialize_request(3, tmp_path), notification("initialized", {}),
                          request(4, "textDocument/hover", HOVER_NOWHERE))
        assert (await client.answer(1))["error"]["code"] == SERVER_NOT_INITIALIZED
        assert (await client.answer(2))["error"]["code"] == SERVER_NOT_INITIALIZED
        assert "capabilities" in (await client.answer(3))["result"]
        assert (await client.answer(4))["result"] is None
        await client.send(request(5, "shutdown"), notification("exit"))
        assert (await client.answer(5))["result"] is None
        assert await client.exit_code() == 0


async def test_after_shutdown_requests_are_invalid_and_exit_ends_with_0(tmp_path: Path) -> None:
    async with raw_server() as client:
        await client.send(initialize_request(1, tmp_path), notification("initialized", {}), request(2, "shutdown"),
                          request(3, "textDocument/hover", HOVER_NOWHERE), initialize_request(4, tmp_path))
        assert (await client.answer(2))["result"] is None
        assert (await client.answer(3))["error"]["code"] == INVALID_REQUEST
        assert (await client.answer(4))["error"]["code"] == INVALID_REQUEST
        await client.send(notification("exit"))
        assert await client.exit_code() == 0


async def test_exit_without_shutdown_ends_with_1(tmp_path: Path) -> None:
    async with raw_server() as client:
        await client.send(initialize_request(1, tmp_path), notification("initialized", {}))
        await client.answer(1)
        await client.send(notification("exit"))
        assert await client.exit_code() == 1


async def test_a_second_initialize_is_refused(tmp_path: Path) -> None:
    async with raw_server() as client:
        await client.send(initialize_request(1, tmp_path), notification("initialized", {}),
                          initialize_request(2, tmp_path))
        assert "capabilities" in (await client.answer(1))["result"]
        assert (await client.answer(2))["error"]["code"] == INVALID_REQUEST


# --- nothing of the workspace is imported, by the server or by a worker it restarts ---------------------

PLANTED = ["threading", "logging", "subprocess", "json", "pickle", "concurrent", "pyjit_core"]


def _plant(root: Path, marker: Path) -> None:
    shadow = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\nraise SystemExit('shadowed')\n"
    write(root, {f"{name}.py": shadow for name in PLANTED})
    write(root, {"pyjit_server/__init__.py": shadow, "pyjit_server/worker/__init__.py": shadow,
                 "pyjit_server/worker/__main__.py": shadow})


async def test_a_restarted_worker_imports_nothing_from_the_workspace(tmp_path: Path) -> None:
    """The server started in the workspace (as editors do), with modules planted there
    under pyjit's and the standard library's names; its worker killed and restarted."""
    marker = tmp_path / "IMPORTED"
    _plant(tmp_path, marker)
    write(tmp_path, {"model.py": "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n"})
    script = Path(sys.executable).with_name("pyjit-lsp")    # as editors start it
    command = [str(script)] if script.exists() else SERVER_COMMAND
    async with running_server(command=command, cwd=str(tmp_path)) as client:
        await start(client, tmp_path)
        uri = open_doc(client, tmp_path / "model.py")
        assert [d.code for d in await published(client, uri, 1)] == ["PJ210"]
        (first,) = worker_pids(client)
        os.kill(first, signal.SIGKILL)
        replace_all(client, uri, 2, (tmp_path / "model.py").read_text().replace("x.foo", "x.bar"))
        assert [d.code for d in await published(client, uri, 2)] == ["PJ210"]
        (second,) = worker_pids(client)
        command = Path(f"/proc/{second}/cmdline").read_bytes().split(b"\0")
        assert command[1] == b"-I"                                    # isolated: no cwd, no PYTHON* variables
        assert Path(os.readlink(f"/proc/{second}/cwd")) != tmp_path   # and not in the workspace
    assert not marker.exists(), marker.read_text()


async def test_python_m_from_the_workspace_imports_none_of_its_modules(tmp_path: Path) -> None:
    """``python -m pyjit_server`` puts the current directory first on sys.path; the
    server takes it off before importing anything else. (A folder named
    ``pyjit_server`` there is what Python itself runs: start ``pyjit-lsp``, or
    ``python -P -m pyjit_server``, in a directory you do not control.)"""
    marker = tmp_path / "IMPORTED"
    _plant(tmp_path, marker)
    shutil.rmtree(tmp_path / "pyjit_server")   # see the docstring
    write(tmp_path, {"model.py": "import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x.foo\n"})
    async with running_server(cwd=str(tmp_path)) as client:
        await start(client, tmp_path)
        assert [d.code for d in await published(client, open_doc(client, tmp_path / "model.py"), 1)] == ["PJ210"]
    assert not marker.exists(), marker.read_text()
