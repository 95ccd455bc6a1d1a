"""The one analysis entry point: source in, graphs and diagnostics out.

The CLI, the language server and the conformance runner all call
:func:`analyze_source`; nothing else lowers source. It never imports the
analysed code, nor torch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Literal

from .diagnostics import Diagnostic
from .ir.graph import Graph

if TYPE_CHECKING:
    from .frontend.source import SourceFile

RootsMode = Literal["decorated", "modules", "all"]
ROOTS_MODES = ("decorated", "modules", "all")


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
    # nn.Module types by JIT type name (frontend.script_modules.ModuleTypeSummary): what each has and
    # where pyjit took it from (this file, torch's installed source, or pyjit's bundled summary).
    module_types: dict = field(default_factory=dict, repr=False, compare=False)
    # The analysed text as the frontend read (and parsed) it, for later passes over the same text.
    source_file: SourceFile | None = field(default=None, repr=False, compare=False)


def module_name_for(path: str, search_paths: Iterable[str] = ()) -> str:
    """The dotted module name of a file under one of ``search_paths`` (else its stem)."""
    absolute = os.path.abspath(path)
    for root in search_paths:
        root = os.path.abspath(root)
        if absolute.startswith(root + os.sep):
            rel = os.path.relpath(absolute, root)
            parts = rel[:-3].split(os.sep) if rel.endswith(".py") else rel.split(os.sep)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if all(p.isidentifier() for p in parts) and parts:
                return ".".join(parts)
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem.isidentifier() else "__main__"


def analyze_source(source: str, path: str, *, module_name: str | None = None, roots: RootsMode = "decorated",
                   search_paths: Iterable[str] = (), torch_root: str | None = "auto", world=None,
                   previous: Analysis | None = None) -> Analysis:
    """Compile every root of one file the way ``torch.jit.script`` would.

    ``previous``, the analysis of an earlier version of the same file, lets
    functions whose source (and whatever they depend on) did not change keep
    their graphs instead of being compiled again.
    """
    from .frontend.driver import analyze

    return analyze(source, path, module_name=module_name, roots=roots, search_paths=search_paths,
                   torch_root=torch_root, world=world, previous=previous)


def graphs_of(analysis: Analysis) -> Iterator[Graph]:
    """Every graph ``analysis`` holds: its functions', and those kept for reuse."""
    for fn in analysis.functions.values():
        if fn.graph is not None:
            yield fn.graph
    cache = analysis.cache
    for entry in getattr(cache, "entries", {}).values():
        if entry.graph is not None:
            yield entry.graph


def dispose_unshared(analysis: Analysis, keep: Iterable[Analysis]) -> int:
    """Free the graphs only ``analysis`` holds (see :meth:`Graph.dispose`):
    not those of the analyses in ``keep`` -- which may have reused them --
    nor torch's library functions, shared by the whole process. For an
    editor session dropping an analysis it no longer shows; ``analysis``
    must not be used afterwards. Returns how many graphs were disposed."""
    from .frontend.function_cache import LIBRARY_CACHE

    kept = {id(e.graph) for e in LIBRARY_CACHE.entries.values()}
    for other in keep:
        kept.update(id(g) for g in graphs_of(other))
    disposed = 0
    for graph in {id(g): g for g in graphs_of(analysis)}.values():
        if id(graph) not in kept:
            graph.dispose()
            disposed += 1
    return disposed
