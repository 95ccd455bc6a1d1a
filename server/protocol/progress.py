"""``window/workDoneProgress`` for analyses that run long, for clients that show it.

An analysis that has run for :data:`AFTER_SECONDS` gets a progress token
(``window/workDoneProgress/create``), a ``begin`` naming the file, and an
``end`` when it finishes. Quicker ones show nothing: most analyses take
well under a second, and a progress bar that flashes is noise.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from lsprotocol import types

from ..worker.messages import Job

logger = logging.getLogger(__name__)

AFTER_SECONDS = 1.0


class LongAnalyses:
    def __init__(self, server: Any, after: float = AFTER_SECONDS) -> None:
        self._server = server
        self._after = after
        self.enabled = False          # the client supports window.workDoneProgress
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._shown: dict[int, tuple[str, asyncio.Task[None]]] = {}   # job handle -> (token, its task)
        self._begun: set[str] = set()

    def started(self, job: Job) -> None:
        if self.enabled:
            self._timers[job.handle] = asyncio.get_running_loop().call_later(self._after, self._show, job)

    def ended(self, job: Job) -> None:
        timer = self._timers.pop(job.handle, None)
        if timer is not None:
            timer.cancel()
        shown = self._shown.pop(job.handle, None)
        if shown is None:
            return
        token, task = shown
        progress = self._server.work_done_progress
        if token in self._begun:
            self._begun.discard(token)
            progress.end(token, types.WorkDoneProgressEnd(message="done"))
        else:
            task.cancel()
        progress.tokens.pop(token, None)   # pygls keeps every token otherwise

    def _show(self, job: Job) -> None:
        self._timers.pop(job.handle, None)
        token = f"pyjit-analysis-{job.handle}"
        self._shown[job.handle] = (token, asyncio.get_running_loop().create_task(self._begin(token, job)))

    async def _begin(self, token: str, job: Job) -> None:
        progress = self._server.work_done_progress
        try:
            await asyncio.wait_for(progress.create_async(token), 10)
        except Exception as e:
            logger.debug("no progress shown: %s", e)
            return
        self._begun.add(token)
        progress.begin(token, types.WorkDoneProgressBegin(
            title="pyjit", message=f"checking {os.path.basename(job.path)}", cancellable=False))
