"""Analyses that block or crash on purpose, for tests of time limits and recovery.

Off unless the environment sets ``PYJIT_LSP_TEST_HOOKS=1``, which only the
tests do. A document then steers its own analysis with a comment:

* ``# pyjit-test: crash`` -- the worker exits at once (code 70);
* ``# pyjit-test: block`` -- the analysis never ends (until the worker is stopped);
* ``# pyjit-test: wait-for PATH`` -- the analysis waits until ``PATH`` exists.

So a test of what happens past a time limit needs no file that is merely
slow (whose speed depends on the machine): its analysis is made to block.
"""

from __future__ import annotations

import os
import re
import time

ENABLED = os.environ.get("PYJIT_LSP_TEST_HOOKS") == "1"

_WAIT_FOR = re.compile(r"# pyjit-test: wait-for (\S+)")


def before_analysis(text: str) -> None:
    if not ENABLED or "# pyjit-test:" not in text:
        return
    if "# pyjit-test: crash" in text:
        os._exit(70)
    if "# pyjit-test: block" in text:
        while True:
            time.sleep(1)
    found = _WAIT_FOR.search(text)
    if found is not None:
        while not os.path.exists(found.group(1)):
            time.sleep(0.01)
