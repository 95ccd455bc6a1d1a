"""Export readiness (PJ6xx): what stops each root from moving to ``torch.export``.

Opt-in: the check runs only when ``select`` names the family (``--select PJ6``,
``select = ["PJ", "PJ6"]``), so existing users see nothing new and pay nothing.
It reads what the frontend already built:

* :mod:`.dataflow` -- values read out of tensor data, over each compiled graph;
* :mod:`.constructs` -- ScriptModule roots, jit-made submodules, strict-only calls,
  export-time side effects, from the syntax;
* :mod:`.ignored_bodies` -- ``@torch.jit.ignore`` helpers, which export runs as Python;
* :mod:`.migration` -- the mechanical rewrites, each a finding with its fix;
* :mod:`.verdict` -- which roots each finding blocks, and each root's verdict.

Every finding says what each mode (``strict=False``, the default, and
``strict=True``) does, in torch's words where torch has some, and what to write
instead.
"""

from __future__ import annotations

import ast

from ...config import Config
from ...diagnostics import Diagnostic, Severity, TextRange
from ...diagnostics.catalog import rule
from ...frontend.pyworld import FunctionRef
from ...frontend.torch_objects import IGNORE_DECORATORS
from ...ir.python_op import ConcretePythonOp
from ...ir.walk import walk_nodes
from ..context import CheckContext
from .calls import known_calls
from .constructs import body_findings, module_class_findings
from .dataflow import graph_findings
from .findings import Finding
from .ignored_bodies import ignored_findings
from .migration import migration_findings
from .verdict import roots_of

FAMILY = "PJ6"


def selected(config: Config) -> bool:
    """Whether ``select`` asks for the family by name (``PJ6``, ``PJ60``, ``PJ601``...)."""
    return any(code.startswith(FAMILY) for code in config.select)


def check(ctx: CheckContext) -> list[Diagnostic]:
    if not selected(ctx.config):
        return []
    found = findings(ctx)
    spans = roots_of(ctx, found) if found else {}
    return [_diagnostic(ctx, f, spans.get(id(f), [])) for f in found]


def findings(ctx: CheckContext) -> list[Finding]:
    """Every finding in this file, once per (code, place), in line order."""
    out: list[Finding] = []
    ignored: dict[int, FunctionRef] = {}
    for fn, graph in ctx.compiled():
        if fn.path != ctx.path:
            continue
        out += graph_findings(graph, ctx.path)
        for node in walk_nodes(graph, subgraphs=True):
            ref = getattr(node, "callee_ref", None) if isinstance(node, ConcretePythonOp) else None
            if isinstance(ref, FunctionRef) and ref.scope.source.path == ctx.path and \
                    any(d in IGNORE_DECORATORS for d in ref.decorators):
                ignored[id(ref.node)] = ref
    scope = ctx.scope
    compiled = [d for d in ctx.compiled_definitions() if isinstance(d, ast.FunctionDef)]
    calls = known_calls(compiled, ctx.source.lines)
    out += body_findings(scope, calls)
    for ref in ignored.values():
        out += ignored_findings(scope, ref.node)
    out += migration_findings(ctx, compiled, calls)
    for root in ctx.analysis.roots:
        if root.kind == "module":
            cls = _class_def(ctx.tree, root.name)
            if cls is not None:
                out += module_class_findings(scope, cls)
    unique: dict[tuple[str, int, int], Finding] = {}
    for f in out:
        unique.setdefault((f.code, f.line, f.col), f)
    return sorted(unique.values(), key=lambda f: (f.line, f.col, f.code))


def _class_def(tree: ast.Module | None, qualname: str) -> ast.ClassDef | None:
    body = tree.body if tree is not None else []
    found = None
    for part in qualname.split("."):
        found = next((s for s in body if isinstance(s, ast.ClassDef) and s.name == part), None)
        if found is None:
            return None
        body = found.body
    return found


def describe_modes(f: Finding) -> str:
    """``strict=False: fails (torch: ...); strict=True: accepts it``."""
    def mode(name: str, outcome: str, wording: str, line: int | None) -> str:
        wording = wording.rstrip(". ")
        if outcome == "ok":
            return f"{name} accepts it" + (f" ({wording})" if wording else "")
        if outcome == "unknown":
            return f"{name}: not measured"
        at = f" at line {line}" if line is not None else ""
        return f"{name} fails{at}" + (f": {wording}" if wording else "")

    if f.default == f.strict == "ok" and not f.torch_strict:
        return "both modes accept it" + (f" ({f.torch_default.rstrip('. ')})" if f.torch_default else "")
    return "; ".join((mode("default mode (strict=False)", f.default, f.torch_default, None),
                      mode("strict=True", f.strict, f.torch_strict, f.strict_line)))


def _diagnostic(ctx: CheckContext, f: Finding, roots: list[str]) -> Diagnostic:
    source = ctx.source
    where = TextRange(f.line - 1, source.code_point_col(f.line, f.col),
                      f.end_line - 1, source.code_point_col(f.end_line, f.end_col))
    message = f"torch.export: {f.what}. {describe_modes(f)}."
    if f.instead:
        message += f" Instead: {f.instead}."
    data = {"default": f.default, "strict": f.strict, "roots": roots, "line": f.line}
    if f.strict_line is not None:
        data["strict_line"] = f.strict_line
    # a rule that warns because the default mode fails says less where that mode accepts the code
    quieter = Severity.INFORMATION if f.default != "fails" and rule(f.code).severity < Severity.INFORMATION \
        else None
    return Diagnostic(f.code, message, ctx.path, where, fixes=f.fixes, severity_override=quieter, data=data)
