"""The one seam through which the CLI and the language server reach the analyses.

``check_source`` / ``describe_at`` / ``graph_text`` are :mod:`pyjit_core.check`'s.
The front doors call them through here so that what they add lives in one
place: the ``python`` setting (torch found through another interpreter) is
resolved before checking, and a name the user types (``f``, ``M.forward``)
is resolved to torch's qualified name before asking for a graph.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .analysis import Analysis
from .check import CheckResult, describe_at, graph_text
from .check import check_source as _check_source
from .config import Config, resolve_torch_root

__all__ = ["CheckResult", "check_source", "describe_at", "graph_text", "resolve_function", "warm_up"]


def check_source(source: str, path: str, *, config: Config, module_name: str | None = None,
                 world: Any = None, previous: CheckResult | None = None) -> CheckResult:
    """:func:`pyjit_core.check.check_source`, with ``torch_source`` normalised
    (a folder holding ``torch/`` is accepted) or found from ``python``.

    ``previous``, the result for an earlier text of the same file, lets the
    functions the edit did not touch keep their graphs."""
    if config.torch_source is not None or config.python is not None:
        config = dataclasses.replace(config, torch_source=resolve_torch_root(config) or config.torch_source)
    return _check_source(source, path, config=config, module_name=module_name, world=world, previous=previous)


def resolve_function(analysis: Analysis, name: str) -> str | None:
    """The qualified name of the compiled function ``name`` denotes: torch's
    (``__torch__.pkg.mod.f``), or the Python qualname in the file (``f``, ``M.forward``)."""
    functions = analysis.functions
    for candidate in (name, f"__torch__.{analysis.module_name}.{name}"):
        if candidate in functions:
            return candidate
    for q, fn in functions.items():
        if fn.path == analysis.path and fn.python_name in (name, f"{analysis.module_name}.{name}"):
            return q
    return None


def warm_up() -> None:
    """Import what an analysis needs and load the bundled operator data, ahead
    of the first analysis (the server does this while the editor is still
    starting up; ~60 ms an analysis would otherwise spend first)."""
    import importlib

    for name in ("frontend.driver", "frontend.emitter", "passes.pipeline", "passes.constant_propagation",
                 "checks", "checks.python_ops", "checks.export", "checks.script_boundary", "suppress", "describe"):
        importlib.import_module(f"pyjit_core.{name}")
    from .frontend.builtin_functions import _registry as builtin_functions
    from .schema.registry import default_registry

    default_registry()
    builtin_functions()
