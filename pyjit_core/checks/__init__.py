"""The checks that run after the frontend, one module each.

Each check is a function ``check(ctx: CheckContext) -> list[Diagnostic]``
registered in :data:`CHECKS`. It reads the analysis (graphs, roots) and the
file's syntax through the shared :class:`CheckContext` and never raises on
incomplete input: a function whose compilation failed has no graph and is
simply skipped.

* :mod:`.python_ops` -- ``PythonOp::lint_python`` and the calling convention
  against the Python signature (PJ310-313, PJ401-403);
* :mod:`.export`     -- calls into Python reachable from saved code (PJ410);
* :mod:`.script_boundary` -- values crossing from plain Python into TorchScript
  that ``as_module``/``as_object`` would not accept (PJ501-503).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterator

from ..analysis import Analysis, CompiledFunction
from ..config import Config
from ..diagnostics import Diagnostic
from ..frontend.source import SourceFile
from ..ir.graph import Graph, Node
from ..syntax import function_definitions


@dataclass
class CheckContext:
    """What every check may read about one file."""

    source: SourceFile
    tree: ast.Module | None          # None when the file does not parse
    analysis: Analysis
    config: Config = field(default_factory=Config)
    world: object | None = None      # the frontend's PyWorld, when the caller shares one

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def anchors(self):
        """Syntax of the compiled functions of this file, by torch range."""
        from ..anchors import AnchorIndex

        return AnchorIndex(self.source, self.tree, scopes=self.compiled_definitions())

    @cached_property
    def scope(self):
        """The frontend's static model of this module (names, imports, classes)."""
        from ..frontend.pyworld import PyWorld

        world = self.world
        if world is None or not hasattr(world, "module"):
            world = PyWorld(self.config.search_paths, None)
            return world.add_source(self.analysis.module_name, self.source)
        scope = world.module(self.analysis.module_name)
        if scope is None or scope.source.text != self.source.text:
            scope = world.add_source(self.analysis.module_name, self.source)
        return scope

    @cached_property
    def flow(self):
        """Values in the file's plain Python code (see :mod:`.flow`)."""
        from .flow import PlainFlow

        return PlainFlow(self.scope, self.tree, jit_calls_only=True).run()

    def compiled(self) -> Iterator[tuple[CompiledFunction, Graph]]:
        """Every compiled function that has a graph (any file), in analysis order."""
        for fn in self.analysis.functions.values():
            if fn.graph is not None:
                yield fn, fn.graph

    def compiled_definitions(self) -> list[ast.AST]:
        """The ``def`` nodes of this file's compiled functions."""
        if self.tree is None:
            return []
        lines = {fn.first_line for fn in self.analysis.functions.values() if fn.path == self.path}
        found: dict[int, ast.AST] = {}
        for n in function_definitions(self.tree):
            if n.lineno in lines:
                found.setdefault(n.lineno, n)
        return list(found.values())

    def text_range(self, node: Node):
        """The editor range of an IR node's source range (in this file), else None."""
        r = node.source_range
        if r is None or r.path != self.path:
            return None
        return self.source.text_range(r)


Check = Callable[[CheckContext], list[Diagnostic]]


def registered_checks() -> list[tuple[str, Check]]:
    from . import export, python_ops, script_boundary

    return [("python_ops", python_ops.check), ("export", export.check), ("script_boundary", script_boundary.check)]
