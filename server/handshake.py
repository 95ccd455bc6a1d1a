"""``initialize`` answered before pygls is imported, and documents analysed meanwhile.

Importing pygls costs most of the server's start-up: ``lsprotocol.types``
alone defines ~1,000 attrs classes (~180 ms), and pygls' converter resolves
their annotations (~45 ms). Nothing in the ``initialize`` answer needs them:
the capabilities are fixed but for two choices taken from the client's own
capabilities (the position encoding and pull diagnostics). So, on stdio:

1. :meth:`Handshake.start` reads the first message. If it is ``initialize``,
   it answers at once with :func:`initialize_result` -- the same answer pygls
   would give, which ``tests/server/test_lsp_handshake.py`` checks for many
   clients and the server checks again at run time (:mod:`.language_server`
   logs any difference and drops pygls' own answer).
2. A thread then copies everything the client sends into a pipe that pygls
   reads once it is up, the ``initialize`` request first, so pygls sets up
   its state exactly as without this module. Until pygls takes over, the
   thread also looks at each message: a Python document opened meanwhile is
   sent to the analysis worker at once (:class:`.worker.WorkerJob` with a
   negative handle). When the server asks for the same analysis (same text,
   settings and other open buffers) the worker hands over that result
   instead of starting again; if anything differs, it analyses anew.

Anything unexpected (no ``initialize`` first, a body that is not JSON)
means no early answer: pygls answers as it always does.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, BinaryIO

from .wire import write_all

logger = logging.getLogger(__name__)

#: The server's commands, as registered in :mod:`.app` (tests compare the whole answer with pygls').
COMMANDS = ["pyjit.showGraph"]


def initialize_result(params: Any, *, name: str, version: str) -> dict | None:
    """The ``InitializeResult`` pygls gives for this server and these params,
    as JSON; None when the params lack what the protocol requires
    (``processId`` and ``capabilities``): pygls then answers, with its error."""
    if not isinstance(params, dict) or not isinstance(params.get("capabilities"), dict) or "processId" not in params:
        return None
    client = params["capabilities"]
    capabilities: dict[str, Any] = {
        "positionEncoding": "utf-8" if "utf-8" in _list(_get(client, "general", "positionEncodings")) else "utf-16",
        "textDocumentSync": _text_document_sync(client),
        "hoverProvider": True,
        "codeActionProvider": {"codeActionKinds": ["quickfix"]},
        "executeCommandProvider": {"commands": list(COMMANDS)},
    }
    if pull_diagnostics(client):
        capabilities["diagnosticProvider"] = {"interFileDependencies": True, "workspaceDiagnostics": False,
                                              "identifier": "pyjit"}
    capabilities["workspace"] = {"workspaceFolders": {"supported": True, "changeNotifications": True},
                                 "fileOperations": {}}
    return {"capabilities": capabilities, "serverInfo": {"name": name, "version": version}}


def _text_document_sync(client: dict) -> dict:
    sync: dict[str, Any] = {"openClose": True, "change": 2}   # 2: incremental
    # pygls answers ``willSave: false`` (no such handler) to a client that says
    # anything about willSave, and leaves it out otherwise; the same for willSaveWaitUntil.
    for key in ("willSave", "willSaveWaitUntil"):
        if _get(client, "textDocument", "synchronization", key) is not None:
            sync[key] = False
    sync["save"] = False
    return sync


def pull_diagnostics(client: dict) -> bool:
    """Pull diagnostics only for clients that also take refreshes (see app.py)."""
    return _get(client, "textDocument", "diagnostic") is not None and bool(
        _get(client, "workspace", "diagnostics", "refreshSupport"))


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


# --- the stream ----------------------------------------------------------------------------------

def read_message(stream: BinaryIO) -> tuple[bytes, bytes] | None:
    """One base-protocol message: (its raw bytes, its body); None at the end of the stream."""
    raw = bytearray()
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        raw += line
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = None
    body = stream.read(length) if length else b""
    raw += body
    return bytes(raw), body


class FdReader:
    """``readline``/``read``/``read1`` over a file descriptor with ``os.read``.

    Not ``sys.stdin.buffer``: the copying thread is still blocked in a read
    when the server exits, and a daemon thread inside a buffered reader makes
    the interpreter abort at shutdown."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()

    def _fill(self) -> bool:
        chunk = os.read(self._fd, 65536)
        self._buffer += chunk
        return bool(chunk)

    def readline(self) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            if not self._fill():
                return self._take(len(self._buffer))
        return self._take(end + 1)

    def read(self, count: int) -> bytes:
        while len(self._buffer) < count:
            if not self._fill():
                break
        return self._take(min(count, len(self._buffer)))

    def read1(self, count: int) -> bytes:
        if not self._buffer:
            self._fill()
        return self._take(min(count, len(self._buffer)))

    def _take(self, count: int) -> bytes:
        taken = bytes(self._buffer[:count])
        del self._buffer[:count]
        return taken


def _frame(message: dict) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@dataclass(frozen=True)
class EarlyAnswer:
    request_id: Any
    result: dict


class Handshake:
    """See the module docstring. ``worker`` is the :class:`.worker_client.AnalysisWorker`."""

    def __init__(self, stdin: FdReader, stdout: BinaryIO, worker: Any, *, name: str, version: str) -> None:
        self._stdin = stdin
        self._stdout = stdout
        self._worker = worker
        self._name, self._version = name, version
        self._handed_over = threading.Event()
        self._handles = itertools.count(-1, -1)
        self._settings: Any = None
        self._open: dict[str, tuple[str, str]] = {}   # uri -> (path, text) of documents opened meanwhile
        self.answer: EarlyAnswer | None = None

    def start(self) -> BinaryIO:
        """Answer ``initialize`` if it comes first; the stream pygls should read."""
        first = read_message(self._stdin)
        if first is not None:
            self._answer(first[1])
        read_end, write_end = os.pipe()
        threading.Thread(target=self._copy, args=(first, write_end), name="pyjit-stdin", daemon=True).start()
        return os.fdopen(read_end, "rb")

    def hand_over(self) -> None:
        """pygls is about to read: documents are its business from now on."""
        self._handed_over.set()

    # --- internals ---------------------------------------------------------------------------

    def _answer(self, body: bytes) -> None:
        try:
            message = json.loads(body)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("method") != "initialize" or "id" not in message:
            return
        result = initialize_result(message.get("params"), name=self._name, version=self._version)
        if result is None:
            return
        self._stdout.write(_frame({"id": message["id"], "jsonrpc": "2.0", "result": result}))
        self._stdout.flush()
        self.answer = EarlyAnswer(message["id"], result)
        try:
            self._settings = _settings_from(message["params"])
        except Exception:  # noqa: BLE001 - only the analysis ahead is lost; pygls will report bad settings
            logger.debug("no analysis ahead: settings unreadable", exc_info=True)

    def _copy(self, first: tuple[bytes, bytes] | None, write_end: int) -> None:
        try:
            with os.fdopen(write_end, "wb", buffering=0) as pipe:
                if first is None:
                    return
                write_all(pipe, first[0])
                while not self._handed_over.is_set():
                    message = read_message(self._stdin)
                    if message is None:
                        return
                    if self._settings is not None:
                        self._look_at(message[1])
                    write_all(pipe, message[0])
                while chunk := self._stdin.read1(65536):
                    write_all(pipe, chunk)
        except (BrokenPipeError, OSError):
            pass   # pygls stopped reading: the server is exiting

    def _look_at(self, body: bytes) -> None:
        try:
            message = json.loads(body)
            method = message.get("method")
            if method == "textDocument/didOpen":
                document = message["params"]["textDocument"]
                self._opened(document["uri"], document.get("languageId", ""), document["text"])
        except Exception:  # noqa: BLE001 - a message pygls will judge; nothing is analysed ahead for it
            logger.debug("not analysed ahead", exc_info=True)

    def _opened(self, uri: str, language: str, text: str) -> None:
        from pygls.uris import to_fs_path

        from .worker import WorkerJob

        path = to_fs_path(uri) or uri
        if not (language == "python" or path.endswith((".py", ".pyi"))):
            return
        # The other buffers are those the server will pass (Python files with a path).
        overlays = tuple((p, t) for u, (p, t) in self._open.items() if u != uri and p.endswith(".py"))
        self._open[uri] = (path, text)
        job = WorkerJob(next(self._handles), path, text, self._settings.config_for(path), overlays)
        self._worker.tell("analyse", job)
        logger.debug("analysing %s ahead of the server", path)


def _settings_from(params: dict) -> Any:
    """The settings the server will have before the client's configuration
    arrives (see :meth:`.language_server.PyjitServer.initialize`)."""
    from pygls.uris import to_fs_path

    from .settings import Settings

    settings = Settings(warn=lambda message: None)   # the server reports problems itself
    folders = [to_fs_path(f.get("uri", "")) for f in params.get("workspaceFolders") or [] if isinstance(f, dict)]
    root = params.get("rootUri")
    settings.initialize(folders, to_fs_path(root) if isinstance(root, str) and root else None,
                        params.get("initializationOptions"))
    return settings
