"""Pausing Python's cyclic garbage collector around an analysis.

Graphs are webs of reference cycles (nodes, values, blocks, uses). While an
analysis builds thousands of them, the collector's generation-2 passes walk
every live graph again and again -- for nothing, since all of it is still in
use. Pausing it for the length of an analysis roughly halves its time; the
garbage of finished analyses is collected once the collector runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
