"""The scheduler between an editor and a backend made for the test: versions, memory, lost workers.

No process and no clock here: the backend's analyses wait on gates the test
opens, and every wait is on an event with a generous deadline.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pyjit_server.scheduling.scheduler import COLLECT_AFTER, Scheduler
from pyjit_server.worker.client import WorkerGone
from pyjit_server.worker.messages import AnalysisKey, Job, Result

DEADLINE = 60.0


@dataclass
class Backend:
    """Analyses that finish when the test says so (``gate``), and a record of everything asked."""

    gate: threading.Event = field(default_factory=threading.Event)
    jobs: list[Job] = field(default_factory=list)
    live: set[int] = field(default_factory=set)
    released: list[int] = field(default_factory=list)
    collections: int = 0
    calls: list[str] = field(default_factory=list)   # analyse / index / collect, in order
    recycled: int = 0
    over_ceiling: bool = False
    fail_with: Exception | None = None

    def __post_init__(self) -> None:
        self.gate.set()

    def analyse(self, job: Job, buffers: dict[str, str]) -> Result:
        self.jobs.append(job)
        self.calls.append("analyse")
        assert self.gate.wait(DEADLINE)
        if self.fail_with is not None:
            raise self.fail_with
        self.live.add(job.handle)
        return Result(job.handle, job.uri, job.path, job.version, AnalysisKey(job.path, (0, 0), None, ()),
                      (), frozenset(), True, 0.01)

    def index(self, handle: int) -> float | None:
        self.calls.append("index")
        return 0.0 if handle in self.live else None

    def collect(self) -> None:
        self.collections += 1
        self.calls.append("collect")

    def release(self, handles: list[int]) -> None:
        self.released += handles
        self.live.difference_update(handles)

    def holds(self, handle: int | None) -> bool:
        return handle in self.live

    def wants_recycling(self, result: Result) -> bool:
        return self.over_ceiling

    def recycle(self) -> None:
        self.recycled += 1
        self.over_ceiling = False
        self.live.clear()


@dataclass
class Editor:
    versions: dict[str, int] = field(default_factory=dict)
    shown: list[Result] = field(default_factory=list)
    ended: list[tuple[Job, Exception | None]] = field(default_factory=list)
    shown_event: asyncio.Event = field(default_factory=asyncio.Event)
    on_show: Callable[[], None] | None = None      # what the editor does as a result is shown

    def document(self, uri: str) -> tuple[str, int | None, str] | None:
        return (uri.removeprefix("file://"), self.versions[uri], f"text {self.versions[uri]}") \
            if uri in self.versions else None

    def version_of(self, uri: str) -> int | None:
        return self.versions.get(uri)

    def open_documents(self) -> list[str]:
        return list(self.versions)

    def buffers(self) -> dict[str, str]:
        return {}

    def analysis_started(self, job: Job) -> None:
        pass

    def analysis_ended(self, job: Job, result: Result | None, error: Exception | None) -> None:
        self.ended.append((job, error))

    def show(self, job: Job, result: Result, previous: Result | None) -> None:
        self.shown.append(result)
        self.shown_event.set()
        if self.on_show is not None:
            self.on_show()


async def settle(scheduler: Scheduler) -> None:
    """Wait until no request is pending."""
    async def idle() -> None:
        while scheduler._pending:
            await asyncio.sleep(0.01)
    await asyncio.wait_for(idle(), DEADLINE)


def make(backend: Backend | None = None, *, settle: float = 0) -> tuple[Scheduler, Backend, Editor]:
    backend = backend or Backend()
    editor = Editor()
    ready = asyncio.Event()
    ready.set()
    return (Scheduler(backend, editor, ready=ready, idle=3600, debounce=0, settle=settle, collect_settle=0),
            backend, editor)


URI, OTHER = "file:///w/a.py", "file:///w/b.py"


async def test_a_result_dropped_because_the_version_moved_on_is_released_and_collected() -> None:
    scheduler, backend, editor = make()
    editor.versions[URI] = 1
    backend.gate.clear()
    scheduler.request(URI)
    await asyncio.wait_for(_until(lambda: backend.jobs), DEADLINE)     # the worker analyses version 1
    editor.versions[URI] = 2
    scheduler.request(URI)                                             # does not cancel what the worker does
    backend.gate.set()
    await settle(scheduler)
    first, second = backend.jobs
    assert [r.version for r in editor.shown] == [2]
    assert first.handle in backend.released
    assert backend.live == {second.handle}
    # collected after the result was shown (and indexed), not before it
    await asyncio.wait_for(_until(lambda: backend.collections >= 1), DEADLINE)


async def test_while_the_user_types_no_housekeeping_comes_between_a_change_and_its_diagnostics() -> None:
    scheduler, backend, editor = make(settle=3600)            # the document never settles
    asked_between: list[list[str]] = []                       # what the backend did from each change to its result
    for version in range(1, 3 * COLLECT_AFTER + 1):
        editor.versions[URI] = version
        before = len(backend.calls)
        editor.on_show = lambda before=before: asked_between.append(backend.calls[before:])
        scheduler.changed(URI, None)
        await asyncio.wait_for(_until(lambda shown=version: len(editor.shown) == shown), DEADLINE)
        if version % COLLECT_AFTER == 0:   # as many results' garbage: collected after the result, before the next key
            await asyncio.wait_for(_until(lambda n=version // COLLECT_AFTER: backend.collections == n), DEADLINE)
        await asyncio.sleep(0.05)                             # the next key, a little later
    assert asked_between == [["analyse"]] * 3 * COLLECT_AFTER
    assert "index" not in backend.calls
    assert backend.collections == 3
    assert await scheduler.for_hover(URI) is scheduler.latest[URI]   # a hover builds the index itself
    assert backend.calls[-1] == "index"


async def test_a_change_after_a_pause_is_analysed_at_once_and_a_burst_once() -> None:
    now = [0.0]
    backend, editor, ready = Backend(), Editor(), asyncio.Event()
    ready.set()
    scheduler = Scheduler(backend, editor, ready=ready, idle=3600, debounce=3600, settle=3600, clock=lambda: now[0])
    editor.versions[URI] = 1
    scheduler.changed(URI, None)                              # after a pause: no debounce to sit out
    await asyncio.wait_for(_until(lambda: len(editor.shown) == 1), DEADLINE)
    for version in (2, 3, 4):                                 # a burst: each within the debounce of the last
        now[0] += 1.0
        editor.versions[URI] = version
        scheduler.changed(URI, None)
    await asyncio.sleep(0.05)
    assert len(backend.jobs) == 1                             # the burst waits out its debounce...
    assert URI in scheduler._pending
    now[0] += 3600.0                                          # ...until a change after a pause
    editor.versions[URI] = 5
    scheduler.changed(URI, None)
    await asyncio.wait_for(_until(lambda: len(editor.shown) == 2), DEADLINE)
    assert [j.version for j in backend.jobs] == [1, 5]        # the burst cost no analysis: the newest text had it
    scheduler.shutdown()


async def test_housekeeping_waits_for_a_change_typed_as_the_diagnostics_came() -> None:
    scheduler, backend, editor = make()
    editor.versions[URI] = 1

    def type_a_change() -> None:
        editor.versions[URI] = 2
        scheduler.request(URI)

    def as_shown() -> None:                       # a didChange read just after the publish
        editor.on_show = None
        loop = asyncio.get_running_loop()
        loop.call_soon(loop.call_soon, type_a_change)
    editor.on_show = as_shown
    scheduler.request(URI)
    await asyncio.wait_for(_until(lambda: len(editor.shown) == 2), DEADLINE)
    await settle(scheduler)
    await asyncio.wait_for(_until(lambda: "collect" in backend.calls), DEADLINE)
    assert backend.calls[:2] == ["analyse", "analyse"]       # no index, no collection in between
    assert [r.version for r in editor.shown] == [1, 2]
    assert scheduler.hoverable[URI].version == 2               # indexed once shown


async def test_typing_faster_than_analyses_finish_still_collects() -> None:
    scheduler, backend, editor = make()
    editor.versions[URI] = 0
    for version in range(1, 4 * COLLECT_AFTER + 1):
        backend.gate.clear()
        scheduler.request(URI)
        await asyncio.wait_for(_until(lambda v=version: len(backend.jobs) == v), DEADLINE)
        editor.versions[URI] = version + 1       # an edit while the worker analyses: every result is dropped
        backend.gate.set()
        await asyncio.wait_for(_until(lambda v=version: len(backend.released) == v), DEADLINE)
    assert backend.collections >= 3
    assert editor.shown == []
    assert backend.live == set()


async def test_results_held_stay_bounded_over_many_edits() -> None:
    scheduler, backend, editor = make()
    for version in range(1, 51):
        editor.versions[URI] = version
        editor.versions[OTHER] = version
        scheduler.request(URI)
        scheduler.request(OTHER)
        await settle(scheduler)
        await scheduler.for_hover(URI)
    assert len(backend.live) <= 3     # the latest of each, and the one hovers use
    assert len(backend.released) >= 97


async def test_a_lost_worker_keeps_what_was_shown_and_every_other_document_is_analysed_again() -> None:
    scheduler, backend, editor = make()
    editor.versions.update({URI: 1, OTHER: 1})
    scheduler.request(URI)
    scheduler.request(OTHER)
    await settle(scheduler)
    shown = dict(scheduler.latest)
    backend.live.clear()                                   # the worker died with its results
    assert await scheduler.for_hover(URI) is None          # nothing to hover meanwhile (null, not an error)
    scheduler.worker_lost(suspect=(URI, 1))                # it crashed while analysing a.py version 1
    await settle(scheduler)
    assert [j.uri for j in backend.jobs[2:]] == [OTHER]    # a.py is not analysed again at that version...
    assert scheduler.latest[URI] is shown[URI]             # ...and keeps what it showed
    assert (await scheduler.for_hover(OTHER)).handle == backend.jobs[2].handle
    editor.versions[URI] = 2
    scheduler.request(URI)                                 # ...until it changes
    await settle(scheduler)
    assert [j.uri for j in backend.jobs[2:]] == [OTHER, URI]
    assert scheduler.latest[URI].version == 2


async def test_an_analysis_that_fails_keeps_the_previous_result() -> None:
    scheduler, backend, editor = make()
    editor.versions[URI] = 1
    scheduler.request(URI)
    await settle(scheduler)
    backend.fail_with = WorkerGone("the analysis worker exited (code -9)", crashed=True)
    editor.versions[URI] = 2
    scheduler.request(URI)
    await settle(scheduler)
    assert [r.version for r in editor.shown] == [1]
    assert scheduler.latest[URI].version == 1
    assert isinstance(editor.ended[-1][1], WorkerGone)


async def test_past_its_memory_ceiling_the_worker_is_replaced_and_the_documents_analysed_again() -> None:
    scheduler, backend, editor = make()
    editor.versions.update({URI: 1, OTHER: 1})
    scheduler.request(URI)
    await settle(scheduler)
    backend.over_ceiling = True
    scheduler.request(OTHER)
    await settle(scheduler)
    assert backend.recycled == 1
    assert sorted(j.uri for j in backend.jobs[2:]) == [URI, OTHER]        # both analysed in the new worker
    assert {r.uri for r in scheduler.latest.values()} == {URI, OTHER}
    assert all(backend.holds(r.handle) for r in scheduler.latest.values())


async def test_after_a_replacement_questions_wait_for_the_result_the_new_worker_holds() -> None:
    scheduler, backend, editor = make()
    editor.versions[URI] = 1
    scheduler.request(URI)
    await settle(scheduler)
    old = scheduler.latest[URI]
    backend.gate.clear()                                   # the new worker's analysis waits
    backend.live.clear()
    scheduler.worker_lost()
    assert await scheduler.current(URI) is old             # the diagnostics shown are still right
    asked = asyncio.ensure_future(scheduler.current(URI, held=True))
    await asyncio.sleep(0)
    assert not asked.done()                                # the old worker's result answers no question
    backend.gate.set()
    found = await asyncio.wait_for(asked, DEADLINE)
    assert backend.holds(found.handle)

async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.005)

