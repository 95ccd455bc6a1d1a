"""Analysis off the request path.

* ``request(uri, delay)`` debounces: a newer request for the same document
  cancels the older one while it waits, and while it queues for the worker.
* Analyses run one at a time in the analysis worker process (:mod:`.worker`),
  asked from one thread here. The snapshot of the document (its text,
  version, config and the other open buffers) is taken when the worker is
  free, so a queued request always analyses the newest text.
* A result is stored and published only if the document still has the
  version it was analysed at: results for an old version are never published.
  (An analysis already running is not interrupted -- the frontend has no
  cancellation points -- but its result is dropped.)
* An analysis whose fingerprint (text, config, other open buffers) equals the
  stored one is skipped: saving, re-focusing or re-checking a dependent
  whose callees did not change costs nothing.
* Hovers need a per-file index that is costly to build (it cannot be
  interrupted either), so it is built in the worker once the document has
  been still for ``idle`` seconds after its diagnostics went out, or at the
  first hover that finds none. Meanwhile hovers answer from the newest
  analysis that has one (``hoverable``), its positions carried across the edit.
* The worker collects garbage when asked (see :mod:`.memory`): right after
  a result is published, unless newer work already waits, and when the
  document goes idle. Analyses no longer held as ``latest`` or ``hoverable``
  are released (``release``), which frees most of them at once.

The analysis itself is a plain function ``Job -> Analysed`` given by the
server; it passes the document's previous analysis along, so an edit
re-lowers only the functions it touched.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from .documents import Analysed

logger = logging.getLogger(__name__)

J = TypeVar("J")


@dataclass(frozen=True)
class Snapshot(Generic[J]):
    version: int | None
    fingerprint: str
    job: J


class Scheduler(Generic[J]):
    def __init__(self, *, snapshot: Callable[[str], Snapshot[J] | None], analyse: Callable[[J], Analysed],
                 version_of: Callable[[str], int | None], done: Callable[[Analysed, Analysed | None], None],
                 ready: asyncio.Event, warm: Callable[[Analysed], None] = lambda analysed: None,
                 idle: float = 0.3, collect: Callable[[], None] = lambda: None,
                 release: Callable[[Analysed, list[Analysed]], None] = lambda analysed, live: None) -> None:
        self._ready = ready              # set once settings are known: nothing runs before
        self._warm = warm                # builds what hovers need (blocking: called in our thread)
        self._idle = idle
        self._collect = collect          # frees dropped analyses (gc.collect; blocking)
        self._release = release          # an analysis no longer in use (neither latest nor hoverable)
        self._dropped = 0                # analyses replaced since the last collection
        self._warming: dict[str, asyncio.Task[None]] = {}
        self._snapshot = snapshot        # uri -> what to analyse now (None: document closed)
        self._analyse = analyse          # blocking: called in our thread
        self._version_of = version_of    # uri -> the document's current version (None: closed)
        self._done = done                # (new, previous) on the event loop, for fresh results only
        # One thread waits on the worker process, so the work it is asked stays in order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyjit-analysis")
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._worker = asyncio.Lock()
        self._changed = asyncio.Condition()
        self.latest: dict[str, Analysed] = {}
        self.hoverable: dict[str, Analysed] = {}   # the newest analysis per document with its hover index

    def request(self, uri: str, delay: float = 0.0, *, force: bool = False) -> None:
        """Analyse ``uri`` after ``delay`` seconds unless asked again meanwhile."""
        self._stop_warming(uri)
        pending = self._pending.pop(uri, None)
        if pending is not None and not pending.done():
            pending.cancel()
        task = asyncio.get_running_loop().create_task(self._run(uri, delay, force))
        self._pending[uri] = task
        task.add_done_callback(lambda t, uri=uri: self._finished(uri, t))

    def forget(self, uri: str) -> None:
        """The document closed: drop its pending work and results."""
        self._stop_warming(uri)
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._let_go(self.latest.pop(uri, None), self.hoverable.pop(uri, None))
        asyncio.get_running_loop().create_task(self._notify())

    async def current(self, uri: str) -> Analysed | None:
        """The analysis of the document's current version, waiting for it if
        needed; None once the document is closed."""
        asked = False
        async with self._changed:
            while True:
                version = self._version_of(uri)
                found = self.latest.get(uri)
                if found is not None and found.version == version:
                    return found
                if uri not in self._pending:
                    if version is None or asked:   # closed, or asked and nothing came: give what there is
                        return found
                    self.request(uri)
                    asked = True
                await self._changed.wait()

    async def for_hover(self, uri: str) -> Analysed | None:
        """The newest analysis of ``uri`` that can answer hovers, building its
        index now (in the worker) if none can yet."""
        if uri in self.hoverable:
            return self.hoverable[uri]
        async with self._worker:
            latest = self.latest.get(uri)
            if latest is not None and self.hoverable.get(uri) is None:
                await asyncio.get_running_loop().run_in_executor(self._executor, self._warm, latest)
                self._set_hoverable(uri, latest)
        return self.hoverable.get(uri)

    def shutdown(self) -> None:
        for task in [*self._pending.values(), *self._warming.values()]:
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- internals ----------------------------------------------------------------------------

    async def _run(self, uri: str, delay: float, force: bool) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self._ready.wait()
        async with self._worker:
            snap = self._snapshot(uri)
            if snap is None:
                return
            previous = self.latest.get(uri)
            if not force and previous is not None and previous.fingerprint == snap.fingerprint:
                if previous.version != snap.version:   # same text, newer version number
                    renumbered = dataclasses.replace(previous, version=snap.version)
                    if self.hoverable.get(uri) is previous:
                        self._set_hoverable(uri, renumbered)
                    self._store(renumbered, previous)
                return
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._executor, self._analyse, snap.job)
        if self._version_of(uri) != snap.version:
            logger.debug("dropping the analysis of %s version %s (now %s)", uri, snap.version, self._version_of(uri))
            self._let_go(result)
            return
        self._store(result, previous)
        async with self._worker:
            if self._dropped and self._pending.get(uri) is asyncio.current_task():   # nothing newer waits
                self._dropped = 0
                await loop.run_in_executor(self._executor, self._collect)
        self._warming[uri] = loop.create_task(self._warm_when_idle(uri, result))

    async def _warm_when_idle(self, uri: str, result: Analysed) -> None:
        await asyncio.sleep(self._idle)
        loop = asyncio.get_running_loop()
        async with self._worker:
            if self.latest.get(uri) is not result or uri in self._pending:
                return
            if self.hoverable.get(uri) is not result:
                await loop.run_in_executor(self._executor, self._warm, result)
                self._set_hoverable(uri, result)
            if self._dropped and uri not in self._pending:
                self._dropped = 0
                await loop.run_in_executor(self._executor, self._collect)

    def _stop_warming(self, uri: str) -> None:
        task = self._warming.pop(uri, None)
        if task is not None:
            task.cancel()

    def _store(self, result: Analysed, previous: Analysed | None) -> None:
        if previous is None or previous.handle != result.handle:
            self._dropped += 1   # a replaced analysis, or the garbage a first one left
        replaced = self.latest.get(result.uri)
        self.latest[result.uri] = result
        try:
            self._done(result, previous)
        finally:
            self._let_go(replaced)
            asyncio.get_running_loop().create_task(self._notify())

    def _set_hoverable(self, uri: str, analysed: Analysed) -> None:
        replaced = self.hoverable.get(uri)
        self.hoverable[uri] = analysed
        self._let_go(replaced)

    def _let_go(self, *dropped: Analysed | None) -> None:
        """Release analyses that neither ``latest`` nor ``hoverable`` holds any more
        (a renumbered copy shares its result with the original)."""
        live = [*self.latest.values(), *self.hoverable.values()]
        in_use = {a.handle for a in live}
        for analysed in dropped:
            if analysed is not None and analysed.handle is not None and analysed.handle not in in_use:
                in_use.add(analysed.handle)
                self._release(analysed, live)

    def _finished(self, uri: str, task: asyncio.Task[None]) -> None:
        if self._pending.get(uri) is task:
            del self._pending[uri]
            asyncio.get_running_loop().create_task(self._notify())
        if not task.cancelled() and task.exception() is not None:
            logger.error("analysis of %s failed", uri, exc_info=task.exception())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()
