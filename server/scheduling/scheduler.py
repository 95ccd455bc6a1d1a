"""Analysis off the request path: what runs when.

* ``request(uri, delay)`` debounces: a newer request for the same document
  cancels the older one while it waits, and while it queues for the worker
  (not once the worker analyses for it: that result is dropped when it comes).
  A change after a still moment is analysed at once; only a change that
  follows the previous one within the debounce waits it out, so that a burst
  is analysed once. (Keys come 60-200 ms apart, so the wait coalesced nothing
  when typing, and was 25 ms of every edit's latency: issue 13.)
* Analyses run one at a time on the backend (the analysis worker), asked
  from one thread here. The job (the document's text and version) is taken
  when the worker is free, so a queued request always analyses the newest
  text; the other open buffers go with it, those the worker has not seen.
* A result is stored and shown only if the document still has the version
  it was analysed at: results for an old version are released at once.
  (An analysis already running is not interrupted -- the frontend has no
  cancellation points -- but its result is dropped.)
* Whether anything changed is the worker's to say (one identity: the
  result's key): a job whose answer would equal the previous one's gets
  that result back, renumbered, at no cost.
* Hovers need a per-file index. It is built in the worker right after the
  diagnostics went out, unless newer work waits (from the previous index it
  costs the functions the edit compiled again, a few ms; the first one of a
  file, ~0.2 s), or at the first hover that finds none. Meanwhile hovers
  answer from the newest analysis that has one (``hoverable``), its
  positions carried across the edit.
* Memory (see :mod:`pyjit_server.worker.memory`): the worker collects
  garbage after a result is shown and indexed, unless newer work already
  waits, when the document goes idle, and once :data:`COLLECT_AFTER`
  results were replaced or dropped uncollected: shortly after a result is
  shown (:data:`COLLECT_SETTLE_SECONDS`: the user keeps typing, so the
  document never settles), else before the next analysis (the next change
  came first, or typing is faster than analyses finish). Nothing of this
  runs between an edit and its diagnostics unless the edit came while it
  ran or before it. Results neither ``latest`` nor ``hoverable``
  are released. Past its memory ceiling the worker is replaced between two
  analyses, and the open documents are analysed again in the new one.
* A worker that dies or stops responding loses its results: the documents
  keep what was shown, every open document is analysed again in its
  replacement, and hovers wait for that. A document whose analysis was
  running when the worker crashed, or ran past its time limit, is analysed
  again only at its next change (or it would bring the next worker down too).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..worker.client import WorkerFailed, WorkerGone
from ..worker.messages import Job, Result
from .backend import AnalysisBackend, Editor

logger = logging.getLogger(__name__)

#: Wait after a change that came this soon after the previous one before analysing
#: (a newer change restarts the wait); a change after a longer pause is analysed at once.
DEBOUNCE_SECONDS = float(os.environ.get("PYJIT_LSP_DEBOUNCE_MS", "25")) / 1000

#: How long a document must stay unchanged after its result is shown before the
#: housekeeping (hover index, collection) takes the worker: typing sends the next
#: change within ~100-200 ms of a publish, and an index begun just before it would
#: sit between that change and its diagnostics (issue 13). A hover meanwhile
#: builds the index itself.
SETTLE_SECONDS = float(os.environ.get("PYJIT_LSP_SETTLE_MS", "150")) / 1000

#: How long after a result is shown a collection of :data:`COLLECT_AFTER` results' garbage
#: waits: after what an editor asks as diagnostics arrive (a hover, code actions, within
#: a few ms: a collection holds the worker's GIL, ~20-50 ms), before the next key
#: (~100 ms on): while the user types, the document never settles, and the collection
#: would otherwise come before the next change's analysis (issue 13).
COLLECT_SETTLE_SECONDS = float(os.environ.get("PYJIT_LSP_COLLECT_SETTLE_MS", "30")) / 1000

#: Results replaced or dropped, uncollected, before an analysis collects them first.
COLLECT_AFTER = 3

#: How long a hover on a result without its hover index waits for a running analysis
#: to let the worker build it (a long analysis must not hold hovers up: issue 11).
HOVER_WAIT_S = 0.5


class Scheduler:
    def __init__(self, backend: AnalysisBackend, editor: Editor, *, ready: asyncio.Event,
                 idle: float = 0.3, debounce: float = DEBOUNCE_SECONDS, settle: float = SETTLE_SECONDS,
                 collect_settle: float = COLLECT_SETTLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.backend = backend
        self.editor = editor
        self._ready = ready              # set once settings are known: nothing runs before
        self._idle = idle
        self._settle = settle
        self._collect_settle = collect_settle
        self._debounce = debounce
        self._clock = clock
        self._changed_at: dict[str, float] = {}   # uri -> when it last changed
        # One thread waits on the worker process, so the work it is asked stays in order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyjit-analysis")
        self._lane = asyncio.Lock()      # held while the worker is asked something
        self._changed = asyncio.Condition()
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._analysing: set[asyncio.Task[None]] = set()   # asked the worker: let them finish
        self._warming: dict[str, asyncio.Task[None]] = {}
        self._handles = 0
        self._closed = False
        self._dropped = 0                # results let go since the last collection
        self._suspects: dict[str, int | None] = {}   # uri -> version that brought the worker down
        self.latest: dict[str, Result] = {}
        self.hoverable: dict[str, Result] = {}      # the newest result per document with its hover index

    # --- requests ----------------------------------------------------------------------------------

    def request(self, uri: str, delay: float = 0.0) -> None:
        """Analyse ``uri`` after ``delay`` seconds unless asked again meanwhile."""
        if self._closed:
            return
        self._stop_warming(uri)
        self._cancel(self._pending.pop(uri, None))
        task = asyncio.get_running_loop().create_task(self._run(uri, delay))
        self._pending[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._finished(uri, t))

    def changed(self, uri: str, path: str | None) -> None:
        """The document was edited: analyse it (at once, unless it changed a moment ago:
        see the module docstring), then the open documents that read it."""
        now = self._clock()
        before = self._changed_at.get(uri)
        self._changed_at[uri] = now
        self.request(uri, self._debounce if before is not None and now - before < self._debounce else 0.0)
        if path is not None:
            self.request_dependents(path, exclude=uri)

    def request_dependents(self, path: str, *, exclude: str | None = None) -> None:
        """Analyse again the open documents whose last analysis read ``path``, after the
        document itself."""
        for uri, result in list(self.latest.items()):
            if uri != exclude and path in result.deps:
                self.request(uri, 2 * self._debounce)

    def request_all(self) -> None:
        for uri in self.editor.open_documents():
            self.request(uri)

    def forget(self, uri: str) -> None:
        """The document closed: drop its pending work and results."""
        self._stop_warming(uri)
        self._suspects.pop(uri, None)
        self._changed_at.pop(uri, None)
        self._cancel(self._pending.pop(uri, None))
        self._let_go(self.latest.pop(uri, None), self.hoverable.pop(uri, None))
        asyncio.get_running_loop().create_task(self._notify())

    def worker_lost(self, suspect: tuple[str, int | None] | None = None) -> None:
        """The worker ended unasked: its results are gone. Analyse every open document
        again in its replacement, keeping what was shown meanwhile -- but ``suspect``
        (uri, version), which was being analysed or indexed when it crashed or ran
        out of time, only once it changes."""
        if suspect is not None:
            self._suspects[suspect[0]] = suspect[1]
        self._worker_replaced()

    def shutdown(self) -> None:
        self._closed = True
        for task in [*self._pending.values(), *self._warming.values()]:
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- answers --------------------------------------------------------------------------------------

    async def current(self, uri: str, *, held: bool = False) -> Result | None:
        """The result for the document's current version, waiting for it if
        needed; else the newest there is (closed, or its analysis failed).
        ``held``: one the running worker holds, for questions about it (after a
        replacement, waiting for the document's analysis in the new worker)."""
        asked = False
        async with self._changed:
            while True:
                version = self.editor.version_of(uri)
                found = self.latest.get(uri)
                if (found is not None and found.version == version
                        and (not held or self.backend.holds(found.handle))):
                    return found
                if uri not in self._pending:
                    if version is None or asked:
                        return found
                    self.request(uri)
                    asked = True
                await self._changed.wait()

    async def for_hover(self, uri: str) -> Result | None:
        """The newest result of ``uri`` that can answer hovers, building its
        index now (in the worker) if none can yet; None while there is none, or
        when building it would wait more than :data:`HOVER_WAIT_S` for a running analysis."""
        found = self.hoverable.get(uri)
        if found is not None and self.backend.holds(found.handle):
            return found
        try:
            await asyncio.wait_for(self._lane.acquire(), HOVER_WAIT_S)
        except asyncio.TimeoutError:
            return None   # an analysis holds the worker: nothing now, rather than the answer after it
        try:
            latest = self.latest.get(uri)
            if (latest is not None and self.backend.holds(latest.handle) and self.hoverable.get(uri) is not latest
                    and await self._in_lane(self.backend.index, latest.handle) is not None):
                self._set_hoverable(uri, latest)
        finally:
            self._lane.release()
        found = self.hoverable.get(uri)
        return found if found is not None and self.backend.holds(found.handle) else None

    # --- internals ------------------------------------------------------------------------------------

    async def _run(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self._ready.wait()
        async with self._lane:
            if self._dropped >= COLLECT_AFTER:
                await self._collect()
            document = self.editor.document(uri)
            if document is None:
                return
            path, version, text = document
            if uri in self._suspects:
                if self._suspects[uri] == version:
                    return
                del self._suspects[uri]
            previous = self.latest.get(uri)
            self._handles += 1
            job = Job(self._handles, uri, path, version, text,
                      previous.handle if previous is not None and previous.path == path
                      and self.backend.holds(previous.handle) else None)
            result = await self._analyse(job)
            if result is None:
                return
            if self.editor.version_of(uri) != job.version:
                logger.debug("dropping the analysis of %s version %s (now %s)", uri, job.version,
                             self.editor.version_of(uri))
                self._let_go(result)
                return
            self._store(job, result, previous)
            if self.backend.wants_recycling(result):
                await self._in_lane(self.backend.recycle)
                self._worker_replaced()
                return
        self._warming[uri] = asyncio.get_running_loop().create_task(self._tidy_after(uri, result))

    async def _analyse(self, job: Job) -> Result | None:
        """(Holding the lane.) The job's result, or None when the worker could not give
        one (a lost worker is :meth:`worker_lost`'s business: the document keeps what it showed)."""
        self.editor.analysis_started(job)
        buffers = self.editor.buffers()
        error: Exception | None = None
        result = None
        task = asyncio.current_task()
        self._analysing.add(task)   # type: ignore[arg-type]
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                self._executor, self.backend.analyse, job, buffers)
        except (WorkerGone, WorkerFailed) as e:
            error = e
        finally:
            self._analysing.discard(task)
            self.editor.analysis_ended(job, result, error)
        return result

    async def _in_lane(self, call: Callable[..., Any], *args: Any) -> Any:
        """(Holding the lane.) ``call`` in the scheduler's thread; None when the worker failed."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)
        except (WorkerGone, WorkerFailed) as e:
            logger.warning("the analysis worker could not %s: %s", getattr(call, "__name__", call), e)
            return None

    async def _collect(self) -> None:
        self._dropped = 0
        await self._in_lane(self.backend.collect)

    async def _tidy_after(self, uri: str, result: Result) -> None:
        """After showing ``result`` and ``settle`` seconds without a change: its hover
        index and a collection, unless newer work waits; once the document is still
        for ``idle`` seconds more, a collection again. When :data:`COLLECT_AFTER`
        results wait to be collected, a collection comes first, ``collect_settle``
        seconds after the result was shown."""
        waited = 0.0
        if self._dropped >= COLLECT_AFTER:
            waited = min(self._collect_settle, self._settle)
            await asyncio.sleep(waited)
            async with self._lane:
                if self.latest.get(uri) is not result or self._waiting(uri):
                    return
                if self._dropped >= COLLECT_AFTER:
                    await self._collect()
        await asyncio.sleep(self._settle - waited)   # (0 still lets a change that came with the result go first)
        async with self._lane:
            if self.latest.get(uri) is not result or self._waiting(uri) or not self.backend.holds(result.handle):
                return
            if (self.hoverable.get(uri) is not result
                    and await self._in_lane(self.backend.index, result.handle) is not None):
                self._set_hoverable(uri, result)
            if self._dropped and not self._waiting(uri):
                await self._collect()
        await asyncio.sleep(self._idle)
        async with self._lane:
            if self._dropped and self.latest.get(uri) is result and not self._waiting(uri):
                await self._collect()

    def _waiting(self, uri: str) -> bool:
        """Whether a newer analysis of ``uri`` is asked for (and not the one just done)."""
        task = self._pending.get(uri)
        return task is not None and not task.done()

    def _worker_replaced(self) -> None:
        for task in self._warming.values():
            task.cancel()
        self._warming.clear()
        self.hoverable.clear()   # their indexes were in the old worker
        for uri in self.editor.open_documents():
            if self._suspects.get(uri, ...) != self.editor.version_of(uri):
                self.request(uri)

    def _cancel(self, task: asyncio.Task[None] | None) -> None:
        """Cancel a request -- unless the worker is analysing for it: the result
        would be lost in the worker, never released. It is dropped when it comes."""
        if task is not None and not task.done() and task not in self._analysing:
            task.cancel()

    def _stop_warming(self, uri: str) -> None:
        task = self._warming.pop(uri, None)
        if task is not None:
            task.cancel()

    def _store(self, job: Job, result: Result, previous: Result | None) -> None:
        replaced = self.latest.get(result.uri)
        if replaced is None:
            self._dropped += 1   # the garbage a first analysis leaves (a replaced one counts when released)
        self.latest[result.uri] = result
        try:
            self.editor.show(job, result, previous)
        finally:
            self._let_go(replaced)
            asyncio.get_running_loop().create_task(self._notify())

    def _set_hoverable(self, uri: str, result: Result) -> None:
        replaced = self.hoverable.get(uri)
        self.hoverable[uri] = result
        self._let_go(replaced)

    def _let_go(self, *dropped: Result | None) -> None:
        """Release results that neither ``latest`` nor ``hoverable`` holds any more
        (a renumbered result shares its handle with the original)."""
        in_use = {r.handle for r in [*self.latest.values(), *self.hoverable.values()]}
        released = []
        for result in dropped:
            if result is not None and result.handle not in in_use:
                in_use.add(result.handle)
                released.append(result.handle)
        if released:
            self._dropped += len(released)
            self.backend.release(released)

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._pending.get(uri) is task:
            del self._pending[uri]
            asyncio.get_running_loop().create_task(self._notify())
        if not task.cancelled() and task.exception() is not None:
            logger.error("analysis of %s failed", uri, exc_info=task.exception())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
