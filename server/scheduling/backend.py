"""The two sides the scheduler works between.

* :class:`AnalysisBackend` -- where analyses run and their results stay
  (:class:`pyjit_server.worker.client.WorkerClient`, the server's end of
  the worker process). Its blocking methods are called from the scheduler's
  one thread, one at a time, so the work reaches the worker in order.
* :class:`Editor` -- the open documents, and what becomes of results
  (:class:`pyjit_server.protocol.language_server.PyjitServer`). Called on
  the event loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ..worker.messages import Job, Result


class AnalysisBackend(Protocol):
    def analyse(self, job: Job, buffers: Mapping[str, str]) -> Result:
        """Run ``job``, the other open buffers (path -> text) as they are now.
        Raises :class:`pyjit_server.worker.client.WorkerGone` (its
        ``WorkerTimeout`` past the time limit) or ``WorkerFailed``."""

    def index(self, handle: int) -> float | None:
        """Build what hovers on result ``handle`` need; seconds it took."""

    def collect(self) -> None:
        """Free what released and dropped results left (a garbage collection)."""

    def release(self, handles: list[int]) -> None:
        """These results will not be asked about again (does not block)."""

    def holds(self, handle: int | None) -> bool:
        """Whether result ``handle`` can still be asked about (its worker is the running one)."""

    def wants_recycling(self, result: Result) -> bool:
        """Whether the worker should be replaced now, between analyses (its memory)."""

    def recycle(self) -> None:
        """Replace the worker: a new one, with the editor's settings, and no results."""


class Editor(Protocol):
    def document(self, uri: str) -> tuple[str, int | None, str] | None:
        """(path, version, text) of an open Python document; None when it is not one."""

    def version_of(self, uri: str) -> int | None:
        """The document's current version (None: closed)."""

    def open_documents(self) -> list[str]:
        """The URIs of the open Python documents."""

    def buffers(self) -> Mapping[str, str]:
        """The open Python buffers: path -> text (analyses read them instead of the disk)."""

    def analysis_started(self, job: Job) -> None: ...

    def analysis_ended(self, job: Job, result: Result | None, error: Exception | None) -> None:
        """After every analysis: its result, or why there is none."""

    def show(self, job: Job, result: Result, previous: Result | None) -> None:
        """A result for the document's current version, replacing ``previous``."""
