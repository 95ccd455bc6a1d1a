"""The pyjit language server: the editor's side of the scheduler, and the work behind each feature.

Handlers in :mod:`.features` stay short by calling the methods here. The
analyses run in the analysis worker process (:mod:`pyjit_server.worker`),
started before pygls is imported so that it loads them on the other core
meanwhile; the :class:`~pyjit_server.scheduling.scheduler.Scheduler`
decides when, and this module converts what comes back for the client.
Neither process imports or runs user code: the frontend reads sources with ``ast``.

What the server keeps of a result, besides the result itself (which the
scheduler holds): its *view* for this client -- the analysed text split into
lines, for positions, and its diagnostics in LSP form -- for as long as the
scheduler holds the result (see :meth:`PyjitServer._prune_views`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from pyjit_core.diagnostics import Diagnostic, TextRange

from .. import __version__
from ..scheduling.scheduler import Scheduler
from ..scheduling.versions import LineMap
from ..worker.client import WorkerClient, shared_worker
from ..worker.messages import EarlyDiagnostics, Job, Result
from .configuration import EditorConfiguration, apply_log_level
from .convert import (
    SOURCE,
    Text,
    disk_text,
    from_lsp_position,
    from_lsp_range,
    from_uri,
    graph_problem,
    to_lsp_code_actions,
    to_lsp_diagnostic,
    to_lsp_fix_actions,
    to_lsp_hover,
    to_lsp_range,
)
from .documents import use_lsp_lines
from .lifecycle import PyjitProtocol
from .progress import LongAnalyses

logger = logging.getLogger(__name__)

#: LSP's RequestFailed: the request was valid, the answer is that it could not be done (and why).


@dataclass(frozen=True)
class View:
    """A result as this client sees it."""

    text: Text                           # the analysed text, split, with the session's codec
    diagnostics: list[types.Diagnostic]  # as published (LSP units of ``text``)
    result_id: str                       # for pull diagnostics: equal ids, equal diagnostics


class PyjitServer(LanguageServer):
    def __init__(self, worker: WorkerClient | None = None) -> None:
        super().__init__("pyjit", __version__, protocol_cls=PyjitProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.worker = worker or shared_worker()
        self.configuration = EditorConfiguration()
        self.ready = asyncio.Event()  # settings loaded: analyses may start
        self.scheduler = Scheduler(self.worker, self, ready=self.ready)
        self.long_analyses = LongAnalyses(self)
        self.pull = False            # pull diagnostics (textDocument/diagnostic) instead of pushing
        self.refresh = False         # client accepts workspace/diagnostic/refresh
        self.markdown = True
        self._loop: asyncio.AbstractEventLoop | None = None
        self._views: dict[int, View] = {}
        self._published: dict[str, tuple[int | None, str]] = {}   # uri -> (version, result id) last offered
        self._texts: dict[str, tuple[int | None, str, Text]] = {}  # uri -> its current text, split
        self._shown_messages: set[str] = set()
        self._held_messages: list[str] = []                       # until the client is initialized
        # Pulling: a document's cached diagnostics (version, view) until its analysis' result comes,
        # and the pulls waiting for them.
        self._early_views: dict[str, tuple[int | None, View]] = {}
        self._early_waiters: list[asyncio.Future[None]] = []
        #: Cached diagnostics already published before pygls was up (``Handshake.shown``).
        self.shown_ahead: dict[str, EarlyDiagnostics] = {}
        self.worker.on_notice = self._from_worker(self.warn_once)
        self.worker.on_lost = self._from_worker(self._worker_lost)
        self.worker.on_early = self._from_worker(self._show_early)

    # --- lifecycle ---------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        self._loop = asyncio.get_running_loop()
        use_lsp_lines(self.workspace)
        caps = params.capabilities
        self.worker.configure(self.configuration.initialize(self.protocol._converter.unstructure(params)))
        self.pull = get_capability(caps, "text_document.diagnostic") is not None and bool(
            get_capability(caps, "workspace.diagnostics.refresh_support", False))
        self.refresh = self.pull
        formats = get_capability(caps, "text_document.hover.content_format", None)
        self.markdown = formats is None or types.MarkupKind.Markdown in formats
        self.long_analyses.enabled = bool(get_capability(caps, "window.work_done_progress", False))
        apply_log_level(self.configuration.log_level)

    async def initialized(self) -> None:
        try:
            await self.load_configuration()
        finally:
            self.ready.set()
            for message in self._held_messages:
                self.warn(message)
            self._held_messages.clear()
            for early in list(self.worker.early.values()):
                self._show_early(early)
        await self.watch_files()

    async def load_configuration(self) -> None:
        if not get_capability(self.client_capabilities, "workspace.configuration", False):
            return
        folders = list(self.workspace.folders.values())
        items = [types.ConfigurationItem(section="pyjit")] + [
            types.ConfigurationItem(scope_uri=f.uri, section="pyjit") for f in folders]
        try:
            answers = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(items=items)), timeout=10)
        except Exception as e:
            logger.warning("workspace/configuration failed: %s", e)
            return
        answers = list(answers or [])
        scoped = [(path, answer) for f, answer in zip(folders, answers[1:], strict=False) if (path := from_uri(f.uri))]
        self.worker.configure(self.configuration.answered(answers[0] if answers else None, scoped))
        apply_log_level(self.configuration.log_level)

    async def watch_files(self) -> None:
        dynamic = "workspace.did_change_watched_files.dynamic_registration"
        if not get_capability(self.client_capabilities, dynamic, False):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=g) for g in ("**/*.py", "**/pyproject.toml")]
        registration = types.Registration(
            id="pyjit-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as e:
            logger.info("client refused file watching: %s", e)

    def stop_analyses(self) -> None:
        self.scheduler.shutdown()
        self.worker.stop()

    def warn(self, message: str) -> None:
        logger.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def warn_once(self, message: str) -> None:
        """A settings problem: shown once, however often the worker finds it."""
        if message in self._shown_messages:
            return
        self._shown_messages.add(message)
        if self.ready.is_set():
            self.warn(message)
        else:
            self._held_messages.append(message)

    def _from_worker(self, handler: Any) -> Any:
        """``handler`` on the event loop, called from the worker client's reading thread."""
        def call(*args: Any) -> None:
            loop = self._loop
            if loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(handler, *args)
        return call

    def _worker_lost(self, message: str | None, suspect: tuple[str, int | None] | None) -> None:
        if message is not None:
            self.warn(message)
        self.scheduler.worker_lost(suspect)

    # --- document events -----------------------------------------------------------------------

    def opened(self, uri: str) -> None:
        self.scheduler.request(uri)
        early = self.worker.early.get(uri)
        if early is not None:
            self._show_early(early)

    def changed(self, uri: str) -> None:
        self.scheduler.changed(uri, from_uri(uri))

    def closed(self, uri: str) -> None:
        self.scheduler.forget(uri)
        self.worker.early.pop(uri, None)
        self._early_views.pop(uri, None)
        self._texts.pop(uri, None)
        self._published.pop(uri, None)
        self._prune_views()
        if not self.pull:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def files_changed(self, changes: Iterable[types.FileEvent]) -> None:
        paths = [p for p in (from_uri(c.uri) for c in changes) if p is not None]
        if not paths:
            return
        self.worker.files_changed(paths)
        if any(os.path.basename(p) == "pyproject.toml" for p in paths):
            self.scheduler.request_all()
            return
        open_paths = {d.path for d in self.workspace.text_documents.values()}
        for path in paths:
            if path not in open_paths:   # an open buffer wins over the disk
                self.scheduler.request_dependents(path)

    async def configuration_changed(self, settings: Any) -> None:
        if get_capability(self.client_capabilities, "workspace.configuration", False):
            await self.load_configuration()
        elif settings is not None:
            self.worker.configure(self.configuration.changed(settings))
            apply_log_level(self.configuration.log_level)
        self.scheduler.request_all()

    async def folders_changed(self) -> None:
        """New folders may have settings of their own: ask for them too."""
        paths = [p for p in (from_uri(f.uri) for f in self.workspace.folders.values()) if p]
        self.worker.configure(self.configuration.folders(paths))
        await self.load_configuration()
        self.scheduler.request_all()

    # --- the scheduler's editor (scheduling.backend.Editor) ----------------------------------------

    def document(self, uri: str) -> tuple[str, int | None, str] | None:
        doc = self.workspace.text_documents.get(uri)
        if doc is None or not _is_python(doc):
            return None
        return doc.path or uri, self.version_of(uri), doc.source

    def version_of(self, uri: str) -> int | None:
        doc = self.workspace.text_documents.get(uri)
        return None if doc is None else (doc.version if doc.version is not None else 0)

    def open_documents(self) -> list[str]:
        return [uri for uri, doc in self.workspace.text_documents.items() if _is_python(doc)]

    def buffers(self) -> dict[str, str]:
        return {doc.path: doc.source for doc in self.workspace.text_documents.values()
                if doc.path and doc.path.endswith(".py")}

    def analysis_started(self, job: Job) -> None:
        self.long_analyses.started(job)

    def analysis_ended(self, job: Job, result: Result | None, error: Exception | None) -> None:
        self.long_analyses.ended(job)
        if error is not None:
            logger.warning("no analysis of %s (version %s): %s", os.path.basename(job.path), job.version, error)
        elif result is not None and result.seconds:
            logger.info("checked %s (version %s) in %.0f ms: %d diagnostics", os.path.basename(job.path),
                        job.version, result.seconds * 1000, len(result.diagnostics))

    def show(self, job: Job, result: Result, previous: Result | None) -> None:
        """Publish a result for the document's current version (or, pulling, say it changed)."""
        view = self._views.get(result.handle)
        if view is None:
            view = self._views[result.handle] = self._view_of(job, result)
        self._prune_views()
        shown = (result.version, view.result_id)
        self._early_views.pop(result.uri, None)
        offered = self._published.get(result.uri)
        self._published[result.uri] = shown
        if self.pull:
            if self.refresh and offered is not None and offered[0] == shown[0] and offered[1] != shown[1]:
                self.workspace_diagnostic_refresh(None)
            return
        if offered != shown:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=result.uri, version=result.version, diagnostics=view.diagnostics))

    def _show_early(self, early: EarlyDiagnostics) -> None:
        """Publish a document's cached diagnostics ahead of its first analysis: once the settings
        are loaded, if nothing was shown for it yet, it is still at that version, and the
        editor's settings now give the settings and environment the lookup used (pulling:
        the answer to a pull that comes before the analysis ends). The analysis' result
        follows and is published (or refreshed) only if it differs."""
        if not self.ready.is_set():
            return   # kept: shown once the settings are loaded (initialized)
        if self.worker.early.get(early.uri) is early:
            del self.worker.early[early.uri]
        # Published by the handshake: taken as this server's own if they still hold, and
        # otherwise replaced by the analysis' result whatever it is (nothing marks it shown).
        shown_ahead = self.shown_ahead.get(early.uri) is early
        self.shown_ahead.pop(early.uri, None)
        doc = self.workspace.text_documents.get(early.uri)
        if early.uri in self._published or doc is None or self.version_of(early.uri) != early.version:
            return
        settings = self.worker.settings
        if settings is None or settings.resolver().context_for(early.path) != early.context:
            logger.debug("not shown: the cached diagnostics of %s (settings changed since)", early.path)
            return
        view = self._view(early.uri, early.version, doc.source, early.diagnostics)
        self._published[early.uri] = (early.version, view.result_id)
        if self.pull:   # the answer to the next pull, unless the analysis' comes first
            self._early_views[early.uri] = (early.version, view)
            for waiter in self._early_waiters:
                if not waiter.done():
                    waiter.set_result(None)
            self._early_waiters.clear()
            return
        if shown_ahead:
            return
        logger.info("showed the cached diagnostics of %s (version %s)", os.path.basename(early.path), early.version)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=early.uri, version=early.version, diagnostics=view.diagnostics))

    def _view_of(self, job: Job, result: Result) -> View:
        return self._view(job.uri, job.version, job.text, result.diagnostics)

    def _view(self, uri: str, version: int | None, source: str, found: Iterable[Diagnostic]) -> View:
        text = self._text_of(uri, version, source)
        other = disk_text(self.workspace.position_codec)
        diagnostics = [to_lsp_diagnostic(d, text, other=other) for d in found]
        digest = hashlib.blake2b(digest_size=16)
        for d in diagnostics:
            digest.update(json.dumps(self.protocol._converter.unstructure(d), sort_keys=True).encode())
        return View(text, diagnostics, digest.hexdigest())

    def _prune_views(self) -> None:
        """Views of results the scheduler no longer holds go (the cache is as big as that)."""
        live = {r.handle for r in [*self.scheduler.latest.values(), *self.scheduler.hoverable.values()]}
        for handle in [h for h in self._views if h not in live]:
            del self._views[handle]

    # --- answers ---------------------------------------------------------------------------------

    async def pull_diagnostics(self, uri: str, previous_result_id: str | None) -> types.DocumentDiagnosticReport:
        view = await self._pulled_view(uri) if uri in self.workspace.text_documents else None
        if view is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if previous_result_id is not None and previous_result_id == view.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=view.result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=view.diagnostics, result_id=view.result_id)

    async def _pulled_view(self, uri: str) -> View | None:
        """The view of the document's result for its current version, waiting for it -- or of
        its cached diagnostics for that version, if they come first (see :meth:`_show_early`)."""
        current = asyncio.ensure_future(self.scheduler.current(uri))
        try:
            while not current.done():
                early = self._early_views.get(uri)
                if early is not None and early[0] == self.version_of(uri):
                    return early[1]
                arrived = asyncio.get_running_loop().create_future()
                self._early_waiters.append(arrived)
                await asyncio.wait({current, arrived}, return_when=asyncio.FIRST_COMPLETED)
            result = current.result()
        finally:
            current.cancel()
        return self._views.get(result.handle) if result is not None else None

    async def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        found = self._locate(await self.scheduler.for_hover(uri), uri, position)
        if found is None:
            return None
        result, lines, text, line, col = found
        info = await self.worker.hover(result.handle, line, col)
        if info is None:
            return None
        where, markdown = info
        start, end = lines.to_new(where.start_line), lines.to_new(where.end_line)
        if start is None or end is None:
            return None
        return to_lsp_hover(markdown, TextRange(start, where.start_col, end, where.end_col), text, self.markdown)

    async def code_lenses(self, uri: str) -> list[types.CodeLens]:
        """Each root's verdict, "TorchScript ✓ · export ✗ (2)", at its line in the current text."""
        result = await self.scheduler.for_hover(uri)
        view = self._views.get(result.handle) if result is not None else None
        if result is None or view is None or uri not in self.workspace.text_documents:
            return []
        text = self._current_text(uri)
        lines = LineMap(view.text.lines, text.lines)
        lenses = []
        for where, title in await self.worker.code_lenses(result.handle):
            line = lines.to_new(where.start_line)
            if line is not None:
                r = to_lsp_range(TextRange(line, where.start_col, line, where.end_col), text)
                lenses.append(types.CodeLens(range=r, command=types.Command(title=title, command="")))
        return lenses

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        """The fixes of the pyjit diagnostics the client sends back: from their ``data``,
        or, when it sends none, as the worker finds them on the current result."""
        uri = params.text_document.uri
        actions: list[types.CodeAction] = []
        sent = params.context.diagnostics
        if not sent:
            # A client may send none at all (ALE, with the cursor on a word): those published there.
            latest = self.scheduler.latest.get(uri)
            view = self._views.get(latest.handle) if latest is not None else None
            sent = [d for d in (view.diagnostics if view is not None else []) if _touches(d.range, params.range)]
        current = self._current_view(uri)
        for d in sent:
            if d.source not in (SOURCE, None):   # ALE echoes the diagnostic without its source
                continue
            if isinstance(d.data, dict) and "fixes" in d.data and current is not None and _among(d, current):
                actions += to_lsp_code_actions(d)
            else:   # no data, or data made for an older text: its edits would land in the wrong place
                actions += await self._fixes_without_data(uri, d)
        return actions

    def _current_view(self, uri: str) -> View | None:
        """The view of ``uri``'s latest result, if that result is of the document's current version."""
        result = self.scheduler.latest.get(uri)
        if result is None or result.version != self.version_of(uri):
            return None
        return self._views.get(result.handle)

    async def _fixes_without_data(self, uri: str, d: types.Diagnostic) -> list[types.CodeAction]:
        result = self.scheduler.latest.get(uri)
        view = self._views.get(result.handle) if result is not None else None
        if result is None or view is None or result.version != self.version_of(uri):
            return []   # positions from an older text: offer nothing rather than a wrong edit
        fixes = await self.worker.code_actions(result.handle, from_lsp_range(d.range, view.text),
                                               [str(d.code)] if d.code is not None else None)
        return to_lsp_fix_actions(fixes, d, result.path, view.text, disk_text(self.workspace.position_codec))

    async def show_graph(self, args: list[Any]) -> str | None:
        """``pyjit.showGraph``: arguments ``[uri, position]``, ``[{"uri", "position"}]``,
        ``[uri, qualified_name]`` or ``[qualified_name]``. The graph's text; None where
        nothing is compiled; a RequestFailed error saying why a function does not compile."""
        try:
            uri, position, name = _graph_arguments(args)
        except (ValueError, TypeError) as e:
            raise JsonRpcInvalidParams(str(e)) from None
        if uri is None:
            # Every open document's, as the worker holds it (a replaced worker holds none yet).
            for open_uri in list(self.workspace.text_documents):
                await self.scheduler.current(open_uri, held=True)
            candidates = list(self.scheduler.latest.values())
        else:
            if uri in self.workspace.text_documents:
                await self.scheduler.current(uri, held=True)
            latest = self.scheduler.latest.get(uri)
            if position is not None:
                found = self._locate(latest, uri, position)
                return _graph_answer(await self.worker.graph(found[0].handle, found[3], None),
                                     found[0].path) if found else None
            candidates = [latest] if latest is not None else []
        failed = None
        for result in candidates:
            preview = await self.worker.graph(result.handle, None, name)
            if preview is not None and preview.text is not None:
                return preview.text
            if preview is not None and preview.qualified_name is not None and failed is None:
                failed = (preview, result.path)
        return _graph_answer(*failed) if failed is not None else None

    # --- internals --------------------------------------------------------------------------------

    def _locate(self, result: Result | None, uri: str,
                position: types.Position) -> tuple[Result, LineMap, Text, int, int] | None:
        """``result`` (of ``uri``) and the client position in its text's coordinates."""
        view = self._views.get(result.handle) if result is not None else None
        if result is None or view is None or uri not in self.workspace.text_documents:
            return None
        text = self._current_text(uri)
        line, col = from_lsp_position(position, text)
        lines = LineMap(view.text.lines, text.lines)
        old = lines.to_old(line)
        return (result, lines, text, old, col) if old is not None else None

    def _current_text(self, uri: str) -> Text:
        doc = self.workspace.get_text_document(uri)
        return self._text_of(uri, self.version_of(uri), doc.source)

    def _text_of(self, uri: str, version: int | None, source: str) -> Text:
        """``source``, split once per version (results and hovers of that version share it)."""
        cached = self._texts.get(uri)
        if cached is None or cached[0] != version or cached[1] is not source:
            cached = (version, source, Text.of(source, self.workspace.position_codec))
            if version == self.version_of(uri):
                self._texts[uri] = cached
        return cached[2]


def _is_python(doc: Any) -> bool:
    return doc.language_id == "python" or (doc.path or "").endswith((".py", ".pyi"))


def _graph_answer(preview: Any, path: str) -> str | None:
    """The graph's text; None where nothing is compiled (the client says so); for a function
    that does not compile, why, as comment lines where the graph would go."""
    if preview is None:
        return None
    if preview.text is not None:
        return preview.text
    if preview.qualified_name is None and not preview.diagnostics:
        return None
    return graph_problem(preview.problem or "no graph", preview.diagnostics, path)


def _graph_arguments(args: list[Any]) -> tuple[str | None, types.Position | None, str | None]:
    if len(args) == 1 and isinstance(args[0], dict):
        args = [args[0].get("uri"), args[0].get("position") or args[0].get("qualifiedName")]
    if len(args) == 1 and isinstance(args[0], str):
        return None, None, args[0]
    if len(args) == 2 and isinstance(args[0], str):
        second = args[1]
        if isinstance(second, dict) and "line" in second:
            line, character = int(second["line"]), int(second.get("character", 0))
            if not (0 <= line < 2**31 and 0 <= character < 2**31):
                raise ValueError("a position's line and character are between 0 and 2**31 - 1")
            return args[0], types.Position(line=line, character=character), None
        if isinstance(second, types.Position):
            return args[0], second, None
        if isinstance(second, str):
            return args[0], None, second
    raise ValueError("pyjit.showGraph takes [uri, position], [uri, qualifiedName] or [qualifiedName]")


def _among(d: types.Diagnostic, view: View) -> bool:
    """``d`` is one of ``view``'s, fixes included (the same finding on a line that changed
    since has the same range, and fixes at the line's old end)."""
    return any(v.range == d.range and v.code == d.code and v.message == d.message and v.data == d.data
               for v in view.diagnostics)


def _touches(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
