"""``initialize`` answered before pygls is imported, and documents analysed meanwhile.

Importing pygls costs most of the server's start-up: ``lsprotocol.types``
alone defines ~1,000 attrs classes (~180 ms), and pygls' converter resolves
their annotations (~45 ms). Nothing in the ``initialize`` answer needs them:
the capabilities are fixed but for two choices taken from the client's own
capabilities (the position encoding and pull diagnostics). So, on stdio:

1. :meth:`Handshake.start` reads the first message. If it is ``initialize``,
   it answers at once with :func:`initialize_result` -- the same answer pygls
   would give, which ``tests/server/test_lsp_handshake.py`` checks for many
   clients and the server checks again at run time (:mod:`.lifecycle`
   logs any difference and drops pygls' own answer).
2. A thread then copies everything the client sends into a pipe that pygls
   reads once it is up, the ``initialize`` request first, so pygls sets up
   its state exactly as without this module. It reads with
   :class:`.framing.MessageReader` and writes each message framed exactly, for
   as long as the server runs, so no malformed header deafens pygls.
3. Until pygls takes over, the thread also looks at each message. The worker
   was given the ``initialize`` params (the same settings the server will
   forward), and a Python document opened meanwhile is analysed at once (a
   :class:`pyjit_server.worker.messages.Job` with a negative handle). When
   the server asks for the same analysis (the same key: text, settings, and
   the modules it read), the worker hands over that result instead of
   starting again; if anything differs, it analyses anew.

Anything unexpected (no ``initialize`` first, a body that is not JSON, or
``PYJIT_LSP_EARLY_INITIALIZE=0``) means no early answer and no analysis
ahead: pygls answers as it always does.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any, BinaryIO

from pyjit_core.uris import path_of_uri

from ..worker.messages import EditorSettings, Job
from ..worker.wire import write_all
from .framing import FdReader, MessageReader, frame

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
        "codeLensProvider": {"resolveProvider": False},
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

@dataclass(frozen=True)
class EarlyAnswer:
    request_id: Any
    result: dict


class Handshake:
    """See the module docstring. ``worker`` is the :class:`pyjit_server.worker.client.WorkerClient`."""

    def __init__(self, stdin: FdReader, stdout: BinaryIO, worker: Any, *, name: str, version: str,
                 answer_early: bool = True) -> None:
        self._messages = MessageReader(stdin)
        self._stdout = stdout
        self._worker = worker
        self._name, self._version = name, version
        self._answer_early = answer_early
        self._handed_over = threading.Event()
        self._handles = itertools.count(-1, -1)
        self._ahead = False                # analyse documents ahead of the server
        self.answer: EarlyAnswer | None = None

    def start(self) -> BinaryIO:
        """Answer ``initialize`` if it comes first; the stream pygls should read."""
        first = self._messages.next()
        if first is not None and self._answer_early:
            self._answer(first)
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
        except (ValueError, RecursionError):
            return   # pygls reports it
        if not isinstance(message, dict) or message.get("method") != "initialize" or "id" not in message:
            return
        result = initialize_result(message.get("params"), name=self._name, version=self._version)
        if result is None:
            return
        self._stdout.write(frame(json.dumps({"id": message["id"], "jsonrpc": "2.0", "result": result},
                                            separators=(",", ":")).encode("utf-8")))
        self._stdout.flush()
        self.answer = EarlyAnswer(message["id"], result)
        # The settings the server will forward too: the worker reads them itself.
        self._worker.configure(EditorSettings.of_initialize(message["params"]))
        self._ahead = True

    def _copy(self, first: bytes | None, write_end: int) -> None:
        """Every message, framed as pygls reads it (see :mod:`.framing`)."""
        try:
            with os.fdopen(write_end, "wb", buffering=0) as pipe:
                body = first
                while body is not None:
                    if self._ahead and not self._handed_over.is_set() and body is not first:
                        self._look_at(body)
                    write_all(pipe, frame(body))
                    body = self._messages.next()
        except OSError:
            pass   # pygls stopped reading: the server is exiting

    def _look_at(self, body: bytes) -> None:
        try:
            message = json.loads(body)
            if message.get("method") == "textDocument/didOpen":
                document = message["params"]["textDocument"]
                self._opened(document["uri"], document.get("languageId", ""), document.get("version"),
                             document["text"])
        except Exception:
            logger.debug("not analysed ahead", exc_info=True)

    def _opened(self, uri: str, language: str, version: int | None, text: str) -> None:
        path = path_of_uri(uri)
        if path is None or not (language == "python" or path.endswith((".py", ".pyi"))):
            return
        self._worker.analyse_ahead(Job(next(self._handles), uri, path, version, text))
        logger.debug("analysing %s ahead of the server", path)
