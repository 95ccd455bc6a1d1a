"""The worker's state: one :class:`pyjit_core.session.Session`, and the results the server holds.

Results stay here under the *handle* the server gave each job; the server
asks for what it shows (diagnostics come back with each analysis; hovers,
graphs and code actions on request) and says when a result may go
(:meth:`Analyses.release`).

Identity: a result's :class:`.messages.AnalysisKey` says everything its answer
depends on. A job whose key equals its document's previous result's (saving,
refocusing, a setting that changes nothing, another buffer it does not read)
gets that result back without an analysis, and so does a job that matches
what was analysed ahead of the server at start-up.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pyjit_core.diagnostics import Diagnostic, Fix, TextRange
from pyjit_core.editor.graph_preview import GraphPreview
from pyjit_core.editor.presentation import Presentation
from pyjit_core.editor.unread_edits import LineShift, moved_diagnostics, unread_edit
from pyjit_core.result import CheckResult
from pyjit_core.result_cache import ResultCache
from pyjit_core.session import Session
from pyjit_core.settings import FileContext, SettingsResolver

from . import test_hooks
from .memory import Memory, resident_mb
from .messages import AnalysisKey, EarlyDiagnostics, EditorSettings, Job, Result

if TYPE_CHECKING:
    from pyjit_core.editor.hover import HoverIndex

logger = logging.getLogger("pyjit_server.worker")

#: Results made ahead of the server that it has not asked for yet (one per file).
AHEAD_KEPT = 16

#: Seconds an analysis spends on one file's roots when the `analysis-budget` setting is unset
#: (``PYJIT_LSP_ANALYSIS_BUDGET_S``; 0: no limit).
#: The first analysis of the largest files measured takes 0.4 s (functional.py, every function a
#: root) to 2.5 s (200,000 lines) on a quiet machine and up to ~6.5 s on a loaded one; past 10 s
#: the user is better served by what is known, and the worker is free again for hovers and
#: other files well before the lane's time limit (PYJIT_LSP_ANALYSIS_TIMEOUT_S) replaces it.
ANALYSIS_BUDGET_S = float(os.environ.get("PYJIT_LSP_ANALYSIS_BUDGET_S", "10"))

_LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}


@dataclass
class _Entry:
    analysis: CheckResult
    result: Result
    # An edit the analysis cannot see (spacing, comments): how the lines of the
    # analysis' text moved to the result's. Positions asked about go through it.
    shift: LineShift | None = None

    def to_analysis(self, line: int) -> int | None:
        return line if self.shift is None else self.shift.to_old(line)

    def to_result(self, r: TextRange) -> TextRange | None:
        if self.shift is None:
            return r
        start, end = self.shift.to_new(r.start_line), self.shift.to_new(r.end_line)
        return None if start is None or end is None else TextRange(start, r.start_col, end, r.end_col)


class Analyses:
    """The session, the results by handle, and the revision of every module read."""

    def __init__(self, notify: Callable[[str], None] = lambda message: None,
                 early: Callable[[EarlyDiagnostics], None] = lambda found: None) -> None:
        self._notify = notify                       # a settings problem, for the user (shown once)
        self._early = early                         # a document's cached diagnostics, ahead of its analysis
        self.session = Session(SettingsResolver(report=notify), presentation=Presentation.IN_FILE,
                               analysis_budget=ANALYSIS_BUDGET_S, result_cache=ResultCache.default())
        self._entries: dict[int, _Entry] = {}
        self._ahead: dict[str, int] = {}            # path -> handle analysed ahead of the server
        self._revisions: dict[str, int] = {}        # path -> revision of its buffer (or its file, once changed)
        # path -> its latest hover index, kept past its result's release: the next index starts from it
        self._indexed: dict[str, HoverIndex] = {}
        self._counter = itertools.count(1)
        self._warming: threading.Thread | None = None

    # --- settings and buffers (analysis lane) -----------------------------------------------------

    def warm_up(self) -> None:
        started = time.perf_counter()
        self.session.warm_up()
        Memory.start()   # what is loaded now lives as long as the process
        logger.debug("warmed up in %.0f ms", (time.perf_counter() - started) * 1000)

    def warm_up_meanwhile(self) -> None:
        """:meth:`warm_up` in a thread of its own. A first analysis looks for its cached
        diagnostics without waiting for it (on a second start they are sent ~100 ms sooner);
        the analysis itself waits (:meth:`_warmed`)."""
        def run() -> None:
            try:
                self.warm_up()
            except Exception:   # the analysis imports what it needs anyway, and says what fails
                logger.exception("worker: warm_up failed")
        self._warming = threading.Thread(target=run, name="pyjit-warm-up", daemon=True)
        self._warming.start()

    def _warmed(self) -> None:
        if self._warming is not None:
            self._warming.join()
            self._warming = None

    def configure(self, settings: EditorSettings) -> None:
        """What the editor said about settings (see :class:`.messages.EditorSettings`)."""
        resolver = settings.resolver(report=self._notify)
        self.session.settings = resolver
        logging.getLogger().setLevel(_LOG_LEVELS.get(resolver.editor.log_level, logging.INFO))

    def document(self, path: str, text: str | None) -> None:
        """An open buffer's text (None: closed, the file on disk counts again)."""
        path = os.path.abspath(path)
        known = self.session.documents.get(path)
        if text is None:
            self._indexed.pop(path, None)
            if known is not None:
                self.session.close_document(path)
                self._revised(path)
        elif known is not text and known != text:
            self.session.set_document(path, text)
            self._revised(path)

    def files_changed(self, paths: Iterable[str]) -> None:
        """Files changed on disk: what read them is stale, and so are ``pyproject.toml`` reads."""
        for path in paths:
            self._revised(os.path.abspath(path))
            if os.path.basename(path) == "pyproject.toml":
                self.session.settings.forget_files()

    def _revised(self, path: str) -> None:
        self._revisions[path] = next(self._counter)

    # --- analyses (analysis lane) -------------------------------------------------------------------

    def analyse(self, job: Job) -> Result:
        self.document(job.path, job.text)
        context = self.session.context_for(job.path)
        earlier = self._earlier_answer(job, context)
        if earlier is not None:
            return earlier
        early = self._cached(job, context) if job.previous is None else None
        self._warmed()
        test_hooks.before_analysis(job.text)
        previous = self._entries.get(job.previous) if job.previous is not None else None
        started = time.perf_counter()
        unseen = self._unseen_edit(job, context, previous) if previous is not None else None
        if unseen is not None:
            return unseen
        analysis = self.session.check(job.path, job.text,
                                      previous=previous.analysis if previous is not None else None)
        seconds = time.perf_counter() - started
        if early is not None and early != tuple(analysis.diagnostics):
            logger.warning("the cached diagnostics of %s differed from its analysis (%d cached, %d found)",
                           job.path, len(early), len(analysis.diagnostics))
        deps = frozenset(_loaded_paths(analysis.world)) - {os.path.abspath(job.path)}
        result = Result(job.handle, job.uri, job.path, job.version, self._key(job, context, deps),
                        tuple(analysis.diagnostics), deps, analysis.has_roots, seconds, resident_mb())
        self._entries[job.handle] = _Entry(analysis, result)
        if job.handle < 0:
            self._keep_ahead(job.path, job.handle)
        logger.debug("analysed %s (handle %d) in %.0f ms", job.path, job.handle, seconds * 1000)
        return result

    def _cached(self, job: Job, context: FileContext) -> tuple[Diagnostic, ...] | None:
        """A first analysis: its diagnostics from the result cache, sent at once, if it has them."""
        started = time.perf_counter()
        try:
            found = self.session.cached(job.path, job.text)
        except Exception:   # the analysis that follows says what is wrong, if anything is
            logger.debug("no cached diagnostics for %s", job.path, exc_info=True)
            return None
        if found is None:
            return None
        diagnostics = tuple(found)
        self._early(EarlyDiagnostics.of(job.handle, job.uri, job.path, job.version, diagnostics, context))
        logger.debug("sent the cached diagnostics of %s in %.0f ms", job.path, (time.perf_counter() - started) * 1000)
        return diagnostics

    def _earlier_answer(self, job: Job, context: FileContext) -> Result | None:
        """The document's previous result, or the one made ahead of the server, when
        its key is this job's: renamed to this job's version (and handle, if ahead)."""
        previous = self._entries.get(job.previous) if job.previous is not None else None
        if previous is not None and previous.analysis.analysis.unanalysed:
            return None   # the budget left roots out: analysing again goes further (see Session.check)
        if previous is not None and previous.result.key == self._key(job, context, previous.result.deps):
            return replace(previous.result, version=job.version, seconds=0.0, resident_mb=resident_mb())
        if job.handle < 0 or job.previous is not None:
            return None
        ahead = self._ahead.pop(job.path, None)
        entry = self._entries.get(ahead) if ahead is not None else None
        if ahead is None or entry is None or entry.result.key != self._key(job, context, entry.result.deps):
            if ahead is not None:
                self.release([ahead])
            return None
        del self._entries[ahead]
        entry.result = replace(entry.result, handle=job.handle, uri=job.uri, version=job.version)
        self._entries[job.handle] = entry
        logger.debug("took the analysis of %s made ahead", job.path)
        return entry.result

    def _unseen_edit(self, job: Job, context: FileContext, previous: _Entry) -> Result | None:
        """The previous analysis, its diagnostics moved, when the edit since changed
        nothing it reads (see :mod:`pyjit_core.editor.unread_edits`)."""
        started = time.perf_counter()
        analysis = previous.analysis
        if analysis.analysis.unanalysed:
            return None   # the budget left roots out: analysing again goes further
        if previous.result.key != replace(self._key(job, context, previous.result.deps), text=previous.result.key.text):
            return None   # settings, or another module it read, changed
        diagnostics: tuple[Diagnostic, ...] | None
        if job.text == analysis.source:   # undone: the analysis' own text again
            shift, diagnostics = None, tuple(analysis.diagnostics)
        else:
            shift = unread_edit(analysis.source, job.text, analysis.tree)
            diagnostics = moved_diagnostics(tuple(analysis.diagnostics), analysis.path, shift) \
                if shift is not None else None
        if diagnostics is None:
            return None
        seconds = time.perf_counter() - started
        result = replace(previous.result, handle=job.handle, uri=job.uri, version=job.version,
                         key=self._key(job, context, previous.result.deps), diagnostics=diagnostics,
                         seconds=seconds, resident_mb=resident_mb())
        self._entries[job.handle] = _Entry(analysis, result, shift)
        logger.debug("moved the analysis of %s (handle %d, an edit it does not read) in %.0f ms", job.path,
                     job.handle, seconds * 1000)
        return result

    def _keep_ahead(self, path: str, handle: int) -> None:
        replaced = self._ahead.pop(path, None)
        self._ahead[path] = handle
        if replaced is not None:
            self.release([replaced])
        while len(self._ahead) > AHEAD_KEPT:
            self.release([self._ahead.pop(next(iter(self._ahead)))])

    def _key(self, job: Job, context: FileContext, modules: Iterable[str]) -> AnalysisKey:
        return AnalysisKey(os.path.abspath(job.path), (len(job.text), hash(job.text)), context,
                           tuple(sorted((m, self._revisions.get(m, 0)) for m in modules)))

    def index(self, handle: int) -> float | None:
        """Build the hover index of a result ahead of its first hover; seconds it took."""
        entry = self._entries.get(handle)
        if entry is None:
            return None
        started = time.perf_counter()
        path = os.path.abspath(entry.result.path)
        index = entry.analysis.index_hovers(previous_index=self._indexed.get(path))
        self._indexed[path] = index
        logger.debug("indexed %s (handle %d) for hovers in %.0f ms, %d functions as indexed before",
                     entry.result.path, handle, (time.perf_counter() - started) * 1000, index.reused)
        return time.perf_counter() - started

    def release(self, handles: Iterable[int]) -> None:
        """The server shows these results no more."""
        for handle in handles:
            entry = self._entries.pop(handle, None)
            if entry is not None and not any(e.analysis is entry.analysis for e in self._entries.values()):
                self.session.release(entry.analysis)   # (an unseen edit's result shares its analysis)

    def collect(self) -> None:
        self._warmed()   # (the warm-up ends by starting the collector's regime: see Memory.start)
        Memory.collect_now()

    @property
    def handles(self) -> set[int]:
        return set(self._entries)

    # --- questions (query lane: answered at once, even mid-analysis) ---------------------------------

    def hover(self, handle: int, line: int, col: int) -> tuple[TextRange, str] | None:
        """The hover at a 0-based line and code-point column of the analysed text."""
        entry = self._entries.get(handle)
        there = entry.to_analysis(line) if entry is not None else None
        if entry is None or there is None:
            return None
        info = self.session.hover(entry.analysis, there, col)
        where = entry.to_result(info.range) if info is not None else None
        return None if info is None or where is None else (where, info.markdown)

    def graph(self, handle: int, line: int | None = None, name: str | None = None) -> GraphPreview | None:
        """The graph of the function around 0-based ``line``, or named ``name``, or why there is none."""
        entry = self._entries.get(handle)
        if entry is None:
            return None
        there = entry.to_analysis(line) if line is not None else None
        if line is not None and there is None:
            return None
        return self.session.graph(entry.analysis, line=there, name=name)

    def code_lenses(self, handle: int) -> list[tuple[TextRange, str]]:
        """Each root's export verdict on its `def`/`class` line (when PJ6 is selected)."""
        entry = self._entries.get(handle)
        lenses = self.session.code_lenses(entry.analysis) if entry is not None else []
        return [(lens.range, lens.title) for lens in lenses]

    def code_actions(self, handle: int, where: TextRange, codes: list[str] | None) -> list[Fix]:
        """The fixes of the shown diagnostics that touch ``where`` (and have one of ``codes``)."""
        entry = self._entries.get(handle)
        if entry is None:
            return []
        if entry.shift is not None:   # the moved diagnostics are the ones shown
            return Session.fixes_of(entry.result.diagnostics, where, codes)
        return self.session.code_actions(entry.analysis, where, codes)


def _loaded_paths(world: Any) -> list[str]:
    """Paths of the modules ``world`` read (the analysis' dependencies)."""
    modules = getattr(world, "_modules", {})  # PyWorld keeps no public list yet
    return [os.path.abspath(scope.source.path) for scope in modules.values() if scope is not None]
