"""No message deafens or kills the server: bad framing, bad JSON, bad params.

Each case sends something malformed, then something well-formed, and checks
that the server answers what can be answered and goes on answering.
(pygls alone reads only ``Content-Length: N\\r\\n`` exactly; the server reads
the client's stream itself first: server/protocol/framing.py.)
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsp_harness import RawClient, frame, initialize_request, notification, raw_server, request

HOVER_NOWHERE = {"textDocument": {"uri": "file:///nowhere/x.py"}, "position": {"line": 0, "character": 0}}


@contextlib.asynccontextmanager
async def initialized(tmp_path: Path) -> AsyncIterator[RawClient]:
    async with raw_server() as client:
        await client.send(initialize_request(1, tmp_path), notification("initialized", {}))
        assert "capabilities" in (await client.answer(1))["result"]
        yield client


async def still_serving(client: RawClient, request_id: int = 900) -> None:
    await client.send(request(request_id, "textDocument/hover", HOVER_NOWHERE))
    assert (await client.answer(request_id))["result"] is None
    await client.send(request(999, "shutdown"), notification("exit"))
    assert (await client.answer(999))["result"] is None
    assert await client.exit_code() == 0


async def test_a_first_message_nested_past_the_recursion_limit(tmp_path: Path) -> None:
    async with raw_server() as client:
        deep = b'{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        await client.send(frame(deep), initialize_request(1, tmp_path), notification("initialized", {}))
        assert "capabilities" in (await client.answer(1))["result"]
        await still_serving(client)


async def test_a_length_of_a_terabyte(tmp_path: Path) -> None:
    async with raw_server() as client:
        await client.send(frame(initialize_request(1, tmp_path), header=b"Content-Length: 1000000000000\r\n"),
                          notification("initialized", {}))
        assert "capabilities" in (await client.answer(1))["result"]
        await still_serving(client)


def _headers(body: bytes) -> dict[str, bytes]:
    n = len(body)
    return {
        "missing": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n",
        "lowercase": b"content-length: %d\r\n" % n,
        "not a number": b"Content-Length: twelve\r\n",
        "negative": b"Content-Length: -%d\r\n" % n,
        "short": b"Content-Length: %d\r\n" % (n // 2),
        "long": b"Content-Length: %d\r\n" % (n + 100),
    }


HOVER = request(2, "textDocument/hover", HOVER_NOWHERE)


@pytest.mark.parametrize("kind", list(_headers(b"")))
@pytest.mark.parametrize("followed", [True, False], ids=["followed by another message", "the last message sent"])
async def test_a_bad_content_length_is_read_around(tmp_path: Path, kind: str, followed: bool) -> None:
    async with initialized(tmp_path) as client:
        body = frame(HOVER)[frame(HOVER).index(b"\r\n\r\n") + 4:]
        await client.send(_headers(body)[kind] + b"\r\n" + body)
        if followed:
            await client.send(request(3, "textDocument/hover", HOVER_NOWHERE))
            assert (await client.answer(3))["result"] is None
        assert (await client.answer(2))["result"] is None
        await still_serving(client)


async def test_headers_ending_in_line_feeds_only(tmp_path: Path) -> None:
    async with raw_server() as client:
        for message in (initialize_request(1, tmp_path), notification("initialized", {}), HOVER):
            body = frame(message)[frame(message).index(b"\r\n\r\n") + 4:]
            await client.send(b"Content-Length: %d\n\n" % len(body) + body)
        assert "capabilities" in (await client.answer(1))["result"]
        assert (await client.answer(2))["result"] is None
        await still_serving(client)


async def test_a_body_that_is_not_json_and_a_line_that_is_no_header(tmp_path: Path) -> None:
    async with initialized(tmp_path) as client:
        await client.send(frame(b"not json at all"), b"garbage without a colon\r\n", HOVER)
        assert (await client.answer(2))["result"] is None
        await still_serving(client)


# --- params ----------------------------------------------------------------------------------------------

INVALID_PARAMS = -32602


@pytest.mark.parametrize(("method", "params"), [
    ("textDocument/hover", None),
    ("textDocument/hover", {"textDocument": None, "position": {"line": 0, "character": 0}}),
    ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": -1, "character": 0}}),
    ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 2**31, "character": 0}}),
    ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": "x"}}),
    ("textDocument/codeAction", {"textDocument": {"uri": "file:///x.py"}, "range": None, "context": None}),
    ("workspace/executeCommand", {"command": "pyjit.showGraph", "arguments": [1, 2, 3]}),
    ("workspace/executeCommand", {"command": "pyjit.showGraph",
                                  "arguments": ["file:///x.py", {"line": -4, "character": 0}]}),
], ids=["null", "null document", "negative line", "line 2**31", "character a string", "null context",
        "showGraph arguments", "showGraph negative line"])
async def test_ill_typed_params_get_an_invalid_params_error(tmp_path: Path, method: str, params) -> None:
    async with initialized(tmp_path) as client:
        await client.send(request(2, method, params))
        assert (await client.answer(2))["error"]["code"] == INVALID_PARAMS
        await still_serving(client)


async def test_the_largest_position_there_is_gets_an_answer(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text("import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    return x + 1\n")
    async with initialized(tmp_path) as client:
        uri = path.as_uri()
        await client.send(notification("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}}))
        for i, (line, character) in enumerate([(2**31 - 1, 0), (5, 2**31 - 1), (2**31 - 1, 2**31 - 1)]):
            await client.send(request(10 + i, "textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": line, "character": character}}))
            assert "result" in await client.answer(10 + i)
        await still_serving(client)
