"""The worker's memory: when it collects garbage, and when it is recycled.

An analysis is a web of reference cycles (graphs: nodes, values, blocks,
uses), so Python frees a replaced one only in a pass of its cyclic garbage
collector, and such a pass walks every object it has not been told to skip:
with a 7,000-line file, everything an analysis holds. Run on the collector's
own schedule those passes strike at random -- in a hover, or between an edit
and its diagnostics -- and each walks the whole heap. So the server:

* turns automatic collection off in the analysis worker process and runs
  the passes itself, right after a result is published (the user already sees
  it; only the next analysis can wait, and it usually waits no longer than
  the debounce it sits out anyway), and while the user types, after every
  few results dropped because the text moved on
  (:mod:`pyjit_server.scheduling.scheduler`);
* freezes (``gc.freeze``) whatever survives a pass, so the next pass walks
  only what was made since -- the last analysis, not every object alive;
* releases an analysis as soon as no document shows it (:meth:`release`):
  its module world is closed and the graphs no live analysis shares are
  disposed, which breaks their cycles, so they are freed at once by
  reference counting even though they were frozen.

What still leaks into the frozen set (a few dozen objects an edit) is
reclaimed by a full pass once resident memory passes ``budget_mb``. And
past :data:`CEILING_MB`, whatever the cause, the server replaces the worker
between two analyses (:mod:`.client`): the new one analyses the open
documents again, and the old one's memory goes back to the system.
"""

from __future__ import annotations

import gc
import logging
import os
import time

# Runs in the analysis worker, whose log is its stderr: a client reads that as errors, so
# nothing below WARNING unless the user asked for debug.
logger = logging.getLogger(__name__)


def resident_mb() -> float | None:
    """The process's resident memory (Linux; elsewhere None)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


#: Resident memory past which a garbage collection walks everything.
BUDGET_MB = float(os.environ.get("PYJIT_LSP_MEMORY_MB", "512"))

#: Resident memory past which the worker is replaced between analyses.
CEILING_MB = float(os.environ.get("PYJIT_LSP_WORKER_MEMORY_MB", "1536"))


class Memory:
    """The policy above, for the analysis worker's process (:mod:`.worker`)."""

    @staticmethod
    def start() -> None:
        """At start-up, after the imports (they live as long as the process)."""
        gc.disable()
        gc.freeze()

    @staticmethod
    def collect_now(budget_mb: float = BUDGET_MB) -> None:
        """One pass: over what is not frozen, or, past the budget, over everything."""
        started = time.perf_counter()
        rss = resident_mb()
        full = rss is not None and rss > budget_mb
        if full:
            gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        logger.debug("collected %d objects in %.0f ms%s", found, (time.perf_counter() - started) * 1000,
                    " (full)" if full else "")
