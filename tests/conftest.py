"""Test-wide setup.

``PYJIT_HIDE_TORCH=1`` makes ``import torch`` fail for the whole run, as on a
machine without torch: the core's tests must pass and the conformance tests
must skip, saying why (``tests/test_without_torch.py`` runs the suite so).
"""

from __future__ import annotations

import importlib.abc
import os
import sys


class _NoTorch(importlib.abc.MetaPathFinder):
    """Refuses torch and its submodules, as if it were not installed."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            raise ModuleNotFoundError(f"No module named '{fullname}' (hidden by PYJIT_HIDE_TORCH)", name=fullname)
        return None


if os.environ.get("PYJIT_HIDE_TORCH") == "1":
    sys.meta_path.insert(0, _NoTorch())
