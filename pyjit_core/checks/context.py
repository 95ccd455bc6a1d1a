"""What every check may read about one file: :class:`CheckContext`."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import Config
from ..diagnostics import Diagnostic
from ..frontend.results import Analysis, CompiledFunction
from ..frontend.source import SourceFile
from ..ir.graph import Graph, Node

if TYPE_CHECKING:
    from ..editor.anchors import AnchorIndex
    from ..frontend.pyworld import ModuleScope
    from ..result import CheckResult
    from .flow import PlainFlow


class CheckContext:
    """One file's result as the checks see it: its syntax, its analysis, the
    module world the frontend read (so a check resolves every name as the
    frontend did) and the result's anchor index."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result

    @property
    def source(self) -> SourceFile:
        return self.result.source_file

    @property
    def tree(self) -> ast.Module | None:
        return self.result.tree

    @property
    def analysis(self) -> Analysis:
        return self.result.analysis

    @property
    def config(self) -> Config:
        return self.result.config

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def anchors(self) -> AnchorIndex:
        return self.result.anchors

    @cached_property
    def scope(self) -> ModuleScope:
        """The frontend's static model of this module (names, imports, classes)."""
        world = self.result.world
        assert world is not None, "a checked result always has the world its analysis read"
        scope = world.module(self.analysis.module_name)
        if scope is None or scope.source.text != self.source.text:
            scope = world.add_source(self.analysis.module_name, self.source)
        return scope

    @cached_property
    def flow(self) -> PlainFlow:
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
        return self.result.compiled_definitions()

    def text_range(self, node: Node):
        """The editor range of an IR node's source range (in this file), else None."""
        r = node.source_range
        if r is None or r.path != self.path:
            return None
        return self.source.text_range(r)


Check = Callable[[CheckContext], list[Diagnostic]]
