"""The one entry point shared by the CLI and the language server.

    result = check_source(text, "pkg/model.py", config=config)
    result.diagnostics          # what to show, in file order
    describe_at(result, 12, 8)  # hover (see pyjit_core.describe)
    graph_text(result, line=12) # the IR preview

``check_source`` runs the frontend (:func:`pyjit_core.analysis.analyze_source`),
then every check in :mod:`pyjit_core.checks`, then applies the configuration
(``select``/``ignore``/``severity``) and the file's ``# pyjit: ignore[...]``
comments (:mod:`pyjit_core.suppress`). It never raises for a problem in the
analysed code or in pyjit itself: those become diagnostics (PJ900 for pyjit's
own failures). Every diagnostic carries its fixes (``Diagnostic.fixes``),
including "Ignore CODE on this line", so code actions need nothing but the
diagnostic.
"""

from __future__ import annotations

import ast
import dataclasses
import traceback
from dataclasses import dataclass, field
from typing import Any

from .gcpause import gc_paused
from .analysis import Analysis, analyze_source, module_name_for
from .config import Config
from .diagnostics import Diagnostic, Severity, TextRange
from .frontend.source import SourceFile

__all__ = ["CheckResult", "check_source", "describe_at", "graph_text", "Hover", "NodeInfo"]

_SEVERITY_NAMES = {"error": Severity.ERROR, "warning": Severity.WARNING, "information": Severity.INFORMATION,
                   "info": Severity.INFORMATION, "hint": Severity.HINT}


@dataclass
class CheckResult:
    """What ``check_source`` found in one file."""

    analysis: Analysis
    diagnostics: list[Diagnostic]   # frontend errors + checks, after config and suppressions, in file order
    source: str = ""
    path: str = ""
    config: Config = field(default_factory=Config)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def source_file(self) -> SourceFile:
        found = self._cache.get("source_file")
        if found is None:
            found = self._cache["source_file"] = SourceFile(self.path, self.source)
        return found


def check_source(source: str, path: str, *, config: Config = Config(), module_name: str | None = None,
                 world=None, previous: CheckResult | None = None) -> CheckResult:
    """Analyse one file and run every check on it.

    ``previous``, the result for an earlier version of the same file (analysed
    with the same ``world`` and config), lets unchanged functions keep their graphs.
    """
    with gc_paused():
        return _check_source(source, path, config, module_name, world, previous)


def _check_source(source: str, path: str, config: Config, module_name: str | None, world,
                  previous: CheckResult | None = None) -> CheckResult:
    reusable = previous.analysis if previous is not None and previous.config == config else None
    analysis = _analyze(source, path, config, module_name, world, reusable)
    source_file = analysis.source_file
    if source_file is None or source_file.text != source:
        source_file = SourceFile(path, source)
    try:
        tree: ast.Module | None = source_file.parse()
    except (SyntaxError, ValueError):
        tree = None
    found = list(analysis.diagnostics)
    if tree is not None:
        found += _run_checks(source_file, tree, analysis, config, world)
    found = apply_config(found, config)
    from .suppress import apply_suppressions

    found = apply_suppressions(found, source_file, config, tree)
    found.sort(key=lambda d: (d.range.start_line, d.range.start_col, d.code))
    result = CheckResult(analysis, found, source, path, config)
    result._cache["source_file"] = source_file
    return result


def _analyze(source: str, path: str, config: Config, module_name: str | None, world,
             previous: Analysis | None = None) -> Analysis:
    try:
        return analyze_source(source, path, module_name=module_name, roots=config.roots,  # type: ignore[arg-type]
                              search_paths=config.search_paths,
                              torch_root=config.torch_source if config.torch_source else "auto", world=world,
                              previous=previous)
    except Exception as e:  # noqa: BLE001 -- pyjit's bug, reported, never raised
        name = module_name or module_name_for(path, config.search_paths)
        return Analysis(path, name, [], {}, [_internal_error(path, f"the frontend failed: {type(e).__name__}: {e}")])


def _run_checks(source: SourceFile, tree: ast.Module, analysis: Analysis, config: Config, world) -> list[Diagnostic]:
    from .checks import CheckContext, registered_checks

    ctx = CheckContext(source, tree, analysis, config, world)
    found: list[Diagnostic] = []
    for name, check in registered_checks():
        try:
            found += check(ctx)
        except Exception as e:  # noqa: BLE001
            found.append(_internal_error(source.path, f"the {name} check failed: {type(e).__name__}: {e}",
                                         traceback.format_exc(limit=8)))
    return found


def _internal_error(path: str, message: str, details: str = "") -> Diagnostic:
    return Diagnostic("PJ900", message, path, TextRange(0, 0, 0, 0),
                      data={"traceback": details} if details else None)


def apply_config(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Drop codes the configuration does not enable; apply severity overrides."""
    out = []
    for d in diagnostics:
        if not config.enabled(d.code):
            continue
        override = _SEVERITY_NAMES.get(config.severity.get(d.code, "").lower())
        if override is not None and override is not d.severity:
            d = dataclasses.replace(d, severity_override=override)
        out.append(d)
    return out


def describe_at(result: CheckResult, line: int, col: int):
    """Hover at a 0-based line and code-point column (see :mod:`pyjit_core.describe`)."""
    from .describe import describe_at as _describe_at

    return _describe_at(result, line, col)


def graph_text(result: CheckResult, *, qualified_name: str | None = None, line: int | None = None) -> str | None:
    """The IR preview (see :mod:`pyjit_core.describe`)."""
    from .describe import graph_text as _graph_text

    return _graph_text(result, qualified_name=qualified_name, line=line)


def __getattr__(name: str):
    # Hover and NodeInfo live in describe.py; re-exported lazily so importing
    # check.py stays cheap.
    if name in ("Hover", "NodeInfo"):
        from . import describe

        return getattr(describe, name)
    raise AttributeError(name)
