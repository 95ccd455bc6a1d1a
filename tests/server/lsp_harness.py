"""Helpers for the end-to-end tests through the real server process.

Each test initializes the server with the capabilities, workspace and options
it needs (:func:`start`). Waiting is on messages (pytest-lsp's
``wait_for_notification``) with a deadline, never on fixed sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from workspace_files import write  # noqa: F401  (the server tests take it from here)

# A compile error (a diagnostic) beside a function that compiles (something to hover: the `+`, 10:13).
BROKEN_AND_FINE = textwrap.dedent("""\
    import torch


    @torch.jit.script
    def broken(x: int) -> int:
        return x.foo


    @torch.jit.script
    def fine(x: int) -> int:
        return x + 1
""")
PLUS_IN_FINE = (10, 13)

SERVER_COMMAND = [sys.executable, "-m", "pyjit_server"]
DEADLINE = 120.0   # seconds: a generous bound for a slow machine; tests normally take well under one
T = TypeVar("T")


def make_client() -> LanguageClient:
    """pytest-lsp's client, also recording every publish (with its version) and every refresh."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []            # type: ignore[attr-defined]
    client.refreshes = 0             # type: ignore[attr-defined]
    client.refresh_waiters = []      # type: ignore[attr-defined]
    client.registrations = []        # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)

    def publish(c: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        c.published.append(params)   # type: ignore[attr-defined]
        c.diagnostics[params.uri] = params.diagnostics

    def refresh(c: LanguageClient, params: None) -> None:
        c.refreshes += 1             # type: ignore[attr-defined]
        for waiter in c.refresh_waiters:   # type: ignore[attr-defined]
            if not waiter.done():
                waiter.set_result(c.refreshes)   # type: ignore[attr-defined]

    def register(c: LanguageClient, params: types.RegistrationParams) -> None:
        c.registrations.extend(params.registrations)   # type: ignore[attr-defined]

    features[types.CLIENT_REGISTER_CAPABILITY] = register
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh
    register_lsp_features(client, features)
    return client


# --- session ------------------------------------------------------------------------------------

def capabilities(name: str = "visual-studio-code", *, pull: bool = False,
                 encodings: Sequence[str] | None = None) -> types.ClientCapabilities:
    caps = client_capabilities(name)
    if pull:
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    if encodings is not None:
        caps.general = caps.general or types.GeneralClientCapabilities()
        caps.general.position_encodings = list(encodings)
    return caps


async def start(client: LanguageClient, root: Path, *, caps: types.ClientCapabilities | None = None,
                options: Any = None, folders: Sequence[Path] | None = None) -> types.InitializeResult:
    folders = [root] if folders is None else folders
    return await client.initialize_session(types.InitializeParams(
        capabilities=caps or capabilities(),
        root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(f), name=f.name) for f in folders],
        initialization_options=options,
    ))


def uri_of(path: Path) -> str:
    return from_fs_path(str(path))


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = uri_of(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=version,
        text=path.read_text(encoding="utf-8") if text is None else text)))
    return uri


def replace_all(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def edit(client: LanguageClient, uri: str, version: int, rng: types.Range, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(range=rng, text=text)]))


# --- waiting ---------------------------------------------------------------------------------------

async def wait_until(client: LanguageClient, method: str, found: Callable[[], T | None],
                     deadline: float = DEADLINE) -> T:
    """Wait for notifications ``method`` until ``found()`` gives something."""
    async def loop() -> T:
        while (value := found()) is None:
            await client.wait_for_notification(method)
        return value
    return await asyncio.wait_for(loop(), deadline)


ANY = object()


async def published(client: LanguageClient, uri: str, version: Any = ANY) -> list[types.Diagnostic]:
    """The latest diagnostics published for ``uri`` (at ``version``; None: unversioned), waiting for them."""
    def find() -> list[types.Diagnostic] | None:
        for p in reversed(client.published):   # type: ignore[attr-defined]
            if p.uri == uri and (version is ANY or p.version == version):
                return list(p.diagnostics)
        return None
    return await wait_until(client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, find)


async def refreshed(client: LanguageClient, after: int) -> int:
    """Wait until the server asked for more than ``after`` workspace/diagnostic/refresh."""
    if client.refreshes > after:   # type: ignore[attr-defined]
        return client.refreshes    # type: ignore[attr-defined]
    waiter = asyncio.get_running_loop().create_future()
    client.refresh_waiters.append(waiter)   # type: ignore[attr-defined]
    return await asyncio.wait_for(waiter, DEADLINE)


def versions_published(client: LanguageClient, uri: str) -> list[int | None]:
    return [p.version for p in client.published if p.uri == uri]   # type: ignore[attr-defined]


# --- edits ------------------------------------------------------------------------------------------

def offset_of(text: str, position: types.Position, encoding: str) -> int:
    """Offset into ``text`` of an LSP position in ``encoding`` units (independent of the server's code)."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position.character:
            return start + i
        units += len(ch.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(ch.encode("utf-8"))
    return start + len(line.rstrip("\r\n"))


def apply_text_edits(text: str, edits: Sequence[types.TextEdit], encoding: str = "utf-16") -> str:
    spans = sorted(((offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


# --- servers started by the test itself ---------------------------------------------------------------

@contextlib.asynccontextmanager
async def running_server(env: dict[str, str] | None = None, *, command: Sequence[str] = SERVER_COMMAND,
                         **kwargs: Any) -> AsyncIterator[LanguageClient]:
    """A client connected to a server started with ``env`` added (and the worker's
    test hooks on: see server/worker/test_hooks.py), shut down at the end."""
    client = make_client()
    await client.start_io(*command, env={**os.environ, "PYJIT_LSP_TEST_HOOKS": "1", **(env or {})}, **kwargs)
    try:
        yield client
        if client.capabilities is not None and not client.stopped:
            await asyncio.wait_for(client.shutdown_session(), DEADLINE)
    finally:
        if client._server is not None and client._server.returncode is None:   # a failed test
            client._server.kill()
        await client.stop()


def worker_pids(client: LanguageClient) -> list[int]:
    """The server's child processes (whichever of its threads started them)."""
    server_pid = client._server.pid   # type: ignore[union-attr]
    return [int(pid) for task in Path(f"/proc/{server_pid}/task").iterdir()
            for pid in (task / "children").read_text().split()]


async def message(client: LanguageClient, *words: str) -> str:
    """The first window/showMessage holding all ``words``, waiting for it."""
    def find() -> str | None:
        return next((m.message for m in client.messages if all(w in m.message for w in words)), None)
    return await wait_until(client, types.WINDOW_SHOW_MESSAGE, find)


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character))),
        DEADLINE)


async def hover_comes_back(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover:
    """Hover until there is an answer (a replaced worker analyses the document again meanwhile)."""
    async def loop() -> types.Hover:
        while (found := await hover_at(client, uri, line, character)) is None:
            await asyncio.sleep(0.05)
        return found
    return await asyncio.wait_for(loop(), DEADLINE)


async def poll_until(found: Callable[[], T | None]) -> T:
    """For what no message announces (a process started): look again until ``found()`` gives something."""
    async def loop() -> T:
        while (value := found()) is None:
            await asyncio.sleep(0.05)
        return value
    return await asyncio.wait_for(loop(), DEADLINE)


# --- raw bytes on stdio ---------------------------------------------------------------------------------

def frame(message: Any, *, header: bytes | None = None) -> bytes:
    """A message as a client writes it; ``header`` replaces the usual ``Content-Length`` line."""
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return (header if header is not None else b"Content-Length: %d\r\n" % len(body)) + b"\r\n" + body


class RawClient:
    """The server's stdio, byte for byte, for what pygls' own client cannot send."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.received: list[dict] = []

    @classmethod
    async def start(cls, *args: str, env: dict[str, str] | None = None) -> RawClient:
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND, "--log-level", "warning", *args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env={**os.environ, **(env or {})})
        return cls(process)

    async def send(self, *messages: bytes | dict) -> None:
        for m in messages:
            self.process.stdin.write(m if isinstance(m, bytes) else frame(m))   # type: ignore[union-attr]
        await self.process.stdin.drain()   # type: ignore[union-attr]

    async def answer(self, request_id: Any) -> dict:
        """The answer to request ``request_id`` (whatever else comes first is kept)."""
        async def read() -> dict:
            while True:
                for m in self.received:
                    if m.get("id") == request_id and "method" not in m:
                        return m
                self.received.append(await self._read())
        return await asyncio.wait_for(read(), DEADLINE)

    async def _read(self) -> dict:
        stdout = self.process.stdout
        length = None
        while (line := await stdout.readline()) not in (b"\r\n", b""):   # type: ignore[union-attr]
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if length is None:
            raise EOFError("the server closed its output")
        return json.loads(await stdout.readexactly(length))   # type: ignore[union-attr]

    async def exit_code(self) -> int:
        self.process.stdin.close()   # type: ignore[union-attr]
        return await asyncio.wait_for(self.process.wait(), DEADLINE)

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


@contextlib.asynccontextmanager
async def raw_server(*args: str) -> AsyncIterator[RawClient]:
    """A :class:`RawClient` on a server of its own, killed at the end if it is still running."""
    client = await RawClient.start(*args)
    try:
        yield client
    finally:
        await client.close()


def request(request_id: int, method: str, params: Any = None) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def notification(method: str, params: Any = None) -> dict:
    return {"jsonrpc": "2.0", "method": method, "params": params}


def initialize_request(request_id: int = 1, root: Path | None = None) -> dict:
    return request(request_id, "initialize", {"processId": None, "capabilities": {},
                                              "rootUri": uri_of(root) if root is not None else None})


# --- a client that sends raw messages, for what pytest-lsp's client cannot hold back ---------------

def frame_message(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream: Any) -> dict | None:
    """The next framed message from ``stream``; None at its end."""
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length)) if length else None


class RawServer:
    """The server process on stdio, driven message by message: the test decides when (and
    whether) each request from the server is answered. Messages are read in a thread and
    waited for with :data:`DEADLINE`; stderr is kept in ``log_path``."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        import queue
        import subprocess
        import threading

        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen([*SERVER_COMMAND, "--log-level", "info"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._log,
                                        env={**os.environ, "PYJIT_LSP_TEST_HOOKS": "1", **env})
        self._messages: queue.Queue[dict | None] = queue.Queue()
        self.received: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while (message := read_message(self.process.stdout)) is not None:
            self._messages.put(message)
        self._messages.put(None)

    def send(self, *messages: dict) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(b"".join(frame_message(m) for m in messages))
        self.process.stdin.flush()

    def next_where(self, found: Callable[[dict], bool]) -> dict:
        """The next message ``found`` accepts (the ones before it are kept in ``received``)."""
        while True:
            message = self._messages.get(timeout=DEADLINE)
            assert message is not None, "the server closed its output"
            self.received.append(message)
            if found(message):
                return message

    def close(self) -> str:
        """Shut down and exit; the server's log (stderr, then each window/logMessage)."""
        with contextlib.suppress(OSError):
            self.send({"jsonrpc": "2.0", "id": "shutdown", "method": "shutdown"},
                      {"jsonrpc": "2.0", "method": "exit"})
            self.next_where(lambda m: m.get("id") == "shutdown")
        try:
            self.process.wait(DEADLINE)
        finally:
            if self.process.returncode is None:
                self.process.kill()
            self._log.close()
        logged = [m["params"]["message"] + "\n" for m in self.received if m.get("method") == "window/logMessage"]
        return self.log_path.read_text(errors="replace") + "".join(logged)
