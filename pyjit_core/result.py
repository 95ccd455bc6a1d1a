"""The result of checking one file: the one type every front door reads.

A :class:`CheckResult` is what :meth:`pyjit_core.session.Session.check`
returns: the frontend's :class:`~pyjit_core.frontend.results.Analysis`, the
diagnostics as the session's presentation shows them, and what later
questions about the same text need (hovers, the graph preview, code
actions): the parsed syntax and its one anchor index, built on first use and
kept on the result.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .config import Config
from .diagnostics import Diagnostic
from .frontend.results import Analysis, graphs_of
from .frontend.source import SourceFile
from .syntax import function_definitions

if TYPE_CHECKING:
    from .editor.anchors import AnchorIndex
    from .editor.hover import HoverIndex
    from .frontend.pyworld import PyWorld
    from .settings import FileContext


@dataclass(eq=False)
class CheckResult:
    """What checking one file found (see the module docstring)."""

    analysis: Analysis
    diagnostics: list[Diagnostic]      # as presented: in file order, after config and suppressions
    source: str = ""
    path: str = ""
    config: Config = field(default_factory=Config)
    found: list[Diagnostic] = field(default_factory=list)   # every finding where it was found (any file)
    context: FileContext | None = None
    world: PyWorld | None = field(default=None, repr=False)   # the module world the analysis read
    has_roots: bool = False            # the file compiles something (else a syntax error is not ours to show)

    @cached_property
    def source_file(self) -> SourceFile:
        found = self.analysis.source_file
        return found if found is not None and found.text == self.source else SourceFile(self.path, self.source)

    @cached_property
    def tree(self) -> ast.Module | None:
        """The file's syntax, or None when it does not parse."""
        try:
            return self.source_file.parse()
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    def compiled_definitions(self) -> list[ast.AST]:
        """The ``def`` nodes of this file's compiled functions, one per line."""
        if self.tree is None:
            return []
        lines = {fn.first_line for fn in self.analysis.functions.values() if fn.path == self.path}
        found: dict[int, ast.AST] = {}
        for n in function_definitions(self.tree):
            if n.lineno in lines:
                found.setdefault(n.lineno, n)
        return list(found.values())

    @cached_property
    def anchors(self) -> AnchorIndex:
        """The file's one anchor index: the syntax of its compiled functions by torch range
        (the checks place diagnostics with it, hovers find tokens with it)."""
        from .editor.anchors import AnchorIndex

        return AnchorIndex(self.source_file, self.tree, scopes=self.compiled_definitions())

    @cached_property
    def hover_index(self) -> HoverIndex:
        """Every hoverable token of the file (built on first use: ~0.25 s for a 7,000-line file)."""
        from .editor.hover import HoverIndex

        return HoverIndex(self)

    def index_hovers(self, previous: CheckResult | None = None, *,
                     previous_index: HoverIndex | None = None) -> HoverIndex:
        """Build :attr:`hover_index` now, from ``previous``'s (an earlier analysis of
        the same file, indexed) where the functions' graphs are the same; or from
        ``previous_index``, such an index kept after its result was released (it
        takes only the marks of graphs this result still holds, the same objects)."""
        from .editor.hover import HoverIndex

        if not self.is_indexed:
            earlier = previous.hover_index if previous is not None and previous.is_indexed else previous_index
            self.__dict__["hover_index"] = HoverIndex(self, earlier)
        return self.hover_index

    @property
    def is_indexed(self) -> bool:
        return "hover_index" in self.__dict__

    def release(self, keep: Iterable[CheckResult] = ()) -> int:
        """Free what only this result holds, for a session that will not ask
        about it again: close its module world and dispose of the graphs that
        no result in ``keep`` shares, nor torch's library functions (shared by
        the whole process). Returns how many graphs were disposed."""
        from .frontend.function_cache import LIBRARY_CACHE
        from .frontend.module_method_cache import MODULE_METHOD_CACHE

        if self.world is not None:
            self.world.close()
        kept = {id(e.graph) for e in LIBRARY_CACHE.entries.values()}
        kept.update(id(g) for g in MODULE_METHOD_CACHE.graphs())
        for other in keep:
            kept.update(id(g) for g in graphs_of(other.analysis))
        disposed = 0
        for graph in {id(g): g for g in graphs_of(self.analysis)}.values():
            if id(graph) not in kept:
                graph.dispose()
                disposed += 1
        for cached in ("hover_index", "anchors", "tree"):
            self.__dict__.pop(cached, None)
        self.analysis.builds = None   # what its builders built, and the syntax trees that holds
        return disposed
