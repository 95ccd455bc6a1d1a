"""The mechanical parts of a migration, each a finding with its fix (PJ621-PJ623, PJ650).

* ``torch.jit.is_scripting()`` -> ``torch.compiler.is_compiling()`` (PJ621): under
  ``torch.export`` (both modes) ``is_scripting()`` is False and ``is_compiling()``
  True, so the exported program takes the branch TorchScript took; eager code
  sees False from both; scripted code sees False from ``is_compiling()`` --
  the fix is unsafe and its title says so (measured with torch 2.13).
* ``x = torch.jit.annotate(T, v)`` -> ``x: T = v`` (PJ622): the same in Python
  and in TorchScript; safe.
* ``@torch.jit.script`` on a helper that only compiled code of this file calls
  (PJ623): scripted callers compile it anyway and export runs its Python; the
  decorator only runs the deprecated compiler at import. Unsafe: a module that
  imports the helper gets the Python function.
* ``torch.jit.save(torch.jit.script(m), p)`` -> ``torch.export.save(torch.export.export(m,
  example_inputs), p)`` (PJ650), with ``example_inputs`` a marked placeholder
  line; unsafe: the file becomes an ExportedProgram, which ``torch.jit.load``
  cannot read.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...diagnostics import Applicability, Edit, Fix, TextRange
from ..context import CheckContext
from ..fixes import node_range, node_text
from .findings import Finding

_IS_SCRIPTING = frozenset({"torch.jit.is_scripting", "torch._jit_internal.is_scripting"})
_ANNOTATE = frozenset({"torch.jit.annotate", "torch._jit_internal.annotate"})
_SCRIPT = frozenset({"torch.jit.script", "torch.jit._script.script"})
_SAVE = frozenset({"torch.jit.save", "torch.jit._serialization.save"})
PLACEHOLDER = "example_inputs = ...  # TODO(pyjit): the example inputs to export with, a tuple (torch.export.export)"


def _finding(node: ast.stmt | ast.expr, code: str, what: str, instead: str, fix: Fix, *, note: str = "") -> Finding:
    return Finding(code, node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0,
                   what, "ok", "ok", note, "", instead, fixes=(fix,))   # advice: both modes run the code


def migration_findings(ctx: CheckContext, compiled: list[ast.FunctionDef],
                       calls: list[tuple[ast.Call, ast.AST | None]]) -> list[Finding]:
    scope, source = ctx.scope, ctx.source
    out: list[Finding] = []
    for n, parent in calls:
        if scope.dotted_name(n.func) in _IS_SCRIPTING and not n.args:
            edit = Edit(ctx.path, node_range(source, n), "torch.compiler.is_compiling()")
            out.append(_finding(n, "PJ621", "torch.jit.is_scripting()",
                                "`torch.compiler.is_compiling()`, True while torch.export traces",
                                Fix("Replace with torch.compiler.is_compiling() (changes behaviour under "
                                    "torch.jit.script, where it is False)", (edit,)),
                                note="is_scripting() is False while exporting, so the exported program takes "
                                     "the eager branch"))
        elif isinstance(parent, ast.Assign) and _annotate_call(scope, parent) is not None:
            target = parent.targets[0]
            text = f"{node_text(source, target)}: {node_text(source, n.args[0])} = {node_text(source, n.args[1])}"
            fix = Fix("Write a plain annotation", (Edit(ctx.path, node_range(source, parent), text),),
                      applicability=Applicability.SAFE)
            out.append(_finding(n, "PJ622", "torch.jit.annotate()", f"`{text}`", fix))
    out += _scripted_helpers(ctx, compiled)
    out += _saves(ctx)
    return out


def _annotate_call(scope, n: ast.Assign) -> ast.Call | None:
    call = n.value
    if len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and isinstance(call, ast.Call) and \
            scope.dotted_name(call.func) in _ANNOTATE and len(call.args) == 2 and not call.keywords:
        return call
    return None


def _scripted_helpers(ctx: CheckContext, compiled: list[ast.FunctionDef]) -> Iterator[Finding]:
    tree, scope, source = ctx.tree, ctx.scope, ctx.source
    if tree is None:
        return
    decorated = []
    for fn in tree.body:
        if isinstance(fn, ast.FunctionDef):
            decorator = next((d for d in fn.decorator_list if not isinstance(d, ast.Call)
                              and scope.dotted_name(d) in _SCRIPT), None)
            if decorator is not None:
                decorated.append((fn, decorator))
    if not decorated:
        return
    inside = {id(n) for d in compiled for n in ast.walk(d)}
    names: dict[str, list[ast.Name]] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            names.setdefault(n.id, []).append(n)
    for fn, decorator in decorated:
        uses = names.get(fn.name, [])
        if not uses or any(id(u) not in inside for u in uses) or _exported_name(tree, fn.name):
            continue
        line = source.lines[decorator.lineno - 1]
        whole_line = line.strip() == "@" + node_text(source, decorator)
        where = TextRange(decorator.lineno - 1, 0, decorator.lineno, 0) if whole_line else \
            node_range(source, decorator)
        fix = Fix(f"Remove @torch.jit.script from '{fn.name}' (a module importing it gets the Python function)",
                  (Edit(ctx.path, where, ""),))
        yield _finding(decorator, "PJ623", f"@torch.jit.script on '{fn.name}', which only compiled code calls",
                       "drop the decorator: scripted callers compile it anyway, and torch.export runs its Python",
                       fix)


def _exported_name(tree: ast.Module, name: str) -> bool:
    """Whether ``__all__`` lists ``name`` (then other modules use it: keep it as it is)."""
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            return any(isinstance(e, ast.Constant) and e.value == name for e in ast.walk(stmt.value))
    return False


def _saves(ctx: CheckContext) -> Iterator[Finding]:
    tree, scope, source = ctx.tree, ctx.scope, ctx.source
    if tree is None or "save(" not in source.text:
        return
    for stmt in ast.walk(tree):
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            continue
        call = stmt.value
        if scope.dotted_name(call.func) not in _SAVE or len(call.args) != 2 or call.keywords:
            continue
        scripted = call.args[0]
        if not (isinstance(scripted, ast.Call) and scope.dotted_name(scripted.func) in _SCRIPT
                and len(scripted.args) == 1 and not scripted.keywords):
            continue
        module, path = node_text(source, scripted.args[0]), node_text(source, call.args[1])
        indent = source.lines[stmt.lineno - 1][: stmt.col_offset]
        edits = (Edit(ctx.path, TextRange(stmt.lineno - 1, 0, stmt.lineno - 1, 0), f"{indent}{PLACEHOLDER}\n"),
                 Edit(ctx.path, node_range(source, call),
                      f"torch.export.save(torch.export.export({module}, example_inputs), {path})"))
        fix = Fix("Save with torch.export instead (writes an ExportedProgram: load it with torch.export.load, "
                  "not torch.jit.load; fill in example_inputs)", edits)
        yield _finding(call, "PJ650", "torch.jit.save(torch.jit.script(...)) saves TorchScript",
                       "`torch.export.save(torch.export.export(m, example_inputs), path)`", fix)
