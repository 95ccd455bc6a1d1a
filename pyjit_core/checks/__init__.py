"""The checks that run after the frontend, one module each.

Each check is a function ``check(ctx: CheckContext) -> list[Diagnostic]``
listed in :data:`CHECKS`; :func:`run_checks` runs them all. It reads the analysis (graphs, roots) and the
file's syntax through the shared :class:`CheckContext` and never raises on
incomplete input: a function whose compilation failed has no graph and is
simply skipped.

* :mod:`.python_ops` -- ``PythonOp::lint_python`` and the calling convention
  against the Python signature (PJ310-313, PJ401-403);
* :mod:`.export`     -- calls into Python reachable from saved code (PJ410);
* :mod:`.script_boundary` -- values crossing from plain Python into TorchScript
  that ``as_module``/``as_object`` would not accept (PJ501-503);
* :mod:`.export_readiness` -- what stops each root from moving to ``torch.export``
  (PJ6xx, opt-in through ``select``).
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, TextRange
from . import export, export_readiness, python_ops, script_boundary
from .context import Check, CheckContext

if TYPE_CHECKING:
    from ..result import CheckResult

__all__ = ["CHECKS", "Check", "CheckContext", "run_checks"]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("python_ops", python_ops.check), ("export", export.check), ("script_boundary", script_boundary.check),
    ("export_readiness", export_readiness.check))


def run_checks(result: CheckResult) -> list[Diagnostic]:
    """Every check's findings on ``result``; a check that raises becomes a PJ900 finding."""
    if result.tree is None:
        return []
    ctx = CheckContext(result)
    found: list[Diagnostic] = []
    for name, check in CHECKS:
        try:
            found += check(ctx)
        except Exception as e:
            found.append(Diagnostic("PJ900", f"the {name} check failed: {type(e).__name__}: {e}", result.path,
                                    TextRange(0, 0, 0, 0), data={"traceback": traceback.format_exc(limit=8)}))
    return found
