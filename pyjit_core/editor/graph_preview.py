"""The IR preview: the graph of a compiled function as torch prints it, or why there is none.

``pyjit ir FILE::NAME`` and the editors' "Show TorchScript Graph" ask for a
function by name (``f``, ``M.forward``, ``M`` for a module's ``forward``, or
torch's qualified name) or by the line under the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..frontend.results import Analysis, CompiledFunction
    from ..result import CheckResult


@dataclass(frozen=True)
class GraphPreview:
    """A graph's text, or the reason there is none (``text`` None)."""

    text: str | None
    qualified_name: str | None = None
    problem: str | None = None                       # one sentence for the user, when text is None
    diagnostics: tuple[Diagnostic, ...] = field(default=())   # why the function does not compile
    # A module method compiled for an instance pyjit made up (nothing constructs the class):
    # one line saying so, which torch's print has no equivalent of.
    representative: str | None = None


def preview(result: CheckResult, *, name: str | None = None, line: int | None = None) -> GraphPreview:
    """The graph of the function ``name``, else of the innermost compiled function
    around the 0-based ``line``, else of the first function of the root around it."""
    analysis = result.analysis
    if name is not None:
        qualified = resolve_function(analysis, name)
        if qualified is None:
            known = compiled_names(result)
            return GraphPreview(None, problem=f"no function {name!r} is compiled in {result.path}"
                                + (f"; compiled: {', '.join(known)}" if known else ""))
        return _of(result, analysis.functions[qualified])
    if line is None:
        return GraphPreview(None, problem="no function named and no position given")
    target = line + 1
    around = [fn for fn in analysis.functions.values() if fn.path == result.path
              and fn.first_line <= target <= fn.last_line]
    if around:
        return _of(result, max(around, key=lambda f: (f.first_line, -f.last_line)))
    for root in analysis.roots:
        if root.first_line <= target <= root.last_line:
            functions = [analysis.functions[q] for q in root.functions if q in analysis.functions]
            compiled = [fn for fn in functions if fn.graph is not None]
            if compiled:
                return _of(result, compiled[0])
            return GraphPreview(None, problem=f"'{root.name}' does not compile", diagnostics=tuple(root.diagnostics))
    for root in analysis.unanalysed:
        if root.first_line <= target <= root.last_line:
            return GraphPreview(None, problem=f"'{root.name}' was not analysed: the analysis budget ran out "
                                "(see the `analysis-budget` setting)")
    return GraphPreview(None, problem=f"line {target} is in no compiled function (see the `roots` setting)")


def resolve_function(analysis: Analysis, name: str) -> str | None:
    """The qualified name of the compiled function ``name`` denotes: torch's
    (``__torch__.pkg.mod.f``), the Python qualname in the file (``f``,
    ``M.forward``), or a module class (``M``: its ``forward``)."""
    functions = analysis.functions
    for candidate in (name, f"__torch__.{analysis.module_name}.{name}"):
        if candidate in functions:
            return candidate
    for wanted in (name, f"{name}.forward"):
        for q, fn in functions.items():
            if fn.path == analysis.path and fn.python_name in (wanted, f"{analysis.module_name}.{wanted}"):
                return q
    return None


def compiled_names(result: CheckResult) -> list[str]:
    """The functions of this file that were compiled, as a user would name them."""
    prefix = result.analysis.module_name + "."
    return [fn.python_name.removeprefix(prefix) for fn in result.analysis.functions.values()
            if fn.path == result.path]


def _of(result: CheckResult, fn: CompiledFunction) -> GraphPreview:
    if fn.graph is not None:
        return GraphPreview(str(fn.graph), fn.qualified_name, representative=_representative(result.analysis, fn))
    failing: list[Diagnostic] = []
    for root in result.analysis.roots:
        if fn.qualified_name in root.functions:
            failing += [d for d in root.diagnostics if d not in failing]
    short = fn.python_name.removeprefix(result.analysis.module_name + ".")
    return GraphPreview(None, fn.qualified_name, f"'{short}' does not compile", tuple(failing))


def _representative(analysis: Analysis, fn: CompiledFunction) -> str | None:
    for root in analysis.roots:
        if fn.qualified_name in root.functions and root.representative and root.constructed_by:
            instance = root.constructed_by.removeprefix("a representative instance: ")
            if instance == f"{root.name}()":
                return None         # exactly torch.jit.script(M()): nothing made up
            return (f"compiled for {instance}, a representative instance pyjit made up: nothing in the "
                    f"workspace constructs {root.name}, so what depends on its arguments may differ")
    return None

