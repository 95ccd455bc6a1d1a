"""TorchScript constructs ``torch.export`` treats differently, read from the syntax
(PJ610-PJ613, PJ620, PJ630).

What torch 2.13 does with each was measured on ``tests/conformance/export_corpus``:
a ``ScriptModule`` root fails in both modes; a submodule made by
``torch.jit.script`` fails in both (the default mode calls its ``forward`` with
one argument too many), one made by ``torch.jit.load`` fails in the default mode
when it has parameters (``SpecViolationError``) and always in strict mode; traced
and frozen submodules, ``fork``/``wait`` and ``torch.jit.isinstance`` fail only in
strict mode. ``print`` and logging run once, while exporting.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ...frontend.pyworld import ModuleScope
from .findings import Finding

SCRIPT_MODULE_BASES = frozenset({"torch.jit.ScriptModule", "torch.jit._script.ScriptModule",
                                 "torch.jit.RecursiveScriptModule", "torch.jit._script.RecursiveScriptModule"})
_SCRIPT = frozenset({"torch.jit.script", "torch.jit._script.script"})
_LOAD = frozenset({"torch.jit.load", "torch.jit._serialization.load"})
_TRACE = frozenset({"torch.jit.trace", "torch.jit._trace.trace", "torch.jit.trace_module",
                    "torch.jit._trace.trace_module"})
_FREEZE = frozenset({"torch.jit.freeze", "torch.jit._freeze.freeze"})
_FORK = frozenset({"torch.jit.fork", "torch.jit._fork", "torch.jit.wait", "torch.jit._wait",
                   "torch.jit._async.fork", "torch.jit._async.wait"})
_ISINSTANCE = frozenset({"torch.jit.isinstance", "torch._jit_internal._isinstance"})
_LOGGING = ("logging.", "warnings.warn")

SKIPPED = "Attempted to call function marked as skipped"
SCRIPTED_IN_STRICT = "torch.jit.script/freeze modules unsupported"


def _at(node: ast.stmt | ast.expr, code: str, what: str, **kw) -> Finding:
    return Finding(code, node.lineno, node.col_offset, node.end_lineno or node.lineno,
                   node.end_col_offset or node.col_offset, what, **kw)


def module_class_findings(scope: ModuleScope, cls: ast.ClassDef) -> list[Finding]:
    """What a module class's definition and ``__init__`` do to export."""
    out: list[Finding] = []
    if any(scope.dotted_name(b) in SCRIPT_MODULE_BASES for b in cls.bases):
        out.append(Finding("PJ610", cls.lineno, cls.col_offset, cls.lineno, cls.col_offset + len("class ") +
                           len(cls.name), f"'{cls.name}' is a ScriptModule", "fails", "fails",
                           "Exporting a ScriptModule is not supported. Maybe try converting your ScriptModule "
                           "to an ExportedProgram using `TS2EPConverter(mod, args, kwargs).convert()` instead.",
                           "Exporting a ScriptModule is not supported.",
                           "derive from `torch.nn.Module` and drop `@torch.jit.script_method`; export the "
                           "plain module"))
    init = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
    if init is None:
        return out
    calls = _self_calls(cls)
    for stmt in ast.walk(init):
        if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
            continue
        target = next((t.attr for t in stmt.targets if isinstance(t, ast.Attribute)
                       and isinstance(t.value, ast.Name) and t.value.id == "self"), None)
        if target is None:
            continue
        made_by = scope.dotted_name(stmt.value.func)
        anchor = calls.get(target, stmt)
        if made_by in _SCRIPT:
            out.append(_at(anchor, "PJ611", f"submodule 'self.{target}' is scripted (torch.jit.script)",
                           default="fails", strict="fails",
                           torch_default="forward() takes 2 positional arguments but 3 were given",
                           torch_strict=SCRIPTED_IN_STRICT,
                           instead=f"assign the plain module (`self.{target} = Block()`), not its scripted form"))
        elif made_by in _LOAD:
            out.append(_at(anchor, "PJ612", f"submodule 'self.{target}' is loaded with torch.jit.load",
                           default="fails", strict="fails",
                           torch_default="State dict entry for parameter ... is not an instance of "
                                         "torch.nn.Parameter (SpecViolationError; a loaded module without "
                                         "parameters exports)",
                           torch_strict=SCRIPTED_IN_STRICT,
                           instead="build the Python module and load its weights with `load_state_dict`, "
                                   "or load an exported program with `torch.export.load`"))
        elif made_by in _TRACE or made_by in _FREEZE:
            how = "traced (torch.jit.trace)" if made_by in _TRACE else "frozen (torch.jit.freeze)"
            out.append(_at(anchor, "PJ613", f"submodule 'self.{target}' is {how}", default="ok", strict="fails",
                           torch_strict=SCRIPTED_IN_STRICT if made_by in _FREEZE else
                           "Attempted to inline function marked as skipped",
                           instead="assign the plain module; the default mode exports it already"))
    return out


def _self_calls(cls: ast.ClassDef) -> dict[str, ast.Call]:
    """``self.name(...)`` calls in the class's methods other than ``__init__``, first per name."""
    calls: dict[str, ast.Call] = {}
    for method in cls.body:
        if not isinstance(method, ast.FunctionDef) or method.name == "__init__":
            continue
        for n in ast.walk(method):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                    isinstance(n.func.value, ast.Name) and n.func.value.id == "self":
                calls.setdefault(n.func.attr, n)
    return calls


def body_findings(scope: ModuleScope, calls: list[tuple[ast.Call, ast.AST | None]]) -> Iterator[Finding]:
    """Calls in compiled functions that strict mode rejects or that run only while exporting."""
    for n, _ in calls:
        name = scope.dotted_name(n.func)
        if name in _FORK:
            yield _at(n, "PJ620", f"{name.rsplit('.', 1)[-1].lstrip('_')}() (torch.jit's async API)",
                      default="ok", strict="fails", torch_strict=SKIPPED,
                      instead="call the function directly; export runs it in order anyway")
        elif name in _ISINSTANCE:
            yield _at(n, "PJ620", "torch.jit.isinstance()", default="ok", strict="fails", torch_strict=SKIPPED,
                      instead="use Python's `isinstance` (the types are known while tracing)")
        elif name in _SCRIPT or name in _TRACE:
            yield _at(n, "PJ620", f"{name}() inside code that is exported", default="ok", strict="fails",
                      torch_strict=SKIPPED, instead="call the Python function itself")
        elif (isinstance(n.func, ast.Name) and n.func.id == "print") or name.startswith(_LOGGING):
            yield _at(n, "PJ630", f"{'print' if isinstance(n.func, ast.Name) else name}() in exported code",
                      default="ok", strict="ok",
                      torch_default="runs once, while exporting; the exported program does not print",
                      instead="log outside the model, or keep it for debugging only")
