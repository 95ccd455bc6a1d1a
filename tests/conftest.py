"""Test-wide setup.

``PYJIT_HIDE_TORCH=1`` makes the run see no torch, as on a machine without
it: ``import torch`` fails, and pyjit's own search for torch's sources
(``pyjit_core.environment``, which reads the disk) passes over the installed
copy, so analyses read torch's source bundled with pyjit. The core's tests
must pass and the conformance tests must skip, saying why
(``tests/test_without_torch.py`` runs the suite so).
"""

from __future__ import annotations

import atexit
import importlib.abc
import importlib.util
import os
import shutil
import sys
import tempfile


class _NoTorch(importlib.abc.MetaPathFinder):
    """Refuses torch and its submodules, as if it were not installed."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            raise ModuleNotFoundError(f"No module named '{fullname}' (hidden by PYJIT_HIDE_TORCH)", name=fullname)
        return None


def _hide_from_environment_search(torch_dir: str) -> None:
    """``environment.torch_package_in`` finds every torch package but the installed one."""
    from pyjit_core import environment

    found_in = environment.torch_package_in

    def torch_package_in(directory: str) -> str | None:
        found = found_in(directory)
        if found is not None and os.path.realpath(found) == os.path.realpath(torch_dir):
            return None
        return found

    environment.torch_package_in = torch_package_in


# The result cache (pyjit_core.result_cache) is never shared with the user, nor between tests:
# off, with its directory a fresh one of this run in case a test turns it on. Set here, before
# any server or CLI subprocess starts: they inherit os.environ.
_CACHE_DIR = tempfile.mkdtemp(prefix="pyjit-test-cache-")
os.environ["PYJIT_CACHE_DIR"] = _CACHE_DIR
os.environ["PYJIT_NO_CACHE"] = "1"
atexit.register(shutil.rmtree, _CACHE_DIR, ignore_errors=True)

if os.environ.get("PYJIT_HIDE_TORCH") == "1":
    _spec = importlib.util.find_spec("torch")
    sys.meta_path.insert(0, _NoTorch())
    if _spec is not None and _spec.submodule_search_locations:
        _hide_from_environment_search(next(iter(_spec.submodule_search_locations)))

# The language server cuts a first analysis at 10 s of wall time by default (the
# `analysis-budget` setting); on a machine as busy as a developer's during the suite,
# that would add PJ905 to results the tests compare. Servers the suite starts inherit
# this; the budget's own tests set the setting, which takes precedence.
os.environ.setdefault("PYJIT_LSP_ANALYSIS_BUDGET_S", "0")
