"""The one analysis entry point: source in, graphs and diagnostics out.

The CLI, the language server and the conformance runner all call
:func:`analyze_source`; nothing else lowers source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .diagnostics import Diagnostic
from .ir.graph import Graph

RootsMode = Literal["decorated", "modules", "all"]


@dataclass
class CompiledFunction:
    """One function or method as torch compiles it."""

    qualified_name: str            # torch's: "__torch__.pkg.mod.f", "__torch__.pkg.mod.M.forward"
    python_name: str               # "f", "M.forward"
    graph: Graph | None            # None when compilation failed
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
