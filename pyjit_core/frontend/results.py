"""What the frontend makes of one file: its roots, and the functions compiled for them.

:func:`pyjit_core.frontend.driver.analyze_source` returns an :class:`Analysis`;
the session (:mod:`pyjit_core.session`) wraps it with the checks' findings in
a :class:`pyjit_core.result.CheckResult`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..diagnostics import Diagnostic
from ..ir.graph import Graph

if TYPE_CHECKING:
    from .source import SourceFile

RootsMode = Literal["decorated", "modules", "all"]   # the values of config.ROOTS_MODES


@dataclass
class CompiledFunction:
    """One function or method as torch compiles it."""

    qualified_name: str            # torch's: "__torch__.pkg.mod.f", "__torch__.pkg.mod.M.forward"
    python_name: str               # "f", "M.forward"
    graph: Graph | None            # None when compilation failed
    path: str
    first_line: int                # 1-based, the `def` line (decorators excluded)
    last_line: int


@dataclass
class Root:
    """Something torch.jit.script is applied to, and what compiling it gave."""

    name: str                      # Python qualname of the function or class ("f", "M", "Outer.Inner")
    kind: Literal["function", "module", "class", "interface"]
    first_line: int                # 1-based span of the definition
    last_line: int
    script_call_line: int | None = None    # line of `torch.jit.script(...)` when that made it a root
    functions: list[str] = field(default_factory=list)          # qualified names compiled for it
    diagnostics: list[Diagnostic] = field(default_factory=list)  # errors met while compiling it
    # A module root: the construction that gave its instance ("`resnet18()` in resnet.py"), and
    # whether that instance is pyjit's invention (then its failures are not reported as errors).
    constructed_by: str | None = None
    representative: bool = False

    @property
    def accepted(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class Analysis:
    path: str
    module_name: str
    roots: list[Root]
    functions: dict[str, CompiledFunction]
    diagnostics: list[Diagnostic]   # every diagnostic in the file, each reported once
    # Graphs to reuse when this file is analysed again after an edit
    # (pass this analysis as ``previous``); not part of the result proper.
    cache: object = field(default=None, repr=False, compare=False)
    # The workspace's module methods kept likewise (frontend.workspace_method_cache.WorkspaceMethodCache).
    method_cache: Any = field(default=None, repr=False, compare=False)
    # nn.Module types by JIT type name (frontend.script_modules.ModuleTypeSummary): what each has and
    # where pyjit took it from (this file, or torch's source: installed, else bundled with pyjit).
    module_types: dict = field(default_factory=dict, repr=False, compare=False)
    # What builders built (frontend.build_reuse.BuildMemo), reused by the next analysis when
    # nothing they read changed; like ``cache``, not part of the result proper.
    builds: object = field(default=None, repr=False, compare=False)
    # The analysed text as the frontend read (and parsed) it, for later passes over the same text.
    source_file: SourceFile | None = field(default=None, repr=False, compare=False)
    # The roots left out when the analysis budget ran out (nothing compiled, nothing reported;
    # see driver._analyze): what they cover is unknown, not accepted.
    unanalysed: list[Root] = field(default_factory=list)


def graphs_of(analysis: Analysis) -> Iterator[Graph]:
    """Every graph ``analysis`` holds: its functions', and those kept for reuse."""
    for fn in analysis.functions.values():
        if fn.graph is not None:
            yield fn.graph
    cache = analysis.cache
    for entry in getattr(cache, "entries", {}).values():
        if entry.graph is not None:
            yield entry.graph
    if analysis.method_cache is not None:
        yield from analysis.method_cache.graphs()
