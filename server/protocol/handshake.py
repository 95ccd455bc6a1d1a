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

4. A second start finds a document's diagnostics in the result cache long
   before pygls is up (~100 ms after ``didOpen``; pygls' import alone takes
   ~650 ms on the machine of ``docs/benchmarks.md``'s latest figures). The
   thread publishes them itself (:mod:`.lsp_json`) when all of these hold,
   and tells the server (:attr:`Handshake.shown`), which then publishes
   the analysis' result only if it differs:

   * the client takes pushed diagnostics (a pull is pygls' to answer);
   * the settings the lookup used are the client's: it either cannot be
     asked for more (no ``workspace/configuration``), or said its settings
     up front in ``initializationOptions``, as pyjit's VS Code extension
     and Neovim config do with the settings they answer later. A client
     that then answers differently sees the analysis' result replace these
     within the first analysis;
   * the document is still open at the version that was looked up.

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
from typing import TYPE_CHECKING, Any, BinaryIO

from pyjit_core.uris import path_of_uri

from ..worker.messages import EditorSettings, Job
from ..worker.wire import write_all
from .framing import FdReader, MessageReader, frame
from .lsp_json import diagnostic_json, publish_diagnostics_json, split_lines

if TYPE_CHECKING:
    from ..worker.messages import EarlyDiagnostics

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


def settings_said_up_front(params: dict) -> bool:
    """Whether the ``initialize`` params give the settings the server will work with: the
    client cannot be asked for others, or it sent ``initializationOptions`` (see the module
    docstring)."""
    return params.get("initializationOptions") is not None or not _get(
        params.get("capabilities"), "workspace", "configuration")


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
        # Publishing cached diagnostics ahead of the server (point 4 of the module docstring).
        self._lock = threading.Lock()     # stdout, and all below, until the hand-over
        self._said: EditorSettings | None = None    # the settings the worker was given
        self._changed_settings: Any = None          # didChangeConfiguration's, from a client that cannot be asked
        self._askable = False                       # the client answers workspace/configuration
        self._encoding = "utf-16"
        self._opened: dict[str, tuple[int | None, str]] = {}   # uri -> (version, text), while still unchanged
        #: uri -> the cached diagnostics published here (the server takes it from there).
        self.shown: dict[str, EarlyDiagnostics] = {}

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
        with self._lock:
            self._handed_over.set()
            self._worker.on_early_ahead = None

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
        params = message["params"]
        self._said = EditorSettings.of_initialize(params)
        self._worker.configure(self._said)
        self._ahead = True
        self._askable = bool(_get(params["capabilities"], "workspace", "configuration"))
        self._encoding = result["capabilities"]["positionEncoding"]
        if "diagnosticProvider" not in result["capabilities"] and settings_said_up_front(params):
            self._worker.on_early_ahead = self._publish

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
            method, params = message.get("method"), message.get("params")
            if method == "textDocument/didOpen":
                document = params["textDocument"]
                self._opened_document(document["uri"], document.get("languageId", ""), document.get("version"),
                                      document["text"])
            elif method in ("textDocument/didChange", "textDocument/didClose"):
                with self._lock:
                    self._opened.pop(params["textDocument"]["uri"], None)
            elif method == "workspace/didChangeConfiguration" and not self._askable:
                with self._lock:   # as the server will take it (an askable client is asked again)
                    if params.get("settings") is not None:
                        self._changed_settings = params["settings"]
            elif method == "workspace/didChangeWorkspaceFolders":
                with self._lock:   # folders have settings of their own, asked for later
                    self._worker.on_early_ahead = None
        except Exception:
            logger.debug("not analysed ahead", exc_info=True)

    def _opened_document(self, uri: str, language: str, version: int | None, text: str) -> None:
        path = path_of_uri(uri)
        if path is None or not (language == "python" or path.endswith((".py", ".pyi"))):
            return
        with self._lock:
            self._opened[uri] = (version, text)
        self._worker.analyse_ahead(Job(next(self._handles), uri, path, version, text))
        logger.debug("analysing %s ahead of the server", path)

    def _publish(self, early: EarlyDiagnostics) -> None:
        """Cached diagnostics from the worker (in its reading thread): published now if the
        server is not up yet and they still hold (see the module docstring)."""
        try:
            with self._lock:
                opened = self._opened.get(early.uri)
                if (self._handed_over.is_set() or self._said is None or opened is None
                        or opened[0] != early.version):
                    return
                if self._changed_settings is not None and not self._still_holds(early, self._said):
                    return
                lines = split_lines(opened[1])
                diagnostics = [diagnostic_json(d, lines, self._encoding, other=_disk_lines)
                               for d in early.diagnostics]
                notification = publish_diagnostics_json(early.uri, early.version, diagnostics)
                self._stdout.write(frame(json.dumps(notification, separators=(",", ":")).encode("utf-8")))
                self._stdout.flush()
                self.shown[early.uri] = early
            logger.info("showed the cached diagnostics of %s (version %s) ahead of the server",
                        os.path.basename(early.path), early.version)
        except Exception:
            logger.debug("cached diagnostics not shown ahead", exc_info=True)

    def _still_holds(self, early: EarlyDiagnostics, said: EditorSettings) -> bool:
        """Whether the settings changed since the worker was given them (by a client that cannot
        be asked, as the server will take them) still give the context the lookup used."""
        from .configuration import EditorConfiguration  # (~45 ms: only when settings changed)

        configuration = EditorConfiguration()
        configuration.said = said
        changed = configuration.changed(self._changed_settings)
        return changed.resolver().context_for(early.path) == early.context


def _disk_lines(path: str) -> list[str] | None:
    """Another file's lines, for related locations and fixes (as the server reads them)."""
    try:
        with open(path, encoding="utf-8") as f:
            return split_lines(f.read())
    except (OSError, UnicodeDecodeError):
        return None
