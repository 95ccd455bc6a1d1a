"""The pyjit language server's state and the work behind each feature.

Handlers in :mod:`.features` stay short by calling the methods here; the
analysis itself is :func:`pyjit_core.engine.check_source`, run by the
:class:`.scheduler.Scheduler` in a worker thread. This module never imports
or runs user code: the frontend reads sources with ``ast``.

The analyses (:mod:`pyjit_core.engine` and the frontend behind it) are not
imported before the server starts: the worker thread loads them
(``engine.warm_up``) as ``initialize`` is answered, while the editor is still
starting up, so neither the answer nor the first analysis waits for them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Iterable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace.position_codec import PositionCodec

from pyjit_core.config import Config, resolve_torch_root
from pyjit_core.diagnostics import TextRange

from . import __version__
from .convert import (Text, disk_text, from_lsp_position, from_uri, to_lsp_diagnostic, to_lsp_hover)
from .documents import Analysed, LineMap, fingerprint
from .memory import Memory
from .scheduler import Scheduler, Snapshot
from .settings import SECTION, Settings

logger = logging.getLogger(__name__)

#: Wait after a change before analysing (a newer change restarts the wait).
DEBOUNCE_SECONDS = float(os.environ.get("PYJIT_LSP_DEBOUNCE_MS", "25")) / 1000
def _engine():
    """:mod:`pyjit_core.engine`, imported on first use (see the module docstring)."""
    from pyjit_core import engine

    return engine


def _warm_up() -> None:
    _engine().warm_up()


#: Resident memory past which a garbage collection walks everything (see memory.py).
MEMORY_BUDGET_MB = float(os.environ.get("PYJIT_LSP_MEMORY_MB", "512"))
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


@dataclass(frozen=True)
class Job:
    """Everything one analysis reads, taken on the event loop, used in the worker."""

    uri: str
    path: str
    version: int | None
    text: str
    config: Config
    overlays: tuple[tuple[str, str], ...]     # other open Python buffers: (path, text)
    had_roots: bool
    codec: PositionCodec
    # The document's last analysis: functions the edit did not touch keep their graphs.
    previous: Any = None


class PyjitServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pyjit", __version__, protocol_cls=PyjitProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings(warn=self.warn)
        self.memory = Memory(MEMORY_BUDGET_MB)
        self.ready = asyncio.Event()  # settings loaded: analyses may start
        self.scheduler: Scheduler[Job] = Scheduler(snapshot=self._snapshot, analyse=analyse, ready=self.ready,
                                                   version_of=self._version_of, done=self._analysed, warm=warm,
                                                   collect=self.memory.collect, release=self.memory.release)
        self.pull = False            # pull diagnostics (textDocument/diagnostic) instead of pushing
        self.refresh = False         # client accepts workspace/diagnostic/refresh
        self.markdown = True
        self._texts: dict[str, tuple[int | None, Text]] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        # The analyses load in the worker while the editor finishes starting up.
        self.scheduler.preload(_warm_up)
        caps = params.capabilities
        self.settings.folders = [p for p in (from_uri(f.uri) for f in params.workspace_folders or []) if p]
        if not self.settings.folders and params.root_uri and (root := from_uri(params.root_uri)):
            self.settings.folders = [root]
        self.settings.set_initialization_options(params.initialization_options)
        self.pull = get_capability(caps, "text_document.diagnostic") is not None and bool(
            get_capability(caps, "workspace.diagnostics.refresh_support", False))
        self.refresh = self.pull
        formats = get_capability(caps, "text_document.hover.content_format", None)
        self.markdown = formats is None or types.MarkupKind.Markdown in formats
        self.apply_log_level(self.settings.init.log_level)

    async def initialized(self) -> None:
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
        for chatty in ("pygls.feature_manager", "pygls.protocol"):
            logging.getLogger(chatty).setLevel(value if value <= logging.DEBUG else max(value, logging.WARNING))

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
        info = _engine().describe_at(analysed.result, line, col)
        if info is None:
            return None
        start, end = lines.to_new(info.range.start_line), lines.to_new(info.range.end_line)
        if start is None or end is None:
            return None
        r = TextRange(start, info.range.start_col, end, info.range.end_col)
        return to_lsp_hover(info.markdown, r, text, self.markdown)

    async def show_graph(self, args: list[Any]) -> str | None:
        """``pyjit.showGraph``: arguments ``[uri, position]``, ``[{"uri", "position"}]``,
        ``[uri, qualified_name]`` or ``[qualified_name]``."""
        uri, position, name = _graph_arguments(args)
        if uri is not None:
            if uri in self.workspace.text_documents:
                await self.scheduler.current(uri)
            if position is not None:
                found = self._locate(self.scheduler.latest.get(uri), uri, position)
                return _engine().graph_text(found[0].result, line=found[3]) if found is not None else None
            candidates = [self.scheduler.latest[uri]] if uri in self.scheduler.latest else []
        else:
            candidates = list(self.scheduler.latest.values())
        for analysed in candidates:
            engine = _engine()
            qualified = engine.resolve_function(analysed.result.analysis, name) if analysed.result is not None else None
            if qualified is not None and (text := engine.graph_text(analysed.result, qualified_name=qualified)):
                return text
        return None

    # --- internals --------------------------------------------------------------------------------

    def _locate(self, analysed: Analysed | None, uri: str,
                position: types.Position) -> tuple[Analysed, LineMap, Text, int, int] | None:
        """``analysed`` (of ``uri``) and the client position in its coordinates."""
        if analysed is None or analysed.result is None or uri not in self.workspace.text_documents:
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
        job = Job(uri, path, self._version_of(uri), doc.source, config, overlays,
                  previous.has_roots if previous is not None else False, self.workspace.position_codec,
                  previous.result if previous is not None and previous.path == path else None)
        return Snapshot(job.version, fingerprint(hash(doc.source), len(doc.source), config, relevant), job)

    def _analysed(self, new: Analysed, previous: Analysed | None) -> None:
        if new is not previous and (previous is None or new.result is not previous.result):
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


def analyse(job: Job) -> Analysed:
    """One analysis, in the worker thread: check, keep what the editor should
    see, convert for the client."""
    from pyjit_core.analysis import module_name_for
    from pyjit_core.frontend.pyworld import PyWorld
    from pyjit_core.frontend.source import SourceFile

    started = time.perf_counter()
    config = job.config
    world = PyWorld(config.search_paths, resolve_torch_root(config))
    for path, text in job.overlays:
        world.add_source(module_name_for(path, config.search_paths), SourceFile(path, text),
                         is_package=os.path.basename(path) == "__init__.py")
    text = Text.of(job.text, job.codec)
    try:
        result = _engine().check_source(job.text, job.path, config=config, world=world, previous=job.previous)
    except Exception:  # noqa: BLE001 - never crash the server on one file
        logger.exception("check_source failed on %s", job.path)
        return Analysed(job.uri, job.path, job.version, text, None, [], frozenset(), "", "", job.had_roots)
    seconds = time.perf_counter() - started
    parsed = not any(d.code == "PJ001" for d in result.analysis.diagnostics)
    has_roots = bool(result.analysis.roots) if parsed else job.had_roots
    # A syntax error is pyright's and ruff's to report, unless this file compiles something.
    shown = [d for d in result.diagnostics
             if d.path == job.path and (d.code != "PJ001" or has_roots or "torch.jit" in job.text)]
    overlay_texts = dict(job.overlays)

    def other(path: str) -> Text | None:
        if path in overlay_texts:
            return Text.of(overlay_texts[path], job.codec)
        return disk_text(job.codec)(path)

    diagnostics = [to_lsp_diagnostic(d, text, other=other) for d in shown]
    deps = frozenset(_loaded_paths(world)) - {job.path}
    result_id = fingerprint(*(_diagnostic_key(d) for d in diagnostics))
    return Analysed(job.uri, job.path, job.version, text, result, diagnostics, deps,
                    fingerprint(hash(job.text), len(job.text), config,
                                [(p, hash(t)) for p, t in job.overlays if p in deps]),
                    result_id, has_roots, seconds, world)


def warm(analysed: Analysed) -> None:
    """Build the hover index of an analysis (in the worker thread): the first
    ``describe_at`` on a result indexes the whole file."""
    if analysed.result is not None:
        started = time.perf_counter()
        _engine().describe_at(analysed.result, 0, 0)
        logger.info("indexed %s (version %s) for hovers in %.0f ms", os.path.basename(analysed.path),
                    analysed.version, (time.perf_counter() - started) * 1000)


def _diagnostic_key(d: types.Diagnostic) -> tuple:
    return (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
            d.code, d.message, d.severity, repr(d.data), repr(d.related_information))


def _loaded_paths(world: Any) -> list[str]:
    """Paths of the modules ``world`` read (the analysis' dependencies)."""
    modules = getattr(world, "_modules", {})  # PyWorld keeps no public list yet
    return [scope.source.path for scope in modules.values() if scope is not None]


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
