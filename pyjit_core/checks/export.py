"""Export blockers: calls into Python reachable from code the file saves.

A save site is ``torch.jit.save(x, f)``, ``x.save(f)`` or
``x._save_for_lite_interpreter(f)`` in plain Python code where ``x`` is
``torch.jit.script(...)`` of a root of this file -- written inline or through
names, ``torch.jit.freeze``, ``.eval()`` (see :mod:`.flow`). torch's
serialiser fails on the first ``prim::PythonOp`` it meets::

    Could not export Python function call 'helper'. Remove calls to Python
    functions before export. Did you forget to add @script or @script_method
    annotation? If this is a nn.ModuleList, add it to __constants__:

``torch.jit.freeze(x)`` by itself succeeds with a PythonOp inside (checked
against torch 2.13), so freezing is not a save site; saving its result is.
Each reachable PythonOp is reported once (PJ410) where it is called, with
every save site as a related location; for an ignored function the fix marks
it ``@torch.jit.unused``.
"""

from __future__ import annotations

import ast

from ..diagnostics import Diagnostic, Edit, Fix, RelatedLocation
from ..frontend.compilation_unit import torch_qualified_name
from ..frontend.pyworld import FunctionRef
from ..frontend.source import SourceFile
from ..frontend.torch_objects import IGNORE_DECORATORS
from ..ir.graph import Node
from ..ir.python_op import ConcretePythonOp
from ..ir.symbols import kinds
from ..ir.types import ClassType, FunctionType
from ..ir.walk import walk_nodes
from .context import CheckContext
from .fixes import import_torch_edit, node_range
from .flow import SAVE, SAVE_METHOD_NAMES, CallSite, InstanceValue, ScriptFunctionValue, Value

TORCH_MESSAGE = "Could not export Python function call '{name}'. Remove calls to Python functions before export."


def check(ctx: CheckContext) -> list[Diagnostic]:
    sites = [s for s in (_save_site(site) for site in ctx.flow.calls) if s is not None]
    if not sites:
        return []
    found: dict[int, tuple[ConcretePythonOp, list[tuple[CallSite, str, str]]]] = {}
    for site, value, how in sites:
        entries = _entry_points(ctx, value)
        for op in _reachable_python_ops(ctx, entries):
            what = _value_text(ctx.source, site, value)
            found.setdefault(id(op), (op, []))[1].append((site, how, what))
    out: list[Diagnostic] = []
    for op, saved in found.values():
        out.append(_diagnostic(ctx, op, saved))
    return out


def _save_site(site: CallSite) -> tuple[CallSite, Value, str] | None:
    if site.path in SAVE:
        value, _ = site.argument(0, "m")
        if _is_scripted(value):
            return site, value, "torch.jit.save"
    elif site.method in SAVE_METHOD_NAMES and _is_scripted(site.receiver):
        return site, site.receiver, f".{site.method}()"
    return None


def _is_scripted(value: Value) -> bool:
    if isinstance(value, ScriptFunctionValue):
        return True
    return isinstance(value, InstanceValue) and value.instance.origin == "scripted" and value.cls is not None \
        and value.instance.cls.role == "module"


def _entry_points(ctx: CheckContext, value: Value) -> list[str]:
    functions = ctx.analysis.functions
    if isinstance(value, ScriptFunctionValue):
        name = torch_qualified_name(value.ref.scope.module_name, value.ref.qualname)
        return [name] if name in functions else []
    if isinstance(value, InstanceValue) and value.cls is not None:
        prefix = torch_qualified_name(value.cls.scope.module_name, value.cls.qualname) + "."
        return [q for q in functions if q.startswith(prefix) and "." not in q[len(prefix):]]
    return []


def _reachable_python_ops(ctx: CheckContext, entries: list[str]) -> list[ConcretePythonOp]:
    """PythonOps of the entry functions and of everything they call, in graph order."""
    functions = ctx.analysis.functions
    seen: set[str] = set()
    todo = list(entries)
    ops: list[ConcretePythonOp] = []
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        fn = functions.get(name)
        if fn is None or fn.graph is None:
            continue
        for node in walk_nodes(fn.graph, subgraphs=True):
            if isinstance(node, ConcretePythonOp):
                ops.append(node)
            callee = _callee_name(node)
            if callee is not None and callee not in seen:
                todo.append(callee)
    return ops


def _callee_name(node: Node) -> str | None:
    if node.kind is kinds.CallFunction and node.inputs:
        t = node.inputs[0].type
        return t.name if isinstance(t, FunctionType) and t.name else None
    if node.kind is kinds.CallMethod and node.inputs and node.has_attribute("name"):
        t = node.inputs[0].type
        return f"{t.name}.{node.s('name')}" if isinstance(t, ClassType) else None
    return None


def _value_text(source: SourceFile, site: CallSite, value: Value) -> str:
    expr = site.node.args[0] if site.path in SAVE and site.node.args else (
        site.node.func.value if isinstance(site.node.func, ast.Attribute) else None)
    if isinstance(expr, ast.Name):
        return f"'{expr.id}'"
    if isinstance(value, ScriptFunctionValue):
        return f"scripted '{value.ref.qualname}'"
    if isinstance(value, InstanceValue):
        return f"scripted '{value.class_name}'"
    return "the value"


def _diagnostic(ctx: CheckContext, op: ConcretePythonOp, saved: list[tuple[CallSite, str, str]]) -> Diagnostic:
    name = op.name()
    first_site, how, what = saved[0]
    line = first_site.node.lineno
    related = tuple(RelatedLocation(ctx.path, node_range(ctx.source, s.node), f"saved here ({h})")
                    for s, h, _ in saved)
    where = ctx.text_range(op)
    message = TORCH_MESSAGE.format(name=name)
    if where is not None:
        message += f" ({what} is saved by {how} on line {line}; this call runs in Python)"
    else:
        r = op.source_range
        at = f"{r.path}:{r.start_line}" if r is not None else "another file"
        message += f" ({what} calls '{name}' in Python at {at})"
        where = node_range(ctx.source, first_site.node.func)
        related = related[1:]
    fixes = _unused_fix(ctx, op)
    return Diagnostic("PJ410", message, ctx.path, where, related, fixes,
                      data={"python_name": name, "save_lines": [s.node.lineno for s, _, _ in saved]})


def _unused_fix(ctx: CheckContext, op: ConcretePythonOp) -> tuple[Fix, ...]:
    """Mark the ignored function ``@torch.jit.unused`` instead of ``@torch.jit.ignore``."""
    ref = getattr(op, "callee_ref", None)
    if not isinstance(ref, FunctionRef):
        return ()
    source = ref.scope.source
    for decorator in ref.node.decorator_list:
        if ref.scope.dotted_name(decorator) not in IGNORE_DECORATORS:
            continue
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        edits = []
        if isinstance(target, ast.Attribute):
            # keep the way the file spells torch.jit (`torch.jit`, `jit`, ...)
            base = source.slice(source.offset(target.value.lineno, target.value.col_offset),
                                source.offset(target.value.end_lineno, target.value.end_col_offset))
            replacement = f"{base}.unused"
        else:
            replacement = "torch.jit.unused"
            imp = import_torch_edit(source, ref.scope.tree, ref.scope)
            if imp is not None:
                edits.append(imp)

        edits.append(Edit(source.path, node_range(source, decorator), replacement))
        return (Fix(f"Mark '{ref.qualname}' @torch.jit.unused", tuple(edits)),)
    return ()
