"""The pyjit language server's state and the work behind each feature.

Handlers in :mod:`.features` stay short by calling the methods here. The
analyses themselves (:func:`pyjit_core.engine.check_source`) run in the
analysis worker process (:mod:`.worker`), started before pygls is imported
so that it loads them on the other core meanwhile; the
:class:`.scheduler.Scheduler` decides when, and this module converts what
comes back for the client. Neither process imports or runs user code: the
frontend reads sources with ``ast``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Iterable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace.position_codec import PositionCodec

from pyjit_core.diagnostics import TextRange

from . import __version__
from .convert import (Text, disk_text, from_lsp_position, from_uri, to_lsp_diagnostic, to_lsp_hover)
from .documents import Analysed, LineMap, fingerprint
from .scheduler import Scheduler, Snapshot
from .settings import SECTION, Settings
from .worker import WorkerJob, WorkerResult
from .worker_client import AnalysisWorker, WorkerGone, shared_worker

logger = logging.getLogger(__name__)

#: An analysis (or hover index) the worker has not finished after this long is
#: stopped: the worker is killed and replaced, and the user told.
ANALYSIS_TIMEOUT_SECONDS = float(os.environ.get("PYJIT_LSP_ANALYSIS_TIMEOUT_S", "60"))

#: A worker that died is replaced and the open documents analysed again, but
#: not twice within this many seconds (an analysis that kills it would loop).
RECOVERY_SECONDS = 30.0

#: Wait after a change before analysing (a newer change restarts the wait).
DEBOUNCE_SECONDS = float(os.environ.get("PYJIT_LSP_DEBOUNCE_MS", "25")) / 1000
_LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}


class PyjitProtocol(LanguageServerProtocol):
    """pygls' protocol, choosing UTF-8 positions when the client offers them, else UTF-16."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):  # type: ignore[override]
        general = params.capabilities.general
        if general is not None and general.position_encodings is not None:
            offered = general.position_encodings
            general.position_encodings = [types.PositionEncodingKind.Utf8] if types.PositionEncodingKind.Utf8 in offered else []
        return (yield from super().lsp_initialize(params))

    #: Set when :mod:`.handshake` answered ``initialize`` before pygls was imported.
    answered_early: Any = None

    def _send_response(self, msg_id, result=None, error=None):  # type: ignore[override]
        early = self.answered_early
        if early is None or msg_id != early.request_id:
            return super()._send_response(msg_id, result, error)
        # The client has its answer already; this one only checks that it was the same.
        self.answered_early = None
        ours = None if error is not None else json.loads(json.dumps(result, default=self._serialize_message))
        if ours != early.result:
            logger.warning("initialize was answered early with %s; pygls answers %s",
                           json.dumps(early.result), json.dumps(ours) if error is None else error)


@dataclass(frozen=True)
class Job:
    """One analysis, taken on the event loop: what the worker reads, and what
    converting its answer for the client needs."""

    uri: str
    version: int | None
    codec: PositionCodec
    work: WorkerJob


class PyjitServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pyjit", __version__, protocol_cls=PyjitProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings(warn=self.warn)
        self.worker: AnalysisWorker = shared_worker()
        self.ready = asyncio.Event()  # settings loaded: analyses may start
        self.scheduler: Scheduler[Job] = Scheduler(snapshot=self._snapshot, analyse=self._analyse, ready=self.ready,
                                                   version_of=self._version_of, done=self._analysed, warm=self._warm,
                                                   collect=self._collect, release=self._release)
        self._handles = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._recovered_at = float("-inf")
        self.worker.on_unexpected_exit = self._worker_exited
        self.pull = False            # pull diagnostics (textDocument/diagnostic) instead of pushing
        self.refresh = False         # client accepts workspace/diagnostic/refresh
        self.markdown = True
        self._texts: dict[str, tuple[int | None, Text]] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        self.worker.start()   # already running when started by __main__
        caps = params.capabilities
        self.settings.initialize([from_uri(f.uri) for f in params.workspace_folders or []],
                                 from_uri(params.root_uri) if params.root_uri else None, params.initialization_options)
        self.pull = get_capability(caps, "text_document.diagnostic") is not None and bool(
            get_capability(caps, "workspace.diagnostics.refresh_support", False))
        self.refresh = self.pull
        formats = get_capability(caps, "text_document.hover.content_format", None)
        self.markdown = formats is None or types.MarkupKind.Markdown in formats
        self.apply_log_level(self.settings.init.log_level)

    async def initialized(self) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            await self.load_configuration()
        finally:
            self.ready.set()
        await self.watch_files()

    async def load_configuration(self) -> None:
        if not get_capability(self.client_capabilities, "workspace.configuration", False):
            return
        items = [types.ConfigurationItem(section=SECTION)] + [
            types.ConfigurationItem(scope_uri=self.workspace.folders[u].uri, section=SECTION)
            for u in self.workspace.folders]
        try:
            answers = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(items=items)), timeout=10)
        except Exception as e:  # noqa: BLE001 - a client that cannot answer keeps the defaults
            logger.warning("workspace/configuration failed: %s", e)
            return
        self.settings.set_folder_settings(None, answers[0] if answers else None)
        for uri, answer in zip(self.workspace.folders, answers[1:]):
            path = from_uri(uri)
            if path is not None:
                self.settings.set_folder_settings(path, answer)
        self.apply_log_level(self.settings.init.log_level)

    async def watch_files(self) -> None:
        if not get_capability(self.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=g) for g in ("**/*.py", "**/pyproject.toml")]
        registration = types.Registration(
            id="pyjit-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as e:  # noqa: BLE001
            logger.info("client refused file watching: %s", e)

    def apply_log_level(self, level: str) -> None:
        """pyjit logs at ``level``; pygls' own chatter only at debug."""
        value = _LOG_LEVELS.get(level, logging.INFO)
        logging.getLogger().setLevel(value)
        self.worker.tell("set_log_level", value)
        for chatty in ("pygls.feature_manager", "pygls.protocol"):
            logging.getLogger(chatty).setLevel(value if value <= logging.DEBUG else max(value, logging.WARNING))

    def _worker_exited(self, code: int | None) -> None:
        """(In the worker client's reading thread.) Its results are gone: analyse the
        open documents again, in a new worker, unless it died moments after the last time."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._recover, code)

    def _recover(self, code: int | None) -> None:
        now = time.monotonic()
        if now - self._recovered_at < RECOVERY_SECONDS:
            logger.error("the analysis worker exited again (code %s): documents are analysed at their next change", code)
            return
        self._recovered_at = now
        logger.error("the analysis worker exited (code %s): analysing the open documents again", code)
        self.recheck_all()

    def warn(self, message: str) -> None:
        logger.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    # --- document events -----------------------------------------------------------------------

    def opened(self, uri: str) -> None:
        self.scheduler.request(uri)

    def changed(self, uri: str) -> None:
        self.scheduler.request(uri, DEBOUNCE_SECONDS)
        path = from_uri(uri)
        if path is not None:
            self.recheck_dependents(path, exclude=uri)

    def closed(self, uri: str) -> None:
        self.scheduler.forget(uri)
        self._texts.pop(uri, None)
        if not self.pull:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def recheck_dependents(self, path: str, *, exclude: str | None = None, force: bool = False) -> None:
        """Re-analyse open documents that read ``path``, after the document itself."""
        for uri, analysed in list(self.scheduler.latest.items()):
            if uri != exclude and path in analysed.deps:
                self.scheduler.request(uri, 2 * DEBOUNCE_SECONDS, force=force)

    def recheck_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            if self._is_python(uri):
                self.scheduler.request(uri, force=True)

    def files_changed(self, changes: Iterable[types.FileEvent]) -> None:
        for change in changes:
            path = from_uri(change.uri)
            if path is None:
                continue
            if os.path.basename(path) == "pyproject.toml":
                self.settings.forget_files()
                self.recheck_all()
            elif change.uri not in self.workspace.text_documents:   # an open buffer wins over the disk
                self.recheck_dependents(path, force=True)

    async def configuration_changed(self, settings: Any) -> None:
        if get_capability(self.client_capabilities, "workspace.configuration", False):
            await self.load_configuration()
        elif settings is not None:
            self.settings.set_folder_settings(None, settings.get(SECTION, settings) if isinstance(settings, dict) else settings)
        self.settings.forget_files()
        self.recheck_all()

    def folders_changed(self) -> None:
        self.settings.folders = [p for p in (from_uri(u) for u in self.workspace.folders) if p]
        self.settings.forget_files()
        self.recheck_all()

    # --- answers ---------------------------------------------------------------------------------

    async def pull_diagnostics(self, uri: str, previous_result_id: str | None) -> types.DocumentDiagnosticReport:
        analysed = await self.scheduler.current(uri) if uri in self.workspace.text_documents else None
        if analysed is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if previous_result_id is not None and previous_result_id == analysed.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=analysed.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=analysed.diagnostics, result_id=analysed.result_id)

    async def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        found = self._locate(await self.scheduler.for_hover(uri), uri, position)
        if found is None:
            return None
        analysed, lines, text, line, col = found
        info = await self._ask("describe", analysed.handle, line, col)
        if info is None:
            return None
        where, markdown = info
        start, end = lines.to_new(where.start_line), lines.to_new(where.end_line)
        if start is None or end is None:
            return None
        r = TextRange(start, where.start_col, end, where.end_col)
        return to_lsp_hover(markdown, r, text, self.markdown)

    async def show_graph(self, args: list[Any]) -> str | None:
        """``pyjit.showGraph``: arguments ``[uri, position]``, ``[{"uri", "position"}]``,
        ``[uri, qualified_name]`` or ``[qualified_name]``."""
        uri, position, name = _graph_arguments(args)
        if uri is not None:
            if uri in self.workspace.text_documents:
                await self.scheduler.current(uri)
            if position is not None:
                found = self._locate(self.scheduler.latest.get(uri), uri, position)
                return await self._ask("graph", found[0].handle, found[3]) if found is not None else None
            candidates = [self.scheduler.latest[uri]] if uri in self.scheduler.latest else []
        else:
            candidates = list(self.scheduler.latest.values())
        for analysed in candidates:
            if analysed.handle is not None and (text := await self._ask("graph", analysed.handle, None, name)):
                return text
        return None

    # --- internals --------------------------------------------------------------------------------

    def _locate(self, analysed: Analysed | None, uri: str,
                position: types.Position) -> tuple[Analysed, LineMap, Text, int, int] | None:
        """``analysed`` (of ``uri``) and the client position in its coordinates."""
        if analysed is None or analysed.handle is None or uri not in self.workspace.text_documents:
            return None
        text = self._current_text(uri)
        line, col = from_lsp_position(position, text)
        lines = LineMap(analysed.lines, text.lines)
        old = lines.to_old(line)
        return (analysed, lines, text, old, col) if old is not None else None

    def _current_text(self, uri: str) -> Text:
        doc = self.workspace.get_text_document(uri)
        cached = self._texts.get(uri)
        if cached is None or cached[0] != doc.version:
            cached = (doc.version, Text.of(doc.source, self.workspace.position_codec))
            self._texts[uri] = cached
        return cached[1]

    def _version_of(self, uri: str) -> int | None:
        doc = self.workspace.text_documents.get(uri)
        return None if doc is None else (doc.version if doc.version is not None else 0)

    def _is_python(self, uri: str) -> bool:
        doc = self.workspace.text_documents.get(uri)
        return doc is not None and (doc.language_id == "python" or (doc.path or "").endswith((".py", ".pyi")))

    def _snapshot(self, uri: str) -> Snapshot[Job] | None:
        if not self._is_python(uri):
            return None
        doc = self.workspace.text_documents[uri]
        path = doc.path or uri
        config = self.settings.config_for(path)
        previous = self.scheduler.latest.get(uri)
        overlays = tuple((d.path, d.source) for u, d in self.workspace.text_documents.items()
                         if u != uri and d.path and d.path.endswith(".py"))
        relevant = [(p, hash(t)) for p, t in overlays if previous is None or p in previous.deps]
        work = WorkerJob(next(self._handles), path, doc.source, config, overlays,
                         previous.has_roots if previous is not None else False,
                         previous.handle if previous is not None and previous.path == path else None)
        job = Job(uri, self._version_of(uri), self.workspace.position_codec, work)
        return Snapshot(job.version, fingerprint(hash(doc.source), len(doc.source), config, relevant), job)

    async def _ask(self, method: str, *args: Any) -> Any:
        """A question to the worker; None when it cannot answer (it restarted, or failed: logged)."""
        try:
            return await self.worker.ask(method, *args)
        except Exception as e:  # noqa: BLE001
            logger.warning("the analysis worker could not answer %s: %s", method, e)
            return None

    def _analyse(self, job: Job) -> Analysed:
        """One analysis (blocking: in the scheduler's thread), converted for the client."""
        work = job.work
        text = Text.of(work.text, job.codec)
        try:
            result: WorkerResult = self._call("analyse", work, what=f"analysing {os.path.basename(work.path)}")
        except Exception as e:  # noqa: BLE001 - the worker crashed, failed or was stopped: keep serving
            logger.error("the analysis of %s failed: %s", work.path, e)
            return Analysed(job.uri, work.path, job.version, text, None, [], frozenset(), "", "", work.had_roots)
        overlay_texts = dict(work.overlays)

        def other(path: str) -> Text | None:
            if path in overlay_texts:
                return Text.of(overlay_texts[path], job.codec)
            return disk_text(job.codec)(path)

        diagnostics = [to_lsp_diagnostic(d, text, other=other) for d in result.diagnostics]
        result_id = fingerprint(*(_diagnostic_key(d) for d in diagnostics))
        return Analysed(job.uri, work.path, job.version, text, result.handle, diagnostics, result.deps,
                        fingerprint(hash(work.text), len(work.text), work.config,
                                    [(p, hash(t)) for p, t in work.overlays if p in result.deps]),
                        result_id, result.has_roots, result.seconds)

    def _call(self, method: str, *args: Any, what: str) -> Any:
        """``worker.call`` with the time limit: past it, the worker is stopped
        (and replaced at the next request) and the user is told what was stopped."""
        try:
            return self.worker.call(method, *args, timeout=ANALYSIS_TIMEOUT_SECONDS)
        except FutureTimeout:
            self.worker.kill()
            message = (f"pyjit stopped {what}: it took longer than {ANALYSIS_TIMEOUT_SECONDS:g} s "
                       "(PYJIT_LSP_ANALYSIS_TIMEOUT_S). It is tried again at the next change.")
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self.warn, message)
            raise WorkerGone(message) from None

    def _warm(self, analysed: Analysed) -> None:
        """Build the hover index of an analysis (blocking: in the scheduler's thread)."""
        if analysed.handle is None:
            return
        try:
            seconds = self._call("warm", analysed.handle,
                                 what=f"indexing {os.path.basename(analysed.path)} for hovers")
        except Exception as e:  # noqa: BLE001
            logger.warning("the analysis worker could not index %s: %s", os.path.basename(analysed.path), e)
            return
        if seconds is not None:
            logger.info("indexed %s (version %s) for hovers in %.0f ms", os.path.basename(analysed.path),
                        analysed.version, seconds * 1000)

    def _collect(self) -> None:
        try:
            self.worker.call("collect")
        except Exception as e:  # noqa: BLE001 - WorkerGone, WorkerFailed
            logger.warning("the analysis worker could not collect garbage: %s", e)

    def _release(self, analysed: Analysed, live: list[Analysed]) -> None:
        self.worker.tell("release", analysed.handle, [a.handle for a in live if a.handle is not None])

    def _analysed(self, new: Analysed, previous: Analysed | None) -> None:
        if new is not previous and (previous is None or new.handle != previous.handle):
            logger.info("checked %s (version %s) in %.0f ms: %d diagnostics", os.path.basename(new.path),
                        new.version, new.seconds * 1000, len(new.diagnostics))
        same = previous is not None and previous.result_id == new.result_id
        if self.pull:
            if self.refresh and same is False and previous is not None and previous.version == new.version:
                self.workspace_diagnostic_refresh(None)
            return
        if same and previous is not None and previous.version == new.version:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=new.uri, version=new.version, diagnostics=new.diagnostics))


def _diagnostic_key(d: types.Diagnostic) -> tuple:
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
            d.code, d.message, d.severity, repr(d.data), repr(d.related_information))


def _graph_arguments(args: list[Any]) -> tuple[str | None, types.Position | None, str | None]:
    if len(args) == 1 and isinstance(args[0], dict):
        args = [args[0].get("uri"), args[0].get("position") or args[0].get("qualifiedName")]
    if len(args) == 1 and isinstance(args[0], str):
        return None, None, args[0]
    if len(args) == 2 and isinstance(args[0], str):
        second = args[1]
        if isinstance(second, dict) and "line" in second:
            return args[0], types.Position(line=int(second["line"]), character=int(second.get("character", 0))), None
        if isinstance(second, types.Position):
            return args[0], second, None
        if isinstance(second, str):
            return args[0], None, second
    raise ValueError("pyjit.showGraph takes [uri, position], [uri, qualifiedName] or [qualifiedName]")
