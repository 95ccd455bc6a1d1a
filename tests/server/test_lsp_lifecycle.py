"""Starting the server: transports, capabilities, position encodings, a workspace's own modules."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from lsp_harness import SERVER_COMMAND, capabilities, make_client, open_doc, published, start, write


async def test_capabilities(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path)
    caps = result.capabilities
    assert result.server_info.name == "pyjit"
    sync = caps.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close
    assert caps.hover_provider
    assert list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert list(caps.execute_command_provider.commands) == ["pyjit.showGraph"]
    assert caps.diagnostic_provider is None          # this client does not pull: diagnostics are pushed
    assert caps.position_encoding in (None, types.PositionEncodingKind.Utf16)


async def test_pull_capable_client_is_offered_pull_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    result = await start(client, tmp_path, caps=capabilities(pull=True))
    provider = result.capabilities.diagnostic_provider
    assert provider.identifier == "pyjit" and provider.inter_file_dependencies


@pytest.mark.parametrize("offered, chosen", [
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
    assert run.returncode == 0 and run.stdout.startswith("pyjit-lsp ")


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
