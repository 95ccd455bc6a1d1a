"""Running an analysis where deeply nested code cannot exhaust the stack.

torch's frontend is recursive, and so is pyjit's: a 300-term ``x + x + ...``
or a 200-deep conditional expression, which torch 2.13 compiles, nests the
emitter a few frames per level and would pass Python's default recursion
limit (1,000). An analysis therefore runs in a thread of its own with a large
stack (the memory is reserved, not used) and a recursion limit to match.
What still does not fit is reported by the caller as a diagnostic; it never
crashes the process.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Frames an analysis may nest; C recursion per Python frame stays well inside STACK_BYTES.
RECURSION_LIMIT = 30_000
STACK_BYTES = 512 * 2**20

_lock = threading.Lock()


def call_with_deep_stack(fn: Callable[[], T]) -> T:
    """``fn()`` in a thread with a deep stack; its exception, if any, is raised here."""
    if getattr(_local, "deep", False):
        return fn()   # already in one
    outcome: list = []

    def run() -> None:
        _local.deep = True
        try:
            outcome.append((True, fn()))
        except BaseException as e:
            outcome.append((False, e))

    with _lock:
        if sys.getrecursionlimit() < RECURSION_LIMIT:
            sys.setrecursionlimit(RECURSION_LIMIT)
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="pyjit-deep-stack", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


_local = threading.local()
