"""Which roots each finding concerns, and each root's export verdict.

A finding concerns a module root when it lies inside the root's class or in a
function compiled for it (``Root.functions``), or in an ignored helper of the
class. The verdict counts findings whose default mode fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...diagnostics import Diagnostic
from ...ir.walk import walk_nodes

if TYPE_CHECKING:
    from ..context import CheckContext
    from .findings import Finding


@dataclass
class Verdict:
    root: str
    kind: str
    line: int                            # 1-based `def`/`class` line
    scripts: bool                        # TorchScript compiles it (no Error among its diagnostics)
    blockers: list[Diagnostic] = field(default_factory=list)   # default mode fails here
    notes: list[Diagnostic] = field(default_factory=list)      # strict-only, silent specialisation...

    @property
    def exportable(self) -> bool:
        return not self.blockers

    def summary(self) -> str:
        if self.exportable:
            extra = f" ({len(self.notes)} note{'s' * (len(self.notes) != 1)})" if self.notes else ""
            return f"exportable with torch.export{extra}"
        kinds = sorted({d.code for d in self.blockers})
        return f"blocked by {len(self.blockers)}: {', '.join(kinds)}"

    def lens(self) -> str:
        ts = "TorchScript ✓" if self.scripts else "TorchScript ✗"
        ex = "export ✓" if self.exportable else f"export ✗ ({len(self.blockers)})"
        return f"{ts} · {ex}"


def _spans(ctx: CheckContext) -> list[tuple[str, list[tuple[int, int]]]]:
    functions = ctx.analysis.functions
    callees: dict[str, set[str]] = {}
    out = []
    for root in ctx.analysis.roots:
        spans = [(root.first_line, root.last_line)]
        for name in _reachable(functions, root.functions, callees):
            fn = functions.get(name)
            if fn is not None and fn.path == ctx.path:
                spans.append((fn.first_line, fn.last_line))
        out.append((root.name, spans))
    return out


def _reachable(functions: dict, entries: list[str], callees: dict[str, set[str]]) -> set[str]:
    """The functions compiled for a root and every function their graphs call
    (``callees`` caches each function's direct callees across roots)."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name not in callees:
            callees[name] = _direct_callees(functions.get(name))
        todo.extend(c for c in callees[name] if c not in seen)
    return seen


def _direct_callees(fn) -> set[str]:
    from ..export import _callee_name

    if fn is None or fn.graph is None:
        return set()
    return {c for node in walk_nodes(fn.graph, subgraphs=True) if (c := _callee_name(node)) is not None}


def roots_of(ctx: CheckContext, found: list[Finding]) -> dict[int, list[str]]:
    spans = _spans(ctx)
    return {id(f): [name for name, ss in spans if any(a <= f.line <= b for a, b in ss)] for f in found}


def verdicts(ctx_roots, functions, path: str, diagnostics: list[Diagnostic]) -> list[Verdict]:
    """Every root's verdict from its PJ6 diagnostics (``data["roots"]`` names the roots)."""
    out = []
    for root in ctx_roots:
        v = Verdict(root.name, root.kind, root.first_line, root.accepted)
        for d in diagnostics:
            if not d.code.startswith("PJ6") or root.name not in (d.data or {}).get("roots", ()):
                continue
            (v.blockers if d.data.get("default") == "fails" else v.notes).append(d)
        out.append(v)
    return out
