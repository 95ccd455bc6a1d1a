"""The one way into pyjit: a :class:`Session` per workspace (or per ``pyjit check`` run).

    session = Session(SettingsResolver([workspace]), presentation=Presentation.IN_FILE)
    result = session.check("pkg/model.py", text)      # the diagnostics to show: result.diagnostics
    session.hover(result, 12, 8)                      # 0-based line, code-point column
    session.graph(result, line=12)                    # the IR preview, or why there is none
    session.code_actions(result, TextRange(...))      # the fixes of the diagnostics there
    session.release(result)                           # it will not be asked about again

A session owns what every analysis of the workspace shares:

* the settings and environment resolution (:class:`.settings.SettingsResolver`):
  each file's configuration, module name, and where torch's sources are;
* the open documents: an editor's unsaved buffers, read instead of the disk;
* the module world each analysis reads (:meth:`world_for`), built from those;
* the workspace index of where each module class is constructed
  (:mod:`.frontend.construction_sites`), so a module is compiled as its
  callers build it, even from another file;
* the results it handed out and not yet released, so that releasing one
  frees only what no other shares;
* the result cache on disk, when given (:mod:`.result_cache`): ``check``
  stores each complete first analysis of a text with what it read, and
  :meth:`Session.cached` gives back a stored result's diagnostics while
  nothing it read changed.

``check`` runs one file through the pipeline: the frontend
(:func:`.frontend.driver.analyze_source`), every check (:mod:`.checks`), the
configuration (``select``/``ignore``/``severity``), the ``# pyjit: ignore``
comments, and the presentation (:mod:`.editor.presentation`). It never
raises for a problem in the analysed code or in pyjit itself: those become
diagnostics (PJ900 for pyjit's own failures).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .config import Config
from .deep_stack import call_with_deep_stack
from .diagnostics import Diagnostic, Fix, TextRange
from .diagnostics.selection import apply_config
from .diagnostics.suppress import apply_suppressions
from .editor.presentation import Presentation, present, present_found
from .frontend import read_log
from .frontend.construction_sites import ConstructionIndex
from .frontend.pyworld import PyWorld
from .frontend.results import Analysis
from .gcpause import gc_paused
from .result import CheckResult
from .result_cache import Disk, ResultCache, key_material
from .settings import FileContext, SettingsResolver
from .sources import read_source_text

if TYPE_CHECKING:
    from .editor.export_verdict import CodeLens
    from .editor.graph_preview import GraphPreview
    from .editor.hover import Hover

__all__ = ["CheckResult", "Presentation", "Session"]


class Session:
    def __init__(self, settings: SettingsResolver | None = None, *,
                 presentation: Presentation = Presentation.WHERE_FOUND, analysis_budget: float = 0,
                 clock: Callable[[], float] = time.monotonic, result_cache: ResultCache | None = None) -> None:
        self.settings = settings if settings is not None else SettingsResolver()
        self.result_cache = result_cache
        self.presentation = presentation
        # Seconds an analysis may spend on one file's roots when `analysis-budget` is set nowhere
        # (0: no limit); read from `clock` (see frontend.driver._Budget).
        self.analysis_budget = analysis_budget
        self.clock = clock
        self.documents: dict[str, str] = {}      # open buffers by absolute path
        # Where the workspace builds each module class (read on demand, cached per file).
        self.constructions = ConstructionIndex(self.settings.folders, lambda path: self.documents.get(path))
        self._live: dict[int, CheckResult] = {}
        self._reported: set[tuple] = set()        # WHERE_FOUND: shown once per session

    # --- documents -----------------------------------------------------------------------------

    def set_document(self, path: str, text: str) -> None:
        """An editor buffer: analyses read it instead of the file on disk."""
        self.documents[os.path.abspath(path)] = text

    def close_document(self, path: str) -> None:
        self.documents.pop(os.path.abspath(path), None)

    # --- analyses ------------------------------------------------------------------------------

    def context_for(self, path: str) -> FileContext:
        return self.settings.context_for(path)

    def check(self, path: str, text: str | None = None, *, previous: CheckResult | None = None,
              config: Config | None = None, module_name: str | None = None) -> CheckResult:
        """Analyse one file and run every check on it.

        ``text`` None: the open buffer, else the file on disk. ``config``
        replaces the resolved configuration (its search paths as given), and
        ``module_name`` the one they give; ``previous``, the result for an
        earlier text of the same file, lets the functions an edit did not
        touch keep their graphs.
        """
        context = self._context(path, config)
        if module_name is not None:
            context = dataclasses.replace(context, module_name=module_name)
        text = self._text_of(path, text, context)
        # A first analysis (no `previous`: nothing reused, so the log sees every read) may be kept.
        keep = self.result_cache is not None and previous is None
        with gc_paused():
            result, log = call_with_deep_stack(lambda: self._recorded_check(path, text, context, previous, keep))
        if keep and log is not None:
            try:
                self._store(result, log)
            except Exception:   # the cache is an optimisation: it never fails a check
                logging.getLogger(__name__).warning("result cache: not stored", exc_info=True)
        self._live[id(result)] = result
        return result

    def cached(self, path: str, text: str | None = None) -> list[Diagnostic] | None:
        """The diagnostics ``check(path, text)`` would show, from the result cache, when it holds
        a result for this text and settings and nothing that result read has changed; else None."""
        if self.result_cache is None:
            return None
        context = self._context(path, None)
        text = self._text_of(path, text, context)
        stored = self.result_cache.lookup(self.cache_key(path, text, context), self._disk(context))
        if stored is None:
            return None
        if self.presentation is Presentation.IN_FILE:
            return list(stored.in_file)
        return present_found(path, stored.found, self._reported)

    def cache_key(self, path: str, text: str, context: FileContext) -> dict:
        """What a result of ``check`` depends on besides the files it reads (see :mod:`.result_cache`)."""
        budget = context.config.analysis_budget
        return key_material(path=path, text=text, module_name=context.module_name, config=context.config,
                            environment=context.environment, folders=self.settings.folders,
                            budget=self.analysis_budget if budget is None else budget)

    def _text_of(self, path: str, text: str | None, context: FileContext) -> str:
        if text is None:
            text = self.documents.get(context.path)
        if text is None:
            text = read_source_text(path)
        return text

    def _recorded_check(self, path: str, text: str, context: FileContext, previous: CheckResult | None,
                        record: bool) -> tuple[CheckResult, read_log.ReadLog | None]:
        if not record:
            return self._check(path, text, context, previous), None
        with read_log.recording() as log:
            result = self._check(path, text, context, previous)
        return result, log

    def _store(self, result: CheckResult, log: read_log.ReadLog) -> None:
        assert self.result_cache is not None
        assert result.context is not None
        assert result.world is not None
        analysis = result.analysis
        if analysis.unanalysed:
            return   # the budget left roots out: not the whole result
        result.world.note_reads(log, skip=(result.context.path, result.path))   # (its text is in the key)
        modules = {name: (scope.source.path if scope is not None else None)
                   for name, scope in result.world.modules.items()}
        in_file = result.diagnostics if self.presentation is Presentation.IN_FILE \
            else present(result, Presentation.IN_FILE)
        self.result_cache.store(self.cache_key(result.path, result.source, result.context), log, modules,
                                result.found, in_file)

    def _disk(self, context: FileContext) -> Disk:
        """The files as an analysis of ``context``'s file would see them now."""
        from .frontend.module_names import module_name_for

        search_paths = context.config.search_paths
        buffer_modules = {module_name_for(other, search_paths): other for other in self.documents
                          if other != context.path and other.endswith(".py")}
        self.constructions.folders = list(self.settings.folders)
        return Disk(self.documents.get, buffer_modules, lambda folders: self.constructions.listing(list(folders)))

    def _context(self, path: str, config: Config | None) -> FileContext:
        if config is None:
            return self.settings.context_for(path)
        from .frontend.module_names import module_name_for

        environment = self.settings.environment_for(os.path.abspath(path), config)
        return FileContext(path, module_name_for(path, config.search_paths), config, environment)

    def _check(self, path: str, text: str, context: FileContext, previous: CheckResult | None) -> CheckResult:
        config = context.config
        world = self.world_for(context, exclude=path)
        reusable = previous.analysis if previous is not None and previous.config == config else None
        analysis = self._analyze(path, text, context, world, reusable)
        parsed = not any(d.code == "PJ001" for d in analysis.diagnostics)
        has_roots = bool(analysis.roots) if parsed else bool(previous is not None and previous.has_roots)
        result = CheckResult(analysis, [], text, path, config, context=context, world=world, has_roots=has_roots)
        from .checks import run_checks

        found = apply_config(list(analysis.diagnostics) + run_checks(result), config)
        found = apply_suppressions(found, result.source_file, config, result.tree, other_sources=world.source_for,
                                   judged=_judged_lines(analysis))
        found.sort(key=lambda d: (d.path != path, d.path, d.range.start_line, d.range.start_col, d.code))
        result.found = found
        result.diagnostics = present(result, self.presentation, self._reported)
        return result

    def world_for(self, context: FileContext, *, exclude: str | None = None) -> PyWorld:
        """A module world as ``context``'s file sees it: its search paths, its torch,
        and the session's open buffers (but ``exclude``, the file being analysed)."""
        config = context.config
        world = PyWorld(config.search_paths, context.environment.torch_root)
        from .frontend.module_names import module_name_for

        for other, text in self.documents.items():
            if other != exclude and other.endswith(".py"):
                from .frontend.source import SourceFile

                world.add_source(module_name_for(other, config.search_paths), SourceFile(other, text),
                                 is_package=os.path.basename(other) == "__init__.py")
        return world

    def _analyze(self, path: str, text: str, context: FileContext, world: PyWorld,
                 previous: Analysis | None) -> Analysis:
        from .frontend.driver import analyze_source

        self.constructions.folders = list(self.settings.folders)
        self.constructions.begin_analysis()
        budget = context.config.analysis_budget
        try:
            return analyze_source(text, path, module_name=context.module_name, roots=context.config.roots,
                                  world=world, previous=previous, constructions=self.constructions,
                                  budget=self.analysis_budget if budget is None else budget, clock=self.clock)
        except Exception as e:
            return Analysis(path, context.module_name, [], {}, [Diagnostic(
                "PJ900", f"the frontend failed: {type(e).__name__}: {e}", path, TextRange(0, 0, 0, 0),
                data={"traceback": traceback.format_exc(limit=8)})])

    # --- questions about a result ----------------------------------------------------------------

    def hover(self, result: CheckResult, line: int, col: int) -> Hover | None:
        """What TorchScript makes of the token at 0-based ``line``, code-point ``col``."""
        from .editor.export_verdict import verdict_hover
        from .editor.hover import hover_at

        found = hover_at(result, line, col)
        verdict = verdict_hover(result, line)
        if verdict is None:
            return found
        if found is None:
            return verdict
        return dataclasses.replace(found, markdown=f"{verdict.markdown}\n\n---\n\n{found.markdown}")

    def code_lenses(self, result: CheckResult) -> list[CodeLens]:
        """Each root's verdict, "TorchScript ✓ · export ✗ (2)", when the PJ6 family is selected."""
        from .editor.export_verdict import code_lenses

        return code_lenses(result)

    def graph(self, result: CheckResult, *, line: int | None = None, name: str | None = None) -> GraphPreview:
        """The graph of the function ``name`` or around 0-based ``line``, or why there is none."""
        from .editor.graph_preview import preview

        return preview(result, name=name, line=line)

    def code_actions(self, result: CheckResult, where: TextRange, codes: Iterable[str] | None = None) -> list[Fix]:
        """The fixes of the shown diagnostics that touch ``where`` (and have one of ``codes``)."""
        return self.fixes_of(result.diagnostics, where, codes)

    @staticmethod
    def fixes_of(diagnostics: Iterable[Diagnostic], where: TextRange, codes: Iterable[str] | None = None) -> list[Fix]:
        """The fixes of ``diagnostics`` that touch ``where`` (and have one of ``codes``)."""
        wanted = set(codes) if codes is not None else None
        fixes: list[Fix] = []
        for d in diagnostics:
            if (wanted is None or d.code in wanted) and _touches(d.range, where):
                fixes.extend(d.fixes)
        return fixes

    def release(self, result: CheckResult) -> None:
        """``result`` will not be asked about again: free what no other live result shares."""
        if self._live.pop(id(result), None) is not None:
            result.release(keep=self._live.values())

    def warm_up(self) -> None:
        """Import what an analysis needs and load the bundled operator data ahead of
        the first analysis (~60 ms it would otherwise spend first)."""
        from . import checks, editor  # noqa: F401
        from .editor import hover  # noqa: F401
        from .frontend import driver, emitter  # noqa: F401
        from .frontend.builtin_functions import _registry as builtin_functions
        from .passes import constant_propagation, pipeline  # noqa: F401
        from .schema.registry import default_registry

        default_registry()
        builtin_functions()
        if self.result_cache is not None:
            from .result_cache import code_digest

            code_digest()   # (~10 ms: every file of pyjit_core read once per process)


def _judged_lines(analysis: Analysis) -> Callable[[int], bool] | None:
    """When the analysis budget left roots out: whether a 0-based line lies in a function
    the analysis compiled (only there can a suppression be known to silence nothing)."""
    if not analysis.unanalysed:
        return None
    # A root made by a `torch.jit.script(...)` call may be imported (its lines another file's):
    # its functions' spans below cover it when it is this file's.
    spans = [(r.first_line, r.last_line) for r in analysis.roots if r.script_call_line is None]
    spans += [(f.first_line, f.last_line) for f in analysis.functions.values() if f.path == analysis.path]
    unknown = [(r.first_line, r.last_line) for r in analysis.unanalysed]

    def judged(line: int) -> bool:
        line += 1
        return (any(a <= line <= b for a, b in spans)
                and not any(a <= line <= b for a, b in unknown))
    return judged


def _touches(a: TextRange, b: TextRange) -> bool:
    return ((a.start_line, a.start_col) <= (b.end_line, b.end_col)
            and (b.start_line, b.start_col) <= (a.end_line, a.end_col))
